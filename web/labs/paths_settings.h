// kobai page: the optimizer-paths lab's settings and their table (settings.h): the surface, the start, how far
// to go, the gradient's noise, the book's formulas or the published ones, and for each optimizer whether it
// races and its learning rate. The same as `kobai descend` takes, so a shared link draws the same paths. Pure:
// the link decoder uses it, and the native tests go through it.
//
//   #mode=paths&op.surface=saddle&op.x=1&op.y=0.001&op.noise=0.01&op.adam=0      (a saddle, Adam left out)
//   #mode=paths&op.expr=x%5E4%20%2B%20y%5E2&op.x=1&op.y=1                        (a typed f: op.expr, not in the table)
#pragma once

#include "optim.h"
#include "settings.h"
#include "surface.h"

#include <string>
#include <vector>

namespace kobai {

struct PathSettings {
  SurfaceKind surface = SurfaceKind::book;
  std::string expr;              // a typed f(x, y), or empty for the surface's (the link's op.expr)
  double x = -7, y = 2;          // the start: the book's surface's
  int steps = 30;                // how far play goes (the book's Figure 6-8: 30)
  double noise = 0;              // the standard deviation added to each component of the gradient
  int seed = 1;
  bool book = true;              // the book's optimizer.py formulas (Adadelta: the same either way)
  // Per optimizer, in KOBAI_OPTIMIZERS' order: racing or not, and η. Separate members so the table can point
  // at each; on() and lr() index them.
  bool on_sgd = true, on_momentum = true, on_nesterov = true, on_adagrad = true, on_rmsprop = true, on_adam = true, on_adadelta = true;
  double lr_sgd = 0.95, lr_momentum = 0.1, lr_nesterov = 0.1, lr_adagrad = 1.5, lr_rmsprop = 0.1, lr_adam = 0.3, lr_adadelta = 1;
  bool& on(OptimizerKind k);
  bool on(OptimizerKind k) const;
  double& lr(OptimizerKind k);
  double lr(OptimizerKind k) const;
  OptConfig config(OptimizerKind k) const;  // the table's defaults, this lab's η and formulas
};

using PathSetting = Setting<PathSettings>;
// Keys: op.surface, op.x, op.y, op.steps, op.noise, op.seed, op.book, op.<optimizer> (0 or 1), op.lr.<optimizer>.
const std::vector<PathSetting>& path_settings();
constexpr int kMaxPathSteps = 1000;  // the lab draws at most this many steps a path

}  // namespace kobai
