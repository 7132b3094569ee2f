// kobai page: the playground's Compare (runs side by side), drawn in its results pane. The runs, the presets and
// their training are the engine's (compare.h); here the preset menu, the runs' list, the curves overlaid, the
// time slicing and the export.
#pragma once

#include "compare.h"

#include <nlohmann/json_fwd.hpp>

#include <string>

namespace kobai {

struct App;
struct Playground;

struct CompareView {
  Comparison runs;
  bool playing = false;
  int batches_per_part = 1;   // a part of one run: about a millisecond or two
  int pending = -1;           // a preset waiting for the digits to arrive (its index)
  bool asked = false;         // ... which it has asked for
  std::string message;        // a run that could not be added, or diverged
};

// The Compare tab's title: the results pane shows it beside the playground's own run.
inline const Words kCompareTitle{"Compare", "比較"};

void compare_pick(Playground& p, int preset);   // a preset's runs (the digits fetched first); -1: none
void compare_tick(Playground& p);               // each frame: a pending preset loaded; while playing, about 8 ms of training
void compare_panel(App& a, Playground& p);      // the section in the results pane
void compare_state(const Playground& p, nlohmann::json& j);  // kobai.state()'s playground.compare

}  // namespace kobai
