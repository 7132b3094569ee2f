// kobai engine: the book's experiment on initial weights (chapter 6.2, Figures 6-10 to 6-14). A batch of
// inputs drawn from a standard normal goes through hidden layers built from the book's layers (layers.h):
// Affine (no bias to speak of: b = 0) → (BatchNormalization) → activation. Then one backward pass, and for each
// hidden layer the distribution of its activations and of its weights' gradient ∂L/∂W, as histograms.
//
//   WeightInit, kWeightInitNames   std=S (the book's 1 and 0.01), Xavier 1/√n, He √(2/n), all zero
//   ActivationsConfig, check       the settings, each with its range (the limits keep the work bounded)
//   Histogram, LayerStats          a distribution: mean, standard deviation, bin edges and counts
//   run_activations                the experiment: one LayerStats per hidden layer, the first first
//   histogram                      values binned between given edges (the page can re-bin what it has)
//
// The loss: L = (1/N) Σ (the last hidden layer's outputs), so ∂L/∂y = 1/N for every output of every sample:
// the last layer receives the same push everywhere, and what reaches each layer below is only what the backward
// pass makes of it (the activations' slopes and the weights).
//
// Histogram edges, the same for every layer so that layers compare side by side:
//   activations   sigmoid [0, 1] as in the book, tanh [−1, 1], ReLU [0, largest], linear [−largest |y|, +largest |y|]
//   gradients     [−m, m], m the largest |∂L/∂W| of any layer: a layer whose gradients vanish piles up in the middle
// "largest" is over every layer; when it is 0 (all-zero weights) the range is [0, 1] or [−1, 1].
//
//   ActivationsConfig c;  c.activation = Activation::relu;  c.init = WeightInit::he;
//   std::vector<LayerStats> s = run_activations(c);  // s[l].activations.counts, s[l].gradients.std, ...
#pragma once

#include "train.h"

#include <iterator>
#include <string>
#include <vector>

namespace kobai {

enum class WeightInit { std_dev, xavier, he, zero };
inline constexpr const char* kWeightInitNames[] = {"std", "xavier", "he", "zero"};
static_assert(std::size(kWeightInitNames) == size_t(WeightInit::zero) + 1);
template <> inline NameList names_of<WeightInit>() { return list_of(kWeightInitNames); }
inline const char* name_of(WeightInit w) { return kWeightInitNames[int(w)]; }

// The limits keep the work bounded: at most 10 × 2000 × 256 × 256 multiply-adds for each of the forward pass,
// dx and dW (about 4 billion in all), and five or so 2000 × 256 float matrices (2 MB each) per layer: at all the
// limits at once, 0.4 s and 75 MB natively.
constexpr int kMaxExperimentLayers = 10, kMaxExperimentUnits = 256, kMaxExperimentSamples = 2000, kMaxBins = 200;
constexpr double kMaxExperimentStd = 10;

struct ActivationsConfig {
  Activation activation = Activation::sigmoid;
  WeightInit init = WeightInit::std_dev;
  double std_dev = 1;      // WeightInit::std_dev's S: above 0, at most 10
  int layers = 5;          // hidden layers: 1 to 10
  int units = 100;         // units in each: 1 to 256
  int features = 100;      // the inputs' columns: 1 to 256
  int samples = 1000;      // the inputs' rows: 1 to 2000
  bool batchnorm = false;  // BatchNormalization (γ = 1, β = 0, the batch's own statistics) before each activation
  int bins = 30;           // 1 to 200
  uint64_t seed = 1;       // the inputs, then the weights layer by layer
};
void check(const ActivationsConfig& c);  // throws InputError saying which setting is out of range
// "std=S", "xavier", "he" or "zero" (what --init takes); S into *std_dev. Throws InputError otherwise.
WeightInit parse_weight_init(const std::string& text, double* std_dev);
// The weights' standard deviation for a layer with n inputs (0 for zero).
double init_std(const ActivationsConfig& c, int n);

struct Histogram {
  double mean = 0, std = 0;   // over every value (the population's standard deviation)
  std::vector<double> edges;  // bins + 1, rising; a value equal to the last edge counts in the last bin
  std::vector<int> counts;    // bins
};
struct LayerStats {
  Histogram activations;  // the layer's outputs, samples × units values
  Histogram gradients;    // ∂L/∂W of the layer's Affine, inputs × units values
};

std::vector<LayerStats> run_activations(const ActivationsConfig& c);

// The values of m between lo and hi, in `bins` equal bins (values outside are not counted), with their mean and
// standard deviation.
Histogram histogram(const MatT<float>& m, double lo, double hi, int bins);

}  // namespace kobai
