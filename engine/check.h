// kobai engine: the gradient check (勾配確認), in bounded work.
//
//   kCheckStep, kCheckTolerance   the central difference's step h and the relative error counted as agreement:
//                                 one pair for the command and the page, both in double precision
//   GradCheck                     one input: backprop beside the numerical gradient on the entries checked
//   GradientCheck                 the check in small pieces: advance() evaluates a few nodes at a time, so a page
//                                 frame is never held by a large graph; the command runs it to the end
//   gradient_check                the whole check at once
//
// Which entries: all of an input with at most kCheckEntries entries; of a larger one, kCheckEntries spread over
// the matrix (row 1, column 1 first). Fewer when the graph is so costly that even that would take long
// (kCheckBudget multiply-adds in all): the result lists the entries checked.
//
// Agreement: the relative error max|backprop − numerical| / max(max|backprop|, max|numerical|) over the checked
// entries, at most kCheckTolerance, or at most the rounding noise the numerical estimate itself carries where
// that is larger (a sum over 16 million products in W @ W is only so exact; the third difference
// f(x+2h) − 3f(x+h) + 3f(x) − f(x−h) shows it), but never more than 1e-3: a correct gradient is not marked
// wrong for the numerical side's rounding, and a gradient 0.1% off is always wrong.
#pragma once

#include "graph.h"

#include <string>
#include <vector>

namespace kobai {

constexpr double kCheckStep = 1e-5;
constexpr double kCheckTolerance = 1e-5;
constexpr double kCheckNoiseCap = 1e-3;  // the rounding allowance never goes past this
constexpr int kCheckEntries = 64;
constexpr double kCheckBudget = 4e9;  // multiply-adds for the numerical side, or 8 forward passes if larger
constexpr double kCheckPiece = 1e6;   // multiply-adds in one piece of work at most, where a node can be split

struct GradCheck {
  std::string input;
  Mat backprop;                       // the whole gradient, from backprop
  Mat numerical;                      // the central difference; NaN at the entries not checked
  std::vector<Eigen::Index> entries;  // the entries checked (column-major index), in order
  double rel_error = 0;               // over the checked entries; NaN when either side is not finite
  double noise = 0;                   // the numerical estimate's rounding noise, relative like rel_error
  double tolerance() const;           // max(kCheckTolerance, noise), the noise counted up to 1e-3
  bool checked() const { return !entries.empty(); }  // false: too costly to check at all within the budget
  bool ok() const;                    // checked and rel_error ≤ tolerance(); never for NaN
  bool complete() const { return Eigen::Index(entries.size()) == backprop.size(); }
};

class GradientCheck {
 public:
  // Keeps its own copy of the graph: the page may load another while the check runs.
  explicit GradientCheck(Graph g, double h = kCheckStep, double budget = kCheckBudget);

  // Works until `seconds` have passed (at least one piece: a node, or a block of a product's rows); true when the
  // check is finished.
  bool advance(double seconds);
  bool done() const { return pass_ >= int(passes_.size()); }
  double progress() const;                        // 0 .. 1, by the work done
  const std::vector<GradCheck>& results() const { return results_; }  // final once done()

 private:
  struct Pass {      // one forward pass of the graph: unperturbed (input < 0), or one entry of one input ± h
    int input = -1;  // index into inputs_
    Eigen::Index entry = 0;
    double delta = 0;
  };
  Graph g_;
  std::vector<int> inputs_;        // the inputs checked: all but data (mark_data), whose gradient is not computed
  double h_, budget_;
  Values base_, grad_, work_;      // the unperturbed values, backprop's gradients, a perturbed pass's values
  std::vector<std::vector<bool>> downstream_;  // per input: the nodes its value reaches
  std::vector<Pass> passes_;
  std::vector<double> cost_;       // per node: the multiply-adds of its forward
  std::vector<std::vector<double>> fp_, fm_;   // per input, per checked entry: f(x + h), f(x − h)
  std::vector<GradCheck> results_;
  int pass_ = 0, node_ = 0;        // where the work stands
  Eigen::Index row_ = 0;           // within a product evaluated a block of rows at a time
  double done_cost_ = 0, total_cost_ = 0;
  double f0_ = 0;                  // f(x): the output's sum, unperturbed

  void plan();
  void node_step();                // one node of the current pass (or the backward pass), or a block of its rows
  bool evaluate(int n, const Args& a, Mat& out);  // node n's forward, or its next block of rows; true when whole
  void finish();
};

std::vector<GradCheck> gradient_check(const Graph& g, double h = kCheckStep);

}  // namespace kobai
