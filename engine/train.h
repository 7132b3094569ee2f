// kobai engine: training networks (the playground). The layers (layers.h) run the walkthrough's own op math
// (kernels.h) on mini-batches: float for speed, double for the tests' gradient checks.
//
//   Activation, Init, LossKind   each listed once, with the name the page and links use (names_of<E>(): names.h)
//   NetConfig, Net<S>        a list of layers (layers.h): first any conv stages, Convolution → activation →
//                            (Pooling) each; then Affine → (BatchNormalization) → activation → (Dropout)
//                            per hidden layer, then Affine → SoftmaxWithLoss or IdentityWithLoss
//   ConvStage, digits_cnn    one conv stage's settings; the digits CNN preset
//   OptConfig, Optimizer<S>  the optimizers, one table (optim.h)
//   Dataset<S>, batches      rows of X and one-hot (or target) rows of T; with or without replacement
//   train_epoch              one pass; a NaN or inf loss stops it and says so (the caller restores weights)
//   DataKind, make_2d, parse_csv, shuffle_scale_split, confusion   the data (data.cpp)
//
//   Net<float> net(cfg);  Optimizer<float> opt(ocfg);  Rng rng{seed};
//   for (int e = 0; e < 100; ++e) { EpochResult r = train_epoch(net, opt, data, 10, false, rng); ... }
#pragma once

#include "layers.h"
#include "matrix.h"
#include "names.h"
#include "optim.h"
#include "random.h"

#include <iterator>
#include <string>
#include <vector>

namespace kobai {

enum class Activation { relu, sigmoid, tanh, linear };
enum class Init { gaussian, xavier, he, zero };  // std 0.01, 1/√n, √(2/n) (n: inputs of the layer), all 0: every
                                                // unit of a layer then gets the same gradient and stays the same
enum class LossKind { squared, softmax };  // ½Σ(y − t)² averaged over the batch, or Softmax-with-Loss

inline constexpr const char* kActivationNames[] = {"relu", "sigmoid", "tanh", "linear"};
inline constexpr const char* kInitNames[] = {"gaussian", "xavier", "he", "zero"};
inline constexpr const char* kLossNames[] = {"squared", "softmax"};
// A name for every value: the last value's index is the list's last.
static_assert(std::size(kActivationNames) == size_t(Activation::linear) + 1);
static_assert(std::size(kInitNames) == size_t(Init::zero) + 1);
static_assert(std::size(kLossNames) == size_t(LossKind::softmax) + 1);

template <> inline NameList names_of<Activation>() { return list_of(kActivationNames); }
template <> inline NameList names_of<Init>() { return list_of(kInitNames); }
template <> inline NameList names_of<LossKind>() { return list_of(kLossNames); }
inline const char* name_of(Activation a) { return kActivationNames[int(a)]; }
inline const char* name_of(Init i) { return kInitNames[int(i)]; }
inline const char* name_of(LossKind l) { return kLossNames[int(l)]; }

// One conv stage: Convolution (filters of size x size, stride, pad) → the network's activation → max pooling
// (pool x pool windows moved by pool_stride; pool 0: none). Flatten after the last stage costs nothing: the
// images are already rows of C·H·W numbers, which the first Affine reads.
struct ConvStage {
  int filters = 16, size = 3, stride = 1, pad = 1;
  int pool = 2, pool_stride = 2;
};
// The limits check() holds conv stages to (a page's sliders should stop there too).
constexpr int kMaxConvStages = 3, kMaxFilters = 32, kMaxImageChannels = 16, kMaxImageSide = 64, kMaxFlatten = 8192;

struct NetConfig {
  int inputs = 2, outputs = 1;
  // A network may start with conv stages; `inputs` is then one image of channels x height x width, in
  // channel, row, column order. With none (the MLP) the image's shape is not read.
  std::vector<ConvStage> conv;
  int channels = 1, height = 8, width = 8;
  std::vector<int> hidden{8, 8};  // units per hidden layer: up to 8 layers of up to 256 units
  Activation activation = Activation::tanh;
  Init init = Init::xavier;
  LossKind loss = LossKind::squared;
  double l1 = 0, l2 = 0;          // regularisation: + l1·Σ|W| + ½·l2·ΣW²
  double dropout = 0;             // the fraction of hidden units dropped while training (the book's Dropout;
                                  // after each hidden Affine, not after a conv stage)
  bool batchnorm = false;          // after each hidden Affine (not after a Convolution)
  uint64_t seed = 1;
};
void check(const NetConfig& c);   // throws InputError saying what is out of range (or which windows do not fit)

// The digits CNN: 1x8x8 → conv 16 filters 3x3, stride 1, pad 1 → ReLU → max pool 2x2, stride 2 → flatten 256
// → Affine 64 → ReLU → Affine 10 → Softmax-with-Loss, He's initial weights. It trains as the MLP preset does:
// Adam, η = 0.001, batches of 32.
NetConfig digits_cnn();

template <class S>
using MatT = Eigen::Matrix<S, Eigen::Dynamic, Eigen::Dynamic>;

template <class S>
struct Dataset {
  MatT<S> X, T;  // N × inputs, N × outputs
  int rows() const { return int(X.rows()); }
};

// A network as the book's MultiLayerNetExtend builds it: a list of layers, Affine → (BatchNormalization) →
// activation → (Dropout) for each hidden layer, then Affine, then the loss layer (SoftmaxWithLoss or
// IdentityWithLoss); SimpleConvNet's Convolution → activation → Pooling stages in front when the config has conv
// stages. Each layer keeps its own caches and gradients: read layer l's as net.affine(l).dW, net.conv(s).dW.
template <class S>
class Net {
 public:
  using M = MatT<S>;
  explicit Net(const NetConfig& c);
  Net(const Net&) = delete;  // the Dropout layers hold the network's own generator
  Net& operator=(const Net&) = delete;

  // Forward and backward on a batch: the loss (with regularisation); each layer's gradients left in it
  // (Affine's dW includes the L1 and L2 terms).
  S forward_backward(const M& X, const M& T);
  M predict(const M& X) const;  // test mode: no dropout, batch norm's running statistics
  std::vector<M> activations(const M& X) const;  // test mode: each hidden layer's output (before dropout's scaling)
  // Test mode: each conv stage's maps, after the activation and (when the stage pools) after pooling, in order:
  // N rows of C·H·W each; stage_maps() says which stage and shape each is.
  std::vector<M> feature_maps(const M& X) const;
  struct StageMap { int stage; bool pooled; Dims4 dims; };  // dims.n = 1
  std::vector<StageMap> stage_maps() const;
  struct Score { double loss, accuracy; };
  // One test-mode pass: the loss (with regularisation) and accuracy; and the outputs (predict's) when asked for.
  Score evaluate(const M& X, const M& T, M* outputs = nullptr) const;
  // The same pass a slice of rows at a time, so that the page can spread a large set over frames: up to `rows`
  // more rows of X against T (all of T sets a two-class split); true once every row is scored, run.score then
  // holding evaluate's result. The weights must not change in between.
  struct ScoreRun { Eigen::Index next = 0; double loss_sum = 0; long right = 0; Score score{0, 0}; };
  bool score_some(const M& X, const M& T, ScoreRun& run, Eigen::Index rows, M* outputs = nullptr) const;
  S loss(const M& X, const M& T) const;
  double accuracy(const M& X, const M& T) const;  // classification: the arg-max agrees with T's

  // Every layer's parameters and gradients in one list, for the optimizer: W, b (γ, β) of each layer in order.
  std::vector<M*> params();
  std::vector<M*> grads();
  std::vector<M> snapshot() const;          // for restoring the last good weights after a divergence
  // The network at test time as plain affine layers (batch norm and dropout folded into W and b): what the
  // page's shader evaluates for every pixel. Hidden layers apply the activation; the last is linear. With conv
  // stages, only the affine part (what follows the flatten).
  std::vector<std::pair<M, M>> folded() const;
  void restore(const std::vector<M>& s);
  const NetConfig& config() const { return cfg_; }

  // The layers themselves. l counts affine layers: 0 to layers() − 1, the last one the output layer.
  int layers() const { return int(affine_.size()); }
  const LayerList<S>& layer_list() const { return list_; }  // in order, the loss layer not included
  const Affine<S>& affine(int l) const { return *affine_[size_t(l)]; }  // W, b, and after a batch dW, db
  Affine<S>& affine(int l) { return *affine_[size_t(l)]; }
  int conv_stages() const { return int(conv_.size()); }
  const Convolution<S>& conv(int s) const { return *conv_[size_t(s)]; }  // stage s's filters W, b; dW, db
  const Pooling<S>* pooling(int s) const { return pool_[size_t(s)]; }    // nullptr when the stage does not pool
  const BatchNormalization<S>* batchnorm(int l) const { return size_t(l) < norm_.size() ? norm_[size_t(l)] : nullptr; }  // hidden layer l's, if on
  const LossLayer<S>& loss_layer() const { return *loss_; }
  const M& weight(int l) const { return affine(l).W; }

 private:
  NetConfig cfg_;
  Rng rng_;
  LayerList<S> list_;
  std::unique_ptr<LossLayer<S>> loss_;
  std::vector<Affine<S>*> affine_;            // into list_
  std::vector<Convolution<S>*> conv_;         // into list_, a conv stage each
  std::vector<Pooling<S>*> pool_;             // into list_, per stage (nullptr: no pooling)
  std::vector<const Layer<S>*> stage_out_;    // each stage's activation (linear: its Convolution) and Pooling
  std::vector<StageMap> maps_;                // what stage_out_'s outputs are
  std::vector<BatchNormalization<S>*> norm_;  // into list_; empty when batch normalisation is off
  std::vector<const Layer<S>*> hidden_out_;   // each hidden layer's last layer before dropout: its activation
  S regularisation() const;
};

// The playground's data. TensorFlow Playground's two-dimensional sets, in [−6, 6]²: circle, XOR, two Gaussians
// and spiral are classification (class 0 or 1 in T, one-hot when `one_hot`, else ±1 in one column); plane and
// Gaussians are regression (one target column). Then the real sets the page fetches from its own origin (taken
// at build time from Debian's python3-sklearn: the UCI digits, 8 × 8 images, and Iris), and a user's CSV.
enum class DataKind { circle, xor_, gauss, spiral, plane, multigauss, digits, iris, csv };
inline constexpr const char* kDataNames[] = {"circle", "xor", "gauss", "spiral", "plane", "multigauss", "digits", "iris", "csv"};
static_assert(std::size(kDataNames) == size_t(DataKind::csv) + 1);
template <> inline NameList names_of<DataKind>() { return list_of(kDataNames); }
inline const char* name_of(DataKind d) { return kDataNames[int(d)]; }
bool is_regression(DataKind d);
bool is_2d(DataKind d);
template <class S>
Dataset<S> make_2d(DataKind kind, int points, double noise, uint64_t seed, bool one_hot);  // noise: 0 to 1

// A loaded set made ready to train: rows shuffled by the seed (files often list one class after another), each
// feature scaled to [0, 1] (from its smallest to its largest value; pixels stay pixels), then the last
// test_percent of the rows held out for testing.
template <class S>
std::pair<Dataset<S>, Dataset<S>> shuffle_scale_split(const Dataset<S>& d, int test_percent, uint64_t seed);

// From a network's outputs y (Net::predict) for the rows of one-hot targets T: rows the true class, columns
// the predicted class (the arg-max). `wrong` gets the rows misclassified and `predicted` every row's predicted
// class, when given. It takes outputs, not the network, so the page scores a test set once for all it shows.
template <class S>
Eigen::MatrixXi confusion(const MatT<S>& y, const MatT<S>& T, std::vector<int>* wrong = nullptr, std::vector<int>* predicted = nullptr);

// A user's CSV: numeric feature columns and a whole-number class label (the last column unless told otherwise).
// Lines starting with '#', and a first line that is not all numbers (a header), are skipped. Bad input gets a
// message naming the line and the column; nothing is loaded. A set that cannot train (one row, one class,
// over 4096 features, over 100000 rows, a label over 255) is refused with a message too.
template <class S>
Dataset<S> parse_csv(const std::string& text, int label_column = -1);

struct EpochResult {
  double loss = 0;     // mean over the batches
  bool diverged = false;
  std::string message; // on divergence: what happened and what to try
};

// An epoch a few mini-batches at a time, so that the page can train between frames however large the data:
// start with a fresh EpochRun and call train_some until it returns true (the epoch is over, or it diverged:
// run.result says which). The batch size and sampling are fixed when the epoch starts. train_epoch is one call.
struct EpochRun {
  bool started = false;
  int batch = 1, batches = 0, next = 0;  // the next batch to run, of `batches`
  bool replacement = false;
  std::vector<int> order;                // the shuffled rows (without replacement)
  EpochResult result;
};
template <class S>
bool train_some(Net<S>& net, Optimizer<S>& opt, const Dataset<S>& d, int batch, bool replacement, Rng& rng, EpochRun& run, int max_batches);

// One mini-batch drawn at random: forward, backward, update. The loss, or NaN when it diverged.
template <class S>
double train_batch(Net<S>& net, Optimizer<S>& opt, const Dataset<S>& d, int batch, Rng& rng);

// One epoch in mini-batches: without replacement a shuffled pass over every row; with replacement, as many
// batches drawn at random (seed 001's exercise).
template <class S>
EpochResult train_epoch(Net<S>& net, Optimizer<S>& opt, const Dataset<S>& d, int batch, bool replacement, Rng& rng);

}  // namespace kobai
