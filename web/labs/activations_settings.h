// kobai page: the activations lab's settings and their table (settings.h): the book's experiment on initial
// weights (chapter 6.2), as `kobai activations` runs it. A link carries them as act.* when they differ from the
// defaults, which are the book's first figure: sigmoid, weights with standard deviation 1. Pure: the link decoder
// uses it, and the native tests go through it.
#pragma once

#include "activations.h"
#include "settings.h"

#include <vector>

namespace kobai {

struct ActivationsSettings {
  Activation activation = Activation::sigmoid;
  WeightInit init = WeightInit::std_dev;
  double std_dev = 1;  // init = std: the weights' standard deviation
  int layers = 5;
  bool batchnorm = false;
  int seed = 1;
  ActivationsConfig config() const;  // 1000 samples of 100 features, 100 units a layer, as the book
};

using ActivationsSetting = Setting<ActivationsSettings>;
// Keys: act.fn, act.init, act.std, act.layers, act.batchnorm, act.seed.
const std::vector<ActivationsSetting>& activations_settings();

}  // namespace kobai
