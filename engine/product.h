// kobai engine: C = A·B for training's small float matrices (a mini-batch of 10 rows times 8 × 8 weights).
// Eigen 3.4 has no WebAssembly SIMD path, and its blocked GEMM packs both operands first, which costs more than
// the arithmetic at these sizes. This computes four rows of two columns of C at once, as two 128-bit vectors
// (wasm SIMD on the page, SSE natively), or eight rows of four. Natively, large products still go to Eigen's vectorised GEMM; as
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
  // Four columns of C at a time, eight rows: each two loads of A serve eight vector products (a conv layer's
  // windows times its filters, a dense layer's batch times its weights). Each entry of C adds its products in
  // the order of k, as the narrower loops below do.
  for (; j + 3 < m; j += 4) {
    const float *b0 = b + j * depth, *b1 = b0 + depth, *b2 = b1 + depth, *b3 = b2 + depth;
    float *c0 = c + j * n, *c1 = c0 + n, *c2 = c1 + n, *c3 = c2 + n;
    Index i = 0;
    for (; i + 7 < n; i += 8) {
      f4 s00 = {0, 0, 0, 0}, s01 = s00, s02 = s00, s03 = s00, s10 = s00, s11 = s00, s12 = s00, s13 = s00;
      for (Index k = 0; k < depth; ++k) {
        f4 x0, x1;
        __builtin_memcpy(&x0, a + k * n + i, sizeof x0);
        __builtin_memcpy(&x1, a + k * n + i + 4, sizeof x1);
        const float v0 = b0[k], v1 = b1[k], v2 = b2[k], v3 = b3[k];
        s00 += x0 * v0, s01 += x0 * v1, s02 += x0 * v2, s03 += x0 * v3;
        s10 += x1 * v0, s11 += x1 * v1, s12 += x1 * v2, s13 += x1 * v3;
      }
      __builtin_memcpy(c0 + i, &s00, sizeof s00), __builtin_memcpy(c0 + i + 4, &s10, sizeof s10);
      __builtin_memcpy(c1 + i, &s01, sizeof s01), __builtin_memcpy(c1 + i + 4, &s11, sizeof s11);
      __builtin_memcpy(c2 + i, &s02, sizeof s02), __builtin_memcpy(c2 + i + 4, &s12, sizeof s12);
      __builtin_memcpy(c3 + i, &s03, sizeof s03), __builtin_memcpy(c3 + i + 4, &s13, sizeof s13);
    }
    for (; i < n; ++i) {  // the rows left over, one at a time
      float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (Index k = 0; k < depth; ++k) {
        const float x = a[k * n + i];
        s0 += x * b0[k], s1 += x * b1[k], s2 += x * b2[k], s3 += x * b3[k];
      }
      c0[i] = s0, c1[i] = s1, c2[i] = s2, c3[i] = s3;
    }
  }
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
