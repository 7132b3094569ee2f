// kobai engine: sequences (issue 12). The course's binary-addition exercise (day 3, seed 002 lines 16-44): an RNN,
// an LSTM or a GRU learns to add two 8-bit numbers one bit per time step, trained by backpropagation through time
// written out by hand, one example per iteration with plain SGD, as the course does.
//
//   Cell, SeqInit              each listed once with its name (names_of<E>(): names.h); the RNN's activation is
//                              training's Activation (train.h)
//   SeqConfig, check           cell, hidden size, activation, initial weights, η, clipping, steps, seed; the limits
//   SeqExample, make_example   a + b as T rows of two input bits and T target bits, the lowest bit first
//   held_out_sums              100 fixed sums from their own seed: what the accuracy is measured on
//   SeqParam, SeqNet<S>        the cell's weights, each with its gradient; forward, BPTT, clipping, one SGD step
//   SeqPreset, seq_presets     the notes' runs 1-7: settings, what the notes report, what kobai measures
//   SeqProgram, program_of     one example as a program in kobai's language with the weights as values, so the
//                              walkthrough can step through it (its loss and gradients are the net's own)
//
//   SeqNet<float> net(config_of(seq_presets()[1]));   // preset 2: sigmoid, Xavier
//   for (int i = 0; i < 10000; ++i) {
//     SeqStep s = net.step();                         // draws a sum, forward, backward, clip, W ← W − η·∂L/∂W
//     if (!s.finite) break;                           // diverged: the weights are those before this step
//     if (net.iteration() % 100 == 0) net.held_out_accuracy();   // the share of the 100 sums all 8 bits right
//   }
//   net.grad_h_norms();                               // ‖∂L/∂h[t]‖ for t = 1 … T of the last example
//   SeqProgram p = program_of(net, net.next_example());  // build(p.source, p.inputs): the L and ∂L/∂W the next
//                                                        // step() computes
#pragma once

#include "graph.h"
#include "matrix.h"
#include "names.h"
#include "random.h"
#include "train.h"

#include <cstdint>
#include <iterator>
#include <string>
#include <vector>

namespace kobai {

// --- the settings ---------------------------------------------------------------------------------------------
enum class Cell { rnn, lstm, gru };
// The course's three: weight_init_std = 1 (standard normal), Xavier randn/√n, He randn·√(2/n), n the rows of the
// matrix (its fan-in). Biases (the LSTM's and GRU's only) start at 0.
enum class SeqInit { normal, xavier, he };
inline constexpr const char* kCellNames[] = {"rnn", "lstm", "gru"};
inline constexpr const char* kSeqInitNames[] = {"normal", "xavier", "he"};
static_assert(std::size(kCellNames) == size_t(Cell::gru) + 1);
static_assert(std::size(kSeqInitNames) == size_t(SeqInit::he) + 1);
template <> inline NameList names_of<Cell>() { return list_of(kCellNames); }
template <> inline NameList names_of<SeqInit>() { return list_of(kSeqInitNames); }
inline const char* name_of(Cell c) { return kCellNames[int(c)]; }
inline const char* name_of(SeqInit i) { return kSeqInitNames[int(i)]; }

// Limits, refused by check() with a message.
constexpr int kSeqMaxHidden = 128;
constexpr int kSeqMaxSteps = 64;  // as the language's loops (kMaxLoopSteps)
constexpr int kSeqMaxIterations = 1000000;
constexpr double kSeqMaxLr = 10;
constexpr int kSeqHeldOut = 100;                      // held-out sums
constexpr uint64_t kSeqHeldOutSeed = 0x5eed0f5e9ULL;  // theirs, independent of the training seed

struct SeqConfig {
  Cell cell = Cell::rnn;
  int hidden = 16;
  Activation activation = Activation::sigmoid;  // the RNN cell's; the LSTM's and GRU's gates are sigmoid and tanh
  SeqInit init = SeqInit::normal;
  double lr = 0.1;     // η
  double clip = 0;     // 0: off; else the largest global norm of the gradient, √(Σ over every ∂L/∂W of its squares)
  int steps = 8;       // T: bits per number; a and b are drawn below 2^(T-1) so that the sum fits T bits
  uint64_t seed = 1;   // the initial weights, then the training sums
};
void check(const SeqConfig& c);  // throws InputError naming the setting, its range and the value

// --- the data -------------------------------------------------------------------------------------------------
struct SeqExample {
  uint64_t a = 0, b = 0;  // the sum a + b
  Mat x;                  // T × 2: row t the bits of a and b at 2^(t-1), the lowest first
  Mat d;                  // T × 1: the bits of a + b
};
SeqExample make_example(uint64_t a, uint64_t b, int steps);
SeqExample random_example(Rng& rng, int steps);               // a, b uniform in [0, 2^(T-1))
const std::vector<SeqExample>& held_out_sums(int steps);       // kSeqHeldOut sums from kSeqHeldOutSeed
uint64_t bits_value(const std::vector<int>& bits);             // lowest bit first -> the number

// --- the network ----------------------------------------------------------------------------------------------
// Every step: x[t] (1 × 2) in, h[t] (1 × H) carried, y[t] = sigmoid(h[t] @ Wy) out, L = Σₜ mse(y[t], d[t]) with
// mse = ½(y − d)² for one row (kobai's mse, ops.cpp). The cells (seq.cpp has them with their backward):
//   rnn   h[t] = act(x[t] @ Wx + h[t-1] @ Wh)                 no bias, as the course's code
//   lstm  f, i, o = sigmoid(x[t] @ Wx· + h[t-1] @ Wh· + b·), g = tanh(x[t] @ Wxg + h[t-1] @ Whg + bg)
//         c[t] = f * c[t-1] + i * g,  h[t] = o * tanh(c[t])
//   gru   z, r = sigmoid(x[t] @ Wx· + h[t-1] @ Wh· + b·), n = tanh(x[t] @ Wxn + (r * h[t-1]) @ Whn + bn)
//         h[t] = (1 - z) * h[t-1] + z * n                      z = 1 takes the candidate n, z = 0 keeps h[t-1]
// h[0] = c[0] = 0.
template <class S>
using SeqMat = Eigen::Matrix<S, Eigen::Dynamic, Eigen::Dynamic>;

template <class S>
struct SeqParam {
  std::string name;  // as in the program: "Wx", "Whf", "bz"
  SeqMat<S> W, dW;   // dW: ∂L/∂W of the last backward, summed over the time steps
};

struct SeqStep {
  double loss = 0;        // L of this iteration's example, before the update
  double grad_norm = 0;   // the global norm of its gradient, before clipping
  bool clipped = false;   // scaled down to the clip threshold
  bool finite = true;     // false: a NaN or inf in the loss or gradient; the weights were left as they were
};

template <class S>
class SeqNet {
 public:
  using M = SeqMat<S>;
  using Row = Eigen::Matrix<S, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;  // one time step a row
  explicit SeqNet(const SeqConfig& c);  // check(c), then the initial weights from c.seed

  // One example: forward keeps what backward needs; backward fills every dW and grad_h_norms().
  double forward(const SeqExample& e);  // L
  void backward();
  double clip_gradients();              // the global norm before; scaled to config().clip when above it (and on)
  void sgd();                           // W ← W − η·dW
  SeqStep step();                       // a training sum from the net's generator, then all of the above
  SeqExample next_example() const;      // the sum the next step() will draw (to step through it first)

  const std::vector<int>& predicted_bits() const { return bits_; }  // of the last forward: y[t] > 0.5, t = 1 … T
  const std::vector<double>& outputs() const { return y_; }        // y[t] of the last forward
  const std::vector<double>& grad_h_norms() const { return gh_; }  // ‖∂L/∂h[t]‖ of the last backward, t = 1 … T
  bool right(const SeqExample& e);        // every bit of e's sum predicted (a forward of its own)
  double held_out_accuracy();             // the share of held_out_sums() right, 0 … 1

  std::vector<SeqParam<S>>& params() { return p_; }
  const std::vector<SeqParam<S>>& params() const { return p_; }
  const SeqParam<S>& param(const std::string& name) const;  // throws std::logic_error if the cell has none
  const SeqConfig& config() const { return c_; }
  int iteration() const { return iter_; }                 // steps taken
  const SeqExample& last_example() const { return ex_; }  // of the last forward

 private:
  double run(const SeqExample& e, std::vector<Row>& cache, std::vector<double>& y) const;  // forward, into cache
  SeqConfig c_;
  std::vector<SeqParam<S>> p_;
  Rng rng_;
  int iter_ = 0;
  SeqExample ex_;
  std::vector<int> bits_;
  std::vector<double> y_, gh_;
  std::vector<Row> cache_, spare_;  // per quantity (h, c, the gates ...), T + 1 rows each, row 0 for t = 0;
                                    // spare_: right()'s, so that backward() still belongs to the last forward()
};
extern template class SeqNet<float>;
extern template class SeqNet<double>;

// --- the notes' runs ------------------------------------------------------------------------------------------
struct SeqPreset {
  int number;            // the notes' numbering, 1 … 7
  Activation activation;
  SeqInit init;
  int hidden;
  double lr;
  Words title;           // the settings in words
  Words notes;           // what the notes report for it
  int measured;          // kobai at seed 1 (float, as the page and the command run): the first multiple of 100
                         // iterations at which all 100 held-out sums come out right; 0: not within 10,000. (The
                         // notes count iterations until the error is about 0; kobai counts held-out sums right.)
  Words why;             // where kobai's figure differs from the notes', why; empty text when it does not
};
const std::vector<SeqPreset>& seq_presets();
SeqConfig config_of(const SeqPreset& p);  // an RNN, T = 8, no clipping, seed 1
std::string measured_text(const SeqPreset& p, Lang lang);  // "100% of the held-out sums after 3,400 iterations (seed 1)"
constexpr int kSeqPresetIterations = 10000;  // the notes' run length, over which `measured` was taken
constexpr int kSeqCheckEvery = 100;          // iterations between accuracy checks (the course plots every 100)

// --- one example as a program ---------------------------------------------------------------------------------
// The weights as they are now: after a step(), those that step's update made. For the iteration to come, pass
// net.next_example(); a walkthrough given `params` and `lr` then updates the weights as step() will (unclipped).
struct SeqProgram {
  std::string source;               // for t in 1..T { ... }; L = sum(L[1..T])
  InputValues inputs;               // x (T × 2), d (T × 1) and every weight (h[0], c[0]: zeros, left out)
  std::vector<std::string> params;  // the weights' names, in the net's order
  double lr = 0;                    // η
};
template <class S>
SeqProgram program_of(const SeqNet<S>& net, const SeqExample& e);

}  // namespace kobai
