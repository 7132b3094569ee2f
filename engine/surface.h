// kobai engine: loss surfaces f(x, y) and the paths optimizers take down them (the optimizer-paths lab and
// `kobai descend`). A surface is an expression in kobai's language; its gradient is the graph's backward pass.
//
//   SurfaceKind, SurfaceDef, surface_def   the table: the book's x²/20 + y², a saddle, a plateau, Rosenbrock,
//                                          Himmelblau, each an expression with a start and a view box
//   Surface                  a parsed f(x, y): refused with a message unless a number from x and y alone
//   DescentConfig, Descent   one optimizer walking a surface a step at a time, the gradient optionally noisy
//   descend                  a whole path at once (the command)
//   PathPreset, path_presets optimizers racing from one start: the book's Figure 6-8
//
//   Surface f(surface_def(SurfaceKind::book).expr);
//   Descent d(f, {optimizer_defaults(OptimizerKind::adam), {-7, 2}});
//   StepReport r;
//   while (d.steps() < 30 && d.step(&r)) { ... r.shown.params[0].find("m_hat") ... }
//   // d.points(): the start, then a point per step; d.stopped(), d.message(): where and why it diverged
#pragma once

#include "graph.h"
#include "names.h"
#include "optim.h"
#include "random.h"

#include <cstdint>
#include <string>
#include <vector>

namespace kobai {

struct Vec2 {
  double x = 0, y = 0;
};
struct ViewBox {
  double x0, x1, y0, y1;  // what the lab shows first: x from x0 to x1, y from y0 to y1
};

// --- the surfaces -----------------------------------------------------------------------------------------------
enum class SurfaceKind { book, saddle, plateau, rosenbrock, himmelblau };
inline constexpr const char* kSurfaceNames[] = {"book", "saddle", "plateau", "rosenbrock", "himmelblau"};
static_assert(std::size(kSurfaceNames) == size_t(SurfaceKind::himmelblau) + 1);
template <> inline NameList names_of<SurfaceKind>() { return list_of(kSurfaceNames); }
inline const char* name_of(SurfaceKind s) { return kSurfaceNames[int(s)]; }

struct SurfaceDef {
  SurfaceKind kind;
  Words title;       // "The book's f(x, y) = x²/20 + y²"
  const char* expr;  // in the expression language: "x^2/20 + y^2"
  Vec2 start;
  ViewBox view;
  Words note;        // what to watch for on it
};
const SurfaceDef& surface_def(SurfaceKind k);

// Above this size a value counts as diverged: the path has left every scale the lab can draw.
constexpr double kDivergedAbove = 1e12;

class Surface {
 public:
  // f must use no inputs but x and y (another name is refused, with where it is), and be a number (1x1).
  // An InputError's what() is the whole message, with line, column and a caret under the place.
  explicit Surface(const std::string& expr);
  // f and its gradient finite at p: else an InputError saying which is not, and what it is.
  void check_start(Vec2 p) const;
  double value(Vec2 p) const;
  double value(Vec2 p, Vec2* gradient) const;  // ∂f/∂x, ∂f/∂y from backward(); 0 for a variable f does not use
  const std::string& expr() const { return expr_; }

 private:
  std::string expr_;
  Graph g_;
  int x_ = -1, y_ = -1;  // the input nodes, -1 when f does not use that variable
  mutable Values v_;     // scratch for forward()
  double eval(Vec2 p, Vec2* gradient) const;
};

// --- a path -------------------------------------------------------------------------------------------------------
struct DescentConfig {
  OptConfig opt;
  Vec2 start;
  double noise = 0;   // the standard deviation of Gaussian noise added to each component of the gradient
  uint64_t seed = 1;  // the noise's: the same seed, the same noise, on every machine (random.h)
};
void check(const DescentConfig& c);  // the optimizer's settings, and a noise from 0 to 1e6

struct StepReport {  // one step, for the lab's "one step" view
  int step = 0;      // from 1
  Vec2 from, to;
  double value_from = 0, value_to = 0;
  Vec2 gradient;     // ∇f at `from`, from the backward pass
  Vec2 used;         // what the optimizer was given: the gradient plus the noise
  StepShown shown;   // the optimizer's values, parameters named "x" and "y"
};

class Descent {
 public:
  Descent(Surface f, const DescentConfig& c);  // checks c and the start (InputError)
  // One step. Returns false, moving nothing, once the path has stopped: when a step's point, value or gradient is
  // NaN or inf, or the value passes kDivergedAbove in size, the path stops there and message() says at which step
  // and what the value was. The last point kept is finite.
  bool step(StepReport* report = nullptr);
  int steps() const { return int(points_.size()) - 1; }
  const std::vector<Vec2>& points() const { return points_; }    // the start, then a point per step
  const std::vector<double>& values() const { return values_; }  // f at each point
  bool stopped() const { return !message_.empty(); }
  const std::string& message() const { return message_; }
  const Surface& surface() const { return f_; }
  const DescentConfig& config() const { return cfg_; }

 private:
  Surface f_;
  DescentConfig cfg_;
  Optimizer<double> opt_;
  Rng rng_;
  Mat x_, y_, gx_, gy_;  // the two parameters (1x1) and their gradients, as the book's params['x'], params['y']
  std::vector<Vec2> points_;
  std::vector<double> values_;
  std::string message_;
  void stop(int step, const std::string& what, Vec2 at);
};

struct Path {
  std::vector<Vec2> points;
  std::vector<double> values;
  std::string message;  // empty, or why the path stopped early
};
Path descend(const Surface& f, const DescentConfig& c, int steps);

// --- presets ----------------------------------------------------------------------------------------------------
struct PathPreset {
  const char* name;  // "fig6-8"
  Words title;
  SurfaceKind surface;
  Vec2 start;
  int steps;
  std::vector<OptConfig> optimizers;  // each with its own learning rate; book = true: the book's formulas
};
const std::vector<PathPreset>& path_presets();
const PathPreset* find_path_preset(const std::string& name);  // nullptr when there is none of that name

}  // namespace kobai
