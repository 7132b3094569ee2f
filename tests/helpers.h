// Small helpers shared by the test files.
#pragma once

#include "check.h"
#include "graph.h"

#include <doctest/doctest.h>

#include <initializer_list>

namespace kobai::test {

// A matrix written as rows: M({{1, 2}, {3, 4}}).
inline Mat M(std::initializer_list<std::initializer_list<double>> rows) {
  Mat m(rows.size(), rows.begin()->size());
  int r = 0;
  for (auto row : rows) {
    int c = 0;
    for (double v : row) m(r, c++) = v;
    ++r;
  }
  return m;
}
inline Mat S(double v) { return Mat::Constant(1, 1, v); }

// Reproducible values in [lo, hi): the same on every platform (a 64-bit LCG, not rand()).
inline Mat rnd(int rows, int cols, double lo = -1, double hi = 1, unsigned long long seed = 1) {
  Mat m(rows, cols);
  unsigned long long s = seed * 6364136223846793005ULL + 1442695040888963407ULL;
  for (int i = 0; i < m.size(); ++i) {
    s = s * 6364136223846793005ULL + 1442695040888963407ULL;
    m(i) = lo + (hi - lo) * double(s >> 11) / double(1ULL << 53);
  }
  return m;
}

// d(output)/d(name), from backprop.
inline Mat grad_of(const Graph& g, const std::string& name) {
  Values v = forward(g);
  return backward(g, v)[g.find(name)];
}
inline double value_of(const Graph& g) { return forward(g)[g.output](0, 0); }

// The message an expression's bad input gets, or "" when it builds.
inline std::string error_of(const std::string& src, const InputValues& in = {}) {
  try {
    build(src, in);
  } catch (const InputError& e) {
    return format_error(e, src);
  }
  return "";
}

}  // namespace kobai::test
