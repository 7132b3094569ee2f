// kobai page: the binary-addition lab (issue 12): an RNN, LSTM or GRU learns to add two 8-bit numbers one bit per
// time step, trained live a slice at a time; the notes' runs 1-7 as presets. Drawn by rnn_lab.cpp; the settings'
// table is rnn_settings.h; the network is the engine's (engine/seq.h, through rnn_run.h), the same as `kobai rnn`.
#pragma once

#include "labs/rnn_run.h"
#include "labs/rnn_settings.h"

#include <memory>
#include <string>
#include <vector>

namespace kobai {

// On the lab switch from the first frame, before the lab's code and its font arrive (see playground.h).
inline const Words kRnnTitle{"Binary addition", "2進数の足し算"};
inline const Words kRnnShortTitle{"Sums", "足し算"};

struct RnnLab {
  RnnSettings settings;                   // what a shared link carries (labs/rnn_settings.h)
  // null until first drawn, or when the settings were refused. Owned, deleted by the lab's reset(): a smart pointer
  // would bring the network's destructor into the first frame's code through App's (which the page never runs).
  RnnRun* net = nullptr;
  bool playing = false;
  std::string message;                    // a refused setting, or the step that diverged
  // Every kSeqCheckEvery iterations: the mean loss of those iterations, and the share of the held-out sums right
  // (accuracy[0] is the untrained net's, at iteration 0).
  std::vector<float> losses, accuracy;
  double loss_sum = 0;                    // ... summed since the last check
  int loss_count = 0;
  double last_loss = 0;                   // the last iteration's
  RnnSum shown;                           // the last iteration's sum, and the bits the net predicted for it
  std::vector<float> grad_h;              // ‖∂L/∂h[t]‖, t = 1 … T, of the last iteration
  int pane = 1;                           // on a narrow window: 0 settings, 1 training, 2 this sum
  bool settings_changed = false;          // the URL hash must follow
  double frame_ms = 0;                    // the last frame's training time
  int frame_steps = 0;                    // ... and its iterations
  std::string hover_plot;                 // the chart the pointer reads, for kobai.state()
};

}  // namespace kobai
