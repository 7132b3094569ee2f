// kobai page: the activations lab, the book's experiment on initial weights (chapter 6.2): how each hidden layer's
// activations, and then its weights' gradients, are spread, for an activation and an initial scale of the weights.
// Drawn by activations_lab.cpp; the settings' table is activations_settings.h.
#pragma once

#include "labs/activations_settings.h"

#include <string>
#include <vector>

namespace kobai {

// On the lab switch from the first frame, before the lab's code and its font arrive (see playground.h).
inline const Words kActivationsTitle{"Activations", "アクティベーション分布"};
inline const Words kActivationsShortTitle{"Layers", "層の分布"};

struct ActivationsLab {
  ActivationsSettings settings;
  std::vector<LayerStats> layers;  // the last run's, one per hidden layer
  ActivationsSettings ran;         // ... made with these
  bool stale = true;               // the settings changed since: run again
  std::string message;             // why the last run was refused
  int pane = 0;                    // on a narrow window: 0 activations, 1 gradients
  std::string hover_plot;          // the chart the pointer reads, for kobai.state()
  double hover_x = 0;
};

}  // namespace kobai
