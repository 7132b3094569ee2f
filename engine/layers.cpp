// The layers (the book's common/layers.py), on the shared kernels: each forward beside its backward.
#include "layers.h"

#include "kernels.h"
#include "product.h"
#include "train.h"  // Activation's values
#include "vec4.h"

#include <algorithm>
#include <type_traits>

namespace kobai {

// --- Affine ---------------------------------------------------------------------------------------------------

template <class S>
Affine<S> Affine<S>::random(int n, int m, double std_dev, Rng& rng) {
  M W(n, m);
  for (Eigen::Index i = 0; i < W.size(); ++i) W(i) = S(std_dev * rng.normal());  // drawn even for std 0: one sequence
  return Affine(std::move(W), M::Zero(1, m));
}

template <class S>
const typename Affine<S>::M& Affine<S>::forward(const M& x, bool train) {  // out = x·W + b
  multiply(this->out, x, W);  // kernel::affine, without its temporary; a same-size buffer is reused
  this->out.rowwise() += b.row(0);
  if (train) xt_ = x.transpose();  // what backward's dW = xᵀ·dout needs
  return this->out;
}

template <class S>
const typename Affine<S>::M& Affine<S>::backward(const M& dout) {
  multiply(dW, xt_, dout);       // kernel::affine_dW: ∂L/∂W = xᵀ·dout
  db = kernel::affine_db(dout);  // ∂L/∂b = Σ_rows dout (b was added to every row)
  if (need_dx) {
    wt_ = W.transpose();
    multiply(this->dx, dout, wt_);  // kernel::affine_dX: ∂L/∂x = dout·Wᵀ
  }
  return this->dx;
}

// --- Convolution ----------------------------------------------------------------------------------------------

template <class S>
Convolution<S>::Convolution(M W_, M b_, Dims4 in_, Window win_) : W(std::move(W_)), b(std::move(b_)), in(in_), win(win_) {
  in.n = 1;
  out_dims();  // refuses windows that do not fit, with the arithmetic
  if (W.cols() != in.c * win.h * win.w) throw InputError("a filter of " + format_dims({1, in.c, win.h, win.w}) + " needs " + std::to_string(in.c * win.h * win.w) + " weights, not " + std::to_string(W.cols()));
}

template <class S>
Convolution<S> Convolution<S>::random(Dims4 in, int filters, Window win, double std_dev, Rng& rng) {
  M W(filters, in.c * win.h * win.w);
  for (Eigen::Index i = 0; i < W.size(); ++i) W(i) = S(std_dev * rng.normal());  // drawn even for std 0, as Affine's
  return Convolution(std::move(W), M::Zero(1, filters), in, win);
}

template <class S>
Dims4 Convolution<S>::out_dims() const { return window_out(in, win, int(W.rows())); }

template <class S>
const typename Convolution<S>::M& Convolution<S>::forward(const M& x, bool) {
  Dims4 d = in;
  d.n = int(x.rows());
  const Dims4 o = window_out(d, win, int(W.rows()));
  col_ = im2col(x, d, win);  // (N·OH·OW) x (C·FH·FW): a window per row; kept for backward's dW
  wt_ = W.transpose();
  multiply(r_, col_, wt_);   // every window times every filter: (N·OH·OW) x FN
  r_.rowwise() += b.row(0);
  const int area = o.h * o.w;  // back to N rows of FN·OH·OW: each filter's map in turn
  this->out.resize(d.n, o.per_example());
  for (int f = 0; f < o.c; ++f)
    for (int p = 0; p < area; ++p)
      for (int n = 0; n < d.n; ++n) this->out(n, f * area + p) = r_(Eigen::Index(n) * area + p, f);
  return this->out;
}

template <class S>
const typename Convolution<S>::M& Convolution<S>::backward(const M& dout) {
  Dims4 d = in;
  d.n = int(dout.rows());
  const int area = int(dout.cols() / W.rows());
  dr_.resize(Eigen::Index(d.n) * area, W.rows());  // dout laid out as im2col's rows: a window per row, a filter per column
  for (Eigen::Index f = 0; f < W.rows(); ++f)
    for (int p = 0; p < area; ++p)
      for (int n = 0; n < d.n; ++n) dr_(Eigen::Index(n) * area + p, f) = dout(n, f * area + p);
  drt_ = dr_.transpose();
  multiply(dW, drt_, col_);               // ∂L/∂W = Σ_windows dout × (input patch) = doutᵀ·col
  db = dr_.colwise().sum();               // ∂L/∂b = Σ_windows dout
  if (need_dx) {
    multiply(r_, dr_, W);                  // ∂L/∂col = dout·W: each window's share
    this->dx = col2im(r_, d, win);         // scattered back; a pixel under several windows gets the sum
  }
  return this->dx;
}

// --- Pooling --------------------------------------------------------------------------------------------------

template <class S>
Pooling<S>::Pooling(Dims4 in_, Window win_) : in(in_), win(win_) {
  in.n = 1;
  if (win.pad != 0) throw InputError("a Pooling layer takes no padding, not " + std::to_string(win.pad));  // as the book's
  out_dims();  // refuses windows that do not fit, with the arithmetic
}

template <class S>
Dims4 Pooling<S>::out_dims() const {
  Dims4 d = in;
  d.n = 1;
  return window_out(d, win, in.c);
}

template <class S>
const typename Pooling<S>::M& Pooling<S>::forward(const M& x, bool) {
  Dims4 d = in;
  d.n = int(x.rows());
  const Dims4 o = window_out(d, win, d.c);
  const int N = d.n, per = o.per_example();
  this->out.resize(N, per);
  arg_.resize(size_t(N) * size_t(per));
  // maxpool_forward's result and argmax, for the whole batch at once: an input column is one pixel of every
  // example. The same comparisons in the same order (a window's first element, then any larger one: a tie keeps
  // the first). In float, four examples at a time as vector selects; the last four end at example N, so that a
  // batch of 10 is three blocks (the overlap is computed twice, to the same numbers) rather than two and a rest.
  for (int c = 0; c < d.c; ++c)
    for (int oh = 0; oh < o.h; ++oh)
      for (int ow = 0; ow < o.w; ++ow) {
        const int k = (c * o.h + oh) * o.w + ow;
        const int corner = (c * d.h + oh * win.stride) * d.w + ow * win.stride;  // the window's first pixel
        S* best = this->out.col(k).data();
        int* where = arg_.data() + size_t(k) * size_t(N);
        if constexpr (std::is_same_v<S, float>) {
          if (N >= 4) {
            using namespace vec4;
            for (int n0 = 0;; n0 = std::min(n0 + 4, N - 4)) {
              f4 b = load(x.col(corner).data() + n0);
              i4 at = {corner, corner, corner, corner};
              for (int i = 0; i < win.h; ++i)
                for (int j = 0; j < win.w; ++j) {
                  const int here = corner + i * d.w + j;
                  const f4 v = load(x.col(here).data() + n0);
                  const i4 larger = v > b;
                  b = select(larger, v, b);
                  at = select(larger, i4{here, here, here, here}, at);
                }
              store(best + n0, b), store(where + n0, at);
              if (n0 + 4 == N) break;
            }
            continue;
          }
        }
        for (int n = 0; n < N; ++n) best[n] = x(n, corner), where[n] = corner;
        for (int i = 0; i < win.h; ++i)
          for (int j = 0; j < win.w; ++j) {
            const int here = corner + i * d.w + j;
            const S* v = x.col(here).data();
            for (int n = 0; n < N; ++n)
              if (v[n] > best[n]) best[n] = v[n], where[n] = here;
          }
      }
  return this->out;
}

template <class S>
const typename Pooling<S>::M& Pooling<S>::backward(const M& dout) {  // ∂max/∂x is 1 at the maximum, 0 elsewhere
  const int N = int(dout.rows());
  this->dx = M::Zero(N, in.per_example());
  for (Eigen::Index k = 0; k < dout.cols(); ++k) {  // maxpool_backward's sums, in its order for each input
    const int* where = arg_.data() + size_t(k) * size_t(N);
    for (int n = 0; n < N; ++n) this->dx(n, where[n]) += dout(n, k);
  }
  return this->dx;
}

// --- the activations ------------------------------------------------------------------------------------------

template <class S>
const typename Relu<S>::M& Relu<S>::forward(const M& x, bool) { return this->out = kernel::relu(x); }  // max(0, x)
template <class S>
const typename Relu<S>::M& Relu<S>::backward(const M& dout) {  // 1 where x > 0, which is where out > 0
  // kernel::relu_backward's select, the same numbers, as vector selects in float (Eigen's select and clang's
  // own vectoriser both leave it scalar in WebAssembly).
  this->dx.resize(dout.rows(), dout.cols());
  const S *y = this->out.data(), *g = dout.data();
  S* d = this->dx.data();
  Eigen::Index i = 0;
  const Eigen::Index n = dout.size();
  if constexpr (std::is_same_v<S, float>)
    for (; i + 4 <= n; i += 4) vec4::store(d + i, vec4::select(vec4::load(y + i) > 0, vec4::load(g + i), vec4::f4{}));
  for (; i < n; ++i) d[i] = y[i] > 0 ? g[i] : S(0);
  return this->dx;
}

template <class S>
const typename Sigmoid<S>::M& Sigmoid<S>::forward(const M& x, bool) { return this->out = kernel::sigmoid(x); }  // 1/(1 + e^−x)
template <class S>
const typename Sigmoid<S>::M& Sigmoid<S>::backward(const M& dout) {  // ∂y/∂x = y(1 − y)
  return this->dx = kernel::sigmoid_backward(this->out, dout);
}

template <class S>
const typename Tanh<S>::M& Tanh<S>::forward(const M& x, bool) { return this->out = kernel::tanh(x); }
template <class S>
const typename Tanh<S>::M& Tanh<S>::backward(const M& dout) {  // ∂y/∂x = 1 − y²
  return this->dx = kernel::tanh_backward(this->out, dout);
}

template <class S>
std::unique_ptr<Layer<S>> make_activation(Activation a) {
  switch (a) {
    case Activation::relu: return std::make_unique<Relu<S>>();
    case Activation::sigmoid: return std::make_unique<Sigmoid<S>>();
    case Activation::tanh: return std::make_unique<Tanh<S>>();
    case Activation::linear: return nullptr;  // y = x: nothing to compute, nothing to keep
  }
  return nullptr;
}

// --- Dropout --------------------------------------------------------------------------------------------------

template <class S>
const typename Dropout<S>::M& Dropout<S>::forward(const M& x, bool train) {
  if (!train) return this->out = x * S(1 - ratio);  // at test time every unit, scaled to what training saw on average
  mask.resize(x.rows(), x.cols());
  for (Eigen::Index i = 0; i < x.size(); ++i) mask(i) = rng->uniform() > ratio ? S(1) : S(0);
  return this->out = x.cwiseProduct(mask);
}

template <class S>
const typename Dropout<S>::M& Dropout<S>::backward(const M& dout) {  // a dropped unit passes no gradient back
  return this->dx = dout.cwiseProduct(mask);
}

// --- BatchNormalization ---------------------------------------------------------------------------------------

template <class S>
BatchNormalization<S>::BatchNormalization(int units)
    : gamma(M::Ones(1, units)), beta(M::Zero(1, units)), running_mean(M::Zero(1, units)), running_var(M::Ones(1, units)) {}

template <class S>
const typename BatchNormalization<S>::M& BatchNormalization<S>::forward(const M& x, bool train) {
  const S eps = S(1e-7);
  if (train) {  // μ = mean over the batch, xc = x − μ, σ = √(mean(xc²) + ε), xn = xc / σ
    M mu = x.colwise().mean();
    xc_ = x.rowwise() - mu.row(0);
    M var = xc_.array().square().colwise().mean();
    std_ = (var.array() + eps).sqrt();
    xn_ = (xc_.array().rowwise() / std_.row(0).array()).matrix();
    running_mean = S(0.9) * running_mean + S(0.1) * mu;
    running_var = S(0.9) * running_var + S(0.1) * var;
  } else {  // test mode: the running averages instead of this batch's statistics
    xn_ = ((x.rowwise() - running_mean.row(0)).array().rowwise() / (running_var.array() + eps).sqrt().row(0)).matrix();
  }
  return this->out = ((xn_.array().rowwise() * gamma.row(0).array()).rowwise() + beta.row(0).array()).matrix();  // γ·xn + β
}

template <class S>
const typename BatchNormalization<S>::M& BatchNormalization<S>::backward(const M& dout) {  // the book's, step by step
  const S n = S(dout.rows());
  dbeta = dout.colwise().sum();                    // ∂L/∂β = Σ dout
  dgamma = xn_.cwiseProduct(dout).colwise().sum();  // ∂L/∂γ = Σ xn·dout
  M dxn = (dout.array().rowwise() * gamma.row(0).array()).matrix();
  M dxc = (dxn.array().rowwise() / std_.row(0).array()).matrix();
  M dstd = -((dxn.array() * xc_.array()).rowwise() / std_.row(0).array().square()).colwise().sum();
  M dvar = (S(0.5) * dstd.array() / std_.array()).matrix();
  dxc += ((xc_.array().rowwise() * dvar.row(0).array()) * (S(2) / n)).matrix();
  M dmu = dxc.colwise().sum();
  return this->dx = dxc.rowwise() - (dmu / n).row(0);  // each x also moved μ: ∂L/∂x = dxc − Σdxc / N
}

// --- the loss layers ------------------------------------------------------------------------------------------

template <class S>
S SoftmaxWithLoss<S>::forward(const M& y, const M& t) {
  y_ = y, t_ = t;
  return kernel::softmax_with_loss(y, t);  // −(1/N) Σ t·log softmax(y)
}
template <class S>
const typename SoftmaxWithLoss<S>::M& SoftmaxWithLoss<S>::backward() {
  return this->dx = kernel::softmax_with_loss_da(y_, t_);  // (softmax(y) − t) / N for one-hot t
}

template <class S>
S IdentityWithLoss<S>::forward(const M& y, const M& t) {
  y_ = y, t_ = t;
  return kernel::mse(y, t) / S(y.rows());  // ½ Σ (y − t)², averaged over the batch
}
template <class S>
const typename IdentityWithLoss<S>::M& IdentityWithLoss<S>::backward() {
  return this->dx = kernel::mse_dy(y_, t_) / S(y_.rows());  // (y − t) / N
}

// --- a list of layers ------------------------------------------------------------------------------------------

template <class S>
const typename Layer<S>::M& forward_all(LayerList<S>& layers, const typename Layer<S>::M& x, bool train) {
  const typename Layer<S>::M* in = &x;
  for (auto& layer : layers) in = &layer->forward(*in, train);
  return *in;
}

template <class S>
const typename Layer<S>::M& backward_all(LayerList<S>& layers, const typename Layer<S>::M& dout) {
  const typename Layer<S>::M* d = &dout;
  for (size_t i = layers.size(); i-- > 0;) d = &layers[i]->backward(*d);
  return *d;
}

#define KOBAI_LAYERS(S)                                                                        \
  template struct Affine<S>;                                                                   \
  template struct Convolution<S>;                                                              \
  template struct Pooling<S>;                                                                  \
  template struct Relu<S>;                                                                     \
  template struct Sigmoid<S>;                                                                  \
  template struct Tanh<S>;                                                                     \
  template struct Dropout<S>;                                                                  \
  template struct BatchNormalization<S>;                                                       \
  template struct SoftmaxWithLoss<S>;                                                          \
  template struct IdentityWithLoss<S>;                                                         \
  template std::unique_ptr<Layer<S>> make_activation<S>(Activation);                           \
  template const Layer<S>::M& forward_all<S>(LayerList<S>&, const Layer<S>::M&, bool);         \
  template const Layer<S>::M& backward_all<S>(LayerList<S>&, const Layer<S>::M&);
KOBAI_LAYERS(float)
KOBAI_LAYERS(double)
#undef KOBAI_LAYERS

}  // namespace kobai
