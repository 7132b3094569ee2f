#include "labs/playground_settings.h"

#include "compare.h"

namespace kobai {

static bool two_d(const PlaygroundSettings& s) { return is_2d(s.data); }  // noise and points make a 2-D set
static bool never(const PlaygroundSettings&) { return false; }            // drawn by its own panel

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
      wholes<&P::hidden>("pg.hidden", "units", {"hidden layers", "中間層の数"}, 1, 128, 8, "layers").in_words("hidden units").under({"Network", "ネットワーク"}),
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

const PlaygroundSetting* find_playground_setting(const std::string& key) {
  for (const PlaygroundSetting& s : playground_settings())
    if (key == s.key) return &s;
  return nullptr;
}

}  // namespace kobai
