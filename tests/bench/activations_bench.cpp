// The activations lab's full experiment (issue 11): 1000 inputs of 100 features through 5 hidden layers of 100
// units, forward, one backward pass and the histograms (engine/activations.h), timed. The same source runs
// natively (-O3 -march=native) and as WebAssembly (the page's build); goal on the page: at most 50 ms.
// Prints one line per setting: the median and the fastest of 21 runs, after one warm-up, in milliseconds.
#include "activations.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

using namespace kobai;

int main() {
  struct Case { const char* name; Activation act; WeightInit init; double std_dev; bool batchnorm; };
  const Case cases[] = {{"sigmoid_std1", Activation::sigmoid, WeightInit::std_dev, 1, false},
                        {"relu_he", Activation::relu, WeightInit::he, 0, false},
                        {"sigmoid_std1_batchnorm", Activation::sigmoid, WeightInit::std_dev, 1, true}};
  for (const Case& k : cases) {
    ActivationsConfig c;  // the book's sizes: the defaults
    c.activation = k.act, c.init = k.init, c.std_dev = k.std_dev, c.batchnorm = k.batchnorm;
    double checksum = run_activations(c)[4].activations.mean;  // the warm-up, and something the compiler must keep
    std::vector<double> ms;
    for (int i = 0; i < 21; ++i) {
      auto t0 = std::chrono::steady_clock::now();
      checksum += run_activations(c)[4].gradients.std;
      ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    }
    std::sort(ms.begin(), ms.end());
    std::printf("activations_experiment_ms %s median %.2f min %.2f (checksum %.4g)\n", k.name, ms[ms.size() / 2], ms.front(), checksum);
  }
  return 0;
}
