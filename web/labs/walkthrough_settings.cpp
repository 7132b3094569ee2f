#include "labs/walkthrough_settings.h"

namespace kobai {

const std::vector<WalkthroughSetting>& walkthrough_settings() {
  using W = WalkthroughSettings;
  using namespace setting;
  static const std::vector<WalkthroughSetting> table = {
      number<&W::speed>("wt.speed", "speed", {"steps/s", "ステップ/秒"}, 0.5, 10).slider(10, "%.1f/s"),
      flag<&W::quiz>("wt.quiz", "quiz_mode", {"Quiz mode", "クイズモード"}),
      flag<&W::ask_local>("wt.local", "ask_local", {"ask the local derivative", "局所的な微分を問う"}),
  };
  return table;
}

}  // namespace kobai
