// The optimizers: the book's optimizer.py, one update function each, then the table that names them, their
// settings, rules and words. The two ε: the book's code adds 1e-7 outside the square root; the published forms
// take ε as a setting (also outside the root, as PyTorch and Keras do; Adadelta's paper puts it inside).
#include "optim.h"

#include <cmath>
#include <stdexcept>
#include <type_traits>

namespace kobai {

namespace {

constexpr double kBookEps = 1e-7;  // optimizer.py's 1e-7

template <class S>
S eps_of(const UpdateArgs<S>& s) { return S(s.c.book && s.def.in_book ? kBookEps : s.c.eps); }

// --- each optimizer's update, for one parameter W with gradient g ---------------------------------------------

template <class S>
void sgd(UpdateArgs<S>& s) {  // ΔW = −η·∇
  s.W -= S(s.c.lr) * s.g;
}

template <class S>
void momentum(UpdateArgs<S>& s) {  // v ← αv − η·∇;  W ← W + v
  auto& v = s.a;
  v = S(s.c.momentum) * v - S(s.c.lr) * s.g;
  s.W += v;
  s.show("v", v);
}

template <class S>
void nesterov(UpdateArgs<S>& s) {  // v ← αv − η·∇;  W ← W + α²v − (1 + α)η·∇  (the book's rearranged form)
  const S a = S(s.c.momentum), lr = S(s.c.lr);
  auto& v = s.a;
  v = a * v - lr * s.g;
  s.W += a * a * v - (1 + a) * lr * s.g;
  s.show("v", v);
}

template <class S>
void adagrad(UpdateArgs<S>& s) {  // h ← h + ∇²;  W ← W − η·∇ / (√h + ε)
  auto& h = s.a;
  h.array() += s.g.array().square();
  s.W.array() -= S(s.c.lr) * s.g.array() / (h.array().sqrt() + eps_of(s));
  s.show("h", h);
}

template <class S>
void rmsprop(UpdateArgs<S>& s) {  // h ← ρh + (1 − ρ)∇²;  W ← W − η·∇ / (√h + ε)
  const S rho = S(s.c.decay);
  auto& h = s.a;
  h = rho * h + (1 - rho) * s.g.cwiseProduct(s.g);
  s.W.array() -= S(s.c.lr) * s.g.array() / (h.array().sqrt() + eps_of(s));
  s.show("h", h);
}

template <class S>
void adam(UpdateArgs<S>& s) {
  const S b1 = S(s.c.beta1), b2 = S(s.c.beta2), lr = S(s.c.lr), eps = eps_of(s);
  const S c1 = 1 - std::pow(b1, S(s.t)), c2 = 1 - std::pow(b2, S(s.t));  // m and v start at 0: biased to 0 early
  auto &m = s.a, &v = s.b;
  if (s.c.book) {  // optimizer.py: m ← m + (1 − β1)(∇ − m);  v ← v + (1 − β2)(∇² − v);  W ← W − η_t·m / (√v + ε)
    const S lr_t = lr * std::sqrt(c2) / c1;
    m += (1 - b1) * (s.g - m);
    v += (1 - b2) * (s.g.cwiseProduct(s.g) - v);
    s.W.array() -= lr_t * m.array() / (v.array().sqrt() + eps);
    s.show("m", m), s.show("v", v), s.show("lr_t", lr_t);
  } else {  // Kingma and Ba: m̂ = m / (1 − β1^t);  v̂ = v / (1 − β2^t);  W ← W − η·m̂ / (√v̂ + ε)
    m = b1 * m + (1 - b1) * s.g;
    v = b2 * v + (1 - b2) * s.g.cwiseProduct(s.g);
    s.W.array() -= lr * (m.array() / c1) / ((v.array() / c2).sqrt() + eps);
    if (s.shown) s.show("m", m), s.show("v", v), s.show("m_hat", m / c1), s.show("v_hat", v / c2);
  }
}

template <class S>
void adadelta(UpdateArgs<S>& s) {  // h ← ρh + (1 − ρ)∇²;  ΔW = −η·√(s + ε)/√(h + ε)·∇;  s ← ρs + (1 − ρ)ΔW²
  const S rho = S(s.c.decay), eps = S(s.c.eps);
  auto &h = s.a, &sq = s.b;
  h = rho * h + (1 - rho) * s.g.cwiseProduct(s.g);
  typename UpdateArgs<S>::M dW = (-S(s.c.lr) * ((sq.array() + eps).sqrt() / (h.array() + eps).sqrt()) * s.g.array()).matrix();
  sq = rho * sq + (1 - rho) * dW.cwiseProduct(dW);
  s.W += dW;
  s.show("h", h), s.show("s", sq);
}

// --- the names the steps show -----------------------------------------------------------------------------------
const StateName kGrad{"grad", "∇", {"the gradient", "勾配"}};
const StateName kDelta{"delta", "ΔW", {"the update", "更新量"}};
const StateName kVelocity{"v", "v", {"velocity: the last step, kept in part", "速度: 前の更新量の一部を持ち越したもの"}};

// --- the table --------------------------------------------------------------------------------------------------
using K = OptSettingKey;

const OptSetting kSettings[] = {
    {K::lr, "η", {"learning rate", "学習率"}, 1e-6, 100, true},
    {K::momentum, "α", {"momentum", "モメンタム係数"}, 0, 0.999, false},
    {K::decay, "ρ", {"decay rate", "減衰率"}, 0, 0.9999, false},
    {K::beta1, "β1", {"decay of the mean of ∇", "∇ の平均の減衰率"}, 0, 0.9999, false},
    {K::beta2, "β2", {"decay of the mean of ∇²", "∇² の平均の減衰率"}, 0, 0.99999, false},
    {K::eps, "ε", {"epsilon", "0 で割らないための小さな値"}, 1e-12, 1, true},
};
static_assert(std::size(kSettings) == std::size(kOptSettingNames));

// Built the first time it is asked for, not as the program starts: its vectors make it a dynamic initialiser, which
// the page would run before its first frame, keeping every word of the table in its first download.
const OptimizerDef* optimizers() {
  static const OptimizerDef kOptimizers[] = {
    {OptimizerKind::sgd, "SGD", {{K::lr, 0.01}}, "ΔW = −η·∇", nullptr,
     {"Step straight down the gradient, η times its size.", "勾配の逆向きに、勾配の η 倍だけ進む。"},
     {}, true},
    {OptimizerKind::momentum, "Momentum", {{K::lr, 0.01}, {K::momentum, 0.9}}, "v ← αv − η·∇;  ΔW = v", nullptr,
     {"A ball rolling downhill: v keeps α of the last step, so steps down a steady slope add up and zigzags cancel.",
      "坂を転がるボールのように、v が前の更新量の α 倍を持ち越す。同じ向きの勾配では速くなり、ジグザグは打ち消し合う。"},
     {kVelocity}, true},
    {OptimizerKind::nesterov, "Nesterov", {{K::lr, 0.01}, {K::momentum, 0.9}}, "v ← αv − η·∇;  ΔW = α²v − (1 + α)η·∇", nullptr,
     {"Momentum that looks ahead: the gradient is taken where v is about to carry W (the book's rearranged form).",
      "先を見るモメンタム: v で進んだ先の勾配を使う（本書の変形した式）。"},
     {kVelocity}, true},
    {OptimizerKind::adagrad, "AdaGrad", {{K::lr, 0.01}, {K::eps, 1e-7, false}}, "h ← h + ∇²;  ΔW = −η·∇ / (√h + ε)", nullptr,
     {"h adds up every squared gradient, so a parameter that has moved a lot takes smaller steps; they only shrink.",
      "h に勾配の 2 乗を足し続け、大きく動いたパラメータほど小さく進む。学習率は小さくなる一方。"},
     {{"h", "h", {"the sum of squared gradients", "勾配の 2 乗の和"}}}, true},
    {OptimizerKind::rmsprop, "RMSProp", {{K::lr, 0.01}, {K::decay, 0.99}, {K::eps, 1e-7, false}},
     "h ← ρh + (1 − ρ)∇²;  ΔW = −η·∇ / (√h + ε)", nullptr,
     {"AdaGrad whose h forgets old gradients (a moving average with rate ρ), so the steps need not shrink to nothing.",
      "AdaGrad の h が古い勾配を忘れていく（割合 ρ の移動平均）。学習率が 0 まで縮まない。"},
     {{"h", "h", {"the moving average of ∇²", "∇² の移動平均"}}}, true},
    {OptimizerKind::adam, "Adam", {{K::lr, 0.001}, {K::beta1, 0.9}, {K::beta2, 0.999}, {K::eps, 1e-8, false}},
     "m ← m + (1 − β1)(∇ − m);  v ← v + (1 − β2)(∇² − v);  η_t = η·√(1 − β2^t) / (1 − β1^t);  ΔW = −η_t·m / (√v + ε)",
     "m ← β1·m + (1 − β1)∇;  v ← β2·v + (1 − β2)∇²;  m̂ = m / (1 − β1^t);  v̂ = v / (1 − β2^t);  ΔW = −η·m̂ / (√v̂ + ε)",
     {"Momentum and RMSProp together: m is the moving mean of ∇, v of ∇²; both start at 0, and the bias correction "
      "undoes that at the first steps.",
      "モメンタムと RMSProp を合わせたもの: m は ∇ の、v は ∇² の移動平均。どちらも 0 から始まるので、最初のうちは偏りを補正する。"},
     {{"m", "m", {"the moving mean of ∇", "∇ の移動平均"}},
      {"v", "v", {"the moving mean of ∇²", "∇² の移動平均"}},
      {"m_hat", "m̂", {"m with the bias correction", "偏りを補正した m"}},
      {"v_hat", "v̂", {"v with the bias correction", "偏りを補正した v"}},
      {"lr_t", "η_t", {"η with the bias correction folded in", "偏りの補正を含めた学習率"}}},
     true},
    {OptimizerKind::adadelta, "Adadelta", {{K::lr, 1}, {K::decay, 0.95}, {K::eps, 1e-6}},
     "h ← ρh + (1 − ρ)∇²;  ΔW = −η·√(s + ε) / √(h + ε)·∇;  s ← ρs + (1 − ρ)ΔW²", nullptr,
     {"RMSProp whose step size comes from the recent steps themselves (s, the moving mean of ΔW²): ΔW has W's units, "
      "and η can stay 1. It starts slowly: s begins at 0, so the first step is about √ε/√(1 − ρ) ≈ 0.0045 whatever ∇ is, "
      "and the steps grow only as s fills.",
      "RMSProp の学習率を、最近の更新量の大きさ（s: ΔW² の移動平均）から決める。ΔW が W と同じ単位になり、η は 1 のままでよい。"
      "出だしは遅い: s が 0 から始まるので、最初の一歩は ∇ によらず約 √ε/√(1 − ρ) ≈ 0.0045 で、s がたまるにつれて大きくなる。"},
     {{"h", "h", {"the moving mean of ∇²", "∇² の移動平均"}}, {"s", "s", {"the moving mean of ΔW²", "ΔW² の移動平均"}}},
     false},
  };
  static_assert(std::size(kOptimizers) == std::size(kOptimizerNames), "a row for every optimizer");
  return kOptimizers;
}

}  // namespace

const OptSetting& opt_setting(OptSettingKey k) { return kSettings[int(k)]; }

const OptimizerDef& optimizer_def(OptimizerKind k) {
  const OptimizerDef& d = optimizers()[int(k)];
  if (d.kind != k) throw std::logic_error("the optimizer table is out of the enum's order");
  return d;
}

const char* rule_of(OptimizerKind k, bool book) {
  const OptimizerDef& d = optimizer_def(k);
  return !book && d.rule_published ? d.rule_published : d.rule;
}

const StateName& state_name(OptimizerKind k, const std::string& key) {
  if (key == kGrad.key) return kGrad;
  if (key == kDelta.key) return kDelta;
  for (const StateName& n : optimizer_def(k).state)
    if (key == n.key) return n;
  throw std::logic_error(std::string(name_of(k)) + " shows '" + key + "' but its row does not name it");
}

double& opt_value(OptConfig& c, OptSettingKey k) {
  switch (k) {
    case K::lr: return c.lr;
    case K::momentum: return c.momentum;
    case K::decay: return c.decay;
    case K::beta1: return c.beta1;
    case K::beta2: return c.beta2;
    case K::eps: return c.eps;
  }
  throw std::logic_error("unknown optimizer setting");
}
double opt_value(const OptConfig& c, OptSettingKey k) { return opt_value(const_cast<OptConfig&>(c), k); }

OptConfig optimizer_defaults(OptimizerKind k, bool book) {
  OptConfig c;
  c.kind = k, c.book = book;
  for (const OptParam& p : optimizer_def(k).settings) opt_value(c, p.key) = p.default_value;
  return c;
}

void check(const OptConfig& c) {
  const OptimizerDef& d = optimizer_def(c.kind);
  for (const OptParam& p : d.settings) {
    if (c.book && d.in_book && !p.in_book) continue;  // the book's form does not read it (ε: 1e-7)
    const OptSetting& s = opt_setting(p.key);
    double v = opt_value(c, p.key);
    if (!(v >= s.min && v <= s.max))  // NaN too
      throw InputError(std::string("the ") + s.label.en + " " + s.symbol + " (" + name_of(p.key) + ") must be from " +
                       format_number(s.min) + " to " + format_number(s.max) + ", not " + format_number(v));
  }
}

const ShownValue* ParamShown::find(const std::string& key) const {
  for (const ShownValue& v : values)
    if (key == v.key) return &v;
  return nullptr;
}

template <class S>
void UpdateArgs<S>::show(const char* key, const M& value) const {
  if (!shown) return;
  const StateName& n = state_name(def.kind, key);
  shown->values.push_back({n.key, n.symbol, n.meaning, value.template cast<double>()});
}

template <class S>
void UpdateArgs<S>::show(const char* key, S value) const {
  if (shown) show(key, M::Constant(1, 1, value));
}

template <class S>
Optimizer<S>::Optimizer(const OptConfig& c) : cfg_(c), def_(&optimizer_def(c.kind)) {}

template <class S>
void Optimizer<S>::update(const std::vector<M*>& params, const std::vector<M*>& grads, StepShown* shown) {
  if (a_.size() != params.size()) {  // the first step (or a new list): the state starts at zero
    a_.clear(), b_.clear();
    for (M* p : params) a_.push_back(M::Zero(p->rows(), p->cols())), b_.push_back(M::Zero(p->rows(), p->cols()));
  }
  ++iter_;
  if (shown) shown->t = iter_, shown->params.assign(params.size(), ParamShown{});
  M before;
  for (size_t i = 0; i < params.size(); ++i) {
    ParamShown* p = shown ? &shown->params[i] : nullptr;
    if (p) {
      before = *params[i];
      p->values.push_back({kGrad.key, kGrad.symbol, kGrad.meaning, grads[i]->template cast<double>()});
    }
    UpdateArgs<S> args{cfg_, iter_, *params[i], *grads[i], a_[i], b_[i], *def_, p};
    switch (cfg_.kind) {  // each update called by name, not through a pointer: the page can then fetch them
                          // with the labs' code (web/split-labs.py moves no function whose address is taken)
#define KOBAI_UPDATE(name) case OptimizerKind::name: name<S>(args); break;
      KOBAI_OPTIMIZERS(KOBAI_UPDATE)
#undef KOBAI_UPDATE
    }
    if (p) p->values.push_back({kDelta.key, kDelta.symbol, kDelta.meaning, (*params[i] - before).template cast<double>()});
  }
}

template struct UpdateArgs<float>;
template struct UpdateArgs<double>;
template class Optimizer<float>;
template class Optimizer<double>;

}  // namespace kobai
