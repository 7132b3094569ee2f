// Training: each layer's backward against a numerical gradient, each optimizer against a step worked by hand,
// XOR learned, divergence caught.
#include "helpers.h"
#include "kernels.h"
#include "product.h"
#include "train.h"

#include <fstream>
#include <sstream>

using namespace kobai;
using MD = MatT<double>;

namespace {

// Backprop's gradients against central differences of the same loss, for every parameter.
double worst_gradient_error(NetConfig c, const MD& X, const MD& T) {
  Net<double> net(c);
  // Biases start at 0; a row whose inputs are all dead ReLUs would then sit exactly on the kink, where the
  // central difference sees half a slope. Small non-zero biases keep the check away from it.
  int k = 0;
  for (MD* p : net.params())
    if (p->rows() == 1) *p += kobai::test::rnd(1, int(p->cols()), -0.1, 0.1, 100 + k++);
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
      double num = (fp - fm) / (2 * h), a = analytic[i](j);
      worst = std::max(worst, std::abs(num - a) / std::max(1e-6, std::abs(num) + std::abs(a)));
    }
  }
  return worst;
}

Dataset<float> xor_data(int n, uint64_t seed) {  // TensorFlow Playground's XOR: ±1 by quadrant, off the axes
  Rng r{seed};
  Dataset<float> d{MatT<float>(n, 2), MatT<float>(n, 1)};
  for (int i = 0; i < n; ++i) {
    double x = r.uniform() * 5 - 2.5, y = r.uniform() * 5 - 2.5;
    x += x > 0 ? 0.3 : -0.3, y += y > 0 ? 0.3 : -0.3;
    d.X(i, 0) = float(x), d.X(i, 1) = float(y), d.T(i, 0) = x * y > 0 ? 1.f : -1.f;
  }
  return d;
}

}  // namespace

TEST_CASE("each layer's backward matches a numerical gradient") {
  MD X = kobai::test::rnd(6, 3, -1, 1, 11), Tr = kobai::test::rnd(6, 2, -1, 1, 12);
  MD Tc = MD::Zero(6, 2);
  for (int i = 0; i < 6; ++i) Tc(i, i % 2) = 1;
  for (Activation a : {Activation::tanh, Activation::sigmoid, Activation::relu, Activation::linear}) {
    NetConfig c;
    c.inputs = 3, c.outputs = 2, c.hidden = {5, 4}, c.activation = a, c.seed = 3;
    INFO(std::string(name_of(a)));
    CHECK(worst_gradient_error(c, X, Tr) < 1e-6);            // squared error
    c.loss = LossKind::softmax;
    CHECK(worst_gradient_error(c, X, Tc) < 1e-6);            // softmax with loss
  }
  NetConfig reg;
  reg.inputs = 3, reg.outputs = 2, reg.hidden = {4}, reg.l1 = 0.01, reg.l2 = 0.1;
  CHECK(worst_gradient_error(reg, X, Tr) < 1e-6);            // L1 and L2
  NetConfig bn;
  bn.inputs = 3, bn.outputs = 2, bn.hidden = {5, 4}, bn.batchnorm = true, bn.activation = Activation::relu, bn.init = Init::he;
  CHECK(worst_gradient_error(bn, X, Tr) < 1e-5);             // batch normalisation
}

TEST_CASE("training's small float product equals Eigen's, at every shape a network meets") {
  // rows not a multiple of 4 (the vector's width), one column, one of depth, and a product big enough for Eigen
  // (and a conv layer's: 640 windows of 9 times 16 filters, and its backward's 16 x 640 x 9)
  const int shapes[][3] = {{1, 1, 1}, {10, 8, 8}, {10, 2, 8}, {7, 3, 5}, {4, 4, 4}, {3, 9, 1}, {250, 2, 8}, {100, 64, 100}, {13, 1, 6},
                           {640, 9, 16}, {16, 640, 9}, {11, 5, 7}, {9, 3, 4},
                           {2, 3, 5}, {6, 4, 9}, {10, 256, 64}, {15, 4, 3}};  // fewer rows than a vector; 4 + 2; 8 + 2; 8 + 4 + 3
  int k = 0;
  for (const auto& s : shapes) {
    Eigen::MatrixXf A = kobai::test::rnd(s[0], s[1], -1, 1, 10 + k).cast<float>();
    Eigen::MatrixXf B = kobai::test::rnd(s[1], s[2], -1, 1, 20 + k++).cast<float>();
    Eigen::MatrixXf C(3, 3);  // the wrong size: multiply resizes
    multiply(C, A, B);
    Eigen::MatrixXd exact = A.cast<double>() * B.cast<double>();
    INFO("shape ", s[0], " x ", s[1], " x ", s[2]);
    REQUIRE(C.rows() == s[0]);
    REQUIRE(C.cols() == s[2]);
    CHECK((C.cast<double>() - exact).cwiseAbs().maxCoeff() < 1e-5 * s[1]);
  }
}

TEST_CASE("the float network (the page's) computes the double network's gradients") {
  NetConfig c;
  c.inputs = 3, c.outputs = 2, c.hidden = {7, 5}, c.activation = Activation::tanh, c.loss = LossKind::softmax;
  MD X = kobai::test::rnd(10, 3, -1, 1, 5), T = MD::Zero(10, 2);
  for (int r = 0; r < 10; ++r) T(r, r % 2) = 1;
  Net<double> nd(c);
  Net<float> nf(c);
  double ld = nd.forward_backward(X, T);
  float lf = nf.forward_backward(X.cast<float>(), T.cast<float>());
  CHECK(lf == doctest::Approx(ld).epsilon(1e-5));
  auto gd = nd.grads();
  auto gf = nf.grads();
  REQUIRE(gd.size() == gf.size());
  for (size_t i = 0; i < gd.size(); ++i) CHECK((gf[i]->cast<double>() - *gd[i]).cwiseAbs().maxCoeff() < 1e-5);
}

TEST_CASE("every optimizer's update against a step worked by hand") {
  auto run = [](OptimizerKind k, int steps) {
    OptConfig c;
    c.kind = k, c.lr = 0.1;
    Optimizer<double> opt(c);
    MD W(1, 2), g(1, 2);
    W << 1, 2;
    g << 0.5, -1;
    for (int i = 0; i < steps; ++i) opt.update({&W}, {&g});
    return W;
  };
  auto near = [](const MD& a, double x, double y) { return std::abs(a(0, 0) - x) < 1e-5 && std::abs(a(0, 1) - y) < 1e-5; };  // ε = 1e-7 moves the last digits
  CHECK(near(run(OptimizerKind::sgd, 1), 0.95, 2.1));        // W − η·g
  CHECK(near(run(OptimizerKind::momentum, 2), 0.855, 2.29)); // v = −0.05, then 0.9·v − 0.05 = −0.095
  CHECK(near(run(OptimizerKind::nesterov, 1), 0.8645, 2.271));
  CHECK(near(run(OptimizerKind::adagrad, 1), 0.9, 2.1));     // g / √(g²) = sign(g)
  CHECK(near(run(OptimizerKind::rmsprop, 1), 0.0, 3.0));     // g / √(0.01·g²) = 10·sign(g)
  CHECK(near(run(OptimizerKind::adam, 1), 0.9, 2.1));        // the first Adam step moves each weight by η
}

TEST_CASE("initial weights have the scale their scheme promises") {
  for (Init i : {Init::gaussian, Init::xavier, Init::he}) {
    NetConfig c;
    c.inputs = 64, c.hidden = {64}, c.outputs = 64, c.init = i;
    Net<double> net(c);
    const MD& W = net.weight(0);
    double sd = std::sqrt((W.array() - W.mean()).square().mean());
    double want = i == Init::gaussian ? 0.01 : i == Init::xavier ? std::sqrt(1.0 / 64) : std::sqrt(2.0 / 64);
    INFO(std::string(name_of(i)));
    CHECK(sd == doctest::Approx(want).epsilon(0.05));
  }
}

TEST_CASE("XOR: a small tanh network reaches 100% training accuracy") {
  Dataset<float> d = xor_data(200, 5);
  NetConfig c;
  c.hidden = {8, 8}, c.activation = Activation::tanh, c.seed = 2;
  Net<float> net(c);
  OptConfig oc;
  oc.kind = OptimizerKind::adam, oc.lr = 0.03;
  Optimizer<float> opt(oc);
  Rng rng{9};
  double first = 0, last = 0;
  for (int e = 0; e < 150; ++e) {
    EpochResult r = train_epoch(net, opt, d, 10, false, rng);
    REQUIRE_FALSE(r.diverged);
    if (e == 0) first = r.loss;
    last = r.loss;
  }
  CHECK(last < first / 10);
  CHECK(net.accuracy(d.X, d.T) == 1.0);
}

TEST_CASE("a huge learning rate: divergence is caught with a message, and the last good weights come back") {
  Dataset<float> d = xor_data(100, 6);
  NetConfig c;
  c.activation = Activation::relu, c.init = Init::he;
  Net<float> net(c);
  OptConfig oc;
  oc.lr = 1e12;
  Optimizer<float> opt(oc);
  Rng rng{1};
  auto good = net.snapshot();
  EpochResult r;
  for (int e = 0; e < 20 && !r.diverged; ++e) {
    good = net.snapshot();
    r = train_epoch(net, opt, d, 10, false, rng);
  }
  REQUIRE(r.diverged);
  CHECK(r.message.find("The learning rate (1e+12) is probably too large: try a tenth of it.") != std::string::npos);
  net.restore(good);
  for (auto* p : net.params()) CHECK(p->allFinite());
  CHECK(std::isfinite(net.loss(d.X, d.T)));
}

TEST_CASE("dropout drops while training and scales at test time") {
  NetConfig c;
  c.inputs = 2, c.hidden = {64}, c.outputs = 1, c.dropout = 0.5, c.activation = Activation::linear;
  Net<double> net(c);
  MD X = MD::Ones(1, 2);
  MD full = net.predict(X);
  NetConfig same = c;
  same.dropout = 0;
  Net<double> plain(same);  // the same seed: the same weights
  CHECK((full - plain.predict(X) * 0.5).cwiseAbs().maxCoeff() < 1e-9);  // the hidden layer scaled by 1 − 0.5
}

TEST_CASE("sampling with replacement draws as many batches, and bad configurations are refused") {
  Dataset<float> d = xor_data(40, 1);
  NetConfig c;
  Net<float> net(c);
  Optimizer<float> opt(OptConfig{});
  Rng rng{1};
  CHECK_FALSE(train_epoch(net, opt, d, 7, true, rng).diverged);
  NetConfig bad;
  bad.hidden = {8, 8, 8, 8, 8, 8, 8, 8, 8};
  CHECK_THROWS_WITH_AS(Net<float>{bad}, "at most 8 hidden layers, not 9", InputError);
  bad.hidden = {257};
  CHECK_THROWS_WITH_AS(Net<float>{bad}, "hidden layer 1 must have 1 to 256 units, not 257", InputError);
  bad.hidden = {8};
  bad.dropout = 1;
  CHECK_THROWS_WITH_AS(Net<float>{bad}, "the dropout ratio must be from 0 up to (not including) 1", InputError);
}

namespace {
std::string read_data(const char* name) {
  std::ifstream f(std::string(KOBAI_DATA_DIR) + "/" + name);
  REQUIRE_MESSAGE(f.good(), "missing " << name << ": make deps takes it from Debian's python3-sklearn");
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}
}  // namespace

TEST_CASE("the UCI digits: a 64-100-10 network reaches at least 95% test accuracy") {
  Dataset<float> all = parse_csv<float>(read_data("digits.csv"));
  REQUIRE(all.rows() == 1797);
  REQUIRE(all.X.cols() == 64);
  REQUIRE(all.T.cols() == 10);
  // As the page does it: shuffled, scaled, 20% held out; the settings it suggests for the digits.
  auto [train, test] = shuffle_scale_split(all, 20, 1);
  NetConfig c;
  c.inputs = 64, c.hidden = {100}, c.outputs = 10, c.activation = Activation::relu, c.init = Init::he, c.loss = LossKind::softmax;
  Net<float> net(c);
  Optimizer<float> opt(OptConfig{OptimizerKind::adam, 0.001});
  Rng r{1};
  int epochs = 0;
  while (net.accuracy(test.X, test.T) < 0.95 && epochs < 30) {
    REQUIRE_FALSE(train_epoch(net, opt, train, 32, false, r).diverged);
    ++epochs;
  }
  MESSAGE("digits: test accuracy " << net.accuracy(test.X, test.T) << " after " << epochs << " epochs");
  CHECK(net.accuracy(test.X, test.T) >= 0.95);
  // The confusion matrix agrees with the accuracy, and lists exactly the misclassified rows.
  std::vector<int> wrong, predicted;
  Eigen::MatrixXi m = confusion(net.predict(test.X), test.T, &wrong, &predicted);
  CHECK(m.sum() == test.rows());
  CHECK(double(m.trace()) / test.rows() == doctest::Approx(net.accuracy(test.X, test.T)));
  CHECK(int(wrong.size()) == test.rows() - m.trace());
  REQUIRE(int(predicted.size()) == test.rows());
  for (int row : wrong) {
    Eigen::Index truth;
    test.T.row(row).maxCoeff(&truth);
    CHECK(predicted[size_t(row)] != truth);
  }
}

TEST_CASE("an epoch taken a few batches at a time is the same epoch") {
  Dataset<double> d = make_2d<double>(DataKind::spiral, 101, 0.1, 3, true);
  NetConfig c;
  c.outputs = 2, c.hidden = {5, 4}, c.loss = LossKind::softmax;
  for (bool replacement : {false, true}) {
    Net<double> whole(c), pieces(c);
    Optimizer<double> o1(OptConfig{OptimizerKind::adam, 0.01}), o2(OptConfig{OptimizerKind::adam, 0.01});
    Rng r1{9}, r2{9};
    EpochResult e = train_epoch(whole, o1, d, 10, replacement, r1);
    EpochRun run;
    int calls = 0;
    while (!train_some(pieces, o2, d, calls % 2 ? 7 : 10, replacement, r2, run, 3)) ++calls;  // a batch-size change mid-epoch waits
    CHECK(calls == 3);  // 11 batches, 3 at a time
    CHECK(run.result.loss == doctest::Approx(e.loss).epsilon(1e-12));
    CHECK(pieces.weight(0) == whole.weight(0));
    CHECK(pieces.weight(2) == whole.weight(2));
  }
}

TEST_CASE("a set scored a slice of rows at a time (the page's epoch end) scores as one pass") {
  // The page scores a CNN's 1,797 images over several frames. Sorted targets put only one class in the first
  // slices, so a two-class split taken from a slice's own targets would be wrong: the split is all of T's.
  Dataset<float> two = make_2d<float>(DataKind::xor_, 103, 0.1, 4, false), many = make_2d<float>(DataKind::spiral, 103, 0.1, 5, true);
  std::vector<Eigen::Index> order(103);
  for (Eigen::Index i = 0; i < 103; ++i) order[size_t(i)] = i;
  std::sort(order.begin(), order.end(), [&](Eigen::Index a, Eigen::Index b) { return two.T(a, 0) < two.T(b, 0); });
  two = {MatT<float>(two.X(order, Eigen::all)), MatT<float>(two.T(order, Eigen::all))};
  for (const Dataset<float>* d : {&two, &many}) {
    NetConfig c;
    c.outputs = int(d->T.cols()), c.hidden = {8, 8}, c.l2 = 0.001, c.activation = Activation::tanh;
    if (c.outputs > 1) c.loss = LossKind::softmax;
    Net<float> net(c);
    Optimizer<float> opt(OptConfig{OptimizerKind::adam, 0.05});
    Rng r{2};
    for (int e = 0; e < 30; ++e) train_epoch(net, opt, *d, 10, false, r);
    MatT<float> whole_out, slice_out;
    const Net<float>::Score whole = net.evaluate(d->X, d->T, &whole_out);
    INFO("outputs ", c.outputs, ": accuracy ", whole.accuracy);
    CHECK(whole.accuracy > 0.6);  // trained a little: both classes are predicted
    Net<float>::ScoreRun run;
    int calls = 0;
    while (!net.score_some(d->X, d->T, run, 16, &slice_out)) ++calls;
    CHECK(calls == 6);  // 103 rows, 16 at a time
    CHECK(run.score.accuracy == whole.accuracy);
    CHECK(run.score.loss == doctest::Approx(whole.loss).epsilon(1e-6));
    CHECK(slice_out == whole_out);
    run = {};
    CHECK(!net.score_some(d->X, d->T, run, 0));  // no rows asked: nothing scored
    CHECK(run.next == 0);
  }
}

TEST_CASE("an empty test set scores zero, without reading past it") {
  NetConfig c;
  c.outputs = 1;
  Net<float> net(c);
  auto s = net.evaluate(MatT<float>(0, 2), MatT<float>(0, 1));
  CHECK(s.loss == 0);
  CHECK(s.accuracy == 0);
}

TEST_CASE("a loaded set is shuffled by the seed, scaled to [0, 1] and split") {
  Dataset<double> iris = parse_csv<double>(read_data("iris.csv"));  // 50 of each class, one class after another
  auto [train, test] = shuffle_scale_split(iris, 30, 7);
  CHECK(train.rows() == 105);
  CHECK(test.rows() == 45);
  MD X(150, 4), T(150, 3);
  X << train.X, test.X;
  T << train.T, test.T;
  CHECK(X.colwise().minCoeff().isZero());
  CHECK(X.colwise().maxCoeff().isOnes());
  CHECK(T.colwise().sum() == iris.T.colwise().sum());                      // the same rows, in another order
  CHECK(test.T.colwise().sum().minCoeff() > 5);                             // every class in the test set
  CHECK(shuffle_scale_split(iris, 30, 7).second.X == test.X);                // the same seed, the same split
  CHECK(shuffle_scale_split(iris, 30, 8).second.X != test.X);
  Dataset<double> flat{MD::Constant(4, 1, 3.0), MD::Identity(4, 2)};       // a constant column becomes 0
  CHECK(shuffle_scale_split(flat, 50, 1).first.X.isZero());
}

TEST_CASE("Iris loads past its header line") {
  Dataset<double> iris = parse_csv<double>(read_data("iris.csv"));
  CHECK(iris.rows() == 150);
  CHECK(iris.X.cols() == 4);
  CHECK(iris.T.cols() == 3);
}

TEST_CASE("a bad CSV names the line and column, and loads nothing") {
  CHECK_THROWS_WITH_AS(parse_csv<float>("x,y,label\n1,2,0\n3,four,1\n"), "line 3, column 2: 'four' is not a number", InputError);
  CHECK_THROWS_WITH_AS(parse_csv<float>("1,2,0\n3,1\n"), "line 2 has 2 columns, the first row has 3", InputError);
  CHECK_THROWS_WITH_AS(parse_csv<float>("1,2,0.5\n"), "line 1, column 3: the label must be a whole number from 0 to 255, not 0.5", InputError);
  CHECK_THROWS_WITH_AS(parse_csv<float>("# only a comment\n"), "the file has no rows of numbers", InputError);
  CHECK_THROWS_WITH_AS(parse_csv<float>("1\n"), "line 1: a row needs at least one feature and a label", InputError);
  CHECK_THROWS_WITH_AS(parse_csv<float>("1,2,3\n", 5), "the label column 6 is past the 3 columns", InputError);
  CHECK_THROWS_WITH_AS(parse_csv<float>("1,2,0\n1,nan,1\n"), "line 2, column 2: 'nan' is not a number", InputError);
  // Sets that could not train: one row, one class, absurdly many features.
  CHECK_THROWS_WITH_AS(parse_csv<float>("1,2,1\n"), "the file has one row of numbers; training needs at least two", InputError);
  CHECK_THROWS_WITH_AS(parse_csv<float>("1,2,0\n3,4,0\n"), "every label is 0: a classifier needs at least two classes", InputError);
  std::string wide;
  for (int r = 0; r < 2; ++r) {
    for (int c = 0; c < 5000; ++c) wide += "1,";
    wide += std::to_string(r) + "\n";
  }
  CHECK_THROWS_WITH_AS(parse_csv<float>(wide), "the rows have 5000 features; a network takes up to 4096", InputError);
  Dataset<float> d = parse_csv<float>("# points\n0.5,1,1\n-1,2,0\n");
  CHECK(d.rows() == 2);
  CHECK(d.T(0, 1) == 1);
}

TEST_CASE("the playground's data sets: the promised sizes, ranges and classes; the spiral learned") {
  for (DataKind k : {DataKind::circle, DataKind::xor_, DataKind::gauss, DataKind::spiral, DataKind::plane, DataKind::multigauss}) {
    INFO(std::string(name_of(k)));
    Dataset<float> d = make_2d<float>(k, 200, 0.1, 4, true);
    CHECK(d.rows() == 200);
    CHECK(d.X.cwiseAbs().maxCoeff() < 9);
    if (!is_regression(k)) {
      CHECK(d.T.cols() == 2);
      CHECK(d.T.col(1).sum() == doctest::Approx(100).epsilon(0.15));  // balanced classes
    }
  }
  CHECK(make_2d<float>(DataKind::xor_, 10, 0, 1, true).X == make_2d<float>(DataKind::xor_, 10, 0, 1, true).X);  // seeded
  CHECK_THROWS_WITH_AS(make_2d<float>(DataKind::circle, 1, 0, 1, true), "a data set has 2 to 5000 points, not 1", InputError);
  Dataset<float> spiral = make_2d<float>(DataKind::spiral, 300, 0, 3, false);
  NetConfig c;
  c.hidden = {16, 16, 16}, c.activation = Activation::tanh, c.seed = 4;
  Net<float> net(c);
  OptConfig oc;
  oc.kind = OptimizerKind::adam, oc.lr = 0.01;
  Optimizer<float> opt(oc);
  Rng r{1};
  for (int e = 0; e < 300; ++e) train_epoch(net, opt, spiral, 10, false, r);
  CHECK(net.accuracy(spiral.X, spiral.T) > 0.95);
}

TEST_CASE("the folded network (what the shader evaluates) predicts exactly what the network predicts") {
  Dataset<double> d = make_2d<double>(DataKind::spiral, 100, 0.1, 2, true);
  NetConfig c;
  c.hidden = {8, 6}, c.outputs = 2, c.loss = LossKind::softmax, c.batchnorm = true, c.dropout = 0.3, c.activation = Activation::relu;
  Net<double> net(c);
  OptConfig oc;
  oc.kind = OptimizerKind::adam, oc.lr = 0.01;
  Optimizer<double> opt(oc);
  Rng r{3};
  for (int e = 0; e < 20; ++e) train_epoch(net, opt, d, 10, false, r);  // running statistics move off 0 and 1
  MD h = d.X;
  auto layers = net.folded();
  for (size_t l = 0; l < layers.size(); ++l) {
    h = kernel::affine(h, layers[l].first, layers[l].second);
    if (l + 1 < layers.size()) h = kernel::relu(h);
  }
  CHECK((h - net.predict(d.X)).cwiseAbs().maxCoeff() < 1e-9);
}

TEST_CASE("one mini-batch: SGD's update is exactly −η times the gradient") {
  Dataset<double> d = make_2d<double>(DataKind::gauss, 50, 0.1, 1, false);
  NetConfig c;
  c.hidden = {4};
  Net<double> net(c);
  OptConfig oc;
  oc.lr = 0.1;
  Optimizer<double> opt(oc);
  Rng r{5};
  MD before = net.weight(0);
  double loss = train_batch(net, opt, d, 10, r);
  CHECK(std::isfinite(loss));
  MD grad = *net.grads()[0];
  CHECK((net.weight(0) - (before - 0.1 * grad)).cwiseAbs().maxCoeff() < 1e-12);
  CHECK(std::string(rule_of(OptimizerKind::sgd)) == "ΔW = −η·∇");
}
