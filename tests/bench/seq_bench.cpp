// Binary addition for make bench (issue 12): 10,000 iterations of the notes' run 1 (sigmoid, standard normal
// weights, 16 hidden units, η 0.1, one sum per iteration), with the RNN cell and with the LSTM, in float as the
// page and the command train. The same source runs natively and as WebAssembly; tests/bench/bench_seq.mjs runs
// them beside a plain JavaScript loop.
#include "seq.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

using namespace kobai;

namespace {

double now() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }

// The best of three runs of 10,000 iterations from the same seed; then the held-out accuracy and the mean loss of
// the last 100 iterations, so that the work is seen to be the real training.
void measure(Cell cell) {
  SeqConfig c = config_of(seq_presets()[0]);
  c.cell = cell;
  double best = 1e9, accuracy = 0, loss = 0;
  for (int round = 0; round < 3; ++round) {
    SeqNet<float> net(c);
    double t0 = now();
    loss = 0;
    for (int i = 0; i < kSeqPresetIterations; ++i) {
      double l = net.step().loss;
      if (i >= kSeqPresetIterations - 100) loss += l / 100;
    }
    best = std::min(best, now() - t0);
    accuracy = net.held_out_accuracy();
  }
  std::printf("%s_seconds %.6f accuracy %.2f loss %.6f\n", name_of(cell), best, accuracy, loss);
}

}  // namespace

int main() {
  measure(Cell::rnn);
  measure(Cell::lstm);
  return 0;
}
