#include "labs/playground_settings.h"

#include "compare.h"

#include <cmath>

namespace kobai {

static bool two_d(const PlaygroundSettings& s) { return is_2d(s.data); }  // noise and points make a 2-D set
static bool never(const PlaygroundSettings&) { return false; }            // drawn by its own panel
static bool images(const PlaygroundSettings& s) { return !is_2d(s.data); }  // the digits (or a CSV of images)
static bool cnn(const PlaygroundSettings& s) { return images(s) && s.model == Model::cnn; }

// pg.compare: "none" or a preset's key (compare.h).
static PlaygroundSetting compare_setting() {
  PlaygroundSetting s = setting::whole<&PlaygroundSettings::compare>("pg.compare", "compare_preset", {"compare", "比較"}, 0, double(std::size(kPresetNames) - 1));
  s.kind = SettingKind::choice, s.choices = list_of(kPresetNames);
  return s.when(never).redo(Redo::none);
}

const std::vector<PlaygroundSetting>& playground_settings() {
  using P = PlaygroundSettings;
  using namespace setting;
  static const std::vector<PlaygroundSetting> table = {
      // csv in a link: the page asks for the file again. The panel draws the data menu itself (the CSV, loading).
      choice<&P::data>("pg.data", "data", {"Data", "データ"}).under({"Data", "データ"}),
      number<&P::noise>("pg.noise", "noise", {"noise", "ノイズ"}, 0, 1).slider(1, "%.2f").when(two_d),
      whole<&P::points>("pg.points", "points", {"points", "点の数"}, 50, 1000).when(two_d),
      whole<&P::test_percent>("pg.test", "test", {"test %", "テスト %"}, 10, 90),
      // the data's points, the split, the initial weights, the batches
      whole<&P::seed>("pg.seed", "seed", {"seed", "乱数シード"}, 1, 1000000000).typed(),
      // 2-D sets take up to 64 units a layer (the boundary shader); the page says so when a link brings more
      choice<&P::model>("pg.model", "model", {"model", "モデル"}).when(images).under({"Network", "ネットワーク"}),
      // the CNN's conv stage: a link may bring any size, which the engine refuses with its arithmetic when the
      // windows do not fit the image; the sliders stop at what an 8x8 digit takes
      whole<&P::filters>("pg.filters", "filters", {"filters", "フィルター数"}, 1, kMaxFilters).when(cnn),
      whole<&P::filter_size>("pg.fsize", "filter_size", {"filter size", "フィルターサイズ"}, 1, kMaxImageSide).slider(8, "%d").when(cnn),
      whole<&P::stride>("pg.stride", "stride", {"stride", "ストライド"}, 1, kMaxImageSide).slider(4, "%d").when(cnn),
      whole<&P::pad>("pg.pad", "pad", {"padding", "パディング"}, 0, kMaxImageSide).slider(3, "%d").when(cnn),
      whole<&P::pool>("pg.pool", "pool", {"pooling", "プーリング"}, 0, kMaxImageSide).slider(4, "%d").when(cnn),  // 0: none
      whole<&P::pool_stride>("pg.poolstride", "pool_stride", {"pool stride", "プーリングのストライド"}, 1, kMaxImageSide).slider(4, "%d").when(cnn),
      wholes<&P::hidden>("pg.hidden", "units", {"hidden layers", "中間層の数"}, 1, 128, 8, "layers").in_words("hidden units"),
      choice<&P::activation>("pg.act", "activation", {"activation", "活性化関数"}),
      choice<&P::init>("pg.init", "init", {"initial weights", "重みの初期値"}),
      choice<&P::loss>("pg.loss", "loss", {"loss", "損失関数"}),
      flag<&P::batchnorm>("pg.batchnorm", "batchnorm", {"batch normalisation", "バッチ正規化"}),
      number<&P::dropout>("pg.dropout", "dropout", {"dropout", "ドロップアウト"}, 0, 0.9).slider(0.9, "%.2f"),
      number<&P::l1>("pg.l1", "l1", {"L1", "L1"}, 0, 1).slider(0.01, "%.4f"),
      number<&P::l2>("pg.l2", "l2", {"L2", "L2"}, 0, 1).slider(0.1, "%.3f"),
      // a new rule or step size keeps the weights
      choice<&P::optimizer>("pg.opt", "optimizer", {"optimizer", "最適化手法"}).under({"Training", "学習"}).redo(Redo::part),
      number<&P::lr>("pg.lr", "lr", {"learning rate η", "学習率 η"}, 1e-9, 1e9).in_words("learning rate").typed().redo(Redo::part),
      // the panel's slider stops at the training rows
      whole<&P::batch>("pg.batch", "batch", {"batch size", "バッチサイズ"}, 1, 1000).redo(Redo::none),
      flag<&P::replacement>("pg.replacement", "replacement", {"sample with replacement", "復元抽出"}).redo(Redo::none),
      compare_setting(),
  };
  return table;
}

int image_side(long long n) {
  int s = int(std::lround(std::sqrt(double(n))));
  return s >= 4 && s <= 32 && (long long)s * s == n ? s : 0;
}

NetConfig net_config(const PlaygroundSettings& s, int inputs, int outputs) {
  NetConfig c;
  c.inputs = inputs, c.outputs = outputs;
  c.hidden = s.hidden;
  c.activation = s.activation, c.init = s.init, c.loss = s.loss;
  c.l1 = s.l1, c.l2 = s.l2, c.dropout = s.dropout, c.batchnorm = s.batchnorm, c.seed = uint64_t(s.seed);
  if (s.model == Model::mlp) return c;
  const int side = image_side(inputs);
  if (is_2d(s.data) || !side)
    throw InputError("a CNN reads images, and the rows of " + std::string(s.data == DataKind::csv ? "this CSV" : name_of(s.data)) + " are " +
                     std::to_string(inputs) + " numbers, not a square image (the digits are 8x8 = 64): choose the MLP");
  c.channels = 1, c.height = side, c.width = side;
  c.conv = {ConvStage{s.filters, s.filter_size, s.stride, s.pad, s.pool, s.pool_stride}};
  try {
    check(c);
  } catch (const InputError& e) {  // which settings: the pooling's, or the filters'
    const std::string why = e.what(), n = std::to_string(side);
    auto say = [](const char* name, int v) { return std::string(name) + " " + std::to_string(v); };
    if (why.find("conv stage") == std::string::npos) throw;  // not the conv stage's (hidden units, dropout, ...)
    if (why.find("to flatten") != std::string::npos)
      throw InputError("the CNN's " + say("filters", s.filters) + " and " + say("pooling", s.pool) + " give too many numbers: " + why);
    if (why.find("pooling") != std::string::npos)
      throw InputError("the CNN's " + say("pooling", s.pool) + " and " + say("pool stride", s.pool_stride) + " do not fit the filters' maps: " + why);
    throw InputError("the CNN's " + say("filter size", s.filter_size) + ", " + say("stride", s.stride) + " and " + say("padding", s.pad) +
                     " do not fit the " + n + "x" + n + " images: " + why);
  }
  return c;
}

const PlaygroundSetting* find_playground_setting(const std::string& key) {
  for (const PlaygroundSetting& s : playground_settings())
    if (key == s.key) return &s;
  return nullptr;
}

}  // namespace kobai
