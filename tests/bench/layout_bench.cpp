// Layout time for make bench (issue 9): the page's graph layout on graphs up to the node limit, in three shapes.
// The same source runs natively and as WebAssembly under node (as the page runs it); tests/bench/bench_layout.mjs
// prints them side by side.
//   chain   y = x + x + ... + x, one statement: x feeds every add, from the first column to the last
//   fanin   h1 = tanh(x); ...; hk = tanh(x); y = h1 + ... + hk: one value used by many, summed by a chain
//   deep    h1 = sigmoid(affine(x, W1, b1)); h2 = sigmoid(affine(h1, W2, b2)); ...: each layer's W and b inputs
//           sit in the first column, far from the layer that uses them
// Prints one line per graph: "layout SHAPE NODES build_ms layout_ms", the median of a few runs.
#include "graph.h"
#include "layout.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>

using namespace kobai;

namespace {

double now() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }

std::string chain(int nodes) {
  std::string s = "y = x";
  for (int i = 1; i < nodes; ++i) s += " + x";
  return s;
}
std::string fanin(int nodes) {
  int k = nodes / 2;
  std::string s, sum = "y = h1";
  for (int i = 1; i <= k; ++i) s += "h" + std::to_string(i) + " = tanh(x); ";
  for (int i = 2; i <= k; ++i) sum += " + h" + std::to_string(i);
  return s + sum;
}
std::string deep(int nodes, InputValues& in) {
  int layers = (nodes - 1) / 4;
  std::string s;
  for (int i = 1; i <= layers; ++i) {
    std::string k = std::to_string(i);
    s += (i > 1 ? "; h" : "h") + k + " = sigmoid(affine(" + (i == 1 ? std::string("x") : "h" + std::to_string(i - 1)) + ", W" + k + ", b" + k + "))";
    in["W" + k] = Mat::Constant(2, 2, 0.5);
    in["b" + k] = Mat::Constant(1, 2, 0.1);
  }
  in["x"] = Mat::Constant(1, 2, 1.0);
  return s;
}

std::vector<Point> sizes_of(const Graph& g) {  // as the page measures them (web/app.cpp, node_size)
  std::vector<Point> s;
  for (const Node& n : g.nodes) {
    float symbol = n.op ? 9.5f * float(std::string(n.op->symbol).size()) + 24 : 0;
    s.push_back(n.rows * n.cols > 1 ? Point{std::max(110.f, symbol), 80} : Point{std::max(100.f, symbol), 56});
  }
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  // The old layout took minutes on the larger graphs: a graph whose estimated time (cubic in the nodes, from
  // the previous size) passes this many seconds is skipped and said so.
  double limit = argc > 1 ? std::atof(argv[1]) : 30;
  for (const char* shape : {"chain", "fanin", "deep"}) {
    double last_ms = 0;
    int last_n = 0;
    for (int n : {200, 1000, 2000}) {
      InputValues in{{"x", Mat::Constant(1, 1, 0.5)}};
      std::string src = shape[0] == 'c' ? chain(n) : shape[0] == 'f' ? fanin(n) : deep(n, in);
      double t0 = now();
      Graph g = build(src, in);
      double build_ms = (now() - t0) * 1000;
      if (last_n && last_ms / 1000 * (double(n) / last_n) * (double(n) / last_n) * (double(n) / last_n) > limit) {
        std::printf("layout %s %zu skipped %.0f\n", shape, g.nodes.size(), last_ms);
        std::fflush(stdout);
        continue;
      }
      std::vector<Point> sizes = sizes_of(g);
      std::vector<double> runs;
      double spent = 0;
      while (runs.size() < 5 && (runs.size() < 1 || spent < 1)) {
        double t = now();
        Layout l = layout_graph(g, sizes);
        runs.push_back((now() - t) * 1000);
        spent += runs.back() / 1000;
        if (l.nodes.size() != g.nodes.size()) return 1;
      }
      std::sort(runs.begin(), runs.end());
      last_ms = runs[runs.size() / 2], last_n = n;
      std::printf("layout %s %zu %.2f %.2f\n", shape, g.nodes.size(), build_ms, last_ms);
      std::fflush(stdout);
    }
  }
}
