// kobai page: the optimizer-paths lab. Optimizers race down a surface f(x, y) from one start; drawn by paths.cpp.
#pragma once

#include "labs/paths_settings.h"
#include "surface.h"
#include "widgets/plot_scale.h"

#include <memory>
#include <string>
#include <vector>

namespace kobai {

// On the lab switch from the first frame, before the lab's code and its font arrive (see playground.h).
inline const Words kPathsTitle{"Optimizer paths", "最適化の経路"};
inline const Words kPathsShortTitle{"Paths", "経路"};

struct PathRun {                     // one optimizer's path
  std::unique_ptr<Descent> descent;  // null when it does not race
  StepReport last;                   // its last step, for the "one step" panel
  bool stepped = false;              // ... once it has taken one
  std::vector<float> values;         // f at each point, for the loss chart
};

struct Paths {
  PathSettings settings;             // what a shared link carries (labs/paths_settings.h)
  std::string typed;                 // the expression field, as typed
  std::string error;                 // why the typed f, a start or a setting was refused (the old one stays)
  std::unique_ptr<Surface> surface;  // f, from the settings' surface or expression
  ViewBox view{-10, 10, -5, 5};      // the part of the plane the lab shows (the surface's, widened to the panel)
  PathRun runs[kOptimizerCount];
  int step = 0;                      // steps taken (a path that stopped keeps its last point)
  bool playing = false;
  double clock = 0;                  // time owed to play, in steps
  int pane = 1;                      // on a narrow window, the tab shown: 0 settings, 1 the view, 2 the steps
  bool settings_changed = false;     // the URL hash must follow
  // The contours: f on a grid over the shown box, made again when f or the box changes.
  ViewBox grid_box{0, 0, 0, 0};
  std::vector<float> grid;
  int grid_version = 0;              // counts grids made (for tests)
  bool grid_dirty = true;
  unsigned texture = 0;
  int texture_w = 0, texture_h = 0, texture_version = -1;
  std::string hover_plot;
  plot::Readout hover;
};

}  // namespace kobai
