// The book's experiment on initial weights (engine/activations.*), asserted on the histograms as the book's
// Figures 6-10 to 6-14 show them, and the gradients of the same networks.
#include "activations.h"
#include "helpers.h"

#include <numeric>

using namespace kobai;

namespace {

// The share of a histogram's values in the bins that lie within [lo, hi].
double share(const Histogram& h, double lo, double hi) {
  long in = 0, all = 0;
  for (size_t b = 0; b < h.counts.size(); ++b) {
    all += h.counts[b];
    if (h.edges[b] >= lo - 1e-12 && h.edges[b + 1] <= hi + 1e-12) in += h.counts[b];
  }
  return all ? double(in) / double(all) : 0;
}
double ends(const Histogram& h) { return share(h, 0, 0.04) + share(h, 0.96, 1); }  // near 0 and near 1
double middle(const Histogram& h) { return share(h, 0.4, 0.6); }                      // near 0.5

std::vector<LayerStats> run(Activation a, WeightInit w, double std_dev = 1, bool batchnorm = false) {
  ActivationsConfig c;
  c.activation = a, c.init = w, c.std_dev = std_dev, c.batchnorm = batchnorm;
  return run_activations(c);
}

}  // namespace

TEST_CASE("sigmoid, weights with std 1: most activations near 0 and 1 (Figure 6-10)") {
  auto s = run(Activation::sigmoid, WeightInit::std_dev, 1);
  REQUIRE(s.size() == 5);
  for (const LayerStats& l : s) {
    CHECK(l.activations.edges.front() == 0);
    CHECK(l.activations.edges.back() == 1);
    CHECK(ends(l.activations) > 0.5);
    CHECK(middle(l.activations) < 0.1);
  }
}

TEST_CASE("sigmoid, std 0.01: nearly every activation near 0.5 (Figure 6-11)") {
  for (const LayerStats& l : run(Activation::sigmoid, WeightInit::std_dev, 0.01)) {
    CHECK(middle(l.activations) > 0.95);
    CHECK(ends(l.activations) == 0);
  }
}

TEST_CASE("sigmoid, Xavier: in between, spread and without the piles at 0 and 1 (Figure 6-13)") {
  auto xavier = run(Activation::sigmoid, WeightInit::xavier), wide = run(Activation::sigmoid, WeightInit::std_dev, 1),
       narrow = run(Activation::sigmoid, WeightInit::std_dev, 0.01);
  for (size_t l = 0; l < xavier.size(); ++l) {
    INFO("layer ", l + 1);
    CHECK(ends(xavier[l].activations) < 0.01);
    CHECK(middle(xavier[l].activations) > 0.2);
    CHECK(middle(xavier[l].activations) < 0.8);
    CHECK(xavier[l].activations.std < wide[l].activations.std);
    CHECK(xavier[l].activations.std > narrow[l].activations.std);
  }
}

TEST_CASE("ReLU: He keeps the spread from layer to layer, std 0.01 shrinks it, Xavier slowly (Figure 6-14)") {
  auto he = run(Activation::relu, WeightInit::he), small = run(Activation::relu, WeightInit::std_dev, 0.01),
       xavier = run(Activation::relu, WeightInit::xavier);
  for (size_t l = 1; l < he.size(); ++l) {
    INFO("layer ", l + 1);
    CHECK(he[l].activations.std == doctest::Approx(he[0].activations.std).epsilon(0.2));
    CHECK(small[l].activations.std < 0.2 * small[l - 1].activations.std);
    CHECK(xavier[l].activations.std < xavier[l - 1].activations.std);
  }
  CHECK(xavier.back().activations.std < 0.5 * xavier.front().activations.std);
  CHECK(he.front().activations.edges.front() == 0);  // ReLU: from 0 to the largest activation of any layer
  CHECK(share(small.back().activations, 0, small.back().activations.edges[1]) == 1);  // all in the first bin
}

TEST_CASE("tanh with Xavier: centred on 0, within [−1, 1]") {
  for (const LayerStats& l : run(Activation::tanh, WeightInit::xavier)) {
    CHECK(std::abs(l.activations.mean) < 0.01);
    CHECK(l.activations.edges.front() == -1);
    CHECK(l.activations.edges.back() == 1);
    CHECK(l.activations.std > 0.2);
  }
}

TEST_CASE("all-zero weights: every unit of a layer has the same activation, and only the last layer learns") {
  for (Activation a : {Activation::sigmoid, Activation::relu, Activation::tanh}) {
    INFO(name_of(a));
    auto s = run(a, WeightInit::zero);
    for (size_t l = 0; l < s.size(); ++l) {
      CHECK(s[l].activations.std == 0);
      CHECK(*std::max_element(s[l].activations.counts.begin(), s[l].activations.counts.end()) == 1000 * 100);  // one bin
    }
    for (size_t l = 0; l + 1 < s.size(); ++l) CHECK(s[l].gradients.std == 0);  // nothing passes back through zero weights
  }
  auto sigmoid = run(Activation::sigmoid, WeightInit::zero);
  CHECK(sigmoid[0].activations.mean == 0.5);
  CHECK(sigmoid.back().gradients.mean == doctest::Approx(0.125));  // x · σ'(0) = 0.5 · 0.25, the same for every weight
}

TEST_CASE("sigmoid with std 1: the gradients vanish toward the first layers; batch normalisation keeps them") {
  auto plain = run(Activation::sigmoid, WeightInit::std_dev, 1);
  for (size_t l = 1; l < plain.size(); ++l) CHECK(plain[l - 1].gradients.std < plain[l].gradients.std);
  CHECK(plain.back().gradients.std > 5 * plain.front().gradients.std);
  auto normed = run(Activation::sigmoid, WeightInit::std_dev, 1, true);
  CHECK(normed.front().gradients.std == doctest::Approx(normed.back().gradients.std).epsilon(0.5));
}

TEST_CASE("batch normalisation spreads the activations, whatever the weights' scale") {
  auto wide = run(Activation::sigmoid, WeightInit::std_dev, 1, true), narrow = run(Activation::sigmoid, WeightInit::std_dev, 0.01, true);
  auto narrow_plain = run(Activation::sigmoid, WeightInit::std_dev, 0.01);
  for (size_t l = 0; l < wide.size(); ++l) {
    INFO("layer ", l + 1);
    CHECK(ends(wide[l].activations) < 0.01);                          // no piles at 0 and 1 (without: over half)
    CHECK(middle(narrow[l].activations) < 0.6);                       // no pile at 0.5 (without: over 95%)
    CHECK(narrow[l].activations.std > 5 * narrow_plain[l].activations.std);
    CHECK(wide[l].activations.std == doctest::Approx(narrow[l].activations.std).epsilon(0.01));  // the scale is normalised away
  }
}

TEST_CASE("the histograms count every value; bins, layers and units as asked; a seed gives the same numbers") {
  ActivationsConfig c;
  c.activation = Activation::relu, c.init = WeightInit::he, c.layers = 3, c.units = 40, c.features = 20, c.samples = 50, c.bins = 7;
  auto s = run_activations(c);
  REQUIRE(s.size() == 3);
  for (size_t l = 0; l < s.size(); ++l) {
    CHECK(s[l].activations.edges.size() == 8);
    CHECK(s[l].gradients.counts.size() == 7);
    CHECK(std::accumulate(s[l].activations.counts.begin(), s[l].activations.counts.end(), 0) == 50 * 40);
    CHECK(std::accumulate(s[l].gradients.counts.begin(), s[l].gradients.counts.end(), 0) == (l ? 40 : 20) * 40);
    CHECK(s[l].gradients.edges.front() == -s[l].gradients.edges.back());
    CHECK(s[l].activations.edges == s[0].activations.edges);  // one scale for every layer
  }
  CHECK(run_activations(c)[2].activations.counts == s[2].activations.counts);
  c.seed = 2;
  CHECK(run_activations(c)[2].activations.counts != s[2].activations.counts);
}

TEST_CASE("histogram: equal bins, the top edge in the last bin, values outside not counted") {
  MatT<float> m(1, 5);
  m << 0, 0.25f, 0.5f, 1, 2;
  Histogram h = histogram(m, 0, 1, 2);
  CHECK(h.edges == std::vector<double>{0, 0.5, 1});
  CHECK(h.counts == std::vector<int>{2, 2});
  CHECK(h.mean == doctest::Approx(0.75));
  CHECK(h.std == doctest::Approx(std::sqrt((0.5625 + 0.25 + 0.0625 + 0.0625 + 1.5625) / 5)));
}

TEST_CASE("settings out of range are refused with a message") {
  auto msg = [](auto change) {
    ActivationsConfig c;
    change(c);
    try {
      check(c);
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  CHECK(msg([](ActivationsConfig& c) { c.layers = 0; }) == "the number of hidden layers must be 1 to 10, not 0");
  CHECK(msg([](ActivationsConfig& c) { c.layers = 11; }) == "the number of hidden layers must be 1 to 10, not 11");
  CHECK(msg([](ActivationsConfig& c) { c.units = 257; }) == "the units per layer must be 1 to 256, not 257");
  CHECK(msg([](ActivationsConfig& c) { c.samples = 2001; }) == "the number of samples must be 1 to 2000, not 2001");
  CHECK(msg([](ActivationsConfig& c) { c.features = 0; }) == "the number of features must be 1 to 256, not 0");
  CHECK(msg([](ActivationsConfig& c) { c.bins = 0; }) == "the number of bins must be 1 to 200, not 0");
  CHECK(msg([](ActivationsConfig& c) { c.std_dev = -1; }) == "the weights' standard deviation must be above 0 and at most 10, not -1 (all-zero weights: zero)");
  CHECK(msg([](ActivationsConfig& c) { c.std_dev = 0; }) != "");
  CHECK(msg([](ActivationsConfig& c) { c.init = WeightInit::zero, c.std_dev = -1; }) == "");  // S is only read for std=S
  CHECK_THROWS_AS(run_activations(ActivationsConfig{Activation::sigmoid, WeightInit::std_dev, 1, 0}), InputError);
  double s = 0;
  CHECK(parse_weight_init("std=0.01", &s) == WeightInit::std_dev);
  CHECK(s == 0.01);
  CHECK(parse_weight_init("he", &s) == WeightInit::he);
  CHECK_THROWS_WITH_AS(parse_weight_init("std=abc", &s), "std= takes a number, not 'abc'", InputError);
  CHECK_THROWS_WITH_AS(parse_weight_init("gauss", &s), "the initial weights are std=S (a standard deviation, such as std=0.01), xavier, he or zero, not 'gauss'", InputError);
}
