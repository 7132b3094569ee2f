// kobai engine: the math of the ops that the walkthrough and training share, written once for any Eigen
// matrix type (double in the walkthrough, float in training). ops.cpp puts formulas and words around these;
// train.cpp runs them on mini-batches. Each forward sits beside its backward.
//
// The element-wise ones and the products return Eigen expressions, not matrices: assigned into a buffer that
// already has the right size they allocate nothing, which is most of the cost on a 10 x 8 mini-batch. Assign
// them before their arguments go away (the walkthrough's ops return a Mat at once).
#pragma once

#include <Eigen/Core>

#include <cmath>
#include <type_traits>

namespace kobai::kernel {

// A·B. As WebAssembly, the walkthrough's double matrices (a few rows and columns) take Eigen's lazy product, one
// dot product per element, which is what Eigen itself picks below 20 rows + columns + depth: its blocked GEMM
// would otherwise bring its packing and kernel code (about 8 KB gzipped) into the page's first download for
// sizes the page never pays it back on. Training's float products, and the native command, keep Eigen's product.
template <class A, class B> auto mul(const A& a, const B& b) {
#ifdef __wasm__
  if constexpr (std::is_same_v<typename A::Scalar, double>) return a.lazyProduct(b);
  else
#endif
    return a * b;
}

// Y = X·W + b (b added to every row)
template <class M> M affine(const M& X, const M& W, const M& b) { return mul(X, W).rowwise() + b.row(0); }
template <class M> auto affine_dX(const M& dY, const M& W) { return mul(dY, W.transpose()); }  // ∂L/∂X = ∂L/∂Y · Wᵀ
template <class M> auto affine_dW(const M& X, const M& dY) { return mul(X.transpose(), dY); }  // ∂L/∂W = Xᵀ · ∂L/∂Y
template <class M> auto affine_db(const M& dY) { return dY.colwise().sum(); }                  // ∂L/∂b = Σ_rows ∂L/∂Y

// y = max(0, x); ∂y/∂x = 1 where x > 0
template <class M> auto relu(const M& x) { return x.cwiseMax(typename M::Scalar(0)); }
template <class M> auto relu_backward(const M& x, const M& dout) { return (x.array() > 0).select(dout.array(), typename M::Scalar(0)).matrix(); }

// y = 1 / (1 + exp(−x)); ∂y/∂x = y(1 − y)
template <class M> auto sigmoid(const M& x) { return (1 / (1 + (-x.array()).exp())).matrix(); }
template <class M> auto sigmoid_backward(const M& y, const M& dout) { return (dout.array() * y.array() * (1 - y.array())).matrix(); }

// y = tanh(x); ∂y/∂x = 1 − y²
template <class M> auto tanh(const M& x) { return x.array().tanh().matrix(); }
template <class M> auto tanh_backward(const M& y, const M& dout) { return (dout.array() * (1 - y.array().square())).matrix(); }

// Row-wise log(softmax(a)), as a − logsumexp(a): large scores do not overflow.
template <class M> M log_softmax(const M& a) {
  M out(a.rows(), a.cols());
  for (Eigen::Index r = 0; r < a.rows(); ++r) {
    auto m = a.row(r).maxCoeff();
    auto lse = m + std::log((a.row(r).array() - m).exp().sum());
    out.row(r) = a.row(r).array() - lse;
  }
  return out;
}
// L = −(1/N) Σ t · log softmax(a)
template <class M> typename M::Scalar softmax_with_loss(const M& a, const M& t) {
  return -(t.cwiseProduct(log_softmax(a))).sum() / typename M::Scalar(a.rows());
}
// ∂L/∂a = (softmax(a)·Σt − t) / N: the book's (y − t)/N when each row of t sums to 1 (one-hot), exact for any t
template <class M> M softmax_with_loss_da(const M& a, const M& t) {
  M y = log_softmax(a).array().exp().matrix();
  M rowsum = t.rowwise().sum();
  return ((y.array().colwise() * rowsum.col(0).array()).matrix() - t) / typename M::Scalar(a.rows());
}
// ∂L/∂t = −log softmax(a) / N
template <class M> M softmax_with_loss_dt(const M& a) { return log_softmax(a) * (-1 / typename M::Scalar(a.rows())); }

// L = ½ Σ (y − t)²; ∂L/∂y = y − t
template <class M> typename M::Scalar mse(const M& y, const M& t) { return typename M::Scalar(0.5) * (y - t).squaredNorm(); }
template <class M> auto mse_dy(const M& y, const M& t) { return y - t; }

}  // namespace kobai::kernel
