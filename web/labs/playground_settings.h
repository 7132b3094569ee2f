// kobai page: the playground's settings, all in one struct, and the table that lists each once (settings.h):
// its key in a link (pg.*), its name in kobai.state(), its label and range, and the panel's control for it.
// Pure: the link decoder uses it, and the native tests go through every entry.
#pragma once

#include "settings.h"
#include "train.h"

#include <vector>

namespace kobai {

// The playground's whole configuration and seed (not the weights), as a link carries it. The initial values
// are the defaults: TensorFlow Playground's, which students know.
struct PlaygroundSettings {
  DataKind data = DataKind::spiral;  // a two-dimensional set, the digits, Iris, or the student's CSV
  double noise = 0.1;
  int points = 300, test_percent = 30, seed = 1;
  std::vector<int> hidden{8, 8, 8};  // units per hidden layer
  Activation activation = Activation::tanh;
  Init init = Init::xavier;
  LossKind loss = LossKind::squared;
  OptimizerKind optimizer = OptimizerKind::sgd;
  double lr = 0.03;
  int batch = 10;
  bool replacement = false, batchnorm = false;
  double l1 = 0, l2 = 0, dropout = 0;
  int compare = 0;  // the Compare tab's preset: 0 none, else its place in compare_presets() from 1
};

using PlaygroundSetting = Setting<PlaygroundSettings>;
// In the panel's order: data, network, training. Keys: pg.data, pg.noise, pg.points, pg.test, pg.seed,
// pg.hidden (units per layer, comma-separated), pg.act, pg.init, pg.loss, pg.batchnorm, pg.dropout, pg.l1,
// pg.l2, pg.opt, pg.lr, pg.batch, pg.replacement; pg.compare (the Compare tab's preset, by its key, or none).
const std::vector<PlaygroundSetting>& playground_settings();
const PlaygroundSetting* find_playground_setting(const std::string& key);  // nullptr when no setting has it

}  // namespace kobai
