// Day 3's questions (sequences: backpropagation through time, the gates of LSTM and GRU, the gradient along the
// LSTM's cell state, the parameters of RNN, LSTM and GRU cells), beside day 1's in quiz.cpp and day 2's in
// quiz_day2.cpp. Each answer is the formula a student works by hand, written in the language and computed by the
// engine; its named steps give the working's numbers. The tests build the recurrence or the cell itself in the
// language and read the answer from its backward pass or its weights.
#include "quiz_make.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace kobai::quizgen {
namespace {

std::string num(double v) {  // a number inside a formula: negatives in brackets
  std::string s = format_number(v);
  return v < 0 ? "(" + s + ")" : s;
}

// q.expr at q.inputs by the engine: the answer is its output, the working reads its named steps. A working's lines
// are separated by '\n'.
struct Worked {
  Graph g;
  Values v;
  std::string operator[](const std::string& name) const { return format_number(at(name)); }
  double at(const std::string& name) const { return v[size_t(g.find(name))](0, 0); }
};
Worked work(Question& q) {
  Worked w{build(q.expr, q.inputs), {}};
  w.v = forward(w.g);
  q.value = w.v[size_t(w.g.output)];
  q.kind = AnswerKind::Number;
  return w;
}

// A value a student can multiply by hand at this difficulty: whole numbers at 1 and 2, one decimal at 3.
double whole_or_tenths(QuizRng& r, int difficulty, int range) { return r.nice(difficulty >= 3 ? 2 : 1, range); }
double tenths(QuizRng& r, bool positive) {  // 0.1 .. 0.9 (a gate's output), or ±0.1 .. ±0.9 (a tanh's)
  double v = (1 + r.below(9)) / 10.0;
  return positive || r.below(2) ? v : -v;
}

// --- BPTT: a linear RNN of one unit, so that it is done by hand; w is the weight every step shares ------------
Question bptt_question(QuizRng& r, int difficulty) {
  int T = difficulty == 1 ? 2 : 3;
  bool sum_loss = difficulty == 3;  // each step's h feeds the loss too: the gradients arriving add up
  for (;;) {
    double w = difficulty == 1 ? r.nice(1, 2) : r.nice(2, 1), h0 = r.nice(1, 2);
    Question q;
    q.topic = Topic::bptt;
    q.inputs = {{"w", one(w)}, {"h0", one(h0)}};
    std::string ahead, back, given = "w = " + format_number(w) + ", h[0] = " + format_number(h0);
    std::string sum = "dw = ";
    for (int t = 1; t <= T; ++t) {
      std::string s = std::to_string(t), p = std::to_string(t - 1);
      double x = r.nice(1, 3);
      q.inputs["x" + s] = one(x);
      given += ", x[" + s + "] = " + format_number(x);
      ahead += "h" + s + " = w * h" + p + " + x" + s + "; ";
    }
    // ∂L/∂h[t], from the last step back: the gradient from h[t+1] through w, plus 1 where h[t] is in L itself
    for (int t = T; t >= 1; --t) {
      std::string s = std::to_string(t);
      if (t == T) back += "d" + s + " = 1; ";
      else back += "d" + s + " = " + (sum_loss ? "1 + " : "") + "d" + std::to_string(t + 1) + " * w; ";
      sum += (t == T ? "" : " + ") + std::string("d") + s + " * h" + std::to_string(t - 1);
    }
    q.expr = ahead + back + sum;  // the forward steps, the backward steps, the sum over time
    Worked k = work(q);
    if (std::abs(q.value(0, 0)) < 1e-9 || std::abs(q.value(0, 0)) > 1e4) continue;  // 0: rounding shows; large: not by hand
    std::string loss = "h[" + std::to_string(T) + "]";
    if (sum_loss) loss = "h[1] + h[2] + h[3]";
    q.prompt = words("A linear RNN of one unit (no activation, to be worked by hand): h[t] = w·h[t-1] + x[t], with " + given +
                         ", and L = " + loss + ". The same w is used at every step: what is ∂L/∂w?",
                     "1 ユニットの線形 RNN（手で計算できるよう活性化関数なし）: h[t] = w·h[t-1] + x[t]。" + given + "、L = " + loss +
                         "。同じ w がどのステップでも使われる。∂L/∂w は?");
    q.hint = words("BPTT: ∂L/∂w = Σ ∂L/∂h[t]·h[t-1] over t = 1 … T. Each step's local derivative ∂h[t]/∂w is h[t-1]; the "
                   "gradient reaches h[t-1] as ∂L/∂h[t]·w.",
                   "BPTT: ∂L/∂w = Σ ∂L/∂h[t]·h[t-1]（t = 1 … T の和）。各ステップの局所的な微分 ∂h[t]/∂w は h[t-1]。勾配は "
                   "∂L/∂h[t]·w として h[t-1] に届く。");
    std::string fw, bw, terms;
    for (int t = 1; t <= T; ++t) {
      std::string s = std::to_string(t), p = std::to_string(t - 1);
      fw += (t > 1 ? ", " : "") + std::string("h[") + s + "] = " + num(w) + "·" + num(k.at("h" + p)) + " + " + num(k.at("x" + s)) + " = " + k["h" + s];
    }
    for (int t = T; t >= 1; --t) {
      std::string s = std::to_string(t), n = std::to_string(t + 1);
      bw += (t < T ? ", " : "") + std::string("∂L/∂h[") + s + "] = " +
            (t == T ? "1" : (sum_loss ? "1 + " : "") + k["d" + n] + "·" + num(w) + " = " + k["d" + s]);
      terms += (t < T ? " + " : "") + num(k.at("d" + s)) + "·" + num(k.at("h" + std::to_string(t - 1)));
    }
    std::string total = "∂L/∂w = Σ ∂L/∂h[t]·h[t-1] = " + terms + " = " + k["dw"];
    q.working = words("Forward: " + fw + ".\nBackward: " + bw + ".\n" + total + ".", "順伝播: " + fw + "。\n逆伝播: " + bw + "。\n" + total + "。");
    return q;
  }
}

// --- a gate: its local derivative, the product it makes, or both chained ---------------------------------------
struct Gate {
  const char* name;      // the symbol, as in the notes: f, i, o, g (LSTM); z, r (GRU)
  Words title;           // "The LSTM's forget gate"
  bool sigmoid;          // σ, or tanh (the LSTM's candidate g)
  const char* cell;      // the product it takes part in ("" : none asked), written with the gate's name
  const char* partner;   // what the gate's output is multiplied by there, as the prompt names it
  const char* arrives;   // where the gradient comes in
};

Question gate_question(QuizRng& r, int difficulty) {
  static const std::vector<Gate> gates = {
      {"f", {"The LSTM's forget gate", "LSTM の忘却ゲート"}, true, "c[t] = f·c[t-1] + i·g", "c[t-1]", "c[t]"},
      {"i", {"The LSTM's input gate", "LSTM の入力ゲート"}, true, "c[t] = f·c[t-1] + i·g", "g", "c[t]"},
      {"o", {"The LSTM's output gate", "LSTM の出力ゲート"}, true, "h[t] = o·tanh(c[t])", "tanh(c[t])", "h[t]"},
      {"g", {"The LSTM's candidate (new memory)", "LSTM の新しい記憶の候補"}, false, "c[t] = f·c[t-1] + i·g", "i", "c[t]"},
      {"z", {"The GRU's update gate", "GRU の更新ゲート"}, true, "h[t] = (1 − z)·h[t-1] + z·ĥ", "ĥ − h[t-1]", "h[t]"},
      {"r", {"The GRU's reset gate", "GRU のリセットゲート"}, true, "", "", ""},
  };
  // Level 0: the gate's local derivative; 1: ∂L/∂gate through its product; 2: on to its pre-activation a.
  int level = difficulty == 1 ? 0 : difficulty == 2 ? r.below(2) : 1 + r.below(2);
  for (;;) {
    const Gate& gt = gates[r.below(int(gates.size()))];
    if (level > 0 && !*gt.cell) continue;
    std::string G = gt.name;
    double out = tenths(r, gt.sigmoid), delta = whole_or_tenths(r, difficulty, 3);
    Question q;
    q.topic = Topic::gate;
    q.detail = G;
    q.inputs = {{G, one(out)}};
    if (level > 0) q.inputs["delta"] = one(delta);
    std::string local = gt.sigmoid ? "local = " + G + " * (1 - " + G + ")" : "local = 1 - " + G + "^2";
    // The other values in the gate's product, as the prompt gives them (a tanh's value, a gate's, or any)
    std::string given, partner_expr;
    auto give = [&](const std::string& shown, const std::string& name, double v) {
      q.inputs[name] = one(v);
      given += ", " + shown + " = " + format_number(v);
    };
    if (level > 0) {  // level 0 asks about the gate alone: nothing else is given
      if (G == "f") give("c[t-1]", "cp", whole_or_tenths(r, difficulty, 3)), partner_expr = "cp";
      if (G == "i") give("g", "cand", tenths(r, false)), partner_expr = "cand";
      if (G == "o") give("tanh(c[t])", "tc", tenths(r, false)), partner_expr = "tc";
      if (G == "g") give("i", "ig", tenths(r, true)), partner_expr = "ig";
      if (G == "z") {
        give("h[t-1]", "hp", tenths(r, false)), give("ĥ", "hn", tenths(r, false));
        if (q.inputs["hp"] == q.inputs["hn"]) continue;
        partner_expr = "(hn - hp)";
      }
    }
    std::string act = gt.sigmoid ? "σ" : "tanh";
    std::string gate_is = G + " = " + act + "(a) (a = x[t]·Wx + h[t-1]·Wh + b)";
    std::string asked = level == 0 ? "∂" + G + "/∂a" : level == 1 ? "∂L/∂" + G : "∂L/∂a";
    q.expr = local + (level == 0 ? "; answer = local"
                                 : "; through = delta * " + partner_expr + "; chained = through * local; answer = " + (level == 1 ? "through" : "chained"));
    Worked k = work(q);
    if (std::abs(q.value(0, 0)) < 1e-9) continue;
    std::string at = G + " = " + format_number(out);
    const Words& title = gt.title;
    if (level == 0) {
      q.prompt = words(std::string(title.en) + " " + gate_is + " gave " + at + " in the forward pass. What is its local derivative " + asked + "?",
                       std::string(title.ja) + " " + gate_is + " が順伝播で " + at + " になった。局所的な微分 " + asked + " は?");
    } else {
      std::string arriving = "∂L/∂" + std::string(gt.arrives) + " = " + format_number(delta);
      q.prompt = words(std::string(title.en) + " " + gate_is + " gave " + at + " in the forward pass. It is used in " + gt.cell + ", with " + given.substr(2) +
                           ". In the backward pass " + arriving + " arrives. What is " + asked + "?",
                       std::string(title.ja) + " " + gate_is + " が順伝播で " + at + " になった。これは " + gt.cell + " で使われる（" + given.substr(2) +
                           "）。逆伝播で " + arriving + " が届いた。" + asked + " は?");
    }
    std::string rule = gt.sigmoid ? "∂σ(a)/∂a = " + G + "(1 − " + G + ")" : "∂tanh(a)/∂a = 1 − " + G + "²";
    std::string product = *gt.cell ? std::string("; in ") + gt.cell + ", ∂" + gt.arrives + "/∂" + G + " = " + gt.partner : "";
    std::string product_ja = *gt.cell ? std::string("。") + gt.cell + " では ∂" + gt.arrives + "/∂" + G + " = " + gt.partner : "";
    q.hint = words("A gate is a sigmoid (a tanh for the candidate): " + rule + product + ".",
                   "ゲートはシグモイド（候補は tanh）: " + rule + product_ja + "。");
    std::string local_w = (gt.sigmoid ? G + "(1 − " + G + ") = " + num(out) + "·(1 − " + num(out) + ")" : "1 − " + G + "² = 1 − " + num(out) + "²") +
                          " = " + k["local"];
    std::string through_w;  // ∂L/∂gate = the gradient arriving × what the gate multiplies
    if (level > 0) {
      bool z = G == "z";
      std::string partner = z ? "(" + std::string(gt.partner) + ")" : gt.partner;
      std::string value = z ? "(" + k["hn"] + " − " + num(k.at("hp")) + ")" : num(k.at(partner_expr));
      through_w = "∂L/∂" + G + " = ∂L/∂" + gt.arrives + "·" + partner + " = " + format_number(delta) + "·" + value + " = " + k["through"];
    }
    std::string w = level == 0 ? "∂" + G + "/∂a = " + local_w
                  : level == 1 ? through_w
                               : through_w + "\n∂" + G + "/∂a = " + local_w + "\n∂L/∂a = ∂L/∂" + G + "·∂" + G + "/∂a = " + num(k.at("through")) + "·" +
                                     num(k.at("local")) + " = " + k["chained"];
    q.working = words(w + ".", w + "。");
    return q;
  }
}

// --- the LSTM's cell state: ∂c[t]/∂c[t-1] = f[t], and over k steps the product of the f's ----------------------------
Question cell_question(QuizRng& r, int difficulty) {
  for (;;) {
    Question q;
    q.topic = Topic::cell;
    bool arriving = r.below(2) == 1;  // ∂L/∂c[K] given, or the cells' own derivative
    double delta = arriving ? whole_or_tenths(r, difficulty, 3) : 1;
    int K = difficulty == 1 ? 1 + r.below(2) : difficulty == 2 ? 2 + r.below(2) : std::vector<int>{5, 10, 20}[size_t(r.below(3))];
    std::string Ks = std::to_string(K), cK = "c[" + Ks + "]";
    std::string asked = arriving ? "∂L/∂c[0]" : "∂" + cK + "/∂c[0]";
    std::string arrives = arriving ? "∂L/∂" + cK + " = " + format_number(delta) : "";
    q.inputs = {{"delta", one(delta)}};
    std::string cell = "c[t] = f[t]·c[t-1] + i[t]·g[t]";
    if (difficulty >= 3) {  // the same forget gate every step: f^K, which a student may type as 0.9^10
      static const double fs[] = {0.5, 0.8, 0.9, 0.95, 0.99};
      double f = fs[r.below(5)];
      if (std::pow(f, K) < 1e-3) continue;  // near 0 the marking's absolute tolerance would take 0 for it
      q.inputs["f"] = one(f);
      q.expr = "product = f^" + Ks + "; answer = delta * product";
      Worked k = work(q);
      std::string given = "f[t] = " + format_number(f) + " at every step t = 1 … " + Ks;
      std::string given_ja = "どのステップ t = 1 … " + Ks + " でも f[t] = " + format_number(f);
      q.prompt = words("An LSTM's cell state runs " + Ks + " steps: " + cell + ", with " + given + " (i[t] and g[t] whatever they are). " +
                           (arriving ? "In the backward pass " + arrives + " arrives. " : "") + "Along the cell state alone (not through h), what is " + asked + "?",
                       "LSTM のセル状態を " + Ks + " ステップ: " + cell + "、" + given_ja + "（i[t], g[t] は何でもよい）。" +
                           (arriving ? "逆伝播で " + arrives + " が届いた。" : "") + "セル状態だけを通る経路（h を通らない）で " + asked + " は?");
      std::string w = asked + " = " + (arriving ? format_number(delta) + "·" : "") + "f^" + Ks + " = " + (arriving ? format_number(delta) + "·" : "") +
                      num(f) + "^" + Ks + (arriving ? " = " + format_number(delta) + "·" + k["product"] : "") + " = " + k["answer"];
      q.working = words(w + ".", w + "。");
    } else {
      std::string fwd, given, product = "p0 = 1; ";
      for (int t = 1; t <= K; ++t) {
        std::string s = std::to_string(t), p = std::to_string(t - 1);
        double f = tenths(r, true), i = tenths(r, true), g = tenths(r, false);
        q.inputs["f" + s] = one(f), q.inputs["i" + s] = one(i), q.inputs["g" + s] = one(g);
        given += (t > 1 ? ", " : "") + ("f[" + s + "] = " + format_number(f)) + ", i[" + s + "] = " + format_number(i) + ", g[" + s + "] = " + format_number(g);
        fwd += "c" + s + " = f" + s + " * c" + p + " + i" + s + " * g" + s + "; ";
        product += "p" + s + " = p" + p + " * f" + s + "; ";
      }
      double c0 = whole_or_tenths(r, difficulty, 2);
      q.inputs["c0"] = one(c0);
      given += ", c[0] = " + format_number(c0);
      q.expr = fwd + product + "answer = delta * p" + Ks;  // the cells' values, c1 ..., are worked out but do not change it
      Worked k = work(q);
      std::string steps = K == 1 ? "one step" : Ks + " steps";
      q.prompt = words("An LSTM's cell state, " + steps + ": " + cell + ", with " + given + ". " +
                           (arriving ? "In the backward pass " + arrives + " arrives. " : "") + "Along the cell state alone (not through h), what is " + asked + "?",
                       "LSTM のセル状態（" + std::string(K == 1 ? "1" : Ks) + " ステップ）: " + cell + "、" + given + "。" +
                           (arriving ? "逆伝播で " + arrives + " が届いた。" : "") + "セル状態だけを通る経路（h を通らない）で " + asked + " は?");
      std::string fs, vs;
      for (int t = K; t >= 1; --t) {
        fs += (t < K ? "·" : "") + ("f[" + std::to_string(t) + "]");
        vs += (t < K ? "·" : "") + num(k.at("f" + std::to_string(t)));
      }
      std::string numbers = (arriving ? num(delta) + "·" : "") + vs;  // one f alone is already the answer
      std::string w = asked + " = " + (arriving ? "∂L/∂" + cK + "·" : "") + fs + " = " + (numbers == k["answer"] ? "" : numbers + " = ") + k["answer"];
      q.working = words(w + ".", w + "。");
    }
    if (std::abs(q.value(0, 0)) < 1e-9) continue;
    q.hint = words("∂c[t]/∂c[t-1] = f[t]: the cell passes the gradient back multiplied by the forget gate alone (no weight, no "
                   "activation's derivative), so over k steps it is the product of the f's, near 1 while the gates stay open. An answer may be "
                   "typed as 2*0.9^10.",
                   "∂c[t]/∂c[t-1] = f[t]。セルは勾配に忘却ゲートだけを掛けて戻す（重みも活性化関数の微分も掛からない）。k ステップでは "
                   "f の積になり、ゲートが開いていれば 1 に近いまま。答えは 2*0.9^10 のように入力してもよい。");
    return q;
  }
}

// --- the parameters of a cell with n inputs and h units: h(n + h + 1) per gate, one bias each ------------------------
struct CellKind {
  const char* name;  // rnn, lstm, gru (Question::detail)
  const char* title;
  int gates;         // blocks of Wx (n x h), Wh (h x h) and b (1 x h)
  Words form;        // the cell as the question states it
};

Question rnnparams_question(QuizRng& r, int difficulty) {
  static const std::vector<CellKind> cells = {
      {"rnn", "RNN", 1, {"h[t] = tanh(x[t]·Wx + h[t-1]·Wh + b)", "h[t] = tanh(x[t]·Wx + h[t-1]·Wh + b)"}},
      {"lstm", "LSTM", 4,
       {"f, i, o = σ(x[t]·Wx + h[t-1]·Wh + b) and g = tanh(x[t]·Wx + h[t-1]·Wh + b), each with its own Wx, Wh and b; "
        "c[t] = f·c[t-1] + i·g, h[t] = o·tanh(c[t])",
        "f, i, o = σ(x[t]·Wx + h[t-1]·Wh + b) と g = tanh(x[t]·Wx + h[t-1]·Wh + b)（それぞれに Wx, Wh, b）、"
        "c[t] = f·c[t-1] + i·g、h[t] = o·tanh(c[t])"}},
      {"gru", "GRU", 3,
       {"z, r = σ(x[t]·Wx + h[t-1]·Wh + b), ĥ = tanh(x[t]·Wx + (r·h[t-1])·Wh + b), each with its own Wx, Wh and one b; "
        "h[t] = (1 − z)·h[t-1] + z·ĥ",
        "z, r = σ(x[t]·Wx + h[t-1]·Wh + b)、ĥ = tanh(x[t]·Wx + (r·h[t-1])·Wh + b)（それぞれに Wx, Wh とバイアス b を 1 つ）、"
        "h[t] = (1 − z)·h[t-1] + z·ĥ"}},
  };
  static const std::vector<int> ns[] = {{1, 2, 3}, {2, 4, 8, 10, 16}, {10, 32, 50, 100}};
  static const std::vector<int> hs[] = {{2, 3, 4}, {4, 8, 10, 16, 32}, {32, 64, 100, 128}};
  static const int ms[] = {1, 2, 10};
  const CellKind& c = cells[r.below(3)];
  int d = std::clamp(difficulty, 1, 3) - 1;
  int n = ns[d][r.below(int(ns[d].size()))], h = hs[d][r.below(int(hs[d].size()))];
  bool output = difficulty >= 3;  // and an output layer y[t] = h[t]·Wy + by of m units
  int m = output ? ms[r.below(3)] : 0;
  Question q;
  q.topic = Topic::rnnparams;
  q.detail = c.name;
  q.inputs = {{"n", one(n)}, {"h", one(h)}};
  q.expr = "gate = h * (n + h + 1); cell = " + std::to_string(c.gates) + " * gate";
  if (output) q.inputs["m"] = one(m), q.expr += "; out = h * m + m; answer = cell + out";
  else q.expr += "; answer = cell";
  Worked k = work(q);
  std::string sizes = "n = " + std::to_string(n) + " inputs (x[t] is 1×" + std::to_string(n) + ") and h = " + std::to_string(h) + " units";
  std::string sizes_ja = "入力 n = " + std::to_string(n) + "（x[t] は 1×" + std::to_string(n) + "）、ユニット h = " + std::to_string(h);
  std::string out_en = output ? ", and an output layer y[t] = h[t]·Wy + by of m = " + std::to_string(m) + " units" : "";
  std::string out_ja = output ? "、出力層 y[t] = h[t]·Wy + by（m = " + std::to_string(m) + "）" : "";
  q.prompt = words(std::string(c.gates == 3 ? "A " : "An ") + c.title + " cell, " + c.form.en + ", with " + sizes + out_en +
                       ". How many parameters does it learn (the same at every time step, counted once)?",
                   std::string(c.title) + " セル: " + c.form.ja + "。" + sizes_ja + out_ja + "。学習するパラメータの数は（どの時刻でも共有、1 回だけ数える）?");
  q.hint = words("Each block x[t]·Wx + h[t-1]·Wh + b has Wx n×h, Wh h×h and b 1×h: h(n + h + 1). An RNN has one block, a GRU three "
                 "(z, r, ĥ), an LSTM four (f, i, o, g). Libraries that give Wh its own bias too (cuDNN, PyTorch) count h more per block.",
                 "x[t]·Wx + h[t-1]·Wh + b のまとまりには Wx が n×h、Wh が h×h、b が 1×h: h(n + h + 1) 個。RNN は 1 つ、GRU は 3 つ "
                 "(z, r, ĥ)、LSTM は 4 つ (f, i, o, g)。Wh 側にもバイアスを持つライブラリ（cuDNN, PyTorch）では 1 つにつき h 個多い。");
  std::string N = std::to_string(n), H = std::to_string(h), G = std::to_string(c.gates);
  std::string w = "h(n + h + 1) = " + H + "·(" + N + " + " + H + " + 1) = " + k["gate"] + (c.gates > 1 ? "; ×" + G + " = " + k["cell"] : "");
  std::string w_ja = w;
  if (output) {
    std::string out = "h·m + m = " + H + "·" + std::to_string(m) + " + " + std::to_string(m) + " = " + k["out"] + "; " + k["cell"] + " + " + k["out"] + " = " + k["answer"];
    w += "\nthe output layer " + out, w_ja += "\n出力層 " + out;
  }
  q.working = words(w + ".", w_ja + "。");
  return q;
}

}  // namespace

Question day3_question(Topic t, QuizRng& r, int difficulty) {
  switch (t) {
    case Topic::bptt: return bptt_question(r, difficulty);
    case Topic::gate: return gate_question(r, difficulty);
    case Topic::cell: return cell_question(r, difficulty);
    case Topic::rnnparams: return rnnparams_question(r, difficulty);
    default: throw std::logic_error("day3_question: not one of day 3's topics");
  }
}

}  // namespace kobai::quizgen
