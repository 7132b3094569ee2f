// kobai engine: C = A·B for training's small float matrices (a mini-batch of 10 rows times 8 × 8 weights).
// Eigen 3.4 has no WebAssembly SIMD path, and its blocked GEMM packs both operands first, which costs more than
// the arithmetic at these sizes. This computes four rows of two columns of C at once, as two 128-bit vectors
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
  Index j = 0;
  for (; j + 1 < m; j += 2) {  // two columns of C at a time: each load of A serves both
    const float *b0 = b + j * depth, *b1 = b0 + depth;  // columns j and j + 1 of B
    float *c0 = c + j * n, *c1 = c0 + n;
    for (Index i = 0; i < n4; i += 4) {  // C(i..i+3, j) = Σk A(i..i+3, k) · B(k, j), and the same for j + 1
      f4 s0 = {0, 0, 0, 0}, s1 = s0;
      for (Index k = 0; k < depth; ++k) {
        f4 x;
        __builtin_memcpy(&x, a + k * n + i, sizeof x);  // unaligned load
        s0 += x * b0[k];
        s1 += x * b1[k];
      }
      __builtin_memcpy(c0 + i, &s0, sizeof s0);
      __builtin_memcpy(c1 + i, &s1, sizeof s1);
    }
    for (Index i = n4; i < n; ++i) {  // the rows left over
      float s0 = 0, s1 = 0;
      for (Index k = 0; k < depth; ++k) s0 += a[k * n + i] * b0[k], s1 += a[k * n + i] * b1[k];
      c0[i] = s0, c1[i] = s1;
    }
  }
  for (; j < m; ++j) {  // the last column, when m is odd
    const float* bj = b + j * depth;
    float* cj = c + j * n;
    for (Index i = 0; i < n4; i += 4) {
      f4 sum = {0, 0, 0, 0};
      for (Index k = 0; k < depth; ++k) {
        f4 x;
        __builtin_memcpy(&x, a + k * n + i, sizeof x);
        sum += x * bj[k];
      }
      __builtin_memcpy(cj + i, &sum, sizeof sum);
    }
    for (Index i = n4; i < n; ++i) {
      float sum = 0;
      for (Index k = 0; k < depth; ++k) sum += a[k * n + i] * bj[k];
      cj[i] = sum;
    }
  }
}

}  // namespace kobai
