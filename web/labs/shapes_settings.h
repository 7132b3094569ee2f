// kobai page: the shapes lab's part of a link: the input shape and the layers, as typed. Two texts, not a table of
// numbers (settings.h): the lab reads them with the engine's parser (engine/shapes.h) and says what is wrong. A link
// carries them only when they differ from the book's SimpleConvNet, the lab's preset.
//
//   #mode=shapes&sh.input=3x32x32&sh.layers=conv(16,3,3,pad=1)%3Bpool(2,2)%3Baffine(10)
#pragma once

#include "shapes.h"

#include <string>

namespace kobai {

struct ShapesSettings {
  std::string input = kSimpleConvNetInput;  // sh.input
  std::string layers = kSimpleConvNet;      // sh.layers
  bool operator==(const ShapesSettings& o) const { return input == o.input && layers == o.layers; }
};

}  // namespace kobai
