// Runs side by side: the presets' table, a run's settings from text, and the runs trained a part at a time.
#include "compare.h"

#include <algorithm>
#include <cstdlib>
#include <limits>

namespace kobai {

// --- a setting from text ------------------------------------------------------------------------------------

namespace {

double number_of(const Change& c) {
  char* end = nullptr;
  double v = std::strtod(c.value, &end);
  if (end == c.value || *end || !std::isfinite(v) || v < 0) throw InputError(std::string(c.key) + " takes a number of at least 0, not '" + quote(c.value) + "'");
  return v;
}

template <class E>
E named(const Change& c) {
  int i = 0;
  for (const char* n : names_of<E>()) {
    if (std::string(n) == c.value) return E(i);
    ++i;
  }
  throw InputError(std::string(c.key) + " takes one of its names, not '" + quote(c.value) + "'");
}

}  // namespace

void apply_change(RunSpec& r, const Change& c) {
  const std::string k = c.key;
  if (k == "units") {
    r.net.hidden.clear();  // "100,100,100" (split by hand: a stream would bring iostreams into the page)
    std::string all = c.value;
    for (size_t at = 0; at <= all.size();) {
      size_t end = std::min(all.find(',', at), all.size());
      r.net.hidden.push_back(int(number_of({c.key, all.substr(at, end - at).c_str()})));
      at = end + 1;
    }
  } else if (k == "activation") r.net.activation = named<Activation>(c);
  else if (k == "init") r.net.init = named<Init>(c);
  else if (k == "loss") r.net.loss = named<LossKind>(c);
  else if (k == "batchnorm") r.net.batchnorm = number_of(c) != 0;
  else if (k == "dropout") r.net.dropout = number_of(c);
  else if (k == "l1") r.net.l1 = number_of(c);
  else if (k == "l2") r.net.l2 = number_of(c);
  else if (k == "optimizer") r.opt.kind = named<OptimizerKind>(c);
  else if (k == "lr") r.opt.lr = number_of(c);
  else if (k == "batch") r.batch = std::max(1, int(number_of(c)));
  else if (k == "rows") r.train_rows = int(number_of(c));
  else throw InputError("no setting is called '" + quote(k) + "'");
}

// --- the presets --------------------------------------------------------------------------------------------
// Each follows the book's experiment (its networks, learning rates and batch sizes), on the digits: ReLU
// networks of 100-unit layers, Softmax-with-Loss, He's initial weights unless the preset is about them.

const std::vector<ComparePreset>& compare_presets() {
  static const std::vector<ComparePreset> table = {
      {kPresetNames[1], {"Optimizers", "最適化手法"}, "6-9",
       {{"units", "100,100,100,100"}, {"activation", "relu"}, {"init", "he"}, {"loss", "softmax"}, {"batch", "128"}},
       {{{"SGD lr 0.01", "SGD lr 0.01"}, {{"optimizer", "sgd"}, {"lr", "0.01"}}},
        {{"Momentum lr 0.01", "Momentum lr 0.01"}, {{"optimizer", "momentum"}, {"lr", "0.01"}}},
        {{"AdaGrad lr 0.01", "AdaGrad lr 0.01"}, {{"optimizer", "adagrad"}, {"lr", "0.01"}}},
        {{"Adam lr 0.001", "Adam lr 0.001"}, {{"optimizer", "adam"}, {"lr", "0.001"}}}},
       {"SGD is slowest; Momentum, AdaGrad and Adam learn far faster.", "SGD が最も遅く、Momentum・AdaGrad・Adam はずっと速く学習します。"}},
      {kPresetNames[2], {"Initial weights", "重みの初期値"}, "6-15",
       {{"units", "100,100,100,100"}, {"activation", "relu"}, {"loss", "softmax"}, {"batch", "128"}, {"lr", "0.01"}},
       {{{"std 0.01", "std 0.01"}, {{"init", "gaussian"}}},
        {{"Xavier", "Xavier"}, {{"init", "xavier"}}},
        {{"He", "He"}, {{"init", "he"}}}},
       {"std 0.01: the signal fades and nothing is learnt; He learns fastest.", "std 0.01 では信号が消えて学習せず、He が最も速く学習します。"}},
      {kPresetNames[3], {"Batch norm", "バッチ正規化"}, "6-19",
       {{"units", "100,100,100,100,100"}, {"activation", "relu"}, {"init", "gaussian"}, {"loss", "softmax"}, {"lr", "0.01"}, {"rows", "1000"}},
       {{{"without", "なし"}, {{"batchnorm", "0"}}},
        {{"batch norm", "バッチ正規化"}, {{"batchnorm", "1"}}}},
       {"Weights of std 0.01: without batch norm nothing is learnt.", "重みは std 0.01。バッチ正規化なしでは学習しません。"}},
      {kPresetNames[4], {"Overfitting, weight decay", "過学習と荷重減衰"}, "6-20, 6-21",
       {{"units", "100,100,100,100,100,100"}, {"activation", "relu"}, {"init", "he"}, {"loss", "softmax"}, {"lr", "0.01"}, {"rows", "300"}},
       {{{"λ = 0", "λ = 0"}, {{"l2", "0"}}},
        {{"λ = 0.1", "λ = 0.1"}, {{"l2", "0.1"}}}},
       {"300 rows: train reaches 100%, test stays below; λ = 0.1 keeps the weights smaller.", "300 件: 訓練は 100% に達し、テストは低いまま。λ = 0.1 で重みは小さく保たれます。"}},
      {kPresetNames[5], {"Dropout", "ドロップアウト"}, "6-23",
       {{"units", "100,100,100,100,100,100"}, {"activation", "relu"}, {"init", "he"}, {"loss", "softmax"}, {"lr", "0.01"}, {"rows", "300"}},
       {{{"no dropout", "なし"}, {{"dropout", "0"}}},
        {{"dropout 0.2", "ドロップアウト 0.2"}, {{"dropout", "0.2"}}}},
       {"With dropout both rise slowly; train no longer races to 100%.", "ドロップアウトでは両方ゆっくり上がり、訓練が 100% に急ぎません。"}},
  };
  return table;
}

const ComparePreset* find_preset(const std::string& key) {
  for (const ComparePreset& p : compare_presets())
    if (key == p.key) return &p;
  return nullptr;
}

std::string preset_keys() {
  std::string s;
  for (const ComparePreset& p : compare_presets()) s += (s.empty() ? "" : ", ") + std::string(p.key);
  return s;
}

RunSpec preset_run(const ComparePreset& p, int run) {
  RunSpec r;
  for (const Change& c : p.base) apply_change(r, c);
  for (const Change& c : p.runs[size_t(run)].changes) apply_change(r, c);
  return r;
}

std::string describe_change(const RunSpec& from, const RunSpec& to) {
  std::vector<std::string> said;
  const NetConfig &a = from.net, &b = to.net;
  auto model = [](const NetConfig& c) {  // the playground's MLP, or its CNN's one conv stage
    if (c.conv.empty()) return std::string("MLP");
    const ConvStage& s = c.conv[0];
    return "CNN " + std::to_string(s.filters) + " of " + std::to_string(s.size) + "x" + std::to_string(s.size) + ", stride " + std::to_string(s.stride) +
           ", pad " + std::to_string(s.pad) + (s.pool ? ", pool " + std::to_string(s.pool) : ", no pool");
  };
  if (model(a) != model(b)) said.push_back(model(b));
  if (a.hidden != b.hidden) {
    std::string u;
    for (int h : b.hidden) u += (u.empty() ? "" : "-") + std::to_string(h);
    said.push_back(u.empty() ? "no hidden layer" : u);
  }
  if (a.activation != b.activation) said.push_back(name_of(b.activation));
  if (a.init != b.init) said.push_back(b.init == Init::gaussian ? "std 0.01" : b.init == Init::xavier ? "Xavier" : b.init == Init::he ? "He" : "zero");
  if (a.loss != b.loss) said.push_back(name_of(b.loss));
  if (a.batchnorm != b.batchnorm) said.push_back(b.batchnorm ? "batch norm" : "no batch norm");
  if (a.dropout != b.dropout) said.push_back("dropout " + format_number(b.dropout));
  if (a.l1 != b.l1) said.push_back("L1 " + format_number(b.l1));
  if (a.l2 != b.l2) said.push_back("λ = " + format_number(b.l2));
  if (from.opt.kind != to.opt.kind) said.push_back(std::string(optimizer_def(to.opt.kind).title) + " lr " + format_number(to.opt.lr));
  else if (from.opt.lr != to.opt.lr) said.push_back("lr " + format_number(to.opt.lr));
  if (from.batch != to.batch) said.push_back("batch " + std::to_string(to.batch));
  if (from.train_rows != to.train_rows) said.push_back(to.train_rows ? std::to_string(to.train_rows) + " rows" : "all rows");
  std::string s;
  for (const std::string& p : said) s += (s.empty() ? "" : ", ") + p;
  return s.empty() ? "same" : s;
}

// --- the runs -----------------------------------------------------------------------------------------------

void Comparison::set_data(Dataset<float> train, Dataset<float> test, uint64_t seed) {
  train_ = std::move(train), test_ = std::move(test), seed_ = seed;
  clear();
}

void Comparison::clear() { runs_.clear(), preset_ = nullptr; }

void Comparison::record(CompareRun& r) {
  Net<float>::Score train = r.net->evaluate(r.train.X, r.train.T), test = r.net->evaluate(test_.X, test_.T);
  r.train_loss.push_back(float(train.loss)), r.test_loss.push_back(float(test.loss));
  r.train_accuracy.push_back(float(train.accuracy)), r.test_accuracy.push_back(float(test.accuracy));
}

// A run from its first weights: the same seed for every run, so runs that build the same network start equal.
void Comparison::start(CompareRun& r) {
  NetConfig c = r.spec.net;
  c.inputs = int(train_.X.cols()), c.outputs = int(train_.T.cols()), c.seed = seed_;
  int rows = r.spec.train_rows > 0 ? std::min(r.spec.train_rows, train_.rows()) : train_.rows();
  r.train = {train_.X.topRows(rows), train_.T.topRows(rows)};
  r.net = std::make_unique<Net<float>>(c);
  r.opt = std::make_unique<Optimizer<float>>(r.spec.opt);
  r.rng = Rng{seed_}, r.part = EpochRun{}, r.epoch = 0, r.diverged = false, r.message.clear();
  r.train_loss.clear(), r.test_loss.clear(), r.train_accuracy.clear(), r.test_accuracy.clear();
  record(r);
}

bool Comparison::add(const RunSpec& spec, const std::string& label) {
  if (int(runs_.size()) >= kMaxRuns) return false;
  CompareRun r;
  r.label = label, r.spec = spec;
  start(r);  // throws before the run is added
  runs_.push_back(std::move(r));
  preset_ = nullptr;
  return true;
}

void Comparison::load(const ComparePreset& p) {
  clear();
  for (size_t i = 0; i < p.runs.size() && int(i) < kMaxRuns; ++i) {
    add(preset_run(p, int(i)), p.runs[i].label.en);
    runs_.back().words = p.runs[i].label;
  }
  preset_ = &p;
}

void Comparison::remove(int i) {
  if (i < 0 || i >= int(runs_.size())) return;
  runs_.erase(runs_.begin() + i);
  preset_ = nullptr;
}

void Comparison::restart() {
  for (CompareRun& r : runs_) start(r);
}

bool Comparison::trainable() const {
  for (const CompareRun& r : runs_)
    if (!r.diverged) return true;
  return false;
}

int Comparison::epochs() const {
  int e = std::numeric_limits<int>::max();
  for (const CompareRun& r : runs_)
    if (!r.diverged) e = std::min(e, r.epoch);
  return e == std::numeric_limits<int>::max() ? 0 : e;
}

bool Comparison::step(int max_batches) {
  CompareRun* behind = nullptr;  // the first of those furthest behind: with equal progress they go in turn
  for (CompareRun& r : runs_)
    if (!r.diverged && (!behind || r.progress() < behind->progress())) behind = &r;
  return behind && step_run(*behind, max_batches);
}

bool Comparison::step_run(CompareRun& r, int max_batches) {
  if (!train_some(*r.net, *r.opt, r.train, r.spec.batch, false, r.rng, r.part, max_batches)) return false;
  EpochResult result = std::move(r.part.result);
  r.part = EpochRun{};
  if (result.diverged) {  // this run stops; the others go on
    r.diverged = true, r.message = result.message;
    return true;
  }
  ++r.epoch;
  record(r);
  return true;
}

void Comparison::epoch() {
  for (CompareRun& r : runs_)
    if (!r.diverged) step_run(r, std::numeric_limits<int>::max());  // the rest of the epoch under way, or a whole one
}

std::string Comparison::csv() const {
  std::string s = "run,label,epoch,train_loss,test_loss,train_accuracy,test_accuracy\n";
  for (size_t i = 0; i < runs_.size(); ++i) {
    const CompareRun& r = runs_[i];
    std::string label = r.label;
    if (label.find_first_of(",\"\n") != std::string::npos) {  // RFC 4180: quoted, quotes doubled
      std::string q = "\"";
      for (char c : label) q += c == '"' ? std::string("\"\"") : std::string(1, c);
      label = q + "\"";
    }
    for (size_t e = 0; e < r.train_loss.size(); ++e)
      s += std::to_string(i + 1) + "," + label + "," + std::to_string(e) + "," + format_number(r.train_loss[e]) + "," + format_number(r.test_loss[e]) + "," +
           format_number(r.train_accuracy[e]) + "," + format_number(r.test_accuracy[e]) + "\n";
  }
  return s;
}

}  // namespace kobai
