// kobai page: the shapes lab (issue 13). A network typed layer by layer, and the engine's shape sheet for it: each
// layer's output shape, the formula with its numbers, the parameters and their total; a layer that does not fit,
// refused in place with the arithmetic. The sheet is `kobai shapes`'s. Drawn by shapes_lab.cpp.
#pragma once

#include "labs/shapes_settings.h"
#include "shapes.h"

#include <string>

namespace kobai {

// On the lab switch from the first frame, before the lab's code and its font arrive (see playground.h).
inline const Words kShapesTitle{"Shapes", "層の形状"};
inline const Words kShapesShortTitle{"Shapes", "形状"};

struct ShapesLab {
  ShapesSettings settings;    // the texts as typed: what a link carries
  bool stale = true;          // the texts changed since the sheet was made
  ShapeSheet sheet;           // the last texts that could be read: their sheet (a layer refused in it, perhaps)
  bool sheet_current = false; // ... made from the texts as they are now (false: they cannot be read, it is older)
  std::string error;          // why the texts cannot be read, with the place
  std::string error_field;    // "input" or "layers"
  int error_line = 0, error_column = 0;
};

}  // namespace kobai
