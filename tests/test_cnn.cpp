// The CNN (engine/layers.* Convolution and Pooling, engine/train.* conv stages): the layers against conv.h's
// kernels and central differences, a small CNN's gradients end to end, the shapes a network's maps take, every
// refusal a student can meet, and the digits CNN preset against the MLP preset on the playground's split.
#include "helpers.h"
#include "train.h"

#include <fstream>
#include <sstream>

using namespace kobai;
using MD = MatT<double>;

namespace {

// f(x) = Σ g ⊙ layer(x) for a fixed upstream gradient g: backward(g) and grads() against (f(v + h) − f(v − h))/2h,
// the worst relative gap over every entry of x and of each parameter.
double worst_gap(Layer<double>& layer, MD x, const MD& g) {
  auto f = [&] { return layer.forward(x, true).cwiseProduct(g).sum(); };
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

// A whole network's backprop against central differences of its loss, for every parameter (biases nudged off 0
// so that no ReLU sits exactly on its kink): the worst relative gap.
double worst_gradient_error(const NetConfig& c, const MD& X, const MD& T) {
  Net<double> net(c);
  int k = 0;
  for (MD* p : net.params())
    if (p->rows() == 1) *p += kobai::test::rnd(1, int(p->cols()), -0.1, 0.1, 200 + k++);
  net.forward_backward(X, T);
  std::vector<MD> analytic;
  for (MD* g : net.grads()) analytic.push_back(*g);
  double worst = 0;
  auto params = net.params();
  for (size_t i = 0; i < params.size(); ++i) {
    MD& p = *params[i];
    for (Eigen::Index j = 0; j < p.size(); ++j) {
      double x = p(j), h = 1e-5;
      p(j) = x + h;
      double fp = net.forward_backward(X, T);
      p(j) = x - h;
      double fm = net.forward_backward(X, T);
      p(j) = x;
      // Gaps under 1e-10 are the loss's rounding over 2h (1e-16 / 1e-5), not the gradient: batch normalisation
      // makes the hidden Affine's ∂L/∂b exactly 0, and its central difference is such noise.
      double num = (fp - fm) / (2 * h), a = analytic[i](j);
      worst = std::max(worst, std::abs(num - a) / std::max(1e-5, std::abs(num) + std::abs(a)));
    }
  }
  return worst;
}

// A small CNN: 2x6x6 images, two conv stages (the second without padding, so its windows differ from the
// first's), pooling in each, then an affine hidden layer.
NetConfig small_cnn() {
  NetConfig c;
  c.inputs = 72, c.channels = 2, c.height = 6, c.width = 6;
  c.conv = {ConvStage{3, 3, 1, 1, 2, 2}, ConvStage{4, 2, 1, 0, 2, 1}};
  c.hidden = {5}, c.outputs = 3, c.activation = Activation::relu, c.init = Init::he, c.loss = LossKind::softmax, c.seed = 7;
  return c;
}

std::string read_data(const char* name) {
  std::ifstream f(std::string(KOBAI_DATA_DIR) + "/" + name);
  REQUIRE_MESSAGE(f.good(), "missing " << name << ": make deps takes it from Debian's python3-sklearn");
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("Convolution and Pooling compute what conv.h's kernels compute, and their backward is the gradient") {
  const Dims4 in{1, 2, 5, 5};
  for (Window w : {Window{3, 3, 1, 0}, Window{3, 3, 1, 1}, Window{3, 3, 2, 1}, Window{2, 2, 1, 0}}) {
    INFO("window ", w.h, "x", w.w, " stride ", w.stride, " pad ", w.pad);
    MD W = kobai::test::rnd(3, 2 * w.h * w.w, -1, 1, 1), b = kobai::test::rnd(1, 3, -1, 1, 2);
    MD x = kobai::test::rnd(4, 50, -1, 1, 3);
    Convolution<double> conv(W, b, in, w);
    const Dims4 o = conv.out_dims();
    Dims4 batch = in;
    batch.n = 4;
    MD y = conv.forward(x, true);
    CHECK((y - conv_forward(x, batch, W, b, w)).cwiseAbs().maxCoeff() < 1e-12);
    MD g = kobai::test::rnd(4, o.per_example(), -1, 1, 4);
    conv.backward(g);
    ConvGradsT<MD> want = conv_backward(g, x, batch, W, w);
    CHECK((conv.dW - want.dW).cwiseAbs().maxCoeff() < 1e-12);
    CHECK((conv.db - want.db).cwiseAbs().maxCoeff() < 1e-12);
    CHECK((conv.dx - want.dx).cwiseAbs().maxCoeff() < 1e-12);
    CHECK(worst_gap(conv, x, g) < 1e-5);  // WebAssembly's rounding gives 1.2e-6; a wrong term gives ~1
  }
  const Dims4 image{1, 2, 6, 6};  // 2x2 windows with stride 2 and 3x3 ones with stride 3 fit 6 evenly
  for (Window w : {Window{2, 2, 2, 0}, Window{3, 3, 3, 0}, Window{2, 2, 1, 0}, Window{3, 3, 1, 0}}) {
    INFO("pool ", w.h, "x", w.w, " stride ", w.stride);
    Pooling<double> pool(image, w);
    MD x = kobai::test::rnd(3, 72, -1, 1, 5);  // distinct values: no ties, so the maximum has a gradient
    Dims4 batch = image;
    batch.n = 3;
    std::vector<int> arg;
    CHECK(pool.forward(x, true) == maxpool_forward(x, batch, w, &arg));
    MD g = kobai::test::rnd(3, pool.out_dims().per_example(), -1, 1, 6);
    CHECK(pool.backward(g) == maxpool_backward(g, batch, w, arg));
    CHECK(worst_gap(pool, x, g) < 1e-7);
    MD relu = x.cwiseMax(0);  // after ReLU: windows of equal zeros, where the first one takes the gradient
    CHECK(pool.forward(relu, true) == maxpool_forward(relu, batch, w, &arg));
    CHECK(pool.backward(g) == maxpool_backward(g, batch, w, arg));
  }
  // In float (the page's), pooling takes four examples at a time, the last four ending at the batch's end, and
  // ReLU's backward four values at a time: every batch size from 1 to 11 gives the kernels' numbers exactly.
  using MF = MatT<float>;
  for (int n = 1; n <= 11; ++n)
    for (Window w : {Window{2, 2, 2, 0}, Window{3, 3, 1, 0}}) {
      INFO("float, batch ", n, ", pool ", w.h, "x", w.w, " stride ", w.stride);
      Pooling<float> pool(image, w);
      MF x = kobai::test::rnd(n, 72, -1, 1, 7 + n).cast<float>().cwiseMax(0);  // ties of zeros, as after ReLU
      Dims4 batch = image;
      batch.n = n;
      std::vector<int> arg;
      CHECK(pool.forward(x, true) == maxpool_forward(x, batch, w, &arg));
      MF g = kobai::test::rnd(n, pool.out_dims().per_example(), -1, 1, 8).cast<float>();
      CHECK(pool.backward(g) == maxpool_backward(g, batch, w, arg));
      Relu<float> relu;
      MF u = kobai::test::rnd(n, 7, -1, 1, 9).cast<float>(), du = kobai::test::rnd(n, 7, -1, 1, 10).cast<float>();
      relu.forward(u, true);
      CHECK(relu.backward(du) == kernel::relu_backward(u, du));
    }
  // the book's Figure 7-3 through the layer: [[15, 16], [6, 15]]
  MD fig = kobai::test::M({{1, 2, 3, 0, 0, 1, 2, 3, 3, 0, 1, 2, 2, 3, 0, 1}});
  Convolution<double> book(kobai::test::M({{2, 0, 1, 0, 1, 2, 1, 0, 2}}), MD::Zero(1, 1), Dims4{1, 1, 4, 4}, Window{3, 3});
  CHECK(book.forward(fig, false) == kobai::test::M({{15, 16, 6, 15}}));
  CHECK_THROWS_AS(Convolution<double>(MD::Zero(2, 8), MD::Zero(1, 2), Dims4{1, 1, 4, 4}, Window{3, 3}), InputError);
}

TEST_CASE("a small CNN's gradients, end to end, match central differences") {
  NetConfig c = small_cnn();
  MD X = kobai::test::rnd(4, 72, 0, 1, 21), T = MD::Zero(4, 3);
  for (int r = 0; r < 4; ++r) T(r, r % 3) = 1;
  CHECK(worst_gradient_error(c, X, T) < 1e-6);
  c.activation = Activation::tanh, c.init = Init::xavier, c.l1 = 0.01, c.l2 = 0.1;  // L1 and L2 reach the filters
  CHECK(worst_gradient_error(c, X, T) < 1e-6);
  c.conv[1].pool = 0, c.loss = LossKind::squared;  // a stage without pooling
  CHECK(worst_gradient_error(c, X, T) < 1e-6);
  c = small_cnn(), c.batchnorm = true, c.activation = Activation::tanh;  // batch normalisation after the hidden Affine only
  MD X8 = kobai::test::rnd(8, 72, 0, 1, 22), T8 = MD::Zero(8, 3);  // more rows: a batch's spread is less noisy
  for (int r = 0; r < 8; ++r) T8(r, r % 3) = 1;
  CHECK(worst_gradient_error(c, X8, T8) < 1e-5);
}

TEST_CASE("a CNN's layers, maps and parameters: the shapes the arithmetic gives") {
  Net<float> net(digits_cnn());
  std::vector<std::string> names;
  for (const auto& l : net.layer_list()) names.push_back(l->name());
  CHECK(names == std::vector<std::string>{"Convolution", "Relu", "Pooling", "Affine", "Relu", "Affine"});
  REQUIRE(net.conv_stages() == 1);
  CHECK(net.conv(0).W.rows() == 16);
  CHECK(net.conv(0).W.cols() == 9);  // 1 channel x 3 x 3
  CHECK(net.conv(0).out_dims() == Dims4{1, 16, 8, 8});  // (8 + 2·1 − 3)/1 + 1 = 8
  REQUIRE(net.pooling(0) != nullptr);
  CHECK(net.pooling(0)->out_dims() == Dims4{1, 16, 4, 4});
  CHECK(net.layers() == 2);
  CHECK(net.affine(0).W.rows() == 256);  // flatten: 16·4·4
  CHECK(net.affine(1).W.cols() == 10);
  // He: standard deviation √(2 / fan-in), the fan-in of a filter being C·FH·FW = 9
  const auto& W = net.conv(0).W;
  double sd = std::sqrt((W.array() - W.mean()).square().mean());
  CHECK(sd == doctest::Approx(std::sqrt(2.0 / 9)).epsilon(0.35));
  MatT<float> X = MatT<float>::Random(3, 64);
  auto maps = net.feature_maps(X);
  auto shapes = net.stage_maps();
  REQUIRE(maps.size() == 2);
  REQUIRE(shapes.size() == 2);
  CHECK((shapes[0].stage == 0 && !shapes[0].pooled && shapes[0].dims == Dims4{1, 16, 8, 8}));
  CHECK((shapes[1].stage == 0 && shapes[1].pooled && shapes[1].dims == Dims4{1, 16, 4, 4}));
  CHECK(maps[0].rows() == 3);
  CHECK(maps[0].cols() == 1024);
  CHECK(maps[0].minCoeff() >= 0);  // after ReLU
  CHECK(maps[1].cols() == 256);
  // the float network (the page's) computes the double network's gradients
  NetConfig c = small_cnn();
  MD Xd = kobai::test::rnd(5, 72, 0, 1, 31), T = MD::Zero(5, 3);
  for (int r = 0; r < 5; ++r) T(r, r % 3) = 1;
  Net<double> nd(c);
  Net<float> nf(c);
  CHECK(double(nf.forward_backward(Xd.cast<float>(), T.cast<float>())) == doctest::Approx(nd.forward_backward(Xd, T)).epsilon(1e-5));
  auto gd = nd.grads();
  auto gf = nf.grads();
  REQUIRE(gd.size() == gf.size());
  for (size_t i = 0; i < gd.size(); ++i) CHECK((gf[i]->cast<double>() - *gd[i]).cwiseAbs().maxCoeff() < 1e-5);
}

TEST_CASE("conv stages that do not fit are refused, naming the stage and the arithmetic") {
  auto refused = [](NetConfig c) -> std::string {
    try {
      Net<float> net(c);
    } catch (const InputError& e) {
      return e.what();
    }
    return "accepted";
  };
  NetConfig c = digits_cnn();
  CHECK(refused(c) == "accepted");
  c.conv[0].stride = 2, c.conv[0].pad = 0;
  CHECK(refused(c) == "conv stage 1: (8 + 2·0 − 3)/2 = 5/2 is not a whole number: the windows do not fit the height (8) evenly");
  c = digits_cnn(), c.conv[0].pool = 3;
  CHECK(refused(c) == "conv stage 1's pooling: (8 + 2·0 − 3)/2 = 5/2 is not a whole number: the windows do not fit the height (8) evenly");
  c = digits_cnn(), c.conv[0].size = 9;
  CHECK(refused(c) == "conv stage 1: the window's size must be from 1 to 8 (its input is 1x8x8), not 9");
  c = digits_cnn(), c.conv[0].pad = 3;
  CHECK(refused(c) == "conv stage 1: the padding must be from 0 to 2 (less than the window's size), not 3");
  c = digits_cnn(), c.conv[0].stride = 0;
  CHECK(refused(c) == "conv stage 1: the stride must be from 1 to 8 (its input is 1x8x8), not 0");
  c = digits_cnn(), c.conv[0].filters = 33;
  CHECK(refused(c) == "conv stage 1 has 1 to 32 filters, not 33");
  c = digits_cnn(), c.conv[0].pool = -1;
  CHECK(refused(c) == "conv stage 1: the pooling window is 0 (no pooling) or more, not -1");
  c = digits_cnn(), c.conv.push_back(ConvStage{8, 3, 1, 1, 2, 2}), c.conv.push_back(ConvStage{8, 3, 1, 1, 2, 2});
  // stage 2's input is 16x4x4 and it gives 8x2x2: stage 3's 3x3 filter no longer fits
  CHECK(refused(c) == "conv stage 3: the window's size must be from 1 to 2 (its input is 8x2x2), not 3");
  c.conv.push_back(ConvStage{});
  CHECK(refused(c) == "at most 3 conv stages, not 4");
  c = digits_cnn(), c.inputs = 65;
  CHECK(refused(c) == "a 1x8x8 image has 64 numbers, but the network has 65 inputs");
  c = digits_cnn(), c.channels = 0;
  CHECK(refused(c) == "an image has 1 to 16 channels, not 0");
  c = digits_cnn(), c.width = 65, c.inputs = 8 * 65;
  CHECK(refused(c) == "an image is 1 to 64 pixels high and wide, not 8x65");
  c = digits_cnn(), c.inputs = 4096, c.height = 64, c.width = 64, c.conv[0].filters = 32, c.conv[0].pool = 0;
  CHECK(refused(c) == "the last conv stage gives 32x64x64 = 131072 numbers to flatten; at most 8192");
  // an MLP reads no image shape
  NetConfig mlp;
  mlp.inputs = 5, mlp.channels = 0, mlp.height = 0;
  CHECK(refused(mlp) == "accepted");
}

TEST_CASE("the digits CNN preset reaches at least the MLP preset's test accuracy") {
  Dataset<float> all = parse_csv<float>(read_data("digits.csv"));
  REQUIRE(all.rows() == 1797);
  auto [train, test] = shuffle_scale_split(all, 20, 1);  // the playground's split for the digits
  // Both as the playground suggests for the digits: Adam, η = 0.001, batches of 32, the same 30 epochs (the MLP
  // has levelled off by then: 96-97% from epoch 20 to 40; the CNN 97.5-98.3% from epoch 18).
  auto run = [&, &train = train, &test = test](const NetConfig& c) {
    Net<float> net(c);
    Optimizer<float> opt(OptConfig{OptimizerKind::adam, 0.001});
    Rng r{1};
    for (int e = 0; e < 30; ++e) REQUIRE_FALSE(train_epoch(net, opt, train, 32, false, r).diverged);
    return net.accuracy(test.X, test.T);
  };
  NetConfig mlp;
  mlp.inputs = 64, mlp.hidden = {100}, mlp.outputs = 10, mlp.activation = Activation::relu, mlp.init = Init::he, mlp.loss = LossKind::softmax;
  const double mlp_accuracy = run(mlp), cnn_accuracy = run(digits_cnn());
  MESSAGE("digits after 30 epochs, test accuracy: MLP 64-100-10 " << mlp_accuracy << ", CNN " << cnn_accuracy);
  CHECK(cnn_accuracy >= mlp_accuracy);  // measured natively: 0.967 (347 of 359) and 0.978 (351 of 359)
  CHECK(cnn_accuracy >= 0.969);         // 348 of 359: a margin of three images
}
