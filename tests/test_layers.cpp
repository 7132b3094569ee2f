// The layers (engine/layers.*): one line per layer comparing its backward with a central-difference gradient,
// the book's shapes and worked numbers, and a network's layers read by name.
#include "helpers.h"
#include "layers.h"
#include "train.h"

#include <functional>
#include <string>

using namespace kobai;
using MD = MatT<double>;

namespace {

// f(x) = Σ g ⊙ layer(x), for a fixed upstream gradient g: its gradient in x is what backward(g) returns, and in
// each parameter what grads() holds. The worst relative gap between those and (f(v + h) − f(v − h)) / 2h over
// every entry. `reset` runs before each forward (Dropout: the same mask every time).
double worst_gap(Layer<double>& layer, MD x, const MD& g, const std::function<void()>& reset = [] {}) {
  auto f = [&] {
    reset();
    return layer.forward(x, true).cwiseProduct(g).sum();
  };
  reset();
  layer.forward(x, true);
  MD dx = layer.backward(g);
  std::vector<MD> grads;
  for (MD* d : layer.grads()) grads.push_back(*d);
  std::vector<MD*> values{&x};
  std::vector<const MD*> analytic{&dx};
  auto params = layer.params();
  for (size_t i = 0; i < params.size(); ++i) values.push_back(params[i]), analytic.push_back(&grads[i]);
  double worst = 0;
  for (size_t k = 0; k < values.size(); ++k) {
    MD& v = *values[k];
    for (Eigen::Index j = 0; j < v.size(); ++j) {
      const double keep = v(j), h = 1e-5;
      v(j) = keep + h;
      double fp = f();
      v(j) = keep - h;
      double fm = f();
      v(j) = keep;
      double num = (fp - fm) / (2 * h), a = (*analytic[k])(j);
      worst = std::max(worst, std::abs(num - a) / std::max(1e-6, std::abs(num) + std::abs(a)));
    }
  }
  return worst;
}

// The same for a loss layer: its dx against the loss's central differences in y.
double worst_gap(LossLayer<double>& loss, MD y, const MD& t) {
  loss.forward(y, t);
  MD dx = loss.backward();
  double worst = 0;
  for (Eigen::Index j = 0; j < y.size(); ++j) {
    const double keep = y(j), h = 1e-5;
    y(j) = keep + h;
    double fp = loss.forward(y, t);
    y(j) = keep - h;
    double fm = loss.forward(y, t);
    y(j) = keep;
    double num = (fp - fm) / (2 * h);
    worst = std::max(worst, std::abs(num - dx(j)) / std::max(1e-6, std::abs(num) + std::abs(dx(j))));
  }
  return worst;
}

MD rnd(int rows, int cols, unsigned long long seed) { return kobai::test::rnd(rows, cols, -1, 1, seed); }

}  // namespace

TEST_CASE("each layer's backward matches a numerical gradient") {
  const MD x = rnd(6, 4, 1), g = rnd(6, 4, 2);  // a batch of 6 rows of 4 units, and what arrives from above
  Affine<double> affine(rnd(4, 3, 3), rnd(1, 3, 4));
  CHECK(worst_gap(affine, x, rnd(6, 3, 5)) < 1e-7);                  // dx, dW and db
  Relu<double> relu;
  CHECK(worst_gap(relu, x, g) < 1e-7);                                // (no entry of x within h of the kink)
  Sigmoid<double> sigmoid;
  CHECK(worst_gap(sigmoid, x, g) < 1e-7);
  Tanh<double> tanh;
  CHECK(worst_gap(tanh, x, g) < 1e-7);
  Rng rng{1};
  Dropout<double> dropout(0.5, rng);
  CHECK(worst_gap(dropout, x, g, [&] { rng = Rng{1}; }) < 1e-7);      // the same units dropped each time
  BatchNormalization<double> norm(4);
  norm.gamma = rnd(1, 4, 6), norm.beta = rnd(1, 4, 7);
  CHECK(worst_gap(norm, x, g) < 1e-6);                                // dx, dγ and dβ through the batch's mean and variance
  MD t = MD::Zero(6, 4);
  for (int r = 0; r < 6; ++r) t(r, r % 4) = 1;
  SoftmaxWithLoss<double> softmax;
  CHECK(worst_gap(softmax, x, t) < 1e-7);
  IdentityWithLoss<double> identity;
  CHECK(worst_gap(identity, x, g) < 1e-7);
}

TEST_CASE("the gap check sees a wrong backward") {  // the helper above can fail
  struct Wrong : Sigmoid<double> {
    const MD& backward(const MD& dout) override { return this->dx = dout.cwiseProduct(this->out); }  // y, not y(1 − y)
  } wrong;
  CHECK(worst_gap(wrong, rnd(3, 2, 1), rnd(3, 2, 2)) > 0.1);
}

TEST_CASE("Affine: out = x·W + b, and its gradients have the shapes of x, W and b") {
  Affine<double> a(kobai::test::M({{1, 2, 3}, {4, 5, 6}}), kobai::test::M({{1, 1, 1}}));
  MD x = kobai::test::M({{1, 2}, {3, 4}});
  CHECK(a.forward(x, true) == kobai::test::M({{10, 13, 16}, {20, 27, 34}}));
  a.backward(MD::Ones(2, 3));
  CHECK(a.dx == kobai::test::M({{6, 15}, {6, 15}}));  // dout·Wᵀ: each row of W summed
  CHECK(a.dW == kobai::test::M({{4, 4, 4}, {6, 6, 6}}));  // xᵀ·dout: each column of x summed
  CHECK(a.db == kobai::test::M({{2, 2, 2}}));  // one per row of the batch
  Rng rng{3};
  Affine<double> zero = Affine<double>::random(5, 4, 0, rng);
  CHECK(zero.W.isZero());
  CHECK(zero.b.isZero());
}

TEST_CASE("the activation layers: one per activation, named as in the book; linear has none") {
  CHECK(std::string(make_activation<float>(Activation::relu)->name()) == "Relu");
  CHECK(std::string(make_activation<float>(Activation::sigmoid)->name()) == "Sigmoid");
  CHECK(std::string(make_activation<float>(Activation::tanh)->name()) == "Tanh");
  CHECK(make_activation<float>(Activation::linear) == nullptr);
  CHECK(make_activation<float>(Activation::sigmoid)->range() == std::pair<double, double>{0, 1});  // what a histogram spans
  CHECK(make_activation<float>(Activation::tanh)->range() == std::pair<double, double>{-1, 1});
  CHECK(make_activation<float>(Activation::relu)->range().second == HUGE_VAL);
  auto sigmoid = make_activation<double>(Activation::sigmoid);
  CHECK(sigmoid->forward(MD::Zero(1, 1), true)(0, 0) == 0.5);
  CHECK(sigmoid->backward(MD::Ones(1, 1))(0, 0) == 0.25);  // y(1 − y) at y = 0.5
}

TEST_CASE("Dropout drops about its ratio of units while training, and scales by 1 − ratio at test time") {
  Rng rng{2};
  Dropout<double> d(0.3, rng);
  MD x = MD::Ones(100, 100);
  double kept = d.forward(x, true).sum() / double(x.size());
  CHECK(kept == doctest::Approx(0.7).epsilon(0.02));
  CHECK(d.backward(x) == d.mask);  // a dropped unit passes nothing back
  CHECK(d.forward(x, false) == x * 0.7);
}

TEST_CASE("BatchNormalization: each unit has mean 0 and variance 1 over the batch, then γ and β") {
  BatchNormalization<double> n(3);
  MD x = rnd(50, 3, 9) * 5;
  x.col(1).array() += 10;
  MD y = n.forward(x, true);
  CHECK(y.colwise().mean().cwiseAbs().maxCoeff() < 1e-12);
  CHECK((y.array().square().colwise().mean() - 1).abs().maxCoeff() < 1e-5);  // ε = 1e-7 under the root
  CHECK(n.running_mean(0, 1) == doctest::Approx(0.1 * x.col(1).mean()));  // momentum 0.9 from 0
  n.gamma.fill(2), n.beta.fill(-1);
  y = n.forward(x, true);
  CHECK(y.colwise().mean().isApprox(MD::Constant(1, 3, -1)));
}

TEST_CASE("a network's layers in the book's order, and layer l's gradient read as net.affine(l).dW") {
  NetConfig c;  // the playground's 2-5-3-2 network with batch normalisation: its flat list has 4, 4, 2 entries
  c.inputs = 2, c.hidden = {5, 3}, c.outputs = 2, c.batchnorm = true, c.dropout = 0.1, c.activation = Activation::relu;
  c.loss = LossKind::softmax, c.init = Init::he;
  Net<double> net(c);
  std::string names;
  for (const auto& l : net.layer_list()) names += std::string(l->name()) + " ";
  CHECK(names == "Affine BatchNormalization Relu Dropout Affine BatchNormalization Relu Dropout Affine ");
  CHECK(std::string(net.loss_layer().name()) == "SoftmaxWithLoss");
  REQUIRE(net.layers() == 3);
  CHECK(net.batchnorm(0) != nullptr);
  CHECK(net.batchnorm(2) == nullptr);  // the output layer has none
  MD X = rnd(8, 2, 4), T = MD::Zero(8, 2);
  for (int r = 0; r < 8; ++r) T(r, r % 2) = 1;
  net.forward_backward(X, T);
  CHECK(net.affine(0).dW.rows() == 2);
  CHECK(net.affine(1).dW.rows() == 5);  // layer 2's gradient is 5 × 3, whatever sits between the affine layers
  CHECK(net.affine(1).dW.cols() == 3);
  CHECK(net.affine(2).dW.rows() == 3);
  auto grads = net.grads();
  CHECK(grads[0] == &net.affine(0).dW);  // the optimizer's flat list points at the layers' own gradients
  CHECK(grads[4] == &net.affine(1).dW);
  CHECK(grads[8] == &net.affine(2).dW);
  CHECK(grads[2] == &net.batchnorm(0)->dgamma);
}

TEST_CASE("without batch normalisation or dropout a hidden layer is two layers; linear only one") {
  NetConfig c;
  c.inputs = 2, c.hidden = {4}, c.outputs = 1, c.activation = Activation::linear;
  Net<float> net(c);
  CHECK(net.layer_list().size() == 2);  // Affine, Affine
  CHECK(net.batchnorm(0) == nullptr);
  CHECK(std::string(net.loss_layer().name()) == "IdentityWithLoss");
  MatT<float> X = MatT<float>::Ones(3, 2);
  auto acts = net.activations(X);
  REQUIRE(acts.size() == 1);
  CHECK(acts[0] == X * net.weight(0));  // linear: the hidden layer's output is the affine map itself
}
