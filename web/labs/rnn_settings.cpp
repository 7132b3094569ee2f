#include "labs/rnn_settings.h"

namespace kobai {

static bool is_rnn(const RnnSettings& s) { return s.cell == RnnCell::rnn; }  // the LSTM's and GRU's are fixed
static bool clipping(const RnnSettings& s) { return s.clip; }

const std::vector<RnnSetting>& rnn_settings() {
  using R = RnnSettings;
  using namespace setting;
  static const std::vector<RnnSetting> table = {
      whole<&R::preset>("rnn.preset", "preset", {"the notes' run", "ノートの実験"}, 0, 7),
      choice<&R::cell>("rnn.cell", "cell", {"cell", "セル"}),
      whole<&R::hidden>("rnn.hidden", "hidden", {"hidden size", "隠れ層の大きさ"}, 1, kRnnMaxHidden),
      choice<&R::activation>("rnn.fn", "activation", {"activation", "活性化関数"}).when(is_rnn),
      choice<&R::init>("rnn.init", "init", {"initial weights", "重みの初期値"}),
      number<&R::lr>("rnn.lr", "lr", {"learning rate η", "学習率 η"}, 1e-6, kRnnMaxLr).slider(2, "%.3g").in_words("learning rate"),
      flag<&R::clip>("rnn.clip", "clip", {"gradient clipping", "勾配クリッピング"}),
      number<&R::clip_at>("rnn.clip_at", "clip_at", {"clip at norm", "クリップするノルム"}, 1e-3, 1e6).slider(20, "%.3g").when(clipping),
      whole<&R::seed>("rnn.seed", "seed", {"seed", "乱数シード"}, 1, 1000000000).typed(),
  };
  return table;
}

}  // namespace kobai
