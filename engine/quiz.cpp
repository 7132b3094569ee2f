// Chain-rule quizzes: reading answers, generating questions from a seed, teacher sheets.
#include "quiz.h"

#include "bank.h"
#include "lesson.h"
#include "ops.h"
#include "quiz_make.h"
#include "random.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>

namespace kobai {

// --- answers ------------------------------------------------------------------------------------------------
namespace {

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n"), e = s.find_last_not_of(" \t\r\n");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

// One number, written as the expression language writes constants: 2.2, -1/4, 1.1*2, 3e-1, (1+2)/3.
Reading read_number(const std::string& text) {
  Reading r;
  try {
    Program p = parse(text);
    auto names = input_names(p);
    if (!names.empty()) {
      r.problem = "'" + names[0] + "' is a name; an answer is made of numbers only";
      return r;
    }
    Graph g = build(p, {});
    Mat v = forward(g)[g.output];
    if (v.size() != 1) {
      r.problem = "'" + text + "' is not one number";
      return r;
    }
    r.ok = true, r.value = v;
  } catch (const InputError& e) {
    r.problem = "could not read '" + text + "': " + e.what() + (e.column ? " (column " + std::to_string(e.column) + ")" : "");
  }
  return r;
}

}  // namespace

Reading read_answer(const std::string& raw) {
  std::string text = trim(raw);
  if (text.empty()) return {false, Mat(), "the answer is empty"};
  if (text.size() > 2000) return {false, Mat(), "the answer is too long"};
  if (text[0] != '[') return read_number(text);
  // A matrix: [a, b, c] is a row, [[a, b], [c, d]] rows; every cell may be a small expression.
  bool nested = text.size() > 1 && trim(text.substr(1))[0] == '[';
  std::vector<std::vector<std::string>> rows;
  size_t i = nested ? text.find('[', 1) : 0;
  while (true) {
    size_t close = text.find(']', i);
    if (close == std::string::npos) return {false, Mat(), "a '[' is not closed by ']'"};
    std::vector<std::string> cells;
    std::string cell;
    int depth = 0;
    for (size_t k = i + 1; k < close; ++k) {
      char c = text[k];
      if (c == '[') return {false, Mat(), "too many '[': write [[a, b], [c, d]]"};
      depth += c == '(' ? 1 : c == ')' ? -1 : 0;
      if (c == ',' && depth == 0) cells.push_back(trim(cell)), cell.clear();
      else cell += c;
    }
    cells.push_back(trim(cell));
    rows.push_back(cells);
    if (!nested) {
      if (trim(text.substr(close + 1)) != "") return {false, Mat(), "unexpected text after ']'"};
      break;
    }
    size_t next = text.find_first_not_of(" \t", close + 1);
    if (next == std::string::npos) return {false, Mat(), "the matrix is not closed by ']]'"};
    if (text[next] == ']') {
      if (trim(text.substr(next + 1)) != "") return {false, Mat(), "unexpected text after ']]'"};
      break;
    }
    if (text[next] != ',') return {false, Mat(), "expected ',' between the rows"};
    i = text.find('[', next);
    if (i == std::string::npos) return {false, Mat(), "expected '[' to start row " + std::to_string(rows.size() + 1)};
  }
  size_t cols = rows[0].size();
  if (rows.size() > size_t(kMaxDim) || cols > size_t(kMaxDim)) return {false, Mat(), "the matrix is too large"};
  Mat m(rows.size(), cols);
  for (size_t r = 0; r < rows.size(); ++r) {
    if (rows[r].size() != cols)
      return {false, Mat(), "row " + std::to_string(r + 1) + " has " + std::to_string(rows[r].size()) + " entries, row 1 has " + std::to_string(cols)};
    for (size_t c = 0; c < cols; ++c) {
      Reading cell = read_number(rows[r][c]);
      if (!cell.ok) return {false, Mat(), "row " + std::to_string(r + 1) + ", entry " + std::to_string(c + 1) + ": " + cell.problem};
      m(r, c) = cell.value(0, 0);
    }
  }
  return {true, m, ""};
}

Reading read_shape(const std::string& raw) {
  std::string t;
  for (char c : trim(raw)) if (c != ' ' && c != '(' && c != ')') t += c;
  for (const std::string& sep : {std::string("×"), std::string("x"), std::string("X"), std::string("*"), std::string(",")}) {
    size_t at = t.find(sep);
    if (at == std::string::npos) continue;
    std::string a = t.substr(0, at), b = t.substr(at + sep.size());
    auto whole = [](const std::string& s) { return !s.empty() && s.size() < 6 && std::all_of(s.begin(), s.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }); };
    if (whole(a) && whole(b)) {
      Mat m(1, 2);
      m << std::stod(a), std::stod(b);
      return {true, m, ""};
    }
  }
  return {false, Mat(), "write a shape as rows x columns, e.g. 3x4"};
}

bool close_enough(double given, double expected) {
  if (!std::isfinite(given) || !std::isfinite(expected)) return given == expected;
  double diff = std::abs(given - expected);
  return diff <= 1e-6 || diff <= 1e-3 * std::abs(expected);
}

Marked mark(const std::string& text, const Mat& expected) {
  Reading r = read_answer(text);
  if (!r.ok) return {Verdict::Unreadable, r.problem};
  if (r.value.rows() != expected.rows() || r.value.cols() != expected.cols())
    return {Verdict::Wrong, "expected a " + format_shape(expected) + " value, got " + format_shape(r.value)};
  for (Eigen::Index i = 0; i < expected.size(); ++i)
    if (!close_enough(r.value(i), expected(i))) return {Verdict::Wrong, ""};
  return {Verdict::Right, ""};
}

// --- the topics ----------------------------------------------------------------------------------------------

const std::vector<TopicInfo>& all_topics() {
  static const std::vector<TopicInfo> topics = {
      {Topic::local, "local", {"Local derivatives", "局所的な微分"}, true},
      {Topic::step, "step", {"One backward step", "逆伝播の 1 ステップ"}, true},
      {Topic::graph, "graph", {"Gradient at a leaf", "入力での勾配"}, true},
      {Topic::fanin, "fanin", {"A value used twice", "2 回使われる値"}, true},
      {Topic::shapes, "shapes", {"Shapes of dX, dW, db", "dX, dW, db の形"}, true},
      {Topic::concepts, "concepts", {"Concept check, day 1", "確認テスト: 1 日目"}, true},
      {Topic::concepts2, "concepts2", {"Concept check, day 2", "確認テスト: 2 日目"}, false},
      {Topic::concepts3, "concepts3", {"Concept check, day 3", "確認テスト: 3 日目"}, false},
      {Topic::update, "update", {"One optimizer step", "最適化手法の 1 ステップ"}, false},
      {Topic::init, "init", {"Xavier and He", "Xavier と He の初期値"}, false},
      {Topic::params, "params", {"Counting parameters", "パラメータの数"}, false},
      {Topic::saddle, "saddle", {"Saddle points and noise", "鞍点とノイズ"}, false},
      {Topic::bptt, "bptt", {"BPTT: a weight shared over time", "BPTT: 時間で共有される重み"}, false},
      {Topic::gate, "gate", {"A gate's derivative", "ゲートの微分"}, false},
      {Topic::cell, "cell", {"Through the LSTM's cell state", "LSTM のセル状態を通る勾配"}, false},
      {Topic::rnnparams, "rnnparams", {"RNN, LSTM, GRU parameters", "RNN・LSTM・GRU のパラメータ数"}, false},
      {Topic::outsize, "outsize", {"A convolution's output size", "畳み込みの出力サイズ"}, false},
      {Topic::convparams, "convparams", {"A conv layer's parameters", "畳み込み層のパラメータ数"}, false},
      {Topic::convvalue, "convvalue", {"A convolution by hand", "畳み込みを手で計算"}, false},
      {Topic::poolgrad, "poolgrad", {"Where max pooling's gradient goes", "Max プーリングの勾配の行き先"}, false},
      {Topic::im2colshape, "im2colshape", {"The shape of im2col's matrix", "im2col の行列の形"}, false},
  };
  return topics;
}

std::vector<Topic> default_topics() {
  std::vector<Topic> out;
  for (const TopicInfo& t : all_topics())
    if (t.by_default) out.push_back(t.topic);
  return out;
}

std::vector<Topic> QuizOptions::asked_topics() const { return !topics.empty() ? topics : bank ? bank->topics() : default_topics(); }

Topic parse_topic(const std::string& name) {
  std::string names;
  for (const TopicInfo& t : all_topics()) {
    if (name == t.name) return t.topic;
    names += (names.empty() ? "" : ", ") + std::string(t.name);
  }
  throw InputError("unknown topic '" + quote(name) + "'; the topics are: " + names);
}

const char* topic_name(Topic t) {
  for (const TopicInfo& i : all_topics())
    if (i.topic == t) return i.name;
  return "?";
}

std::string Question::choice(size_t i, Lang l) const {  // formulas are stored once, words as "English|日本語"
  const std::string& c = choices[i];
  size_t bar = c.find('|');
  return bar == std::string::npos ? c : l == Lang::ja ? c.substr(bar + 1) : c.substr(0, bar);
}

std::string Question::answer_text() const {
  switch (kind) {
    case AnswerKind::Choice: return std::string(1, char('A' + correct));
    case AnswerKind::Shape: return format_number(value(0, 0)) + "x" + format_number(value(0, 1));
    case AnswerKind::Number: return format_matrix(value);
  }
  return "";
}

uint64_t parse_seed(const std::string& text, const std::string& what) {
  // Leading zeros do not count; then at most 16 digits (2^53 − 1 has 16), so the value is read exactly.
  size_t first = std::min(text.find_first_not_of('0'), text.size() > 0 ? text.size() - 1 : 0);
  std::string d = text.substr(first);
  bool digits = !d.empty() && d.size() <= 16 && d.find_first_not_of("0123456789") == std::string::npos;
  if (!digits || std::stoull(d) > kMaxSeed)
    throw InputError(what + " must be a whole number from 0 to " + std::to_string(kMaxSeed) + ", not '" + quote(text) + "'");
  return std::stoull(d);
}

// --- generating -------------------------------------------------------------------------------------------
namespace quizgen {

Text words(const std::string& en, const std::string& ja) { return {en, ja}; }
Text words(const Words& w) { return {w.en, w.ja}; }

void value_by_engine(Question& q) {
  Graph g = build(q.expr, q.inputs);
  q.value = forward(g)[g.output];
  q.kind = AnswerKind::Number;
}

void shuffle_choices(QuizRng& r, Question& q, std::vector<std::string> options) {
  std::vector<int> order(options.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = int(i);
  for (size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[r.below(int(i))]);
  for (int i : order) q.choices.push_back(options[i]);
  q.correct = int(std::find(order.begin(), order.end(), 0) - order.begin());
  q.kind = AnswerKind::Choice;
}

}  // namespace quizgen

namespace {
using namespace quizgen;

std::string num(double v) {
  std::string s = format_number(v);
  return v < 0 ? "(" + s + ")" : s;
}

// Computes a number question's answer with the engine: d(output)/d(wrt).
bool answer_by_engine(Question& q) {
  Graph g = build(q.expr, q.inputs);
  Values v = forward(g);
  Mat d = backward(g, v)[g.find(q.wrt)];
  if (!all_finite(d) || d.cwiseAbs().maxCoeff() > 1e4) return false;  // not a question for people
  q.value = d;
  q.kind = AnswerKind::Number;
  return true;
}

struct LocalRule {
  const char* function;  // y = ...
  const char* op;        // for the hint
  std::vector<const char*> options;  // the right derivative first
};

Question local_question(QuizRng& r) {
  static const std::vector<LocalRule> rules = {
      {"y = x · w", "mul", {"w", "x", "1", "x · w"}},
      {"y = x + w", "add", {"1", "x", "w", "0"}},
      {"y = σ(x)", "sigmoid", {"y(1 − y)", "1 − y²", "y", "−y²"}},
      {"y = tanh(x)", "tanh", {"1 − y²", "y(1 − y)", "1 + y²", "y"}},
      {"y = ReLU(x), x > 0", "relu", {"1", "0", "x", "y"}},
      {"y = ReLU(x), x < 0", "relu", {"0", "1", "x", "−1"}},
      {"y = 1/x", "recip", {"−1/x² = −y²", "1/x²", "log x", "−1/x"}},
      {"y = exp(x)", "exp", {"exp(x) = y", "x · exp(x − 1)", "1", "exp(−x)"}},
      {"y = log(x)", "log", {"1/x", "log x", "x", "−1/x²"}},
      {"y = step(x)", "step", {"0", "1", "x", "step(x)"}},
  };
  const LocalRule& rule = rules[r.below(int(rules.size()))];
  Question q;
  q.topic = Topic::local;
  q.prompt = words(std::string("What is ∂y/∂x for ") + rule.function + "?", std::string(rule.function) + " のとき ∂y/∂x は?");
  shuffle_choices(r, q, {rule.options.begin(), rule.options.end()});
  const OpDef& d = op(rule.op);
  q.hint = words(d.rule, d.rule);
  return q;
}

Question step_question(QuizRng& r, int difficulty) {
  struct Form { const char* op; const char* expr; int inputs; };  // expr of x (and w)
  static const std::vector<Form> forms = {{"mul", "x * w", 2}, {"add", "x + w", 2}, {"sigmoid", "sigmoid(x)", 1},
                                          {"tanh", "tanh(x)", 1}, {"relu", "relu(x)", 1}, {"exp", "exp(x)", 1},
                                          {"recip", "1 / x", 1}, {"pow", "x^2", 1}, {"sub", "x - w", 2}};
  for (;;) {
    const Form& f = forms[r.below(int(forms.size()))];
    double dout = r.nice(difficulty, 3), x = r.nice(difficulty, 3), w = r.nice(difficulty, 3);
    if (std::string(f.op) == "exp" || std::string(f.op) == "sigmoid" || std::string(f.op) == "tanh") x = r.nice(std::max(difficulty, 2), 2);
    Question q;
    q.topic = Topic::step;
    q.expr = "z = " + std::string(f.expr) + "; L = " + num(dout) + " * z";
    q.inputs = {{"x", Mat::Constant(1, 1, x)}};
    if (f.inputs == 2) q.inputs["w"] = Mat::Constant(1, 1, w);
    q.wrt = "x";
    if (!answer_by_engine(q)) continue;
    std::string given = "x = " + format_number(x) + (f.inputs == 2 ? ", w = " + format_number(w) : "");
    q.prompt = words("In the backward pass, ∂L/∂z = " + format_number(dout) + " arrives at the node z = " + f.expr + " (" + given +
                         "). What is ∂L/∂x?",
                     "逆伝播で ∂L/∂z = " + format_number(dout) + " がノード z = " + f.expr + " (" + given + ") に届いた。∂L/∂x は?");
    const OpDef& d = op(f.op);
    q.hint = words(std::string("∂L/∂x = ∂L/∂z × ∂z/∂x; ") + d.rule, std::string("∂L/∂x = ∂L/∂z × ∂z/∂x。") + d.rule);
    return q;
  }
}

// A random expression over the inputs a, b, c: `size` operations from the student's op set.
std::string random_expr(QuizRng& r, int size, std::vector<std::string>& used) {
  static const char* leaves[] = {"a", "b", "c"};
  if (size == 0) {
    std::string l = leaves[r.below(3)];
    if (std::find(used.begin(), used.end(), l) == used.end()) used.push_back(l);
    return l;
  }
  int kind = r.below(7);
  if (kind < 4) {
    int left = r.below(size);
    std::string a = random_expr(r, left, used), b = random_expr(r, size - 1 - left, used);
    const char* ops[] = {" + ", " - ", " * ", " * "};
    return "(" + a + ops[kind] + b + ")";
  }
  const char* fns[] = {"sigmoid", "tanh", "exp"};
  std::string arg = random_expr(r, size - 1, used);
  if (arg.front() == '(') arg = arg.substr(1, arg.size() - 2);  // tanh(a * b), not tanh((a * b))
  return std::string(fns[kind - 4]) + "(" + arg + ")";
}

Question graph_question(QuizRng& r, int difficulty) {
  for (;;) {
    std::vector<std::string> used;
    int size = difficulty + 1 + r.below(2);
    std::string e = random_expr(r, size, used);
    Question q;
    q.topic = Topic::graph;
    q.expr = "y = " + e;
    std::string given;
    for (const std::string& name : used) {
      double v = r.nice(difficulty, 2);
      q.inputs[name] = Mat::Constant(1, 1, v);
      given += (given.empty() ? "" : ", ") + name + " = " + format_number(v);
    }
    q.wrt = used[r.below(int(used.size()))];
    if (!answer_by_engine(q)) continue;
    q.prompt = words(q.expr + " with " + given + ". What is ∂y/∂" + q.wrt + "?", q.expr + "（" + given + "）のとき ∂y/∂" + q.wrt + " は?");
    q.hint = words("Draw the graph, go forward, then backward: multiply each local derivative by the gradient arriving.",
                   "計算グラフを描き、順伝播のあと逆伝播: 届いた勾配に局所的な微分を掛けていく。");
    return q;
  }
}

Question fanin_question(QuizRng& r, int difficulty) {
  static const std::vector<const char*> forms = {"y = x * x + a * x", "y = a * x * x", "y = exp(x) * x",
                                                 "y = x * sigmoid(x)", "y = (x + a) * (x - a)", "y = tanh(x) + a * x"};
  for (;;) {
    Question q;
    q.topic = Topic::fanin;
    q.expr = forms[r.below(int(forms.size()))];
    double x = r.nice(difficulty, 2), a = r.nice(difficulty, 3);
    q.inputs = {{"x", Mat::Constant(1, 1, x)}};
    if (q.expr.find('a') != std::string::npos) q.inputs["a"] = Mat::Constant(1, 1, a);
    q.wrt = "x";
    if (!answer_by_engine(q)) continue;
    std::string given = "x = " + format_number(x) + (q.inputs.count("a") ? ", a = " + format_number(a) : "");
    q.prompt = words(q.expr + " with " + given + ". x is used more than once: what is ∂y/∂x?",
                     q.expr + "（" + given + "）。x は複数回使われている。∂y/∂x は?");
    q.hint = words("A value used in several places gets the sum of the gradients from each use.",
                   "複数の場所で使われる値の勾配は、それぞれの使い道から来る勾配の和。");
    return q;
  }
}

Question shapes_question(QuizRng& r) {
  int n = 2 + r.below(127), d = 1 + r.below(64), m = 1 + r.below(16);
  int which = r.below(3);
  const char* names[] = {"∂L/∂X", "∂L/∂W", "∂L/∂b"};
  Question q;
  q.topic = Topic::shapes;
  q.kind = AnswerKind::Shape;
  q.value = Mat(1, 2);
  if (which == 0) q.value << n, d;
  else if (which == 1) q.value << d, m;
  else q.value << 1, m;
  std::string setup = "X is " + std::to_string(n) + "x" + std::to_string(d) + " (a batch of " + std::to_string(n) + "), W is " +
                      std::to_string(d) + "x" + std::to_string(m) + ", b is 1x" + std::to_string(m) + ", Y = X·W + b.";
  std::string setup_ja = "X は " + std::to_string(n) + "x" + std::to_string(d) + "（バッチ " + std::to_string(n) + " 件）、W は " +
                         std::to_string(d) + "x" + std::to_string(m) + "、b は 1x" + std::to_string(m) + "、Y = X·W + b。";
  q.prompt = words(setup + " What is the shape of " + names[which] + "? (rows x columns)", setup_ja + names[which] + " の形は?（行 x 列）");
  q.hint = which == 2 ? words("b was added to every row of the batch, so ∂L/∂b is the sum of ∂L/∂Y over the rows: the shape of b.",
                              "b はバッチの各行に足されたので、∂L/∂b は ∂L/∂Y を行方向に足したもの: b と同じ形。")
                      : words("A gradient has the shape of the value it belongs to.", "勾配は、その値と同じ形をしている。");
  return q;
}

// A question of the bank's on topic t, not one of those already asked (ids) while the bank has others.
Question concept_question(QuizRng& r, Topic t, const Bank& bank, std::vector<std::string>& asked) {
  std::vector<const BankQuestion*> all, fresh;
  for (const BankQuestion& b : bank.questions)
    if (b.topic == t) {
      all.push_back(&b);
      if (std::find(asked.begin(), asked.end(), b.id) == asked.end()) fresh.push_back(&b);
    }
  if (all.empty())
    throw InputError(bank.name == "kobai" && bank.questions.empty()
                         ? std::string("the question bank is not loaded yet")
                         : "the question bank '" + bank.name + "' has no questions of topic " + topic_name(t));
  const std::vector<const BankQuestion*>& pool = fresh.empty() ? all : fresh;
  const BankQuestion& b = *pool[r.below(int(pool.size()))];
  asked.push_back(b.id);
  Question q;
  q.topic = t;
  q.id = b.id, q.source = b.source;
  q.prompt = b.prompt;
  q.hint = b.hint;
  // Choices are stored in both languages, "English|日本語", the right one first for shuffle_choices.
  std::vector<int> from = {b.answer};
  for (int c = 0; c < int(b.choices.size()); ++c)
    if (c != b.answer) from.push_back(c);
  std::vector<std::string> options;
  for (int c : from) options.push_back(b.choices[c].en + "|" + b.choices[c].ja);
  shuffle_choices(r, q, options);
  for (size_t i = 0; i < q.choices.size(); ++i) {  // why each wrong one is wrong, in the order shown
    const int c = from[std::find(options.begin(), options.end(), q.choices[i]) - options.begin()];
    const Text &choice = b.choices[c], &why = b.why[c];
    q.why.push_back(why);
    if (int(i) == q.correct) continue;
    std::string letter(1, char('A' + i));
    auto line = [&](const std::string& c, const std::string& w) { return letter + ") " + c + ": " + w; };
    q.working.en += (q.working.en.empty() ? "" : "\n") + line(choice.en, why.en);
    q.working.ja += (q.working.ja.empty() ? "" : "\n") + line(choice.ja, why.ja);
  }
  return q;
}

}  // namespace

std::vector<Question> generate_quiz(const QuizOptions& o) {
  if (o.count < 1 || o.count > 500) throw InputError("the number of questions must be from 1 to 500, not " + std::to_string(o.count));
  if (o.difficulty < 1 || o.difficulty > 3) throw InputError("the difficulty must be 1, 2 or 3, not " + std::to_string(o.difficulty));
  const Bank& bank = o.bank ? *o.bank : builtin_bank();
  std::vector<Topic> topics = o.asked_topics();
  for (Topic t : topics)  // said before any is drawn: the same sheet fails the same way whatever the seed
    if (is_concept_topic(t) && std::none_of(bank.questions.begin(), bank.questions.end(), [&](const BankQuestion& b) { return b.topic == t; }))
      throw InputError(bank.questions.empty() && !o.bank ? std::string("the question bank is not loaded yet")
                                                         : "the question bank '" + bank.name + "' has no questions of topic " + topic_name(t));
  quizgen::QuizRng r{{o.seed}};
  std::vector<Question> out;
  std::vector<std::string> asked;  // the bank's questions on the sheet, by id
  for (int i = 0; i < o.count; ++i) {
    Topic t = topics[r.below(int(topics.size()))];
    // A question already on the sheet is drawn again (the local rules are ten: a long sheet can use them all, so
    // the tries are bounded; the bank's questions are drawn from those not yet asked).
    constexpr int kTries = 64;
    for (int attempt = 0; attempt < kTries; ++attempt) {
      Question q;
      switch (t) {
        case Topic::local: q = local_question(r); break;
        case Topic::step: q = step_question(r, o.difficulty); break;
        case Topic::graph: q = graph_question(r, o.difficulty); break;
        case Topic::fanin: q = fanin_question(r, o.difficulty); break;
        case Topic::shapes: q = shapes_question(r); break;
        case Topic::concepts: case Topic::concepts2: case Topic::concepts3: q = concept_question(r, t, bank, asked); break;
        case Topic::update: case Topic::init: case Topic::params: case Topic::saddle: q = quizgen::day2_question(t, r, o.difficulty); break;
        case Topic::bptt: case Topic::gate: case Topic::cell: case Topic::rnnparams: q = quizgen::day3_question(t, r, o.difficulty); break;
        case Topic::outsize: case Topic::convparams: case Topic::convvalue: case Topic::poolgrad: case Topic::im2colshape:
          q = quizgen::cnn_question(t, r, o.difficulty);
          break;
      }
      // A saddle question from another start asks the same thing.
      bool repeat = std::any_of(out.begin(), out.end(), [&](const Question& o2) {
        return o2.prompt.en == q.prompt.en || (q.topic == Topic::saddle && o2.topic == q.topic && o2.detail == q.detail);
      });
      if (!repeat || attempt == kTries - 1) {
        out.push_back(std::move(q));
        break;
      }
    }
  }
  return out;
}

// --- sheets -------------------------------------------------------------------------------------------------

std::string quiz_markdown(const std::vector<Question>& qs, const QuizOptions& o, Lang l) {
  std::string out = "# " + std::string(sheet_title(l)) + " (seed " + std::to_string(o.seed) +
                    ", " + (l == Lang::ja ? "難易度 " : "difficulty ") + std::to_string(o.difficulty) + ")\n\n";
  for (size_t i = 0; i < qs.size(); ++i) {
    const Question& q = qs[i];
    out += std::to_string(i + 1) + ". " + q.prompt(l) + "\n";
    for (size_t c = 0; c < q.choices.size(); ++c) out += "   - " + std::string(1, char('A' + c)) + ") " + q.choice(c, l) + "\n";
    out += "\n";
  }
  out += l == Lang::ja ? "## 解答\n\n" : "## Answer key\n\n";
  for (size_t i = 0; i < qs.size(); ++i) {
    const Question& q = qs[i];
    out += std::to_string(i + 1) + ". " + q.answer_text();
    if (q.kind == AnswerKind::Choice) out += ") " + q.choice(size_t(q.correct), l);
    out += std::string("  — ") + q.hint(l) + "\n";
    std::string working = q.working(l);  // its lines indented under the answer
    for (size_t at = working.find('\n'); at != std::string::npos; at = working.find('\n', at + 4)) working.replace(at, 1, "\n   ");
    if (!working.empty()) out += "   " + working + "\n";
    if (!q.source.empty()) out += std::string("   ") + (l == Lang::ja ? "出典: " : "Source: ") + q.source + "\n";
  }
  return out;
}

std::string quiz_json(const std::vector<Question>& qs, Lang l) {
  using json = nlohmann::json;
  json out = json::array();
  for (const Question& q : qs) {
    json j;
    j["kind"] = q.kind == AnswerKind::Choice ? "choice" : q.kind == AnswerKind::Shape ? "shape" : "number";
    j["topic"] = topic_name(q.topic);
    j["prompt"] = q.prompt(l);
    j["answer"] = q.answer_text();
    if (q.kind == AnswerKind::Choice) {
      j["choices"] = json::array();
      for (size_t c = 0; c < q.choices.size(); ++c) j["choices"].push_back(q.choice(c, l));
    }
    if (q.kind == AnswerKind::Number) {
      j["value"] = q.value.size() == 1 ? json(q.value(0, 0)) : json(nullptr);
      j["expr"] = q.expr;
      if (!q.wrt.empty()) j["wrt"] = q.wrt;
    }
    j["hint"] = q.hint(l);
    if (!q.working(l).empty()) j["working"] = q.working(l);
    if (!q.id.empty()) j["id"] = q.id, j["source"] = q.source;
    out.push_back(j);
  }
  return out.dump(2, ' ', false, json::error_handler_t::replace);
}

}  // namespace kobai
