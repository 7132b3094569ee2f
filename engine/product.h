// kobai engine: C = A·B for training's small float matrices (a mini-batch of 10 rows times 8 × 8 weights).
// Eigen 3.4 has no WebAssembly SIMD path, and its blocked GEMM packs both operands first, which costs more than
// the arithmetic at these sizes. This computes blocks of C in registers: eight (or four) rows by four (or two, or
// one) columns, as 128-bit vectors (wasm SIMD on the page, SSE natively). Natively, large products still go to
// Eigen's vectorised GEMM; as WebAssembly Eigen's GEMM is scalar, so every product comes here. make bench
// measures the gain.
#pragma once

#include <Eigen/Core>

#include "vec4.h"

namespace kobai {

// C = A·B into C's buffer (resized if needed). A, B and C are column-major and must not overlap.
template <class M>
void multiply(M& C, const M& A, const M& B) {
  C.noalias() = A * B;
}

namespace product_detail {
using namespace vec4;  // f4: four rows of a column

// C(i .. i+4V−1, j .. j+W−1) = Σk A(i.., k)·B(k, j..): V vectors of four rows by W columns, held in registers, so
// that each load of A serves W products. Every entry adds its products in the order of k, whatever the block.
template <int V, int W>
inline void block(const float* a, const float* b, float* c, Eigen::Index n, Eigen::Index depth, Eigen::Index i,
                  Eigen::Index j) {
  f4 s[V][W] = {};
  const float* bj = b + j * depth;
  for (Eigen::Index k = 0; k < depth; ++k) {
    f4 x[V];
    for (int v = 0; v < V; ++v) x[v] = load(a + k * n + i + 4 * v);
    for (int w = 0; w < W; ++w) {
      const float bk = bj[w * depth + k];
      for (int v = 0; v < V; ++v) s[v][w] += x[v] * bk;
    }
  }
  for (int w = 0; w < W; ++w)
    for (int v = 0; v < V; ++v) store(c + (j + w) * n + i + 4 * v, s[v][w]);
}

// Columns j .. j+W−1 of C, all rows: eight at a time, then four; the last few rows as the block of four that ends
// at row n (it computes some rows again, to the same numbers) rather than one by one, as a batch of 10 would.
template <int W>
inline void columns(const float* a, const float* b, float* c, Eigen::Index n, Eigen::Index depth, Eigen::Index j) {
  Eigen::Index i = 0;
  for (; i + 8 <= n; i += 8) block<2, W>(a, b, c, n, depth, i, j);
  for (; i + 4 <= n; i += 4) block<1, W>(a, b, c, n, depth, i, j);
  if (i == n) return;
  if (n >= 4) return block<1, W>(a, b, c, n, depth, n - 4, j);
  for (; i < n; ++i)  // fewer than four rows in all
    for (int w = 0; w < W; ++w) {
      float sum = 0;
      for (Eigen::Index k = 0; k < depth; ++k) sum += a[k * n + i] * b[(j + w) * depth + k];
      c[(j + w) * n + i] = sum;
    }
}
}  // namespace product_detail

inline void multiply(Eigen::MatrixXf& C, const Eigen::MatrixXf& A, const Eigen::MatrixXf& B) {
  using namespace product_detail;
  const Eigen::Index n = A.rows(), depth = A.cols(), m = B.cols();
#ifndef __wasm__
  if (n * depth * m > 65536) {  // natively, big enough for Eigen's own SIMD kernels and blocking to pay
    C.noalias() = A * B;
    return;
  }
#endif
  C.resize(n, m);
  const float *a = A.data(), *b = B.data();
  float* c = C.data();
  Eigen::Index j = 0;
  for (; j + 4 <= m; j += 4) columns<4>(a, b, c, n, depth, j);  // a conv layer's windows times its 16 filters
  for (; j + 2 <= m; j += 2) columns<2>(a, b, c, n, depth, j);
  for (; j < m; ++j) columns<1>(a, b, c, n, depth, j);
}

}  // namespace kobai
