// Day 2's questions (the optimizers, initial weights, parameter counts, saddle points), beside day 1's in quiz.cpp.
#include "quiz_make.h"

#include "optim.h"

#include <cmath>
#include <stdexcept>

namespace kobai::quizgen {
namespace {

// One or two steps of an optimizer by hand, from the state at 0, with the book's settings (optimizer.py). The
// answer is the expression's value, computed by the engine; the tests redo each with optim.h's Optimizer.
Question update_question(QuizRng& r, int difficulty) {
  struct Form {
    OptimizerKind kind;
    const char* settings;  // as the prompt gives them
    const char* first;     // the first step, from W and g1: ends in W1
    const char* second;    // the second (from W1 and g2), or nullptr: by hand, once is enough
  };
  static const std::vector<Form> forms = {
      {OptimizerKind::sgd, "", "W1 = W - lr * g1", "W2 = W1 - lr * g2"},
      {OptimizerKind::momentum, ", α = 0.9", "v1 = 0 - lr * g1; W1 = W + v1", "v2 = 0.9 * v1 - lr * g2; W2 = W1 + v2"},
      {OptimizerKind::nesterov, ", α = 0.9", "v1 = 0 - lr * g1; W1 = W + 0.81 * v1 - 1.9 * lr * g1",
       "v2 = 0.9 * v1 - lr * g2; W2 = W1 + 0.81 * v2 - 1.9 * lr * g2"},
      {OptimizerKind::adagrad, ", ε = 1e-7", "h1 = g1^2; W1 = W - lr * g1 / (h1^0.5 + 1e-7)",
       "h2 = h1 + g2^2; W2 = W1 - lr * g2 / (h2^0.5 + 1e-7)"},
      {OptimizerKind::rmsprop, ", ρ = 0.99, ε = 1e-7", "h1 = 0.01 * g1^2; W1 = W - lr * g1 / (h1^0.5 + 1e-7)",
       "h2 = 0.99 * h1 + 0.01 * g2^2; W2 = W1 - lr * g2 / (h2^0.5 + 1e-7)"},
      {OptimizerKind::adam, ", β1 = 0.9, β2 = 0.999, ε = 1e-7",
       "m1 = 0.1 * g1; v1 = 0.001 * g1^2; lr1 = lr * 0.001^0.5 / 0.1; W1 = W - lr1 * m1 / (v1^0.5 + 1e-7)", nullptr},
      {OptimizerKind::adadelta, ", ρ = 0.95, ε = 1e-6", "h1 = 0.05 * g1^2; W1 = W - lr * (1e-6)^0.5 / (h1 + 1e-6)^0.5 * g1", nullptr},
  };
  static const double rates[] = {0.1, 0.2, 0.5, 1};
  for (;;) {
    const Form& f = forms[r.below(int(forms.size()))];
    bool two = difficulty >= 2 && f.second;
    double lr = f.kind == OptimizerKind::adadelta ? 1 : rates[r.below(4)];
    double w = r.nice(difficulty, 3), g1 = r.nice(difficulty, 3), g2 = r.nice(difficulty, 3);
    Question q;
    q.topic = Topic::update;
    q.detail = name_of(f.kind);
    q.expr = std::string(f.first) + (two ? std::string("; ") + f.second : "");
    q.inputs = {{"W", one(w)}, {"lr", one(lr)}, {"g1", one(g1)}};
    if (two) q.inputs["g2"] = one(g2);
    value_by_engine(q);
    // ε moves an answer of about 0 off it by 1e-7 or so, more than marking forgives there: not a question.
    double v = q.value(0, 0);
    if (v != 0 && std::abs(v) < 0.05) continue;
    const char* title = optimizer_def(f.kind).title;
    std::string given = std::string("η = ") + format_number(lr) + f.settings + ", W = " + format_number(w);
    std::string grads = format_number(g1) + (two ? ", then " + format_number(g2) : "");
    std::string grads_ja = format_number(g1) + (two ? "、次に " + format_number(g2) : "");
    bool state = f.kind != OptimizerKind::sgd;  // SGD keeps none
    q.prompt = words(std::string(title) + " (" + given + ")" + (state ? ", its state starting at 0" : "") + ". The gradient is " + grads +
                         ". What is W after " + (two ? "the two steps" : "the step") + "?",
                     std::string(title) + "（" + given + "）" + (state ? "、状態は 0 から" : "") + "。勾配は " + grads_ja + "。" +
                         (two ? "2 回" : "1 回") + "更新したあとの W は?");
    q.hint = words(rule_of(f.kind), rule_of(f.kind));
    return q;
  }
}

// Xavier's and He's standard deviations for a layer of n inputs; n is chosen so that the root comes out round.
Question init_question(QuizRng& r, int) {
  static const int xavier_n[] = {4, 16, 25, 64, 100, 400, 10000}, he_n[] = {2, 8, 32, 50, 128, 200, 800};
  bool he = r.below(2) == 1;
  int n = he ? he_n[r.below(7)] : xavier_n[r.below(7)];
  Question q;
  q.topic = Topic::init;
  q.detail = he ? "he" : "xavier";
  q.expr = he ? "s = (2 / n)^0.5" : "s = 1 / n^0.5";
  q.inputs = {{"n", one(n)}};
  value_by_engine(q);
  std::string name = he ? "He" : "Xavier";
  q.prompt = words("A layer takes n = " + std::to_string(n) + " inputs (the units of the layer before). What standard deviation does " +
                       name + "'s initial value give its weights?",
                   "ある層への入力は n = " + std::to_string(n) + " 個（前の層のノード数）。" + name + " の初期値では、重みの標準偏差は?");
  q.hint = words("Xavier: 1/√n, for sigmoid and tanh. He: √(2/n), for ReLU, which zeroes half its inputs.",
                 "Xavier は 1/√n（sigmoid, tanh 向け）。He は √(2/n)（入力の半分を 0 にする ReLU 向け）。");
  return q;
}

// The parameters of a network of affine layers: n·m weights and m biases per layer.
Question params_question(QuizRng& r, int difficulty) {
  static const int inputs[] = {784, 64, 2, 4, 100}, hidden[] = {50, 100, 10, 3, 8, 20}, outputs[] = {10, 3, 2, 1};
  std::vector<int> sizes = {inputs[r.below(5)]};
  for (int l = 0; l < (difficulty >= 3 ? 2 : 1); ++l) sizes.push_back(hidden[r.below(6)]);
  sizes.push_back(outputs[r.below(4)]);
  Question q;
  q.topic = Topic::params;
  std::string shape, sum;
  for (size_t i = 0; i < sizes.size(); ++i) {
    std::string n = "n" + std::to_string(i);
    q.inputs[n] = one(sizes[i]);
    shape += (i ? " → " : "") + std::to_string(sizes[i]);
    if (i) sum += (i > 1 ? " + " : "") + ("n" + std::to_string(i - 1)) + " * " + n + " + " + n;
  }
  q.expr = "P = " + sum;
  value_by_engine(q);
  q.prompt = words("A network " + shape + " of affine layers, each with weights and biases. How many parameters does it learn?",
                   "Affine レイヤ（重みとバイアス）だけのネットワーク " + shape + "。学習するパラメータの数は?");
  q.hint = words("An affine layer from n units to m has n·m weights and m biases.", "n ユニットから m ユニットへの Affine レイヤには重み n·m 個とバイアス m 個。");
  return q;
}

// f(x, y) = x² − y² from a start on y = 0: plain gradient descent ends at the saddle point, noise lets it out.
// The tests walk the engine's Descent from the same start, with and without noise, and see the right answer.
Question saddle_question(QuizRng& r, int difficulty) {
  bool noise = r.below(2) == 1;
  double x = r.nice(difficulty, 3);
  Question q;
  q.topic = Topic::saddle;
  q.detail = noise ? "noise" : "";
  q.expr = "f = x^2 - y^2";
  q.inputs = {{"x", one(x)}, {"y", one(0)}};
  std::string start = "(" + format_number(x) + ", 0)";
  q.prompt = noise ? words("Gradient descent (η = 0.1) on f(x, y) = x² − y² from " + start +
                               ", with a little random noise in every gradient, as a mini-batch's has. Where does it go?",
                           "f(x, y) = x² − y² を " + start + " から勾配降下法（η = 0.1）で下る。ミニバッチのように勾配には毎回少しノイズが乗る。どこへ行く?")
                   : words("Gradient descent (η = 0.1) on f(x, y) = x² − y² from " + start + ", the exact gradient every step. Where does it go?",
                           "f(x, y) = x² − y² を " + start + " から勾配降下法（η = 0.1）で下る。勾配は毎回正確。どこへ行く?");
  std::string stuck = "to the saddle point (0, 0), and it stays there|鞍点 (0, 0) へ行き、そこで止まる";
  std::string away = "away along y, f falling without end|y の方向へ離れていき、f はどこまでも下がる";
  std::vector<std::string> options = {noise ? away : stuck, noise ? stuck : away,
                                      "to a minimum of f|f の最小値へ", "it stays at the start|出発点から動かない"};
  shuffle_choices(r, q, options);
  q.hint = noise ? words("Noise gives y a start; −y² then makes it grow: a saddle does not hold a noisy descent.",
                         "ノイズで y が少しずれると、−y² がそれを大きくしていく。ノイズのある降下は鞍点に留まらない。")
                 : words("On y = 0 the gradient (2x, −2y) has no y part: y stays 0 while x shrinks to 0.",
                         "y = 0 では勾配 (2x, −2y) に y 成分がない。x は 0 へ縮み、y は 0 のまま。");
  return q;
}
}  // namespace

Question day2_question(Topic t, QuizRng& r, int difficulty) {
  switch (t) {
    case Topic::update: return update_question(r, difficulty);
    case Topic::init: return init_question(r, difficulty);
    case Topic::params: return params_question(r, difficulty);
    case Topic::saddle: return saddle_question(r, difficulty);
    default: throw std::logic_error("day2_question: not one of day 2's topics");
  }
}

}  // namespace kobai::quizgen
