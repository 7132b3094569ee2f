// kobai page: the playground's settings, all in one struct, and the table that lists each once (settings.h):
// its key in a link (pg.*), its name in kobai.state(), its label and range, and the panel's control for it.
// Pure: the link decoder uses it, and the native tests go through every entry.
#pragma once

#include "settings.h"
#include "train.h"

#include <vector>

namespace kobai {

// The network the playground trains: layers of units (the MLP), or, for images, a conv stage in front (the CNN:
// Convolution → activation → max pooling, then the hidden layers, as the book's SimpleConvNet).
enum class Model { mlp, cnn };
inline constexpr const char* kModelNames[] = {"mlp", "cnn"};
template <> inline NameList names_of<Model>() { return list_of(kModelNames); }
inline const char* name_of(Model m) { return kModelNames[int(m)]; }

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
  // The CNN's conv stage (digits_cnn()'s by default): filters of filter_size², moved by stride over the image
  // padded by pad; then max pooling of pool² windows moved by pool_stride (pool 0: none).
  Model model = Model::mlp;
  int filters = 16, filter_size = 3, stride = 1, pad = 1, pool = 2, pool_stride = 2;
};

using PlaygroundSetting = Setting<PlaygroundSettings>;
// In the panel's order: data, network, training. Keys: pg.data, pg.noise, pg.points, pg.test, pg.seed,
// pg.hidden (units per layer, comma-separated), pg.act, pg.init, pg.loss, pg.batchnorm, pg.dropout, pg.l1,
// pg.l2, pg.opt, pg.lr, pg.batch, pg.replacement; pg.compare (the Compare tab's preset, by its key, or none);
// pg.model (mlp, cnn) and the CNN's pg.filters, pg.fsize, pg.stride, pg.pad, pg.pool, pg.poolstride.
const std::vector<PlaygroundSetting>& playground_settings();
const PlaygroundSetting* find_playground_setting(const std::string& key);  // nullptr when no setting has it

// The network the settings make for data of `inputs` columns and `outputs` classes (or targets). A CNN reads
// each row as a square one-channel image (the digits: 8x8); rows that are not one, and a conv stage that does
// not fit the image, are refused with an InputError naming the settings and the engine's arithmetic:
// "the CNN's filter size 3, stride 2 and padding 0 do not fit: conv stage 1: (8 + 2·0 − 3)/2 = 5/2 is not ...".
NetConfig net_config(const PlaygroundSettings& s, int inputs, int outputs);
int image_side(long long n);  // the side of a square image of n pixels (64 → 8), or 0 when there is none (4 to 32)

}  // namespace kobai
