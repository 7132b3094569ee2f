// Training: the network as a list of the book's layers (layers.cpp) and epochs in mini-batches (the optimizers
// are optim.cpp's).
#include "train.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>

namespace kobai {

// Run once per network or per epoch, not per batch: compiled for size (clang: cold implies optimise for size).
#define KOBAI_COLD __attribute__((cold))

static int conv_features(const NetConfig& c);  // below: the conv stages checked

KOBAI_COLD void check(const NetConfig& c) {
  if (c.inputs < 1 || c.inputs > 4096) throw InputError("a network takes 1 to 4096 inputs, not " + std::to_string(c.inputs));
  if (c.outputs < 1 || c.outputs > 256) throw InputError("a network has 1 to 256 outputs, not " + std::to_string(c.outputs));
  if (c.hidden.size() > 8) throw InputError("at most 8 hidden layers, not " + std::to_string(c.hidden.size()));
  for (size_t i = 0; i < c.hidden.size(); ++i)
    if (c.hidden[i] < 1 || c.hidden[i] > 256)  // the page offers up to 64; the digits benchmark uses 100
      throw InputError("hidden layer " + std::to_string(i + 1) + " must have 1 to 256 units, not " + std::to_string(c.hidden[i]));
  if (!(c.dropout >= 0 && c.dropout < 1)) throw InputError("the dropout ratio must be from 0 up to (not including) 1");
  if (!(c.l1 >= 0 && c.l2 >= 0 && std::isfinite(c.l1) && std::isfinite(c.l2))) throw InputError("L1 and L2 must be finite and not negative");
  conv_features(c);
}

// The conv stages checked one after another, each against the shape the one before gives: the numbers the first
// Affine reads (C·H·W of the last stage), or `inputs` when there are none.
static std::string image_of(const Dims4& d) { return std::to_string(d.c) + "x" + std::to_string(d.h) + "x" + std::to_string(d.w); }  // C x H x W

KOBAI_COLD static int conv_features(const NetConfig& c) {
  using std::to_string;
  if (c.conv.empty()) return c.inputs;
  if (c.conv.size() > size_t(kMaxConvStages))
    throw InputError("at most " + to_string(kMaxConvStages) + " conv stages, not " + to_string(c.conv.size()));
  if (c.channels < 1 || c.channels > kMaxImageChannels)
    throw InputError("an image has 1 to " + to_string(kMaxImageChannels) + " channels, not " + to_string(c.channels));
  if (c.height < 1 || c.height > kMaxImageSide || c.width < 1 || c.width > kMaxImageSide)
    throw InputError("an image is 1 to " + to_string(kMaxImageSide) + " pixels high and wide, not " + to_string(c.height) + "x" + to_string(c.width));
  Dims4 d{1, c.channels, c.height, c.width};
  if (c.inputs != d.per_example())
    throw InputError("a " + image_of(d) + " image has " + to_string(d.per_example()) + " numbers, but the network has " + to_string(c.inputs) + " inputs");
  // A window's size, stride or padding out of range, or windows that do not fit: "<where>: <what>".
  auto fit = [](const std::string& where, const Dims4& in, int size, int stride, int pad, int channels_out) {
    const int side = std::min(in.h, in.w);
    const std::string shape = " (its input is " + image_of(in) + ")";
    if (size < 1 || size > side) throw InputError(where + ": the window's size must be from 1 to " + to_string(side) + shape + ", not " + to_string(size));
    if (stride < 1 || stride > side) throw InputError(where + ": the stride must be from 1 to " + to_string(side) + shape + ", not " + to_string(stride));
    if (pad < 0 || pad >= size) throw InputError(where + ": the padding must be from 0 to " + to_string(size - 1) + " (less than the window's size), not " + to_string(pad));
    for (auto [length, dim] : {std::pair{in.h, "height"}, std::pair{in.w, "width"}}) {
      const std::string problem = out_size_problem(length, size, pad, stride, dim);
      if (!problem.empty()) throw InputError(where + ": " + problem);
    }
    return window_out(in, Window{size, size, stride, pad}, channels_out);
  };
  for (size_t i = 0; i < c.conv.size(); ++i) {
    const ConvStage& st = c.conv[i];
    const std::string stage = "conv stage " + to_string(i + 1);
    if (st.filters < 1 || st.filters > kMaxFilters)
      throw InputError(stage + " has 1 to " + to_string(kMaxFilters) + " filters, not " + to_string(st.filters));
    d = fit(stage, d, st.size, st.stride, st.pad, st.filters);
    if (st.pool < 0) throw InputError(stage + ": the pooling window is 0 (no pooling) or more, not " + to_string(st.pool));
    if (st.pool > 0) d = fit(stage + "'s pooling", d, st.pool, st.pool_stride, 0, d.c);
  }
  if (d.per_example() > kMaxFlatten)
    throw InputError("the last conv stage gives " + image_of(d) + " = " + to_string(d.per_example()) + " numbers to flatten; at most " + to_string(kMaxFlatten));
  return d.per_example();
}

KOBAI_COLD NetConfig digits_cnn() {
  NetConfig c;
  c.inputs = 64, c.channels = 1, c.height = 8, c.width = 8;
  c.conv = {ConvStage{16, 3, 1, 1, 2, 2}};
  c.hidden = {64}, c.outputs = 10;
  c.activation = Activation::relu, c.init = Init::he, c.loss = LossKind::softmax;
  return c;
}

// --- the network --------------------------------------------------------------------------------------------

template <class S>
KOBAI_COLD Net<S>::Net(const NetConfig& c) : cfg_(c), rng_{c.seed} {
  check(c);
  // n: the inputs of one unit (a filter's C·FH·FW for a convolution)
  auto std_of = [&c](int n) { return c.init == Init::gaussian ? 0.01 : c.init == Init::xavier ? std::sqrt(1.0 / n) : c.init == Init::he ? std::sqrt(2.0 / n) : 0.0; };
  Dims4 d{1, c.channels, c.height, c.width};
  for (size_t s = 0; s < c.conv.size(); ++s) {  // Convolution → activation → (Pooling)
    const ConvStage& st = c.conv[s];
    const Window win{st.size, st.size, st.stride, st.pad};
    auto conv = std::make_unique<Convolution<S>>(Convolution<S>::random(d, st.filters, win, std_of(d.c * st.size * st.size), rng_));
    conv->need_dx = s > 0;  // the first stage's input is the data
    d = conv->out_dims();
    conv_.push_back(conv.get());
    list_.push_back(std::move(conv));
    if (auto act = make_activation<S>(c.activation)) list_.push_back(std::move(act));
    stage_out_.push_back(list_.back().get()), maps_.push_back({int(s), false, d});
    Pooling<S>* pool = nullptr;
    if (st.pool > 0) {
      auto p = std::make_unique<Pooling<S>>(d, Window{st.pool, st.pool, st.pool_stride, 0});
      d = p->out_dims(), pool = p.get();
      list_.push_back(std::move(p));
      stage_out_.push_back(pool), maps_.push_back({int(s), true, d});
    }
    pool_.push_back(pool);
  }
  std::vector<int> sizes{c.conv.empty() ? c.inputs : d.per_example()};  // flatten: the maps are already rows
  sizes.insert(sizes.end(), c.hidden.begin(), c.hidden.end());
  sizes.push_back(c.outputs);
  for (size_t l = 0; l + 1 < sizes.size(); ++l) {
    int n = sizes[l], m = sizes[l + 1];
    auto affine = std::make_unique<Affine<S>>(Affine<S>::random(n, m, std_of(n), rng_));
    affine->need_dx = l > 0 || !c.conv.empty();  // the first layer's input is the data, unless conv stages come first
    affine_.push_back(affine.get());
    list_.push_back(std::move(affine));
    if (l + 2 == sizes.size()) break;  // the output layer: the loss layer follows
    if (c.batchnorm) {
      auto norm = std::make_unique<BatchNormalization<S>>(m);
      norm_.push_back(norm.get());
      list_.push_back(std::move(norm));
    }
    if (auto act = make_activation<S>(c.activation)) list_.push_back(std::move(act));
    hidden_out_.push_back(list_.back().get());  // the activation (linear: the layer before)
    if (c.dropout > 0) list_.push_back(std::make_unique<Dropout<S>>(c.dropout, rng_));
  }
  if (c.loss == LossKind::softmax) loss_ = std::make_unique<SoftmaxWithLoss<S>>();
  else loss_ = std::make_unique<IdentityWithLoss<S>>();
}

template <class S>
S Net<S>::regularisation() const {
  S r = 0;
  if (cfg_.l1 == 0 && cfg_.l2 == 0) return r;  // the usual case: skip a pass over every weight per batch
  for (const Affine<S>* a : affine_) r += S(cfg_.l1) * a->W.cwiseAbs().sum() + S(0.5 * cfg_.l2) * a->W.squaredNorm();
  for (const Convolution<S>* k : conv_) r += S(cfg_.l1) * k->W.cwiseAbs().sum() + S(0.5 * cfg_.l2) * k->W.squaredNorm();
  return r;
}

template <class S>
S Net<S>::forward_backward(const M& X, const M& T) {
  S loss = loss_->forward(forward_all(list_, X, true), T) + regularisation();
  backward_all(list_, loss_->backward());
  for (Affine<S>* a : affine_) {  // the regularisation's share: ∂/∂W of l1·Σ|W| + ½·l2·ΣW²
    if (cfg_.l2 > 0) a->dW += S(cfg_.l2) * a->W;
    if (cfg_.l1 > 0) a->dW += S(cfg_.l1) * a->W.array().sign().matrix();
  }
  for (Convolution<S>* k : conv_) {  // the filters' weights are weights too
    if (cfg_.l2 > 0) k->dW += S(cfg_.l2) * k->W;
    if (cfg_.l1 > 0) k->dW += S(cfg_.l1) * k->W.array().sign().matrix();
  }
  return loss;
}

template <class S>
typename Net<S>::M Net<S>::predict(const M& X) const {
  return forward_all(const_cast<Net*>(this)->list_, X, false);  // test mode changes no weights; the caches are scratch
}

template <class S>
KOBAI_COLD std::vector<typename Net<S>::M> Net<S>::activations(const M& X) const {
  forward_all(const_cast<Net*>(this)->list_, X, false);
  std::vector<M> out;
  for (const Layer<S>* h : hidden_out_) out.push_back(h->out);
  return out;
}

template <class S>
KOBAI_COLD std::vector<typename Net<S>::M> Net<S>::feature_maps(const M& X) const {
  forward_all(const_cast<Net*>(this)->list_, X, false);
  std::vector<M> out;
  for (const Layer<S>* l : stage_out_) out.push_back(l->out);
  return out;
}

template <class S>
std::vector<typename Net<S>::StageMap> Net<S>::stage_maps() const { return maps_; }

template <class S>
typename Net<S>::Score Net<S>::evaluate(const M& X, const M& T, M* outputs) const {
  ScoreRun run;
  score_some(X, T, run, X.rows(), outputs);
  return run.score;
}

template <class S>
bool Net<S>::score_some(const M& X, const M& T, ScoreRun& run, Eigen::Index rows, M* outputs) const {
  const Eigen::Index n = X.rows(), from = run.next, count = std::min(std::max<Eigen::Index>(rows, 0), n - from);
  if (count > 0) {
    const bool whole = count == n;  // evaluate's one slice: no copies
    const M y = predict(whole ? X : M(X.middleRows(from, count)));
    const M t = whole ? M() : M(T.middleRows(from, count));
    const M& tt = whole ? T : t;
    run.loss_sum += double(const_cast<Net*>(this)->loss_->forward(y, tt)) * double(count);  // the slice's mean, weighted
    if (y.cols() == 1) {  // one output: two classes, ±1 (or 0/1) targets, split at the middle of all of T
      const S middle = S(0.5) * (T.maxCoeff() + T.minCoeff());
      for (Eigen::Index r = 0; r < count; ++r) run.right += (y(r, 0) > middle) == (tt(r, 0) > middle);
    } else {  // the arg-max agrees with T's
      for (Eigen::Index r = 0; r < count; ++r) {
        Eigen::Index a, b;
        y.row(r).maxCoeff(&a);
        tt.row(r).maxCoeff(&b);
        run.right += a == b;
      }
    }
    if (outputs) {
      if (from == 0) outputs->resize(n, y.cols());
      outputs->middleRows(from, count) = y;
    }
    run.next = from + count;
  }
  if (run.next < n) return false;
  if (outputs && n == 0) outputs->resize(0, T.cols());
  // Σ (a slice's mean × its rows) / N: one slice gives its mean back exactly (a float times N < 2^29 is exact in double)
  run.score = n == 0 ? Score{0, 0} : Score{double(S(run.loss_sum / double(n)) + regularisation()), double(run.right) / double(n)};
  return true;
}

template <class S>
S Net<S>::loss(const M& X, const M& T) const { return S(evaluate(X, T).loss); }

template <class S>
double Net<S>::accuracy(const M& X, const M& T) const { return evaluate(X, T).accuracy; }

template <class S>
std::vector<typename Net<S>::M*> Net<S>::params() {
  std::vector<M*> p;
  for (auto& layer : list_)
    for (M* m : layer->params()) p.push_back(m);
  return p;
}

template <class S>
std::vector<typename Net<S>::M*> Net<S>::grads() {
  std::vector<M*> g;
  for (auto& layer : list_)
    for (M* m : layer->grads()) g.push_back(m);
  return g;
}

template <class S>
KOBAI_COLD std::vector<std::pair<typename Net<S>::M, typename Net<S>::M>> Net<S>::folded() const {
  std::vector<std::pair<M, M>> out;
  for (int l = 0; l < layers(); ++l) {
    M W = affine(l).W, b = affine(l).b;
    if (l > 0 && cfg_.dropout > 0) W *= S(1 - cfg_.dropout);  // the previous layer's test-time scaling
    if (const BatchNormalization<S>* bn = batchnorm(l)) {  // γ(z − mean)/√(var + ε) + β, as one affine map
      M scale = (bn->gamma.array() / (bn->running_var.array() + S(1e-7)).sqrt()).matrix();
      W = (W.array().rowwise() * scale.row(0).array()).matrix();
      b = ((b - bn->running_mean).array() * scale.array() + bn->beta.array()).matrix();
    }
    out.push_back({W, b});
  }
  return out;
}

template <class S>
KOBAI_COLD std::vector<typename Net<S>::M> Net<S>::snapshot() const {
  std::vector<M> s;
  for (M* p : const_cast<Net*>(this)->params()) s.push_back(*p);
  for (const BatchNormalization<S>* bn : norm_) s.push_back(bn->running_mean), s.push_back(bn->running_var);
  return s;
}

template <class S>
KOBAI_COLD void Net<S>::restore(const std::vector<M>& s) {
  size_t i = 0;
  for (M* p : params()) *p = s[i++];
  for (BatchNormalization<S>* bn : norm_) bn->running_mean = s[i++], bn->running_var = s[i++];
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
