// Training: the network's layers (the book's layers.py, on the shared kernels) and epochs in mini-batches (the
// optimizers are optim.cpp's).
#include "train.h"

#include "kernels.h"
#include "product.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>

namespace kobai {

// Run once per network or per epoch, not per batch: compiled for size (clang: cold implies optimise for size).
#define KOBAI_COLD __attribute__((cold))

KOBAI_COLD void check(const NetConfig& c) {
  if (c.inputs < 1 || c.inputs > 4096) throw InputError("a network takes 1 to 4096 inputs, not " + std::to_string(c.inputs));
  if (c.outputs < 1 || c.outputs > 256) throw InputError("a network has 1 to 256 outputs, not " + std::to_string(c.outputs));
  if (c.hidden.size() > 8) throw InputError("at most 8 hidden layers, not " + std::to_string(c.hidden.size()));
  for (size_t i = 0; i < c.hidden.size(); ++i)
    if (c.hidden[i] < 1 || c.hidden[i] > 256)  // the page offers up to 64; the digits benchmark uses 100
      throw InputError("hidden layer " + std::to_string(i + 1) + " must have 1 to 256 units, not " + std::to_string(c.hidden[i]));
  if (!(c.dropout >= 0 && c.dropout < 1)) throw InputError("the dropout ratio must be from 0 up to (not including) 1");
  if (!(c.l1 >= 0 && c.l2 >= 0 && std::isfinite(c.l1) && std::isfinite(c.l2))) throw InputError("L1 and L2 must be finite and not negative");
}

// --- the network --------------------------------------------------------------------------------------------

template <class S>
KOBAI_COLD Net<S>::Net(const NetConfig& c) : cfg_(c), rng_{c.seed} {
  check(c);
  std::vector<int> sizes{c.inputs};
  sizes.insert(sizes.end(), c.hidden.begin(), c.hidden.end());
  sizes.push_back(c.outputs);
  for (size_t l = 0; l + 1 < sizes.size(); ++l) {
    int n = sizes[l], m = sizes[l + 1];
    double std_dev = c.init == Init::gaussian ? 0.01 : c.init == Init::xavier ? std::sqrt(1.0 / n) : std::sqrt(2.0 / n);
    M W(n, m);
    for (Eigen::Index i = 0; i < W.size(); ++i) W(i) = S(std_dev * rng_.normal());
    W_.push_back(W);
    b_.push_back(M::Zero(1, m));
    if (l + 2 < sizes.size()) {  // hidden layers: batch norm's scale and shift
      gamma_.push_back(M::Ones(1, m));
      beta_.push_back(M::Zero(1, m));
      run_mean_.push_back(M::Zero(1, m));
      run_var_.push_back(M::Ones(1, m));
    }
  }
  size_t L = W_.size();
  dW_.resize(L), db_.resize(L), dgamma_.resize(gamma_.size()), dbeta_.resize(beta_.size());
  x_.assign(L, nullptr), z_.resize(L), y_.resize(L), mask_.resize(L), dropped_.resize(L), xc_.resize(L), xn_.resize(L), std_.resize(L);
}

template <class S>
const typename Net<S>::M& Net<S>::forward(const M& X, bool train) {
  const M* in = &X;  // this layer's input: X, then the layer before's activation (after dropout)
  size_t last = W_.size() - 1;
  for (size_t l = 0; l < W_.size(); ++l) {
    x_[l] = in;  // for the backward pass: X (the caller keeps it), or this net's own y_ or dropped_ of layer l − 1
    multiply(z_[l], *in, W_[l]);  // kernel::affine, without its temporary; same-size buffers are reused
    z_[l].rowwise() += b_[l].row(0);
    if (l == last) return z_[l];
    M& z = z_[l];
    if (cfg_.batchnorm) {  // normalise each unit over the batch, then scale by γ and shift by β
      const S eps = S(1e-7);
      if (train) {
        M mu = z.colwise().mean();
        xc_[l] = z.rowwise() - mu.row(0);
        M var = xc_[l].array().square().colwise().mean();
        std_[l] = (var.array() + eps).sqrt();
        xn_[l] = (xc_[l].array().rowwise() / std_[l].row(0).array()).matrix();
        run_mean_[l] = S(0.9) * run_mean_[l] + S(0.1) * mu;
        run_var_[l] = S(0.9) * run_var_[l] + S(0.1) * var;
      } else {
        xn_[l] = ((z.rowwise() - run_mean_[l].row(0)).array().rowwise() / (run_var_[l].array() + eps).sqrt().row(0)).matrix();
      }
      z = ((xn_[l].array().rowwise() * gamma_[l].row(0).array()).rowwise() + beta_[l].row(0).array()).matrix();
    }
    switch (cfg_.activation) {
      case Activation::relu: y_[l] = kernel::relu(z); break;
      case Activation::sigmoid: y_[l] = kernel::sigmoid(z); break;
      case Activation::tanh: y_[l] = kernel::tanh(z); break;
      case Activation::linear: y_[l] = z; break;
    }
    in = &y_[l];  // y_ keeps the activation for the backward pass
    if (cfg_.dropout > 0) {  // the book's Dropout: drop while training, scale by (1 − ratio) at test time
      M& h = dropped_[l];
      if (train) {
        mask_[l].resize(z.rows(), z.cols());
        for (Eigen::Index i = 0; i < z.size(); ++i) mask_[l](i) = rng_.uniform() > cfg_.dropout ? S(1) : S(0);
        h = y_[l].cwiseProduct(mask_[l]);
      } else {
        h = y_[l] * S(1 - cfg_.dropout);
      }
      in = &h;
    }
  }
  return z_[last];
}

template <class S>
S Net<S>::regularisation() const {
  S r = 0;
  if (cfg_.l1 == 0 && cfg_.l2 == 0) return r;  // the usual case: skip a pass over every weight per batch
  for (const M& W : W_) r += S(cfg_.l1) * W.cwiseAbs().sum() + S(0.5 * cfg_.l2) * W.squaredNorm();
  return r;
}

template <class S>
S Net<S>::forward_backward(const M& X, const M& T) {
  const M& y = forward(X, true);
  S loss;
  M& dout = dout_;  // two buffers, swapped layer by layer: a product must not write into its own input
  if (cfg_.loss == LossKind::softmax) {
    loss = kernel::softmax_with_loss(y, T);
    dout = kernel::softmax_with_loss_da(y, T);  // (y − t) / N
  } else {
    S n = S(X.rows());
    loss = kernel::mse(y, T) / n;               // ½Σ(y − t)², averaged over the batch
    dout = kernel::mse_dy(y, T) / n;
  }
  loss += regularisation();
  for (size_t l = W_.size(); l-- > 0;) {
    if (l + 1 < W_.size()) {  // back through dropout, the activation and batch norm of hidden layer l
      if (cfg_.dropout > 0) dout = dout.cwiseProduct(mask_[l]);
      switch (cfg_.activation) {
        case Activation::relu: dout = kernel::relu_backward(z_[l], dout); break;
        case Activation::sigmoid: dout = kernel::sigmoid_backward(y_[l], dout); break;
        case Activation::tanh: dout = kernel::tanh_backward(y_[l], dout); break;
        case Activation::linear: break;
      }
      if (cfg_.batchnorm) {  // the book's BatchNormalization.backward
        S n = S(dout.rows());
        dbeta_[l] = dout.colwise().sum();
        dgamma_[l] = xn_[l].cwiseProduct(dout).colwise().sum();
        M dxn = (dout.array().rowwise() * gamma_[l].row(0).array()).matrix();
        M dxc = (dxn.array().rowwise() / std_[l].row(0).array()).matrix();
        M dstd = -((dxn.array() * xc_[l].array()).rowwise() / std_[l].row(0).array().square()).colwise().sum();
        M dvar = (S(0.5) * dstd.array() / std_[l].array()).matrix();
        dxc += ((xc_[l].array().rowwise() * dvar.row(0).array()) * (S(2) / n)).matrix();
        M dmu = dxc.colwise().sum();
        dout = dxc.rowwise() - (dmu / n).row(0);
      }
    }
    xt_ = x_[l]->transpose();
    multiply(dW_[l], xt_, dout);  // kernel::affine_dW: Xᵀ·dY
    if (cfg_.l2 > 0) dW_[l] += S(cfg_.l2) * W_[l];
    if (cfg_.l1 > 0) dW_[l] += S(cfg_.l1) * W_[l].array().sign().matrix();
    db_[l] = kernel::affine_db(dout);
    if (l > 0) {
      wt_ = W_[l].transpose();
      multiply(dnext_, dout, wt_);  // kernel::affine_dX: dY·Wᵀ
      dout.swap(dnext_);
    }
  }
  return loss;
}

template <class S>
typename Net<S>::M Net<S>::predict(const M& X) const {
  return const_cast<Net*>(this)->forward(X, false);  // test mode changes no weights; the caches are scratch
}

template <class S>
KOBAI_COLD std::vector<typename Net<S>::M> Net<S>::activations(const M& X) const {
  const_cast<Net*>(this)->forward(X, false);
  return std::vector<M>(y_.begin(), y_.end() - 1);  // the output layer keeps no activation
}

template <class S>
typename Net<S>::Score Net<S>::evaluate(const M& X, const M& T) const {
  Score s{0, 0};
  if (X.rows() == 0) return s;  // an empty test set
  M y = predict(X);
  s.loss = double((cfg_.loss == LossKind::softmax ? kernel::softmax_with_loss(y, T) : kernel::mse(y, T) / S(X.rows())) + regularisation());
  int right = 0;
  if (y.cols() == 1) {  // one output: two classes, ±1 (or 0/1) targets, split at the middle
    const S middle = S(0.5) * (T.maxCoeff() + T.minCoeff());
    for (Eigen::Index r = 0; r < y.rows(); ++r) right += (y(r, 0) > middle) == (T(r, 0) > middle);
  } else {  // the arg-max agrees with T's
    for (Eigen::Index r = 0; r < y.rows(); ++r) {
      Eigen::Index a, b;
      y.row(r).maxCoeff(&a);
      T.row(r).maxCoeff(&b);
      right += a == b;
    }
  }
  s.accuracy = y.rows() ? double(right) / double(y.rows()) : 0.0;
  return s;
}

template <class S>
S Net<S>::loss(const M& X, const M& T) const { return S(evaluate(X, T).loss); }

template <class S>
double Net<S>::accuracy(const M& X, const M& T) const { return evaluate(X, T).accuracy; }

template <class S>
std::vector<typename Net<S>::M*> Net<S>::params() {
  std::vector<M*> p;
  for (size_t l = 0; l < W_.size(); ++l) {
    p.push_back(&W_[l]), p.push_back(&b_[l]);
    if (cfg_.batchnorm && l < gamma_.size()) p.push_back(&gamma_[l]), p.push_back(&beta_[l]);
  }
  return p;
}

template <class S>
std::vector<typename Net<S>::M*> Net<S>::grads() {
  std::vector<M*> g;
  for (size_t l = 0; l < W_.size(); ++l) {
    g.push_back(&dW_[l]), g.push_back(&db_[l]);
    if (cfg_.batchnorm && l < gamma_.size()) g.push_back(&dgamma_[l]), g.push_back(&dbeta_[l]);
  }
  return g;
}

template <class S>
KOBAI_COLD std::vector<std::pair<typename Net<S>::M, typename Net<S>::M>> Net<S>::folded() const {
  std::vector<std::pair<M, M>> out;
  for (size_t l = 0; l < W_.size(); ++l) {
    M W = W_[l], b = b_[l];
    if (l > 0 && cfg_.dropout > 0) W *= S(1 - cfg_.dropout);  // the previous layer's test-time scaling
    if (cfg_.batchnorm && l + 1 < W_.size()) {  // γ(z − mean)/√(var + ε) + β, as one affine map
      M scale = (gamma_[l].array() / (run_var_[l].array() + S(1e-7)).sqrt()).matrix();
      W = (W.array().rowwise() * scale.row(0).array()).matrix();
      b = ((b - run_mean_[l]).array() * scale.array() + beta_[l].array()).matrix();
    }
    out.push_back({W, b});
  }
  return out;
}

template <class S>
KOBAI_COLD std::vector<typename Net<S>::M> Net<S>::snapshot() const {
  std::vector<M> s;
  for (M* p : const_cast<Net*>(this)->params()) s.push_back(*p);
  for (const M& m : run_mean_) s.push_back(m);
  for (const M& v : run_var_) s.push_back(v);
  return s;
}

template <class S>
KOBAI_COLD void Net<S>::restore(const std::vector<M>& s) {
  size_t i = 0;
  for (M* p : params()) *p = s[i++];
  for (M& m : run_mean_) m = s[i++];
  for (M& v : run_var_) v = s[i++];
}

// --- epochs ---------------------------------------------------------------------------------------------------

template <class S>
bool train_some(Net<S>& net, Optimizer<S>& opt, const Dataset<S>& d, int batch, bool replacement, Rng& rng, EpochRun& run, int max_batches) {
  const int n = d.rows();
  if (!run.started) {  // the epoch's plan, fixed even if the settings change before it ends
    run = EpochRun{};
    run.started = true;
    run.batch = std::clamp(batch, 1, std::max(1, n)), run.replacement = replacement;
    run.batches = n ? (n + run.batch - 1) / run.batch : 0;
    run.order.resize(size_t(n));
    for (int i = 0; i < n; ++i) run.order[size_t(i)] = i;
    if (!replacement)
      for (int i = n; i > 1; --i) std::swap(run.order[size_t(i - 1)], run.order[rng.below(i)]);
  }
  MatT<S> X, T;
  std::vector<int> idx;
  const auto params = net.params(), grads = net.grads();  // once a call, not once a batch
  for (int done = 0; run.next < run.batches && done < max_batches; ++done, ++run.next) {
    const int k = run.next, rows = run.replacement ? run.batch : std::min(run.batch, n - k * run.batch);
    idx.resize(size_t(rows));
    for (int i = 0; i < rows; ++i) idx[size_t(i)] = run.replacement ? rng.below(n) : run.order[size_t(k * run.batch + i)];
    X = d.X(idx, Eigen::all), T = d.T(idx, Eigen::all);  // the batch's rows, gathered a column at a time
    S loss = net.forward_backward(X, T);
    bool finite = std::isfinite(double(loss));
    if (finite) {
      opt.update(params, grads);
      if (k + 1 == run.batches)  // non-finite weights make the next batch's loss non-finite; the last batch is checked here
        for (auto* p : params) finite = finite && p->allFinite();
    }
    if (!finite) {
      run.result.diverged = true;
      run.result.message = "training diverged at batch " + std::to_string(k + 1) + ": the loss or the weights became NaN or inf. The learning rate (" +
                           format_number(opt.config().lr) + ") is probably too large: try a tenth of it. The last good weights can be restored.";
      return true;
    }
    run.result.loss += double(loss) / run.batches;
  }
  return run.next >= run.batches;
}

template <class S>
EpochResult train_epoch(Net<S>& net, Optimizer<S>& opt, const Dataset<S>& d, int batch, bool replacement, Rng& rng) {
  EpochRun run;
  train_some(net, opt, d, batch, replacement, rng, run, std::numeric_limits<int>::max());
  return run.result;
}

template <class S>
double train_batch(Net<S>& net, Optimizer<S>& opt, const Dataset<S>& d, int batch, Rng& rng) {
  int n = d.rows();
  batch = std::clamp(batch, 1, std::max(1, n));
  MatT<S> X(batch, d.X.cols()), T(batch, d.T.cols());
  for (int i = 0; i < batch; ++i) {
    int row = rng.below(n);
    X.row(i) = d.X.row(row);
    T.row(i) = d.T.row(row);
  }
  S loss = net.forward_backward(X, T);
  if (!std::isfinite(double(loss))) return double(loss);
  opt.update(net.params(), net.grads());
  return double(loss);
}

template class Net<float>;
template class Net<double>;
template EpochResult train_epoch(Net<float>&, Optimizer<float>&, const Dataset<float>&, int, bool, Rng&);
template bool train_some(Net<float>&, Optimizer<float>&, const Dataset<float>&, int, bool, Rng&, EpochRun&, int);
template bool train_some(Net<double>&, Optimizer<double>&, const Dataset<double>&, int, bool, Rng&, EpochRun&, int);
template EpochResult train_epoch(Net<double>&, Optimizer<double>&, const Dataset<double>&, int, bool, Rng&);
template double train_batch(Net<float>&, Optimizer<float>&, const Dataset<float>&, int, Rng&);
template double train_batch(Net<double>&, Optimizer<double>&, const Dataset<double>&, int, Rng&);

}  // namespace kobai
