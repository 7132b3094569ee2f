// The book's experiment on initial weights, on the training layers: forward, one backward, histograms.
#include "activations.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace kobai {

namespace {
std::string range_message(const char* what, int lo, int hi, int v) {
  return std::string(what) + " must be " + std::to_string(lo) + " to " + std::to_string(hi) + ", not " + std::to_string(v);
}
}  // namespace

void check(const ActivationsConfig& c) {
  if (c.layers < 1 || c.layers > kMaxExperimentLayers) throw InputError(range_message("the number of hidden layers", 1, kMaxExperimentLayers, c.layers));
  if (c.units < 1 || c.units > kMaxExperimentUnits) throw InputError(range_message("the units per layer", 1, kMaxExperimentUnits, c.units));
  if (c.features < 1 || c.features > kMaxExperimentUnits) throw InputError(range_message("the number of features", 1, kMaxExperimentUnits, c.features));
  if (c.samples < 1 || c.samples > kMaxExperimentSamples) throw InputError(range_message("the number of samples", 1, kMaxExperimentSamples, c.samples));
  if (c.bins < 1 || c.bins > kMaxBins) throw InputError(range_message("the number of bins", 1, kMaxBins, c.bins));
  if (c.init == WeightInit::std_dev && !(c.std_dev > 0 && c.std_dev <= kMaxExperimentStd))
    throw InputError("the weights' standard deviation must be above 0 and at most " + format_number(kMaxExperimentStd) + ", not " +
                     format_number(c.std_dev) + " (all-zero weights: zero)");
}

WeightInit parse_weight_init(const std::string& text, double* std_dev) {
  for (WeightInit w : {WeightInit::xavier, WeightInit::he, WeightInit::zero})
    if (text == name_of(w)) return w;
  if (text.rfind("std=", 0) == 0) {
    const std::string v = text.substr(4);
    char* end = nullptr;
    double s = v.empty() ? 0 : std::strtod(v.c_str(), &end);
    if (v.empty() || *end != '\0' || !std::isfinite(s)) throw InputError("std= takes a number, not '" + quote(v) + "'");
    *std_dev = s;
    return WeightInit::std_dev;
  }
  throw InputError("the initial weights are std=S (a standard deviation, such as std=0.01), xavier, he or zero, not '" + quote(text) + "'");
}

double init_std(const ActivationsConfig& c, int n) {
  switch (c.init) {
    case WeightInit::std_dev: return c.std_dev;
    case WeightInit::xavier: return std::sqrt(1.0 / n);
    case WeightInit::he: return std::sqrt(2.0 / n);
    case WeightInit::zero: return 0;
  }
  return 0;
}

Histogram histogram(const MatT<float>& m, double lo, double hi, int bins) {
  Histogram h;
  h.counts.assign(size_t(bins), 0);
  for (int i = 0; i <= bins; ++i) h.edges.push_back(lo + (hi - lo) * i / bins);
  const double scale = bins / (hi - lo), n = double(std::max<Eigen::Index>(1, m.size()));
  double sum = 0;
  for (Eigen::Index i = 0; i < m.size(); ++i) {
    const double v = m(i);
    sum += v;
    if (v >= lo && v <= hi) h.counts[size_t(std::min(bins - 1, int((v - lo) * scale)))]++;
  }
  h.mean = sum / n;
  double sq = 0;  // a second pass: the spread of values near 0.5 is not lost to rounding
  for (Eigen::Index i = 0; i < m.size(); ++i) sq += (m(i) - h.mean) * (m(i) - h.mean);
  h.std = std::sqrt(sq / n);
  return h;
}

std::vector<LayerStats> run_activations(const ActivationsConfig& c) {
  using M = MatT<float>;
  check(c);
  Rng rng{c.seed};
  M X(c.samples, c.features);  // the book's np.random.randn(1000, 100)
  for (Eigen::Index i = 0; i < X.size(); ++i) X(i) = float(rng.normal());

  LayerList<float> list;
  std::vector<Affine<float>*> affine;
  std::vector<const Layer<float>*> out;  // each hidden layer's output: its activation (linear: the layer before)
  for (int l = 0; l < c.layers; ++l) {
    const int n = l ? c.units : c.features;
    auto a = std::make_unique<Affine<float>>(Affine<float>::random(n, c.units, init_std(c, n), rng));
    a->need_dx = l > 0;
    affine.push_back(a.get());
    list.push_back(std::move(a));
    if (c.batchnorm) list.push_back(std::make_unique<BatchNormalization<float>>(c.units));
    if (auto act = make_activation<float>(c.activation)) list.push_back(std::move(act));
    out.push_back(list.back().get());
  }
  const M& y = forward_all(list, X, true);
  backward_all(list, M::Constant(y.rows(), y.cols(), 1.f / float(c.samples)));  // L = (1/N) Σ y: ∂L/∂y = 1/N

  // The same edges for every layer (see activations.h).
  double top = 0, grad_top = 0;
  for (int l = 0; l < c.layers; ++l) {
    if (!out[size_t(l)]->out.allFinite() || !affine[size_t(l)]->dW.allFinite())
      throw InputError("the values overflowed (became inf or NaN) at hidden layer " + std::to_string(l + 1) + ": try smaller weights or fewer layers");
    top = std::max(top, double(out[size_t(l)]->out.cwiseAbs().maxCoeff()));
    grad_top = std::max(grad_top, double(affine[size_t(l)]->dW.cwiseAbs().maxCoeff()));
  }
  if (top == 0) top = 1;
  if (grad_top == 0) grad_top = 1;
  auto [lo, hi] = out[0]->range();  // sigmoid [0, 1], tanh [−1, 1]; where unbounded, up to the largest value
  if (!std::isfinite(lo)) lo = -top;
  if (!std::isfinite(hi)) hi = top;
  std::vector<LayerStats> stats;
  for (int l = 0; l < c.layers; ++l)
    stats.push_back({histogram(out[size_t(l)]->out, lo, hi, c.bins), histogram(affine[size_t(l)]->dW, -grad_top, grad_top, c.bins)});
  return stats;
}

}  // namespace kobai
