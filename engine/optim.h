// kobai engine: the optimizers, as one table. The book's optimizer.py (SGD, Momentum, Nesterov, AdaGrad, RMSProp,
// Adam) and Adadelta, which seed 000 lists too. Training (the playground), the optimizer-paths lab and
// `kobai descend` all read this table: a new optimizer is its name in KOBAI_OPTIMIZERS and one row in optim.cpp
// (its update function beside its title, settings, rule and words).
//
//   OptimizerKind, names_of      the optimizers, named as links and the command name them ("adam")
//   OptSettingKey, OptSetting    each setting once: its flag and link key, symbol, words, range
//   OptConfig                    one optimizer's settings; `book`: the book's formulas (the playground trains so)
//   OptimizerDef, optimizer_def  the table: per optimizer its title, settings with defaults, rule, idea, state names
//   optimizer_defaults, check    a config at the table's defaults; a config's settings checked against their ranges
//   StepShown                    one step as a student reads it: per parameter ∇, the state (v, h, m, v̂, ...), ΔW
//   Optimizer<S>                 updates a list of matrices: a network's weights, or a path's x and y
//
//   Optimizer<double> opt(optimizer_defaults(OptimizerKind::adam));
//   StepShown shown;
//   opt.update({&W}, {&dW}, &shown);        // shown.params[0].find("m_hat")->value: m̂ after this step
#pragma once

#include "matrix.h"
#include "names.h"

#include <iterator>
#include <string>
#include <vector>

namespace kobai {

// --- the optimizers, by name ----------------------------------------------------------------------------------
// One list makes the enum and the names, in the same order (links store the name; the order is the menus').
#define KOBAI_OPTIMIZERS(X) X(sgd) X(momentum) X(nesterov) X(adagrad) X(rmsprop) X(adam) X(adadelta)
#define KOBAI_AS_ENUM(n) n,
#define KOBAI_AS_NAME(n) #n,
enum class OptimizerKind { KOBAI_OPTIMIZERS(KOBAI_AS_ENUM) };
inline constexpr const char* kOptimizerNames[] = {KOBAI_OPTIMIZERS(KOBAI_AS_NAME)};
#undef KOBAI_AS_ENUM
#undef KOBAI_AS_NAME
inline constexpr int kOptimizerCount = int(std::size(kOptimizerNames));
template <> inline NameList names_of<OptimizerKind>() { return list_of(kOptimizerNames); }
inline const char* name_of(OptimizerKind o) { return kOptimizerNames[int(o)]; }

// --- settings ---------------------------------------------------------------------------------------------------
enum class OptSettingKey { lr, momentum, decay, beta1, beta2, eps };
inline constexpr const char* kOptSettingNames[] = {"lr", "momentum", "decay", "beta1", "beta2", "eps"};
static_assert(std::size(kOptSettingNames) == size_t(OptSettingKey::eps) + 1);
template <> inline NameList names_of<OptSettingKey>() { return list_of(kOptSettingNames); }
inline const char* name_of(OptSettingKey k) { return kOptSettingNames[int(k)]; }

struct OptSetting {
  OptSettingKey key;
  const char* symbol;  // as the rules write it: η, α, ρ, β1, β2, ε
  Words label;         // "learning rate" / "学習率"
  double min, max;     // the range, both ends allowed
  bool log_scale;      // a slider over it moves by factors of ten, not by steps
};
const OptSetting& opt_setting(OptSettingKey k);

// One optimizer's settings. Fields the optimizer does not use are ignored. Aggregate-initialised as
// OptConfig{kind, lr} by callers that take the rest as they are.
struct OptConfig {
  OptimizerKind kind = OptimizerKind::sgd;
  double lr = 0.01;                   // η
  double momentum = 0.9;              // α: Momentum, Nesterov
  double decay = 0.99;                // ρ: RMSProp (the book's decay_rate), Adadelta
  double beta1 = 0.9, beta2 = 0.999;  // Adam
  double eps = 1e-7;                  // ε: AdaGrad, RMSProp, Adam, Adadelta
  // The book's optimizer.py (what the playground has always trained with): ε fixed at 1e-7 outside the square
  // root, and Adam's bias correction folded into its learning rate, η_t = η·√(1 − β2^t)/(1 − β1^t). false: the
  // published forms, ε a setting, Adam's m̂ and v̂ computed. They differ only in Adam's ε and in ε being a setting.
  bool book = true;
};
double& opt_value(OptConfig& c, OptSettingKey k);
double opt_value(const OptConfig& c, OptSettingKey k);

// --- one step, as a student reads it ------------------------------------------------------------------------
struct ShownValue {
  const char* key;     // "grad", "v", "m_hat", "delta": for programs (kobai.state(), tests)
  const char* symbol;  // "∇", "v", "m̂", "ΔW": for people
  Words meaning;
  Mat value;           // this parameter's, after the step (the gradient: the one the step used)
};
struct ParamShown {
  std::string name;                // the caller's name for the parameter ("x"), or "" when it gave none
  std::vector<ShownValue> values;  // ∇, then the optimizer's state in the order its rule computes it, then ΔW
  const ShownValue* find(const std::string& key) const;  // nullptr when this optimizer shows no such value
};
struct StepShown {
  int t = 0;  // the step's number, from 1 (Adam's bias correction uses it)
  std::vector<ParamShown> params;
};

// --- the table ------------------------------------------------------------------------------------------------
template <class S>
struct UpdateArgs;  // what an update function gets for one parameter (optim.cpp)

struct OptParam {
  OptSettingKey key;
  double default_value;
  bool in_book = true;  // the book's form has it as a setting (ε has none there: 1e-7)
};
struct StateName {
  const char* key;
  const char* symbol;
  Words meaning;
};

struct OptimizerDef {
  OptimizerKind kind;
  const char* title;               // "Adam"
  std::vector<OptParam> settings;  // η first
  const char* rule;                // the update in the book's form: what the playground's "One batch" shows
  const char* rule_published;      // the published form where it differs from the book's (Adam); else nullptr
  Words idea;                      // what the rule does, in a sentence
  std::vector<StateName> state;    // what its step shows besides ∇ and ΔW, in order
  bool in_book;                    // the book's optimizer.py has it (Adadelta: no; `book` then changes nothing)
                                   // (its update: the function named as the optimizer, in optim.cpp)
};
const OptimizerDef& optimizer_def(OptimizerKind k);
const char* rule_of(OptimizerKind k, bool book = true);  // "ΔW = −η·∇"
const StateName& state_name(OptimizerKind k, const std::string& key);  // throws std::logic_error if not listed

OptConfig optimizer_defaults(OptimizerKind k, bool book = false);  // every setting at this optimizer's default
// Every setting the optimizer uses, finite and in its range: else an InputError naming the setting, its range
// and the value, e.g. "the learning rate η (lr) must be from 1e-06 to 100, not 200".
void check(const OptConfig& c);

// --- updating -----------------------------------------------------------------------------------------------------
template <class S>
class Optimizer {
 public:
  using M = Eigen::Matrix<S, Eigen::Dynamic, Eigen::Dynamic>;
  explicit Optimizer(const OptConfig& c);
  // One step for every parameter with its gradient (same shapes; the same list every call: the state is kept
  // per position). `shown`, when given, gets what the step did, per parameter.
  void update(const std::vector<M*>& params, const std::vector<M*>& grads, StepShown* shown = nullptr);
  const OptConfig& config() const { return cfg_; }
  int steps() const { return iter_; }

 private:
  OptConfig cfg_;
  const OptimizerDef* def_;
  std::vector<M> a_, b_;  // per parameter, the optimizer's state (v; h; m and v; h and s), zero at first
  int iter_ = 0;
};

template <class S>
struct UpdateArgs {
  using M = typename Optimizer<S>::M;
  const OptConfig& c;
  int t;            // this step's number, from 1
  M& W;             // the parameter, updated in place
  const M& g;       // its gradient
  M& a;             // the optimizer's state for W: zero before the first step
  M& b;
  const OptimizerDef& def;
  ParamShown* shown;                       // nullptr unless the caller asked
  void show(const char* key, const M& value) const;  // records a state value (a key of def.state)
  void show(const char* key, S value) const;
};

}  // namespace kobai
