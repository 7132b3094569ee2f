// kobai engine: C = A·B for training's small float matrices (a mini-batch of 10 rows times 8 × 8 weights).
// Eigen 3.4 has no WebAssembly SIMD path, and its blocked GEMM packs both operands first, which costs more than
// the arithmetic at these sizes. This computes four rows of a column of C at once, as one 128-bit vector
// (wasm SIMD on the page, SSE natively). Natively, large products still go to Eigen's vectorised GEMM; as
// WebAssembly Eigen's GEMM is scalar, so every product comes here. make bench measures the gain.
#pragma once

#include <Eigen/Core>

namespace kobai {

// C = A·B into C's buffer (resized if needed). A, B and C are column-major and must not overlap.
template <class M>
void multiply(M& C, const M& A, const M& B) {
  C.noalias() = A * B;
}

inline void multiply(Eigen::MatrixXf& C, const Eigen::MatrixXf& A, const Eigen::MatrixXf& B) {
  using Index = Eigen::Index;
  typedef float f4 __attribute__((vector_size(16)));
  const Index n = A.rows(), depth = A.cols(), m = B.cols();
#ifndef __wasm__
  if (n * depth * m > 65536) {  // natively, big enough for Eigen's own SIMD kernels and blocking to pay
    C.noalias() = A * B;
    return;
  }
#endif
  C.resize(n, m);
  const float *a = A.data(), *b = B.data();
  float* c = C.data();
  const Index n4 = n - n % 4;
  for (Index j = 0; j < m; ++j) {
    const float* bj = b + j * depth;  // column j of B
    float* cj = c + j * n;            // column j of C
    for (Index i = 0; i < n4; i += 4) {  // C(i..i+3, j) = Σk A(i..i+3, k) · B(k, j)
      f4 sum = {0, 0, 0, 0};
      for (Index k = 0; k < depth; ++k) {
        f4 x;
        __builtin_memcpy(&x, a + k * n + i, sizeof x);  // unaligned load
        sum += x * bj[k];
      }
      __builtin_memcpy(cj + i, &sum, sizeof sum);
    }
    for (Index i = n4; i < n; ++i) {  // the rows left over
      float sum = 0;
      for (Index k = 0; k < depth; ++k) sum += a[k * n + i] * bj[k];
      cj[i] = sum;
    }
  }
}

}  // namespace kobai
