// Training throughput, in epochs per second, for make bench. The same source runs natively (-O3 -march=native)
// and as WebAssembly with and without SIMD; tests/bench/bench_train.mjs runs them side by side.
//   playground  TensorFlow Playground's largest network: 2 inputs, 6 hidden layers of 8 tanh units, 1 output,
//               squared error, batch 10, 250 points, SGD
//   digits      64-100-10 on the UCI digits (1797 images; the path is the first argument), tanh, squared error
//               against one-hot targets, batch 10, SGD: the same work the JavaScript engine does
//   cnn         the digits CNN preset (train.h's digits_cnn: conv 16 3x3 pad 1, ReLU, max pool 2, 256-64-10, ReLU,
//               He, Softmax-with-Loss) on the same 1797 images, batch 10, SGD η = 0.05: TensorFlow.js's twin in
//               bench_train.mjs is the same network
#include "train.h"

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>

using namespace kobai;

namespace {

double now() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }

// The best of three rounds of about half a second, after a warm-up; then the loss and accuracy reached.
struct Result { double epochs_per_second, loss, accuracy; };
Result measure(const NetConfig& c, double lr, const Dataset<float>& d, Rng& r) {
  Net<float> net(c);
  OptConfig oc;
  oc.lr = lr;
  Optimizer<float> opt(oc);
  for (int e = 0; e < 3; ++e) train_epoch(net, opt, d, 10, false, r);
  double best = 0;
  for (int round = 0; round < 3; ++round) {
    int epochs = 0;
    double t0 = now(), t = t0;
    while (t - t0 < 0.5) {
      train_epoch(net, opt, d, 10, false, r);
      ++epochs;
      t = now();
    }
    best = std::max(best, epochs / (t - t0));
  }
  return {best, net.loss(d.X, d.T), net.accuracy(d.X, d.T)};
}

}  // namespace

int main(int argc, char** argv) {
  Rng r{1};
  Dataset<float> d{MatT<float>(250, 2), MatT<float>(250, 1)};
  for (int i = 0; i < 250; ++i) {
    float x = float(r.uniform() * 10 - 5), y = float(r.uniform() * 10 - 5);
    d.X(i, 0) = x, d.X(i, 1) = y, d.T(i, 0) = x * y > 0 ? 1.f : -1.f;
  }
  NetConfig c;
  c.hidden = {8, 8, 8, 8, 8, 8};
  c.activation = Activation::tanh;
  Result playground = measure(c, 0.03, d, r);
  std::printf("playground_epochs_per_second %.1f loss %.4f\n", playground.epochs_per_second, playground.loss);

  if (argc > 1) {
    std::ifstream f(argv[1]);
    std::stringstream text;
    text << f.rdbuf();
    Dataset<float> digits = parse_csv<float>(text.str());
    digits.X /= 16.f;  // pixels 0..16
    NetConfig dc;
    dc.inputs = 64, dc.hidden = {100}, dc.outputs = 10, dc.activation = Activation::tanh;
    Result result = measure(dc, 0.1, digits, r);
    std::printf("digits_epochs_per_second %.2f accuracy %.3f\n", result.epochs_per_second, result.accuracy);
    Result cnn = measure(digits_cnn(), 0.05, digits, r);
    std::printf("cnn_epochs_per_second %.2f accuracy %.3f\n", cnn.epochs_per_second, cnn.accuracy);
  }
  return 0;
}
