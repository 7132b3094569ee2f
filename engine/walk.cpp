// Stepping: the plan of steps, running one step (with an undo record), and explaining it.
#include "walk.h"

#include <algorithm>
#include <cctype>
#include <cmath>

namespace kobai {
namespace {

// A name as it reads inside a formula: compound labels and negative constants get parentheses.
bool wrapped(const std::string& s) {
  if (s.size() < 2 || s.front() != '(' || s.back() != ')') return false;
  int depth = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    depth += s[i] == '(' ? 1 : s[i] == ')' ? -1 : 0;
    if (depth == 0 && i + 1 < s.size()) return false;
  }
  return true;
}

std::string show_name(const Graph& g, int n) {
  const std::string& s = g.nodes[n].name;
  bool simple = std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '[' || c == ']';  // h[3] reads as one name
  });
  return simple || wrapped(s) ? s : "(" + s + ")";
}

// A time step as a superscript: ∂L/∂Wh⁽³⁾ is what step 3 sends back to Wh.
std::string superscript(int v) {
  static const char* const digits[] = {"⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"};
  std::string d = std::to_string(v), out = "⁽";
  for (char c : d) out += c == '-' ? "⁻" : digits[c - '0'];
  return out + "⁾";
}

// Σₜ: the counter under the sum, as a subscript where Unicode has one.
std::string subscript(const std::string& counter) {
  static const char* const letters[][2] = {{"t", "ₜ"}, {"s", "ₛ"}, {"i", "ᵢ"}, {"j", "ⱼ"}, {"k", "ₖ"}, {"n", "ₙ"}};
  for (const auto& l : letters)
    if (counter == l[0]) return l[1];
  return "_" + counter;
}
std::string superscript_counter(const std::string& counter) {  // ⁽ᵗ⁾
  return counter == "t" ? "⁽ᵗ⁾" : "⁽" + counter + "⁾";
}

// The steps of one loop that a value from outside the loop is used in, when they are at least two and every use is
// in one: a weight shared over time (Wh, Wx, the input matrix x whose rows the steps read). Else empty (h[1], used
// by steps 1 and 2, is a value of step 1, and its gradient a plain sum).
std::vector<int> shared_over_time(const Graph& g, int n, const std::vector<std::pair<int, int>>& users) {
  std::vector<int> steps;
  if (g.nodes[n].step >= 0) return steps;
  std::vector<char> used(g.steps.size(), 0);
  int loop = -1;
  for (auto u : users) {
    int k = g.nodes[u.first].step;
    if (k < 0 || (loop >= 0 && g.steps[k].loop != loop)) return {};
    loop = g.steps[k].loop, used[size_t(k)] = 1;
  }
  for (size_t k = 0; k < used.size(); ++k)  // in time order
    if (used[k]) steps.push_back(int(k));
  if (steps.size() < 2) steps.clear();
  return steps;
}

std::string show_value(const Mat& m, const std::optional<Dims4>& dims = std::nullopt) {
  std::string s = format_value(m, dims);
  return !s.empty() && s[0] == '-' ? "(" + s + ")" : s;
}

// Fills a formula template (see ops.h) with names (symbolic) or with values (numeric).
std::string fill(const std::string& t, const Graph& g, int n, const WalkState& s, bool numeric) {
  const Node& node = g.nodes[n];
  std::string out;
  for (size_t i = 0; i < t.size(); ++i) {
    size_t close = t[i] == '{' ? t.find('}', i) : std::string::npos;
    if (close == std::string::npos) {
      out += t[i];
      continue;
    }
    std::string key = t.substr(i + 1, close - i - 1);
    bool in_parens = i > 0 && t[i - 1] == '(' && close + 1 < t.size() && t[close + 1] == ')';  // exp({0})
    i = close;
    auto name = [&](int m) { return in_parens ? g.nodes[m].name : show_name(g, m); };
    auto value = [&](int m, const Mat& v) {
      return in_parens ? format_value(v, g.nodes[m].dims) : show_value(v, g.nodes[m].dims);
    };
    if (key == "out") out += numeric ? value(n, s.value[n]) : name(n);
    else if (key == "dout") out += numeric ? value(n, s.grad[n]) : derivative(g, g.output, n);
    else if (key == "p") out += format_number(node.p);
    else if (key == "fh") out += std::to_string(node.win.h);
    else if (key == "fw") out += std::to_string(node.win.w);
    else if (key == "stride") out += std::to_string(node.win.stride);
    else if (key == "pad") out += std::to_string(node.win.pad);
    else if (key == "pm1") out += format_number(node.p - 1);
    else if (key == "n") out += std::to_string(g.nodes[node.in[0]].rows * g.nodes[node.in[0]].cols);
    else if (key == "rows") out += std::to_string(g.nodes[node.in[0]].rows);
    else {
      int k = key[0] - '0';
      out += numeric ? value(node.in[k], s.value[node.in[k]]) : name(node.in[k]);
    }
  }
  return out;
}

const Words kNotFinite{"the result is not a finite number (inf or NaN)", "結果が有限の数ではない（inf または NaN）"};
const Words kLogNonPositive{"log of a number ≤ 0 gives −inf or NaN", "0 以下の数の log は −inf または NaN になる"};
const Words kDivZero{"division by zero gives inf or NaN", "0 で割ると inf または NaN になる"};
const Words kPowNegative{"a negative number to a non-integer power is not a real number: NaN",
                         "負の数の整数でないべき乗は実数にならない: NaN"};
const Words kOverflow{"overflow: the result is too large for a double and became inf", "オーバーフロー: 値が大きすぎて inf になった"};
const Words kGradOfNotFinite{"the gradient is not a finite number (inf or NaN), like this node's value",
                             "勾配も有限の数ではない（inf または NaN）: このノードの値と同じ"};
const Words kGradDivZero{"the local derivative divides by zero here (its slope is infinite), which gives inf or NaN",
                         "局所的な微分がここで 0 で割る（傾きが無限大）ので inf または NaN になる"};
const Words kGradOverflow{"overflow: the gradient is too large for a double and became inf",
                          "オーバーフロー: 勾配が大きすぎて inf になった"};
// softmax_with_loss with a computed t that build() did not evaluate (too costly then), whose rows do not sum to 1.
const Words kLabelsNotOneHot{"the rows of t do not each sum to 1: the book's (y − t)/N holds only for rows that do; the numbers are "
                             "this loss's exact gradient, (y·Σt − t)/N",
                             "t の各行の和が 1 ではない: 本の (y − t)/N は和が 1 の行でだけ成り立つ。数値はこの損失の正確な勾配 (y·Σt − t)/N"};
bool labels_not_one_hot(const Node& node, const Args& a) {
  return std::string(node.op->name) == "softmax_with_loss" && !rows_sum_to_one(a.x(1));
}

// Whether some element that is not finite has this cause (element i of the op's inputs, which have its shape).
template <class Cause> bool some(const Mat& result, Cause cause) {
  for (Eigen::Index i = 0; i < result.size(); ++i)
    if (!std::isfinite(result(i)) && cause(i)) return true;
  return false;
}

bool any_not_finite(const Args& a) {
  for (const Mat* m : a.in)
    if (!all_finite(*m)) return true;
  return false;
}

// Why a forward step's value v is not finite: each cause its own words, overflow only when nothing else fits.
Words why_not_finite(const Node& node, const Args& a, const Mat& v) {
  if (any_not_finite(a)) return kNotFinite;  // garbage in: nothing new to explain
  std::string op = node.op->name;
  if (op == "log" && some(v, [&](auto i) { return a.x(0)(i) <= 0; })) return kLogNonPositive;
  if (op == "div" && some(v, [&](auto i) { return a.x(1)(i) == 0; })) return kDivZero;
  if (op == "recip" && some(v, [&](auto i) { return a.x(0)(i) == 0; })) return kDivZero;
  if (op == "pow" && a.p != std::floor(a.p) && some(v, [&](auto i) { return a.x(0)(i) < 0; })) return kPowNegative;
  if (op == "pow" && a.p < 0 && some(v, [&](auto i) { return a.x(0)(i) == 0; })) return kDivZero;  // 0^−1 = 1/0
  return kOverflow;
}

// Why a backward step's gradient d is not finite when the gradient arriving is.
Words why_grad_not_finite(const Node& node, const Args& a, const Mat& out, const Mat& d) {
  if (any_not_finite(a) || !all_finite(out)) return kGradOfNotFinite;
  std::string op = node.op->name;
  // 1/x for log, −1/x² for recip, p·x^(p−1) for p < 1 (√x at 0), 1/y and −x/y² for div
  const Mat* denominator = op == "log" || op == "recip" || op == "pow" ? &a.x(0) : op == "div" ? &a.x(1) : nullptr;
  if (denominator && d.size() == denominator->size() && some(d, [&](auto i) { return (*denominator)(i) == 0; }))
    return kGradDivZero;
  return kGradOverflow;
}

}  // namespace

std::string derivative(const Graph& g, int of, int wrt) {
  return "∂" + show_name(g, of) + "/∂" + show_name(g, wrt);
}

std::string phase_name(Phase p, Lang l) {
  static const Words names[] = {{"Forward", "順伝播"}, {"Backward", "逆伝播"}, {"Update", "パラメータ更新"}};
  return names[int(p)](l);
}

// --- the plan ---------------------------------------------------------------------------------------------

Walk::Walk(Graph g, std::vector<std::string> params, double lr) : g_(std::move(g)), params_(std::move(params)), lr_(lr) {
  for (const std::string& p : params_) {
    int n = g_.find(p);
    if (n < 0 || g_.nodes[n].kind != NodeKind::Input)
      throw InputError("parameter '" + quote(p) + "' is not an input of the expression");
  }
  int N = int(g_.nodes.size());
  // The graph checked that the labels t of softmax_with_loss sum to 1 by rows; an update must not change them.
  if (lr_ != 0)
    for (const std::string& p : params_) {
      std::vector<bool> feeds(N, false);
      feeds[g_.find(p)] = true;
      for (int n = 0; n < N; ++n) {
        for (int i : g_.nodes[n].in) feeds[n] = feeds[n] || feeds[i];
        if (feeds[n] && g_.nodes[n].op && std::string(g_.nodes[n].op->name) == "softmax_with_loss" && feeds[g_.nodes[n].in[1]])
          throw InputError("parameter '" + p + "' feeds the labels t of softmax_with_loss(a, t): an update would change t, "
                           "whose rows must each sum to 1");
      }
    }
  for (int n = 0; n < N; ++n)
    if (g_.nodes[n].op) plan_.push_back({StepKind::Forward, Phase::Forward, n});
  plan_.push_back({StepKind::Seed, Phase::Backward, g_.output});
  for (int n = N; n-- > 0;) {
    if (!g_.reaches_output[n] || !g_.needs_grad[n]) continue;
    if (live_users(n).size() > 1) plan_.push_back({StepKind::FanIn, Phase::Backward, n});
    if (g_.nodes[n].op) plan_.push_back({StepKind::Backward, Phase::Backward, n});
  }
  // A parameter the output does not depend on has no gradient, so it has no update either.
  if (lr_ != 0)
    for (const std::string& p : params_)
      if (g_.reaches_output[g_.find(p)]) plan_.push_back({StepKind::Update, Phase::Update, g_.find(p)});
  s_.value = g_.leaf_values();
  s_.grad.assign(N, Mat());
  s_.edge.resize(N);
  for (int n = 0; n < N; ++n) s_.edge[n].assign(g_.nodes[n].in.size(), Mat());
}

std::vector<std::pair<int, int>> Walk::live_users(int n) const {
  std::vector<std::pair<int, int>> out;
  for (auto u : g_.users[n])
    if (g_.reaches_output[u.first]) out.push_back(u);
  return out;
}

Phase Walk::phase() const { return done_.empty() ? Phase::Forward : done_.back().phase; }

// --- stepping ---------------------------------------------------------------------------------------------

void Walk::write(Undo& u, Slot slot, int node, int input, Mat value) {
  Mat& target = slot == Slot::Value ? s_.value[node] : slot == Slot::Grad ? s_.grad[node] : s_.edge[node][input];
  u.old.emplace_back(slot, node, input, std::move(target));
  target = std::move(value);
}

Step Walk::run(const Planned& p, Undo& u) {
  Step st{p.kind, p.phase, p.node, {}, {}};
  const int n = p.node;
  const Node& node = g_.nodes[n];
  switch (p.kind) {
    case StepKind::Forward: {
      Args a = g_.args(n, s_.value);
      Mat v = node.op->forward(a);
      if (!all_finite(v)) st.warnings.push_back(why_not_finite(node, a, v));
      if (labels_not_one_hot(node, a)) st.warnings.push_back(kLabelsNotOneHot);
      std::string t = node.op->forward_text;
      std::string rhs = t.substr(t.find(" = ") + 3);
      write(u, Slot::Value, n, 0, v);
      st.lines.push_back({n, node.name, "=", fill(rhs, g_, n, s_, false), fill(rhs, g_, n, s_, true), v});
      break;
    }
    case StepKind::Seed: {
      Mat one = Mat::Ones(node.rows, node.cols);
      write(u, Slot::Grad, n, 0, one);
      st.lines.push_back({n, derivative(g_, n, n), "=", "1", "1", one});
      break;
    }
    case StepKind::FanIn: {
      std::string sym, num;
      Mat sum = Mat::Zero(node.rows, node.cols);
      std::vector<std::pair<int, int>> users = live_users(n);
      if (std::vector<int> steps = shared_over_time(g_, n, users); !steps.empty()) {
        // Shared over time: one term per time step, ∂L/∂Wh⁽ᵗ⁾, what that step's nodes sent back.
        for (int k : steps) {
          Mat term = Mat::Zero(node.rows, node.cols);
          for (auto [user, slot] : users)
            if (g_.nodes[user].step == k) term += s_.edge[user][slot];
          sum += term;
          sym += (sym.empty() ? "" : " + ") + derivative(g_, g_.output, n) + superscript(g_.steps[k].value);
          num += (num.empty() ? "" : " + ") + show_value(term, node.dims);
        }
        write(u, Slot::Grad, n, 0, sum);
        st.lines.push_back({n, derivative(g_, g_.output, n), "=", sym, num, sum});
        break;
      }
      for (auto [user, slot] : users) {
        const Mat& d = s_.edge[user][slot];
        sum += d;
        sym += (sym.empty() ? "" : " + ") + derivative(g_, g_.output, n) + " via " + show_name(g_, user);
        num += (num.empty() ? "" : " + ") + show_value(d, node.dims);
      }
      write(u, Slot::Grad, n, 0, sum);
      st.lines.push_back({n, derivative(g_, g_.output, n), "=", sym, num, sum});
      break;
    }
    case StepKind::Backward: {
      Args a = g_.args(n, s_.value);
      if (labels_not_one_hot(node, a)) st.warnings.push_back(kLabelsNotOneHot);
      for (size_t i = 0; i < node.in.size(); ++i) {
        int src = node.in[i];
        if (!g_.needs_grad[src]) continue;
        Mat d = node.op->backward(int(i), a, s_.value[n], s_.grad[n]);  // dout × local derivative
        if (!all_finite(d) && all_finite(s_.grad[n])) st.warnings.push_back(why_grad_not_finite(node, a, s_.value[n], d));
        bool shared = live_users(src).size() > 1;  // then a fan-in step adds this to the others
        std::string lhs = derivative(g_, g_.output, src) + (shared ? " via " + show_name(g_, n) : "");
        std::string t = node.op->backward_text[i];
        st.lines.push_back({src, lhs, "=", fill(t, g_, n, s_, false), fill(t, g_, n, s_, true), d});
        write(u, Slot::Edge, n, int(i), d);
        if (!shared) write(u, Slot::Grad, src, 0, d);
      }
      break;
    }
    case StepKind::Update: {
      Mat next = s_.value[n] - lr_ * s_.grad[n];  // W ← W − η·∂L/∂W
      std::string name = show_name(g_, n);
      std::string num = show_value(s_.value[n], node.dims) + " − " + format_number(lr_) + " × " + show_value(s_.grad[n], node.dims);
      if (!all_finite(next))
        st.warnings.push_back(all_finite(s_.value[n]) && all_finite(s_.grad[n]) ? kOverflow : kNotFinite);
      st.lines.push_back({n, name, "←", name + " − η·" + derivative(g_, g_.output, n), num, next});
      write(u, Slot::Value, n, 0, next);
      break;
    }
  }
  return st;
}

bool Walk::step() {
  if (at_end()) return false;
  Undo u;
  done_.push_back(run(plan_[done_.size()], u));
  undo_.push_back(std::move(u));
  return true;
}

bool Walk::back() {
  if (undo_.empty()) return false;
  Undo u = std::move(undo_.back());
  undo_.pop_back();
  if (u.whole) {
    s_ = std::move(u.state);
    done_ = std::move(u.done);
    --iteration_;
    return true;
  }
  for (auto it = u.old.rbegin(); it != u.old.rend(); ++it) {
    auto& [slot, node, input, old] = *it;
    Mat& target = slot == Slot::Value ? s_.value[node] : slot == Slot::Grad ? s_.grad[node] : s_.edge[node][input];
    target = std::move(old);
  }
  done_.pop_back();
  return true;
}

void Walk::jump(int k) {
  k = std::clamp(k, 0, int(plan_.size()));
  while (position() > k) back();
  while (position() < k) step();
}

void Walk::run_phase() {
  if (at_end()) return;
  Phase ph = plan_[position()].phase;
  while (!at_end() && plan_[position()].phase == ph) step();
}

void Walk::reset() {
  while (back()) {
  }
}

bool Walk::next_iteration() {
  if (!at_end() || lr_ == 0 || params_.empty() || iteration_ >= kMaxIterations) return false;
  Undo u;
  u.whole = true;
  u.state = s_;
  u.done = std::move(done_);
  done_.clear();
  for (size_t n = 0; n < g_.nodes.size(); ++n) {
    if (g_.nodes[n].op) s_.value[n] = Mat();
    s_.grad[n] = Mat();
    for (Mat& e : s_.edge[n]) e = Mat();
  }
  undo_.push_back(std::move(u));
  ++iteration_;
  return true;
}

// --- words ------------------------------------------------------------------------------------------------

namespace {

// A node's name inside a rule: as it is when one name or number (b, W1, h[2], 0.5), else in parentheses.
std::string rule_name(const Node& n) {
  const bool simple = std::all_of(n.name.begin(), n.name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '[' || c == ']' || c == '.';
  });
  return simple && !n.name.empty() ? n.name : "(" + n.name + ")";
}

// The op's local rule in the node's own names, so a lesson's own x and y do not clash with the rule's letters:
// for z = 2 * b, "∂(x·y)/∂x = y, ∂(x·y)/∂y = x" reads "∂(2·b)/∂b = 2". The rules of one and two inputs are
// written with x, the first input, and y, the second (two inputs) or the output (one); pow's p is its exponent.
// Only the parts for inputs that take a gradient are kept (not a constant's). The others (matrices, windows,
// losses) are written in their layers' usual letters, and stay so.
}  // namespace

std::string local_rule(const Graph& g, int n) {
  const Node& node = g.nodes[size_t(n)];
  static const char* const kTwo[] = {"add", "sub", "mul", "div"};
  static const char* const kOne[] = {"recip", "copy", "neg", "pow", "exp", "log", "relu", "sigmoid", "tanh", "step"};
  const std::string op = node.op->name;
  const bool two = std::find(std::begin(kTwo), std::end(kTwo), op) != std::end(kTwo);
  const bool one = std::find(std::begin(kOne), std::end(kOne), op) != std::end(kOne);
  if (!two && !one) return node.op->rule;
  const std::string x = rule_name(g.nodes[size_t(node.in[0])]), y = two ? rule_name(g.nodes[size_t(node.in[1])]) : rule_name(node);
  auto letter = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; };
  std::string rule = node.op->rule, out;
  for (size_t i = 0; i < rule.size(); ++i) {  // x, y, p (pow's) and a (copy's output) standing alone
    const char c = rule[i];
    const bool alone = (i == 0 || !letter(rule[i - 1])) && (i + 1 == rule.size() || !letter(rule[i + 1]));
    if (alone && c == 'x') out += x;
    else if (alone && c == 'y') out += y;
    else if (alone && c == 'a' && op == "copy") out += rule_name(node);
    else if (alone && c == 'p' && op == "pow") out += format_number(node.p);
    else out += c;
  }
  if (op == "copy") out = out.substr(0, out.find(" for "));  // "∂a/∂x = 1 for a = x": the names say it
  if (!two) return out;
  // "∂(a·b)/∂a = b, ∂(a·b)/∂b = a": the part for each input that takes a gradient.
  const size_t split = out.find(", ∂");
  std::string parts[2] = {out.substr(0, split), out.substr(split + 2)}, kept;
  for (int k = 0; k < 2; ++k)
    if (g.nodes[size_t(node.in[size_t(k)])].kind != NodeKind::Const) kept += (kept.empty() ? "" : ", ") + parts[k];
  return kept.empty() ? out : kept;
}

std::string explain(const Walk& w, int i, Lang l) {
  const Step& s = w.steps_done()[i];
  const Graph& g = w.graph();
  const Node& node = g.nodes[s.node];
  std::string head = "[" + std::to_string(i + 1) + "/" + std::to_string(w.plan().size()) + "] " + phase_name(s.phase, l) + " · ";
  switch (s.kind) {
    case StepKind::Forward:
    case StepKind::Backward: head += node.name + " (" + node.op->symbol + ")"; break;
    case StepKind::Seed: head += Words{"start at the output: ", "出力から開始: "}(l) + derivative(g, s.node, s.node) + " = 1"; break;
    case StepKind::FanIn: {
      std::vector<int> steps = shared_over_time(g, s.node, w.live_users(s.node));
      if (steps.empty()) {
        head += show_name(g, s.node) + Words{" was used more than once: its gradient is the sum", " は複数回使われた: 勾配はその和"}(l);
        break;
      }
      // BPTT: a weight every step uses gets what each step sends back, summed over time.
      const TimeStep &first = g.steps[steps.front()], &last = g.steps[steps.back()];
      std::string d = derivative(g, g.output, s.node), range = first.counter + " = " + std::to_string(first.value) + " … " + std::to_string(last.value);
      head += show_name(g, s.node) + Words{" is shared by the time steps: ", " は全時刻で共有: "}(l) + d + " = Σ" + subscript(first.counter) + " " + d +
              superscript_counter(first.counter) + Words{", the sum over time steps ", "（時刻 "}(l) + range + Words{"", " の和）"}(l);
      break;
    }
    case StepKind::Update: head += show_name(g, s.node) + " (η = " + format_number(w.lr()) + ")"; break;
  }
  std::string out = head + "\n";
  for (const Line& ln : s.lines) {
    std::string res = format_value(ln.result, g.nodes[size_t(ln.target)].dims);
    out += "    " + ln.lhs + " " + ln.assign + " " + ln.symbolic;
    if (ln.numeric != ln.symbolic) out += " = " + ln.numeric;
    if (res != ln.numeric) out += " = " + res;
    out += "\n";
  }
  if (s.kind == StepKind::Backward) {
    out += "    " + local_rule(g, s.node) + "\n";
    out += "    " + std::string(node.op->note(l)) + "\n";
  }
  for (const Words& wd : s.warnings) out += std::string("    ! ") + Words{"warning: ", "警告: "}(l) + wd(l) + "\n";
  return out;
}

}  // namespace kobai
