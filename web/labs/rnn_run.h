// kobai page: the binary-addition lab's network, behind a wall of plain types. engine/seq.h's Cell (rnn, lstm,
// gru) and the page layout's Cell (a time step's nodes) share a name, so no file includes both: rnn_run.cpp
// includes seq.h, and rnn_lab.cpp (which needs app.h) includes this.
#pragma once

#include "labs/rnn_settings.h"
#include "matrix.h"

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace kobai {

template <class S> class SeqNet;

struct RnnPresetText {
  int number = 0;
  std::string title, notes, measured, why;  // why: empty when kobai's figure agrees with the notes'
};
std::vector<RnnPresetText> rnn_presets(Lang lang);  // the notes' runs 1-7 (engine/seq.h's seq_presets)
void take_preset(RnnSettings& s, int number);        // its settings (an RNN, no clipping); the seed stays

struct RnnSum {                    // one sum and what the net made of it
  uint64_t a = 0, b = 0;
  std::vector<int> predicted;      // y[t] > 0.5, t = 1 … T (the lowest bit first)
};

struct RnnProgram {                // one example in kobai's language, for the walkthrough (seq.h's SeqProgram)
  std::string source;
  std::vector<std::pair<std::string, Value>> inputs;
  std::vector<std::string> params;
  double lr = 0;
};

class RnnRun {
 public:
  explicit RnnRun(const RnnSettings& s);  // throws the engine's InputError for a setting out of range
  ~RnnRun();
  struct Step {
    double loss = 0;
    bool finite = true;  // false: a NaN or inf; the weights were left as they were
  };
  Step step();
  int iteration() const;
  double held_out_accuracy();          // 0 … 1
  RnnSum last_sum() const;             // of the last step
  std::vector<float> grad_h() const;   // ‖∂L/∂h[t]‖, t = 1 … T, of the last step
  RnnProgram next_program() const;     // the example the next step() takes, with the weights as they are

 private:
  std::unique_ptr<SeqNet<float>> net_;
};

}  // namespace kobai
