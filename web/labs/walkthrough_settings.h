// kobai page: the walkthrough's settings and their table (settings.h): how fast it plays, and quiz mode (each
// backward step asks for its gradients, or the local derivatives, before it shows them). A link carries them as
// wt.* when they differ from the defaults. Pure: the link decoder uses it, and the native tests go through it.
#pragma once

#include "settings.h"

#include <vector>

namespace kobai {

struct WalkthroughSettings {
  double speed = 2;        // steps per second while playing
  bool quiz = false;       // quiz mode
  bool ask_local = false;  // ... asking for the local derivative instead (element-wise ops)
};

using WalkthroughSetting = Setting<WalkthroughSettings>;
// Keys: wt.speed, wt.quiz, wt.local.
const std::vector<WalkthroughSetting>& walkthrough_settings();

}  // namespace kobai
