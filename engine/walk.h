// kobai engine: stepping through a graph one node at a time.
//
//   Phase, StepKind  forward (one op node a step), backward (seed, then each node in reverse: a fan-in sum
//                    where a value was used more than once, then the node's own backward), update (W ← W − η·∂L/∂W)
//   Line, Step       what a step did, as a student reads it: lhs = symbolic = numeric = result
//   WalkState        the values, the gradients and the gradient each edge carried, as far as stepped
//   Walk             step, back (restores the exact previous state), jump, run_phase, reset, next_iteration
//   explain          one step in words and formulas, in English or Japanese
//
//   Walk w(build("price = apple * num * tax", {...}));
//   while (w.step()) std::cout << explain(w, w.position() - 1, Lang::en);
#pragma once

#include "graph.h"

#include <string>
#include <tuple>
#include <vector>

namespace kobai {

// Iterations of a lesson that trains, at most: each keeps what Back needs to undo it, and a link restores one by
// running every step before it.
constexpr int kMaxIterations = 1000;

enum class Phase { Forward, Backward, Update };
enum class StepKind { Forward, Seed, FanIn, Backward, Update };

struct Planned {
  StepKind kind;
  Phase phase;
  int node;
};

struct Line {
  int target;            // the node whose value or gradient this line sets
  std::string lhs;       // "price", "∂price/∂tax", "W"
  const char* assign;    // "=", or "←" for an update
  std::string symbolic;  // "∂price/∂price × (apple*num)"
  std::string numeric;   // "1 × 200"
  Mat result;
};

struct Step {
  StepKind kind;
  Phase phase;
  int node;
  std::vector<Line> lines;
  std::vector<Words> warnings;  // a non-finite value, and why
};

struct WalkState {
  Values value;             // empty where not computed yet (leaves always have theirs)
  Values grad;              // d(output)/d(node), empty where not known yet
  std::vector<Values> edge; // per node, per input: the gradient this node sent back to that input
};

class Walk {
 public:
  // params: inputs that the update phase trains with learning rate lr (none: no update phase).
  explicit Walk(Graph g, std::vector<std::string> params = {}, double lr = 0);

  const Graph& graph() const { return g_; }
  const WalkState& state() const { return s_; }
  const std::vector<Planned>& plan() const { return plan_; }
  const std::vector<std::string>& params() const { return params_; }
  double lr() const { return lr_; }

  int position() const { return int(done_.size()); }  // steps done in this iteration, 0..plan().size()
  int iteration() const { return iteration_; }         // 0 for the first pass
  bool at_end() const { return position() == int(plan_.size()); }
  Phase phase() const;                                 // of the last step done (Forward before any)
  const Step* current() const { return done_.empty() ? nullptr : &done_.back(); }
  const std::vector<Step>& steps_done() const { return done_; }

  bool step();             // do the next step; false at the end of the plan
  bool back();             // undo the last step (or the last next_iteration); false at the very start
  void jump(int k);        // to position k of this iteration (clamped)
  void run_phase();        // to the end of the phase the next step belongs to
  void reset();            // to iteration 0, position 0, the first parameter values
  bool next_iteration();   // at the end of a plan with an update phase: forward/backward/update again (up to kMaxIterations)
  std::vector<std::pair<int, int>> live_users(int n) const;  // n's users whose gradient reaches the output

 private:
  enum class Slot { Value, Grad, Edge };
  struct Undo {
    std::vector<std::tuple<Slot, int, int, Mat>> old;  // slot, node, input, previous contents
    bool whole = false;                                // a next_iteration: everything below
    WalkState state;
    std::vector<Step> done;
  };

  Graph g_;
  std::vector<std::string> params_;
  double lr_;
  std::vector<Planned> plan_;
  WalkState s_;
  std::vector<Step> done_;
  std::vector<Undo> undo_;
  int iteration_ = 0;

  void write(Undo& u, Slot slot, int node, int input, Mat value);
  Step run(const Planned& p, Undo& u);
};

std::string phase_name(Phase p, Lang l);
// The op's local rule in the node's own names (for z = 2 * b: "∂(2·b)/∂b = 2"), not the letters x and y, which
// would clash with a lesson's own x and y; ops on matrices and windows keep their layers' letters (∂L/∂W ...).
std::string local_rule(const Graph& g, int node);
std::string explain(const Walk& w, int i, Lang l);           // step i done: headline, its formulas, the op's note
std::string derivative(const Graph& g, int of, int wrt);     // "∂price/∂(apple*num)"

}  // namespace kobai
