// kobai page: the binary-addition lab's settings and their table (settings.h): the notes' run (a preset, or none
// when a setting was changed by hand), the cell, its size, activation and initial weights, η, clipping and the
// seed, as `kobai rnn` takes them. Pure: the link decoder uses it, and the native tests go through it.
//
//   #mode=rnn&rnn.preset=2&rnn.init=xavier&rnn.seed=3
//
// The cell and the initial weights have their own lists here, the same names as engine/seq.h's Cell and SeqInit
// (rnn_run.cpp checks): seq.h cannot be included beside the page's layout.h, whose Cell (a time step's nodes)
// shares the name.
#pragma once

#include "settings.h"

#include <iterator>
#include <vector>

namespace kobai {

enum class RnnCell { rnn, lstm, gru };
enum class RnnInit { normal, xavier, he };
inline constexpr const char* kRnnCellNames[] = {"rnn", "lstm", "gru"};
inline constexpr const char* kRnnInitNames[] = {"normal", "xavier", "he"};
template <> inline NameList names_of<RnnCell>() { return list_of(kRnnCellNames); }
template <> inline NameList names_of<RnnInit>() { return list_of(kRnnInitNames); }

struct RnnSettings {
  int preset = 1;                   // the notes' run 1 … 7 these settings are, or 0: changed by hand
  RnnCell cell = RnnCell::rnn;
  int hidden = 16;
  Activation activation = Activation::sigmoid;  // the RNN cell's (the LSTM's and GRU's gates are their own)
  RnnInit init = RnnInit::normal;
  double lr = 0.1;
  bool clip = false;                // off by default, as the notes
  double clip_at = 1;               // ... the largest global norm of the gradient when on
  int seed = 1;
};

using RnnSetting = Setting<RnnSettings>;
// Keys: rnn.preset, rnn.cell, rnn.hidden, rnn.fn, rnn.init, rnn.lr, rnn.clip, rnn.clip_at, rnn.seed.
const std::vector<RnnSetting>& rnn_settings();
constexpr int kRnnMaxHidden = 128;  // engine/seq.h's kSeqMaxHidden (rnn_run.cpp checks)
constexpr double kRnnMaxLr = 10;    // ... kSeqMaxLr

}  // namespace kobai
