// Building a graph from a program, and evaluating it whole (forward, backward).
#include "graph.h"

#include <algorithm>
#include <cmath>
#include <set>

namespace kobai {

namespace {

// A node needs a gradient when an input that is not data lies at or below it (nodes are in topological order).
void find_needs_grad(Graph& g, const std::vector<int>& data) {
  g.needs_grad.assign(g.nodes.size(), false);
  for (size_t n = 0; n < g.nodes.size(); ++n) {
    const Node& node = g.nodes[n];
    g.needs_grad[n] = node.kind == NodeKind::Input && std::find(data.begin(), data.end(), int(n)) == data.end();
    for (int i : node.in) g.needs_grad[n] = g.needs_grad[n] || g.needs_grad[i];
  }
}

}  // namespace


// --- the graph --------------------------------------------------------------------------------------------

int Graph::find(const std::string& name) const {
  for (size_t i = nodes.size(); i-- > 0;)
    if (nodes[i].name == name) return int(i);
  return -1;
}

Values Graph::leaf_values() const {
  Values v(nodes.size());
  for (size_t i = 0; i < nodes.size(); ++i)
    if (nodes[i].kind != NodeKind::Op) v[i] = nodes[i].value;
  return v;
}

Args Graph::args(int n, const Values& v) const {
  Args a;
  const Node& node = nodes[n];
  for (int i : node.in) a.in.push_back(&v[i]), a.dims.push_back(nodes[i].dims);
  a.p = node.p, a.win = node.win, a.rows = node.rows, a.cols = node.cols;
  return a;
}

// --- building ---------------------------------------------------------------------------------------------
namespace {

std::string shape_str(int r, int c) { return std::to_string(r) + "x" + std::to_string(c); }
std::string shape_of(const Node& n) { return n.dims ? format_dims(*n.dims) : shape_str(n.rows, n.cols); }

// Names that some statement assigns, with the line that assigns them.
std::map<std::string, int> assigned_names(const Program& p) {
  std::map<std::string, int> out;
  for (const Statement& s : p.statements)
    if (!s.name.empty() && !out.count(s.name)) out[s.name] = s.line;
  return out;
}

// The names some statement assigns with an index (h of h[1] = ...): their other indices (h[0]) are inputs that
// start at zeros; any other indexed name (x[2]) is a row of the input x.
std::set<std::string> indexed_names(const std::map<std::string, int>& assigned) {
  std::set<std::string> out;
  for (const auto& kv : assigned)
    if (kv.first.find('[') != std::string::npos) out.insert(kv.first.substr(0, kv.first.find('[')));
  return out;
}

// Inputs, in order of first use: `required` the names that need a value (x of x[2] too), else the zeros (h[0]).
void collect_names(const Expr& e, const std::map<std::string, int>& assigned, const std::set<std::string>& indexed,
                   bool required, std::vector<std::string>& out) {
  if (e.kind == Expr::Name && !assigned.count(e.text)) {
    size_t bracket = e.text.find('[');
    bool zeros = bracket != std::string::npos && indexed.count(e.text.substr(0, bracket));
    std::string name = bracket == std::string::npos || zeros ? e.text : e.text.substr(0, bracket);
    if (zeros != required && !(required && assigned.count(name)) && std::find(out.begin(), out.end(), name) == out.end())
      out.push_back(name);
  }
  for (const auto& a : e.args) collect_names(*a, assigned, indexed, required, out);
}

class Builder {
 public:
  Builder(const Program& p, const InputValues& values)
      : prog_(p), values_(values), assigned_(assigned_names(p)), indexed_(indexed_names(assigned_)) {
    g_.source = p.source;
  }

  Graph build() {
    std::vector<std::string> names = input_names(prog_), zeros = zero_inputs(prog_);
    names.insert(names.end(), zeros.begin(), zeros.end());
    for (const auto& kv : values_) {
      // A name the expression assigns is not an input: say so where it is used too early, or where it is assigned.
      if (assigned_.count(kv.first) || std::find(names.begin(), names.end(), kv.first) != names.end()) continue;
      throw InputError("a value was given for '" + quote(kv.first) + "', but the expression has no input of that name" +
                       (names.empty() ? std::string() : " (its inputs: " + join(names) + ")"));
    }
    int last = -1;
    for (const Statement& s : prog_.statements) {
      try {
        size_t first = g_.nodes.size();
        last = statement(s, last);
        if (s.loop >= 0) time_step(s, first);
      } catch (const InputError& e) {  // in a loop: which step
        if (s.step.empty()) throw;
        throw InputError(std::string(e.what()) + " (in the loop's step " + s.step + ")", e.line, e.column);
      }
    }
    g_.output = last;
    link();
    return std::move(g_);
  }

 private:
  int statement(const Statement& s, int last) {
    {
      last = expr(*s.expr);
      if (s.name.empty()) return last;
      if (defined_.count(s.name))
        throw InputError("'" + s.name + "' is assigned twice (first on line " + std::to_string(assigned_.at(s.name)) + ")",
                         s.line, s.column);
      if (values_.count(s.name))
        throw InputError("'" + s.name + "' is assigned here and also given a value as an input: a name is either an "
                         "input or assigned, not both", s.line, s.column);
      Node& n = g_.nodes[last];
      if (n.kind == NodeKind::Const && !n.named) {
        n.name = s.name, n.named = true;  // y = 3: a constant of its own, named
      } else if (n.named || n.kind != NodeKind::Op) {
        // a = x: a node of its own, so that the output and the walkthrough say a, not x
        Node c = make(NodeKind::Op, s.name, *s.expr);
        c.named = true;
        c.op = &op("copy");
        c.in = {last};
        c.rows = n.rows, c.cols = n.cols;
        last = add(std::move(c));
      } else {
        n.name = s.name, n.named = true;
      }
      defined_[s.name] = last;
    }
    return last;
  }

  const Program& prog_;
  const InputValues& values_;
  std::map<std::string, int> assigned_;  // every name some statement assigns
  std::set<std::string> indexed_;        // ... of them, those assigned with an index: h of h[1]
  std::map<std::string, int> defined_;   // names assigned so far, and inputs met so far
  Graph g_;
  Values values_so_far_;             // the nodes' values, as far as value() needed them
  std::vector<bool> known_;          // ... which of them it has worked out

  static std::string join(const std::vector<std::string>& v) {  // bounded: an expression may have 1000 inputs
    std::string s;
    for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
    return quote(s);
  }

  // The nodes a loop's statement made, from `first` on, belong to its step; the inputs it first read do not.
  void time_step(const Statement& s, size_t first) {
    auto& steps = g_.steps;
    if (steps.empty() || steps.back().loop != s.loop || steps.back().value != s.time) steps.push_back({s.loop, s.counter, s.time});
    for (size_t n = first; n < g_.nodes.size(); ++n)
      if (g_.nodes[n].kind != NodeKind::Input) g_.nodes[n].step = int(steps.size()) - 1;
  }

  static Node make(NodeKind k, std::string name, const Expr& e) {
    Node n;
    n.kind = k, n.name = std::move(name), n.line = e.line, n.column = e.column;
    return n;
  }

  int add(Node n) {
    if (int(g_.nodes.size()) >= kMaxNodes)
      throw InputError("the graph is too large (more than " + std::to_string(kMaxNodes) + " nodes)", n.line, n.column);
    g_.nodes.push_back(std::move(n));
    return int(g_.nodes.size()) - 1;
  }

  // The source text of an unnamed node, without spaces or comments; a long one keeps its two ends.
  std::string label(const Expr& e) const {
    if (!e.label.empty()) return e.label;  // inside a loop: with the step's indices
    size_t end = prog_.source.size();
    size_t b = prog_.kept_before[std::min(e.begin, end)], n = prog_.kept_before[std::min(e.end, end)] - b;
    return label_text(prog_.kept, b, n);
  }

  // expr recurses as deep as a statement's tree (2,000 operators): what its cases need beyond a few integers lives in
  // functions of their own (not inlined), so that its frame stays small, sanitizers' red zones and all.
  int expr(const Expr& e) {
    switch (e.kind) {
      case Expr::Number: return constant(e);
      case Expr::Name: return name(e);
      case Expr::Neg: return apply(op("neg"), {expr(*e.args[0])}, e);
      case Expr::Pow: return apply(op("pow"), {expr(*e.args[0])}, e, e.exponent);
      case Expr::Binary: {
        // 1/x is the reciprocal node of the book's sigmoid graph; other quotients are division.
        if (e.op == '/' && e.args[0]->kind == Expr::Number && e.args[0]->number == 1.0)
          return apply(op("recip"), {expr(*e.args[1])}, e);
        // h[0] without a value: zeros, shaped by the other side (h[0] @ Wh: a row as long as Wh is high)
        bool zl = zeros_here(*e.args[0]), zr = zeros_here(*e.args[1]);
        if (zl && zr) no_shape(*e.args[0]);
        int l = zl ? -1 : expr(*e.args[0]), r = zr ? -1 : expr(*e.args[1]);
        if (zl) l = zeros(*e.args[0], e.op == '@' ? 1 : g_.nodes[r].rows, e.op == '@' ? g_.nodes[r].rows : g_.nodes[r].cols);
        if (zr) r = zeros(*e.args[1], e.op == '@' ? g_.nodes[l].cols : g_.nodes[l].rows, e.op == '@' ? 1 : g_.nodes[l].cols);
        const char* name = e.op == '+' ? "add" : e.op == '-' ? "sub" : e.op == '*' ? "mul" : e.op == '/' ? "div" : "matmul";
        return apply(op(name), {l, r}, e);
      }
      case Expr::Call: return call(e);
    }
    throw std::logic_error("kobai: unknown expression kind");
  }

  [[gnu::noinline]] int constant(const Expr& e) {
    Node n = make(NodeKind::Const, elide(e.text), e);
    n.value = Mat::Constant(1, 1, e.number);
    return add(std::move(n));
  }

  [[gnu::noinline]] int call(const Expr& e) {
    const OpDef* d = find_op(e.text);
    if (!d || !d->callable)
      throw InputError("unknown function '" + quote(e.text) + "'; the functions are: " + function_names(), e.line, e.column);
    Window win = params(*d, e);
    std::vector<int> in;
    for (int i = 0; i < d->arity; ++i) in.push_back(expr(*e.args[size_t(i)]));
    return apply(*d, in, e, 0, win);
  }

  // A call's arguments: its inputs, then its whole-number parameters (OpDef::params), by position or by name
  // (pool(X, 2, 2, stride=2)), each a constant.
  [[gnu::noinline]] static Window params(const OpDef& d, const Expr& e) {
    std::vector<std::string> names;
    std::map<std::string, int> value;
    for (size_t at = 0, next; (at = std::string(d.params).find_first_not_of(' ', at)) != std::string::npos; at = next) {
      std::string p = std::string(d.params).substr(at, (next = std::string(d.params).find(' ', at)) - at);
      size_t eq = p.find('=');
      names.push_back(p.substr(0, eq));
      if (eq != std::string::npos) value[names.back()] = std::stoi(p.substr(eq + 1));
    }
    std::string usage = std::string(d.name) + " takes " + std::to_string(d.arity) + (d.arity == 1 ? " input" : " inputs");
    for (const auto& n : names) usage += ", " + n + (value.count(n) ? "=" + std::to_string(value[n]) : std::string());
    size_t positional = 0;
    bool named_seen = false;
    for (const auto& a : e.args) {
      if (a->arg_name.empty()) {
        if (named_seen) throw InputError("an argument without a name after a named one (" + usage + ")", a->line, a->column);
        ++positional;
        continue;
      }
      named_seen = true;
      if (std::find(names.begin(), names.end(), a->arg_name) == names.end())
        throw InputError(std::string(d.name) + " has no argument '" + quote(a->arg_name) + "' (" + usage + ")", a->line, a->column);
    }
    if (positional < size_t(d.arity) || positional > size_t(d.arity) + names.size())
      throw InputError(d.params[0] ? usage + "; got " + std::to_string(e.args.size()) + (e.args.size() == 1 ? " argument" : " arguments")
                                   : std::string(d.name) + " takes " + std::to_string(d.arity) + (d.arity == 1 ? " argument" : " arguments") +
                                         ", got " + std::to_string(e.args.size()),
                       e.line, e.column);
    std::set<std::string> given;
    for (size_t i = size_t(d.arity); i < e.args.size(); ++i) {
      const Expr& a = *e.args[i];
      const std::string& n = a.arg_name.empty() ? names[i - size_t(d.arity)] : a.arg_name;
      if (!given.insert(n).second) throw InputError(n + " is given twice", a.line, a.column);
      if (a.kind != Expr::Number || a.number != std::floor(a.number) || a.number < 0 || a.number > kMaxDim)
        throw InputError(n + " must be a whole number from 0 to " + std::to_string(kMaxDim) + ", written as a number", a.line, a.column);
      value[n] = int(a.number);
    }
    for (const auto& n : names)
      if (!value.count(n)) throw InputError(std::string(d.name) + " needs " + n + " (" + usage + ")", e.line, e.column);
    Window w;
    if (value.count("h")) w.h = value["h"];
    if (value.count("w")) w.w = value["w"];
    if (value.count("stride")) w.stride = value["stride"];
    if (value.count("pad")) w.pad = value["pad"];
    return w;
  }

  // An indexed name that is neither assigned nor given, of a name assigned with indices: zeros (h[0]).
  bool zeros_here(const Expr& e) const {
    if (e.kind != Expr::Name || defined_.count(e.text) || assigned_.count(e.text) || values_.count(e.text)) return false;
    size_t bracket = e.text.find('[');
    return bracket != std::string::npos && indexed_.count(e.text.substr(0, bracket));
  }
  int zeros(const Expr& e, int rows, int cols) {
    Node n = make(NodeKind::Input, e.text, e);
    n.named = true;
    n.value = Mat::Zero(rows, cols);
    n.rows = rows, n.cols = cols;
    int id = add(std::move(n));
    g_.inputs.push_back(id);
    defined_[e.text] = id;
    return id;
  }
  [[noreturn]] void no_shape(const Expr& e) {
    throw InputError("'" + e.text + "' has no value, and its shape cannot be told from where it is used here: give it one (--at '" +
                     e.text + "=[[0, 0]]'), or assign it before the loop", e.line, e.column);
  }

  // x[t] of an input (or a value) x that no statement assigns with an index: its row t, counted from 1.
  int row(const Expr& e, size_t bracket) {
    Expr whole;
    whole.kind = Expr::Name, whole.text = e.text.substr(0, bracket);
    whole.line = e.line, whole.column = e.column, whole.begin = e.begin, whole.end = e.begin + bracket;
    int x = name(whole);
    int t = std::stoi(e.text.substr(bracket + 1));
    const Node& m = g_.nodes[x];
    if (t < 1 || t > m.rows)
      throw InputError(e.text + ": " + (t < 1 ? "rows count from 1, as the notes write x₁ … x_T; " : "") + whole.text + " has " +
                           std::to_string(m.rows) + (m.rows == 1 ? " row" : " rows") + " (" + whole.text + "[1] to " +
                           whole.text + "[" + std::to_string(m.rows) + "])",
                       e.line, e.column);
    int id = apply(op("row"), {x}, e, t);
    g_.nodes[id].name = e.text;
    defined_[e.text] = id;
    return id;
  }

  int name(const Expr& e) {
    auto it = defined_.find(e.text);
    if (it != defined_.end()) return it->second;
    size_t bracket = e.text.find('[');
    if (bracket != std::string::npos && !assigned_.count(e.text) && !values_.count(e.text)) {
      if (!indexed_.count(e.text.substr(0, bracket))) return row(e, bracket);
      no_shape(e);  // h[0] where its shape is not told by an operator beside it (tanh(h[0]))
    }
    if (assigned_.count(e.text))
      throw InputError("'" + e.text + "' is used before it is assigned (on line " + std::to_string(assigned_.at(e.text)) + ")" +
                           (values_.count(e.text) ? ", and also given a value as an input: a name is either an input or "
                                                    "assigned, not both"
                                                  : ""),
                       e.line, e.column);
    auto v = values_.find(e.text);
    if (v == values_.end())
      throw InputError("input '" + e.text + "' has no value: give it one, e.g. --at " + e.text + "=1", e.line, e.column);
    if (v->second.dims ? v->second.size() > kMaxDim * kMaxDim : v->second.rows() > kMaxDim || v->second.cols() > kMaxDim)
      throw InputError("input '" + e.text + "' is " + format_shape(v->second) + ": the walkthrough takes values up to " +
                       shape_str(kMaxDim, kMaxDim), e.line, e.column);
    if (v->second.size() == 0) throw InputError("input '" + e.text + "' is empty", e.line, e.column);
    Node n = make(NodeKind::Input, e.text, e);
    n.named = true;
    n.value = v->second;
    n.dims = v->second.dims;
    n.rows = int(n.value.rows()), n.cols = int(n.value.cols());
    int id = add(std::move(n));
    g_.inputs.push_back(id);
    defined_[e.text] = id;
    return id;
  }

  [[noreturn]] void mismatch(const OpDef& d, const std::vector<int>& in, const Expr& e, const std::string& why) {
    std::string shapes;
    for (int i : in) shapes += (shapes.empty() ? "" : " and ") + shape_of(g_.nodes[i]);
    throw InputError(std::string("shape mismatch in ") + d.name + " (" + d.symbol + "): " + shapes + ": " + why, e.line, e.column);
  }

  // A broadcast node in front of an element-wise op, so that its backward sum is a step of its own.
  int broadcast(int src, int rows, int cols, const Expr& e) {
    Node n = make(NodeKind::Op, "repeat(" + g_.nodes[src].name + ")", e);
    n.op = &op("broadcast");
    n.in = {src};
    n.rows = rows, n.cols = cols;
    return add(std::move(n));
  }

  [[gnu::noinline]] int apply(const OpDef& d, std::vector<int> in, const Expr& e, double p = 0, Window win = {}) {
    auto R = [&](int i) { return g_.nodes[in[i]].rows; };
    auto C = [&](int i) { return g_.nodes[in[i]].cols; };
    auto D = [&](int i) { return g_.nodes[in[i]].dims; };
    auto image = [&](int i) { return D(i) ? *D(i) : Dims4{1, 1, R(i), C(i)}; };  // a matrix is 1x1xHxW
    int rows = 1, cols = 1;
    std::optional<Dims4> dims;
    // The window's output, its arithmetic said where the call is when the window does not fit.
    auto slide = [&](const Dims4& x, int channels) {
      try {
        return window_out(x, win, channels);
      } catch (const InputError& err) {
        throw InputError(std::string(d.name) + " on " + format_dims(x) + ": " + err.what(), e.line, e.column);
      }
    };
    auto result = [&](const Dims4& o, bool matrix) {  // a matrix in gives a matrix out
      if (double(o.n) * o.per_example() > double(kMaxDim) * kMaxDim)
        throw InputError(std::string(d.name) + " would give " + format_dims(o) + " = " + std::to_string(long(o.n) * o.per_example()) +
                         " numbers: the walkthrough takes values up to " + std::to_string(kMaxDim * kMaxDim), e.line, e.column);
      if (matrix) rows = o.h, cols = o.w;
      else dims = o, rows = o.n, cols = o.per_example();
    };
    switch (d.shape) {
      case ShapeRule::Same: rows = R(0), cols = C(0), dims = D(0); break;
      case ShapeRule::Conv: {
        const Dims4 x = image(0), f = image(1);
        if (f.c != x.c)
          mismatch(d, in, e, "the filters have " + std::to_string(f.c) + (f.c == 1 ? " channel" : " channels") + ", the input " +
                                 std::to_string(x.c) + " (W is FN x C x FH x FW for X of N x C x H x W)");
        if (R(2) != 1 || C(2) != f.n)
          mismatch(d, in, e, "b must be 1 x " + std::to_string(f.n) + ": a bias per filter (W has " + std::to_string(f.n) +
                                 (f.n == 1 ? " filter)" : " filters)"));
        win.h = f.h, win.w = f.w;
        result(slide(x, f.n), !D(0) && !D(1));
        if (double(x.n) * (dims ? dims->h * dims->w : rows * cols) * x.c * f.h * f.w > 1 << 20)
          throw InputError("conv's im2col matrix would have more than " + std::to_string(1 << 20) + " numbers: use a smaller input or filter",
                           e.line, e.column);
        break;
      }
      case ShapeRule::Pool: result(slide(image(0), image(0).c), !D(0)); break;
      case ShapeRule::Im2col: {
        const Dims4 x = image(0), o = slide(x, x.c);
        result({1, 1, o.n * o.h * o.w, x.c * win.h * win.w}, true);
        break;
      }
      case ShapeRule::Flatten: rows = image(0).n, cols = image(0).per_example(); break;
      case ShapeRule::Reduce: break;
      case ShapeRule::Broadcast: throw std::logic_error("kobai: broadcast is inserted by the builder only");
      case ShapeRule::Row: rows = 1, cols = C(0); break;
      case ShapeRule::Transpose: rows = C(0), cols = R(0); break;
      case ShapeRule::Loss:
        if (R(0) != R(1) || C(0) != C(1)) mismatch(d, in, e, "both arguments must have the same shape");
        break;
      case ShapeRule::MatMul:
        if (C(0) != R(1))
          mismatch(d, in, e, "the columns of the left (" + std::to_string(C(0)) + ") must equal the rows of the right (" +
                                 std::to_string(R(1)) + ")");
        rows = R(0), cols = C(1);
        break;
      case ShapeRule::Affine:
        if (C(0) != R(1) || R(2) != 1 || C(2) != C(1))
          mismatch(d, in, e, "affine(X, W, b) takes X (n x k), W (k x m) and b (1 x m)");
        rows = R(0), cols = C(1);
        break;
      case ShapeRule::Elementwise: {
        rows = std::max(R(0), R(1)), cols = std::max(C(0), C(1));
        for (int i = 0; i < 2; ++i) {
          if (R(i) == rows && C(i) == cols) continue;
          bool scalar = R(i) == 1 && C(i) == 1;
          bool row = R(i) == 1 && C(i) == cols && R(1 - i) == rows;
          if ((!scalar && !row) || R(1 - i) != rows || C(1 - i) != cols)
            mismatch(d, in, e, "element-wise ops take equal shapes, a 1x1 against anything, or a 1xn row against an Nxn matrix");
          in[i] = broadcast(in[i], rows, cols, e);
        }
        for (int i = 0; i < 2; ++i)  // a 4-D value stays 4-D (a broadcast number or row beside it is not)
          if (D(i) && R(i) == rows && C(i) == cols) dims = D(i);
        if (D(0) && D(1) && *D(0) != *D(1))
          mismatch(d, in, e, "4-D values of different shapes (" + format_dims(*D(0)) + " and " + format_dims(*D(1)) + ")");
        break;
      }
    }
    if (std::string(d.name) == "softmax_with_loss") labels_sum_to_one(in[1], e);
    Node n = make(NodeKind::Op, label(e), e);
    n.op = &d;
    n.in = std::move(in);
    n.p = p;
    n.rows = rows, n.cols = cols;
    n.dims = dims, n.win = win;
    return add(std::move(n));
  }

  // softmax_with_loss's gradient is (y − t)/N, as the walkthrough writes it, only when every row of t sums to 1;
  // for other t it is (y·Σt − t)/N. Refused here, so that the formula shown is the one computed.
  void labels_sum_to_one(int t, const Expr& e) {
    // Only when t is cheap to know now (an input, a constant, a little arithmetic): a t computed through large
    // products would hold the page while it builds. Then the walkthrough's steps say which form they compute.
    double cost = 0;
    known_.resize(g_.nodes.size(), false);
    for (int n : depends_on(t))
      if (!known_[size_t(n)]) cost += node_cost(g_, n);
    if (cost > kBuildCheckCost) return;
    Mat v = value(t);
    for (Eigen::Index r = 0; r < v.rows(); ++r) {
      double sum = v.row(r).sum();
      if (!(std::abs(sum - 1) <= 1e-9 * std::max(1.0, v.row(r).cwiseAbs().sum())))
        throw InputError("softmax_with_loss(a, t) takes labels t whose rows each sum to 1 (one-hot, or a distribution); "
                         "row " + std::to_string(r + 1) + " of t sums to " + format_number(sum), e.line, e.column);
    }
  }

  // A node's value from the inputs' values, evaluating only the nodes it depends on, each at most once: the others
  // made before it would be work for nothing (and the page may not have their ops' code yet: a convolution's comes
  // later, CMakeLists.txt's KOBAI_LATER_ENTRIES).
  Mat value(int node) {
    values_so_far_.resize(g_.nodes.size());
    known_.resize(g_.nodes.size(), false);
    for (int k : depends_on(node)) {
      if (known_[size_t(k)]) continue;
      const Node& n = g_.nodes[size_t(k)];
      values_so_far_[size_t(k)] = n.op ? n.op->forward(g_.args(k, values_so_far_)) : n.value;
      known_[size_t(k)] = true;
    }
    return values_so_far_[size_t(node)];
  }

  // node and the nodes it reads, directly or through others, in the order they were made (each after its inputs).
  std::vector<int> depends_on(int node) const {
    std::vector<bool> needed(size_t(node) + 1, false);
    needed[size_t(node)] = true;
    std::vector<int> out;
    for (int n = node; n >= 0; --n)
      if (needed[size_t(n)]) {
        out.push_back(n);
        for (int i : g_.nodes[size_t(n)].in) needed[size_t(i)] = true;
      }
    std::reverse(out.begin(), out.end());
    return out;
  }

  void link() {
    size_t N = g_.nodes.size();
    g_.users.assign(N, {});
    g_.reaches_output.assign(N, false);
    for (size_t n = 0; n < N; ++n)
      for (size_t i = 0; i < g_.nodes[n].in.size(); ++i) g_.users[g_.nodes[n].in[i]].push_back({int(n), int(i)});
    find_needs_grad(g_, {});
    g_.reaches_output[g_.output] = true;
    for (size_t n = N; n-- > 0;)
      if (g_.reaches_output[n])
        for (int i : g_.nodes[n].in) g_.reaches_output[i] = true;
  }
};

}  // namespace

namespace {
std::string indexed_base(const std::string& name) {  // "h" of "h[3]", or empty
  size_t b = name.find('[');
  return b == std::string::npos || b == 0 || name.back() != ']' ? std::string() : name.substr(0, b);
}
}  // namespace

std::vector<std::string> carried_names(const Graph& g) {
  std::vector<std::string> out;
  for (size_t n = 0; n < g.nodes.size(); ++n) {
    const Node& node = g.nodes[n];
    std::string base = indexed_base(node.name);
    if (node.step < 0 || !node.named || base.empty() || std::find(out.begin(), out.end(), base) != out.end()) continue;
    for (auto u : g.users[n])
      if (g.nodes[size_t(u.first)].step > node.step) {
        out.push_back(base);
        break;
      }
  }
  return out;
}

std::vector<int> carried_nodes(const Graph& g, const std::string& name) {
  std::vector<int> out(g.steps.size(), -1);
  for (size_t n = 0; n < g.nodes.size(); ++n) {
    const Node& node = g.nodes[n];
    if (node.step >= 0 && node.named && out[size_t(node.step)] < 0 && indexed_base(node.name) == name) out[size_t(node.step)] = int(n);
  }
  return out;
}

std::vector<std::string> input_names(const Program& p) {
  std::map<std::string, int> assigned = assigned_names(p);
  std::set<std::string> indexed = indexed_names(assigned);
  std::vector<std::string> out;
  for (const Statement& s : p.statements) collect_names(*s.expr, assigned, indexed, true, out);
  return out;
}

std::vector<std::string> zero_inputs(const Program& p) {
  std::map<std::string, int> assigned = assigned_names(p);
  std::set<std::string> indexed = indexed_names(assigned);
  std::vector<std::string> out;
  for (const Statement& s : p.statements) collect_names(*s.expr, assigned, indexed, false, out);
  return out;
}

Graph build(const Program& p, const InputValues& inputs) { return Builder(p, inputs).build(); }

void mark_data(Graph& g, const std::vector<std::string>& names) {
  std::vector<int> data;
  for (const std::string& name : names) {
    const int n = g.find(name);
    if (n < 0 || g.nodes[n].kind != NodeKind::Input) {
      std::string inputs;
      for (int k : g.inputs) inputs += (inputs.empty() ? "" : ", ") + g.nodes[k].name;
      throw InputError("\"data\" names '" + quote(name) + "', which is not an input of the expression (its inputs: " + inputs + ")");
    }
    data.push_back(n);
  }
  find_needs_grad(g, data);
}
Graph build(const std::string& source, const InputValues& inputs) { return build(parse(source), inputs); }

double node_cost(const Graph& g, int n) {
  const Node& node = g.nodes[n];
  if (!node.op) return 0;
  double out = double(node.rows) * node.cols;
  if (node.op->shape == ShapeRule::MatMul || node.op->shape == ShapeRule::Affine)
    return out * g.nodes[node.in[0]].cols + out;
  if (node.op->shape == ShapeRule::Conv || node.op->shape == ShapeRule::Pool || node.op->shape == ShapeRule::Im2col) {
    const Node& x = g.nodes[node.in[0]];  // every output reads a window, of every channel for conv
    double channels = node.op->shape == ShapeRule::Conv ? (x.dims ? x.dims->c : 1) : 1;
    return out * channels * node.win.h * node.win.w + out;
  }
  double in = 0;
  for (int i : node.in) in += double(g.nodes[i].rows) * g.nodes[i].cols;
  return out + in;
}

bool rows_sum_to_one(const Mat& t) {
  for (Eigen::Index r = 0; r < t.rows(); ++r)
    if (!(std::abs(t.row(r).sum() - 1) <= 1e-9 * std::max(1.0, t.row(r).cwiseAbs().sum()))) return false;
  return true;
}

// --- evaluating the whole graph ---------------------------------------------------------------------------

void forward(const Graph& g, Values& v) {
  for (size_t n = 0; n < g.nodes.size(); ++n)
    if (g.nodes[n].op) v[n] = g.nodes[n].op->forward(g.args(int(n), v));
}

Values forward(const Graph& g) {
  Values v = g.leaf_values();
  forward(g, v);
  return v;
}

Values backward(const Graph& g, const Values& v) {
  Values grad(g.nodes.size());
  grad[g.output] = Mat::Ones(v[g.output].rows(), v[g.output].cols());  // d(out)/d(out) = 1
  for (size_t n = g.nodes.size(); n-- > 0;) {
    const Node& node = g.nodes[n];
    if (!node.op || grad[n].size() == 0 || !g.needs_grad[n]) continue;
    Args a = g.args(int(n), v);
    for (size_t i = 0; i < node.in.size(); ++i) {
      int src = node.in[i];
      if (!g.needs_grad[src]) continue;
      Mat d = node.op->backward(int(i), a, v[n], grad[n]);  // chain rule: dout × local derivative
      if (grad[src].size() == 0) grad[src] = d;
      else grad[src] += d;                                    // a value used twice gets the sum
    }
  }
  for (size_t n = 0; n < g.nodes.size(); ++n)
    if (grad[n].size() == 0) grad[n] = Mat::Zero(g.nodes[n].rows, g.nodes[n].cols);
  return grad;
}

}  // namespace kobai
