// kobai engine: the layers of a network, in the book's shape (deep-learning-from-scratch's common/layers.py).
// Each layer has forward and backward side by side, and keeps exactly what its backward needs. They run the
// walkthrough's own op math (kernels.h) on mini-batches, in float (the page) or double (the tests).
//
//   Layer<S>                  what every layer has: forward(x, train) → out, backward(dout) → dx
//   Affine                    out = x·W + b                       keeps xᵀ; dW, db
//   Convolution               out = im2col(x)·Wᵀ + b (conv.h)     keeps im2col(x); dW, db
//   Pooling                   max pooling (conv.h)                keeps where each maximum was
//                             (flatten needs no layer: an image is already a row of C·H·W numbers)
//   Relu, Sigmoid, Tanh       the activations                     keep their output
//   make_activation           the one switch from Activation to its layer (linear: none); range() its outputs
//   Dropout                   drops units while training          keeps the mask
//   BatchNormalization        normalises each unit over the batch keeps xc, xn, std; dgamma, dbeta
//   LossLayer<S>              forward(y, t) → loss, backward() → dx
//   SoftmaxWithLoss           −(1/N) Σ t·log softmax(y)
//   IdentityWithLoss          ½ Σ (y − t)² / N
//   LayerList<S>, forward_all, backward_all   a list of layers run in order, and back
//
//   LayerList<float> layers;  layers.push_back(std::make_unique<Affine<float>>(W, b)); ...
//   const auto& y = forward_all(layers, X, true);  loss.forward(y, T);  backward_all(layers, loss.backward());
//   layers[0]->... ; static_cast<Affine<float>&>(*layers[0]).dW   (Net::affine(l) does this for a network)
#pragma once

#include "conv.h"
#include "random.h"

#include <Eigen/Core>

#include <cmath>
#include <memory>
#include <utility>
#include <vector>

namespace kobai {

enum class Activation : int;  // relu, sigmoid, tanh, linear: listed with their names in train.h

// --- what every layer has -------------------------------------------------------------------------------------
template <class S>
struct Layer {
  using M = Eigen::Matrix<S, Eigen::Dynamic, Eigen::Dynamic>;
  virtual ~Layer() = default;
  virtual const char* name() const = 0;  // the book's class name: "Affine", "Relu", ...
  // train: dropout drops and batch normalisation uses the batch's statistics (and updates its running ones);
  // otherwise test mode. Forward fills `out`, backward fills `dx`; both buffers are reused from batch to batch.
  virtual const M& forward(const M& x, bool train) = 0;
  virtual const M& backward(const M& dout) = 0;  // after a forward with train = true
  // The layer's parameters and their gradients, in the same order (none for most layers).
  virtual std::vector<M*> params() { return {}; }
  virtual std::vector<M*> grads() { return {}; }
  // The values `out` can take, lowest and highest: what a histogram of them spans (unbounded: ±infinity).
  virtual std::pair<double, double> range() const { return {-HUGE_VAL, HUGE_VAL}; }
  M out, dx;
};

// --- Affine: out = x·W + b ------------------------------------------------------------------------------------
template <class S>
struct Affine : Layer<S> {
  using M = typename Layer<S>::M;
  M W, b, dW, db;
  bool need_dx = true;  // false for a network's first layer: its input is the data, whose gradient nobody uses
  Affine(M W_, M b_) : W(std::move(W_)), b(std::move(b_)) {}
  // n inputs, m outputs: W drawn from a normal with standard deviation std_dev (0: all zero), b zero.
  static Affine random(int n, int m, double std_dev, Rng& rng);
  const char* name() const override { return "Affine"; }
  const M& forward(const M& x, bool train) override;
  const M& backward(const M& dout) override;
  std::vector<M*> params() override { return {&W, &b}; }
  std::vector<M*> grads() override { return {&dW, &db}; }

 private:
  M xt_, wt_;  // xᵀ (kept for dW = xᵀ·dout), Wᵀ (scratch for dx)
};

// --- Convolution: each filter slid over the image, out = im2col(x)·Wᵀ + b (the book's Convolution) ------------
// x: N rows of C·H·W (in: C, H, W; its n is ignored: the batch's rows are N); out: N rows of FN·OH·OW, each
// filter's map in turn, which is what a following Convolution, Pooling or Affine (flatten) reads.
template <class S>
struct Convolution : Layer<S> {
  using M = typename Layer<S>::M;
  M W, b, dW, db;  // W: FN x C·FH·FW, a filter per row (conv.h's layout); b: 1 x FN
  Dims4 in;        // an example's C, H, W
  Window win;      // FH, FW, stride, pad
  bool need_dx = true;  // false for a network's first layer: nobody uses the data's gradient
  Convolution(M W_, M b_, Dims4 in_, Window win_);
  // FN filters over `in`, their weights drawn from a normal with standard deviation std_dev (0: all zero), b zero.
  static Convolution random(Dims4 in, int filters, Window win, double std_dev, Rng& rng);
  Dims4 out_dims() const;  // an example's FN, OH, OW (n = 1); throws InputError when the windows do not fit
  const char* name() const override { return "Convolution"; }
  const M& forward(const M& x, bool train) override;
  const M& backward(const M& dout) override;
  std::vector<M*> params() override { return {&W, &b}; }
  std::vector<M*> grads() override { return {&dW, &db}; }

 private:
  M col_, wt_, r_, dr_, drt_;  // im2col(x) (kept for dW = drᵀ·col), Wᵀ, and scratch: a window per row
};

// --- Pooling: the largest value of each window, per channel (the book's Pooling) -------------------------------
template <class S>
struct Pooling : Layer<S> {
  using M = typename Layer<S>::M;
  Dims4 in;    // an example's C, H, W
  Window win;  // the pool's size and stride; no padding
  Pooling(Dims4 in_, Window win_);
  Dims4 out_dims() const;  // C, OH, OW
  const char* name() const override { return "Pooling"; }
  const M& forward(const M& x, bool train) override;
  const M& backward(const M& dout) override;  // each gradient to where its window's maximum was

 private:
  std::vector<int> arg_;  // per output column k and example n (at k·N + n), the input column of the maximum
};

// --- the activations ------------------------------------------------------------------------------------------
template <class S>
struct Relu : Layer<S> {  // out = max(0, x); dx = dout where x > 0 (where out > 0: the same places)
  using M = typename Layer<S>::M;
  const char* name() const override { return "Relu"; }
  std::pair<double, double> range() const override { return {0, HUGE_VAL}; }
  const M& forward(const M& x, bool train) override;
  const M& backward(const M& dout) override;
};

template <class S>
struct Sigmoid : Layer<S> {  // out = 1 / (1 + exp(−x)); dx = dout · out(1 − out)
  using M = typename Layer<S>::M;
  const char* name() const override { return "Sigmoid"; }
  std::pair<double, double> range() const override { return {0, 1}; }
  const M& forward(const M& x, bool train) override;
  const M& backward(const M& dout) override;
};

template <class S>
struct Tanh : Layer<S> {  // out = tanh(x); dx = dout · (1 − out²)
  using M = typename Layer<S>::M;
  const char* name() const override { return "Tanh"; }
  std::pair<double, double> range() const override { return {-1, 1}; }
  const M& forward(const M& x, bool train) override;
  const M& backward(const M& dout) override;
};

// The layer for an activation: the only switch over Activation in the engine. Linear has no layer (nullptr).
template <class S>
std::unique_ptr<Layer<S>> make_activation(Activation a);

// --- Dropout: while training each unit is kept with probability 1 − ratio; at test time scaled by 1 − ratio ---
template <class S>
struct Dropout : Layer<S> {
  using M = typename Layer<S>::M;
  double ratio;
  Rng* rng;  // the network's generator: the same seed drops the same units
  M mask;    // 1 where the unit was kept
  Dropout(double ratio_, Rng& rng_) : ratio(ratio_), rng(&rng_) {}
  const char* name() const override { return "Dropout"; }
  const M& forward(const M& x, bool train) override;
  const M& backward(const M& dout) override;
};

// --- BatchNormalization: each unit normalised over the batch, then scaled by γ and shifted by β ----------------
template <class S>
struct BatchNormalization : Layer<S> {
  using M = typename Layer<S>::M;
  M gamma, beta, dgamma, dbeta;
  M running_mean, running_var;  // what test mode normalises with: averages over the batches seen (momentum 0.9)
  explicit BatchNormalization(int units);
  const char* name() const override { return "BatchNormalization"; }
  const M& forward(const M& x, bool train) override;
  const M& backward(const M& dout) override;
  std::vector<M*> params() override { return {&gamma, &beta}; }
  std::vector<M*> grads() override { return {&dgamma, &dbeta}; }

 private:
  M xc_, xn_, std_;  // x − mean, (x − mean)/std, √(var + ε)
};

// --- the loss layers: the last layer, which also takes the targets ---------------------------------------------
template <class S>
struct LossLayer {
  using M = Eigen::Matrix<S, Eigen::Dynamic, Eigen::Dynamic>;
  virtual ~LossLayer() = default;
  virtual const char* name() const = 0;
  virtual S forward(const M& y, const M& t) = 0;  // the loss, averaged over the batch's rows
  virtual const M& backward() = 0;                // ∂L/∂y, for the y and t of the last forward
  M dx;
};

template <class S>
struct SoftmaxWithLoss : LossLayer<S> {  // L = −(1/N) Σ t·log softmax(y); dx = (softmax(y) − t) / N
  using M = typename LossLayer<S>::M;
  const char* name() const override { return "SoftmaxWithLoss"; }
  S forward(const M& y, const M& t) override;
  const M& backward() override;

 private:
  M y_, t_;
};

template <class S>
struct IdentityWithLoss : LossLayer<S> {  // L = ½ Σ (y − t)² / N; dx = (y − t) / N
  using M = typename LossLayer<S>::M;
  const char* name() const override { return "IdentityWithLoss"; }
  S forward(const M& y, const M& t) override;
  const M& backward() override;

 private:
  M y_, t_;
};

// --- a list of layers ------------------------------------------------------------------------------------------
template <class S>
using LayerList = std::vector<std::unique_ptr<Layer<S>>>;

// Each layer's forward on the one before's output: the last layer's out.
template <class S>
const typename Layer<S>::M& forward_all(LayerList<S>& layers, const typename Layer<S>::M& x, bool train);
// Each layer's backward, last first, from ∂L/∂(last out): the first layer's dx (unless it needs none).
template <class S>
const typename Layer<S>::M& backward_all(LayerList<S>& layers, const typename Layer<S>::M& dout);

}  // namespace kobai
