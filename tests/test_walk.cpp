// Stepping: the order of steps, their formulas, step back, jump, phases, the update phase.
#include "helpers.h"
#include "lesson.h"
#include "walk.h"

#include <cstring>

using namespace kobai;
using namespace kobai::test;

namespace {

Walk apple() {
  return Walk(build("price = apple * num * tax", {{"apple", S(100)}, {"num", S(2)}, {"tax", S(1.1)}}));
}

bool same(const Values& a, const Values& b) {  // exactly: shapes and every bit of every value
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].rows() != b[i].rows() || a[i].cols() != b[i].cols()) return false;
    if (a[i].size() && std::memcmp(a[i].data(), b[i].data(), sizeof(double) * a[i].size()) != 0) return false;
  }
  return true;
}
bool same(const WalkState& a, const WalkState& b) {
  if (!same(a.value, b.value) || !same(a.grad, b.grad) || a.edge.size() != b.edge.size()) return false;
  for (size_t i = 0; i < a.edge.size(); ++i)
    if (!same(a.edge[i], b.edge[i])) return false;
  return true;
}

}  // namespace

TEST_CASE("the apple walkthrough, step by step, as the book draws it") {
  Walk w = apple();
  REQUIRE(w.plan().size() == 5);  // two forward, the seed, two backward
  REQUIRE(w.step());
  const Line& f1 = w.current()->lines[0];
  CHECK(f1.lhs == "apple*num");
  CHECK(f1.symbolic == "apple × num");
  CHECK(f1.numeric == "100 × 2");
  CHECK(format_matrix(f1.result) == "200");
  w.step();
  CHECK(w.current()->lines[0].numeric == "200 × 1.1");
  CHECK(format_matrix(w.current()->lines[0].result) == "220");
  w.step();
  CHECK(w.current()->kind == StepKind::Seed);
  CHECK(w.phase() == Phase::Backward);
  w.step();
  const Step& b1 = *w.current();
  REQUIRE(b1.lines.size() == 2);
  CHECK(b1.lines[0].lhs == "∂price/∂(apple*num)");
  CHECK(b1.lines[0].symbolic == "∂price/∂price × tax");
  CHECK(b1.lines[0].numeric == "1 × 1.1");
  CHECK(b1.lines[1].lhs == "∂price/∂tax");
  CHECK(format_matrix(b1.lines[1].result) == "200");
  w.step();
  CHECK(explain(w, 4, Lang::en).find("∂price/∂apple = ∂price/∂(apple*num) × num = 1.1 × 2 = 2.2") != std::string::npos);
  CHECK(explain(w, 4, Lang::ja).find("逆伝播") != std::string::npos);
  CHECK_FALSE(w.step());
  CHECK(w.at_end());
}

TEST_CASE("stepping to the end equals whole-graph evaluation, for every lesson") {
  for (const Lesson& l : builtin_lessons()) {
    INFO(l.id);
    Graph g = build(l.expr, l.inputs);
    Values v = forward(g), d = backward(g, v);
    Walk w(g);
    while (w.step()) {
    }
    for (size_t n = 0; n < g.nodes.size(); ++n) {
      CHECK(w.state().value[n] == v[n]);
      if (g.reaches_output[n] && g.needs_grad[n]) CHECK((w.state().grad[n] - d[n]).cwiseAbs().maxCoeff() < 1e-12);
    }
  }
}

TEST_CASE("step back restores exactly the previous state, at every step") {
  const Lesson* l = find_lesson("two_layer_net");
  REQUIRE(l);
  Walk w(build(l->expr, l->inputs), l->params, l->lr);
  std::vector<WalkState> seen{w.state()};
  while (w.step()) seen.push_back(w.state());
  REQUIRE(w.next_iteration());
  w.step();
  w.back();
  w.back();  // undoes next_iteration
  CHECK(w.iteration() == 0);
  CHECK(same(w.state(), seen.back()));
  for (size_t k = seen.size() - 1; k-- > 0;) {
    REQUIRE(w.back());
    CHECK(w.position() == int(k));
    CHECK(same(w.state(), seen[k]));
  }
  CHECK_FALSE(w.back());
}

TEST_CASE("jump, run to the end of a phase, reset") {
  Walk w = apple();
  w.run_phase();
  CHECK(w.position() == 2);
  CHECK(w.phase() == Phase::Forward);
  w.run_phase();
  CHECK(w.at_end());
  w.jump(1);
  CHECK(w.position() == 1);
  CHECK(w.state().value[w.graph().output].size() == 0);  // not computed yet
  w.jump(99);
  CHECK(w.at_end());
  w.reset();
  CHECK(w.position() == 0);
  CHECK(w.current() == nullptr);
}

TEST_CASE("a fan-in step sums the gradients of a value used twice") {
  Walk w(build("y = x * x", {{"x", S(3)}}));
  bool fan = false;
  while (w.step())
    if (w.current()->kind == StepKind::FanIn) {
      fan = true;
      CHECK(w.current()->lines[0].numeric == "3 + 3");
      CHECK(format_matrix(w.current()->lines[0].result) == "6");
    }
  CHECK(fan);
}

TEST_CASE("the update phase applies W ← W − η·∂L/∂W and the loss falls over iterations") {
  const Lesson* l = find_lesson("two_layer_net");
  REQUIRE(l);
  Walk w(build(l->expr, l->inputs), l->params, l->lr);
  std::vector<double> losses;
  for (int it = 0; it < 5; ++it) {
    w.run_phase();  // forward
    losses.push_back(w.state().value[w.graph().output](0, 0));
    w.run_phase();  // backward
    int W1 = w.graph().find("W1");
    Mat before = w.state().value[W1], grad = w.state().grad[W1];
    w.run_phase();  // update
    CHECK(w.phase() == Phase::Update);
    CHECK((w.state().value[W1] - (before - l->lr * grad)).cwiseAbs().maxCoeff() == 0.0);
    REQUIRE(w.next_iteration());
  }
  for (size_t i = 1; i < losses.size(); ++i) CHECK(losses[i] < losses[i - 1]);
  CHECK_FALSE(Walk(build("y = x", {{"x", S(1)}})).next_iteration());
  CHECK_THROWS_WITH_AS(Walk(build("y = x", {{"x", S(1)}}), {"W"}, 0.1), "parameter 'W' is not an input of the expression",
                       InputError);
}

TEST_CASE("a parameter the output does not use gets no update, and the next iteration still works") {
  // Found by the fuzzer: updating x with a gradient it never received corrupted its value.
  Walk w(build("a = x * -1; y = 1 / c", {{"x", S(2)}, {"c", S(4)}}), {"x", "c"}, 0.1);
  while (w.step()) {
  }
  CHECK(w.plan().back().node == w.graph().find("c"));
  CHECK(w.state().value[w.graph().find("x")] == S(2));
  REQUIRE(w.next_iteration());
  while (w.step()) {
  }
  CHECK(w.state().value[w.graph().find("a")] == S(-2));
}

TEST_CASE("non-finite values carry a warning that says why") {
  auto first_warning = [](const std::string& src, const InputValues& in) -> std::string {
    Walk w(build(src, in));
    while (w.step())
      if (!w.current()->warnings.empty()) return w.current()->warnings[0].en;
    return "";
  };
  CHECK(first_warning("y = log(x)", {{"x", S(-1)}}) == std::string("log of a number ≤ 0 gives −inf or NaN"));
  CHECK(first_warning("y = 2 / x", {{"x", S(0)}}) == std::string("division by zero gives inf or NaN"));
  CHECK(first_warning("y = exp(x)", {{"x", S(1000)}}) == std::string("overflow: the result is too large for a double and became inf"));
  CHECK(first_warning("y = x * 2", {{"x", S(1)}}) == "");
}

namespace {

// Every warning of a whole walkthrough (with an update when params are given), in English and in Japanese.
std::vector<std::string> warnings(const std::string& src, const InputValues& in, std::vector<std::string> params = {}) {
  Walk w(build(src, in), params, params.empty() ? 0 : 1e308);
  std::vector<std::string> out;
  while (w.step())
    for (const Words& wd : w.current()->warnings) {
      CHECK(std::string(wd.ja).size() > 0);
      out.push_back(wd.en);
    }
  return out;
}
using Warnings = std::vector<std::string>;

}  // namespace

TEST_CASE("each non-finite value gets the warning of its own cause, forward and backward") {
  const std::string frac = "a negative number to a non-integer power is not a real number: NaN";
  const std::string div0 = "division by zero gives inf or NaN";
  const std::string log0 = "log of a number ≤ 0 gives −inf or NaN";
  const std::string over = "overflow: the result is too large for a double and became inf";
  const std::string from = "the gradient is not a finite number (inf or NaN), like this node's value";
  const std::string slope = "the local derivative divides by zero here (its slope is infinite), which gives inf or NaN";
  const std::string gover = "overflow: the gradient is too large for a double and became inf";
  const std::string in_nan = "the result is not a finite number (inf or NaN)";
  CHECK(warnings("y = x^0.5", {{"x", S(-4)}}) == Warnings{frac, from});
  CHECK(warnings("y = x^-1.5", {{"x", M({{4, -4}})}}) == Warnings{frac, from});
  CHECK(warnings("y = x^-1", {{"x", S(0)}}) == Warnings{div0, from});
  CHECK(warnings("y = x^3", {{"x", S(1e200)}}) == Warnings{over, from});
  CHECK(warnings("y = x^0", {{"x", S(0)}}).empty());                   // a constant: ∂y/∂x = 0
  CHECK(warnings("y = x^0.5", {{"x", S(0)}}) == Warnings{slope});      // √x is 0 at 0, its slope is not finite
  CHECK(warnings("y = log(x)", {{"x", S(0)}}) == Warnings{log0, from});
  CHECK(warnings("y = log(x)", {{"x", S(1e-320)}}) == Warnings{gover});  // finite, but 1/x overflows
  CHECK(warnings("y = 1 / x", {{"x", M({{1, 0}})}}) == Warnings{div0, from});
  CHECK(warnings("y = x / z", {{"x", S(0)}, {"z", S(0)}}) == Warnings{div0, from, from});
  CHECK(warnings("y = x / z", {{"x", S(1e300)}, {"z", S(1e-300)}}) == Warnings{over, from});  // no zero; ∂y/∂x is 1e300
  CHECK(warnings("y = exp(x) * 2", {{"x", S(1000)}}) == Warnings{over, in_nan, from});
  CHECK(warnings("y = log(x) + x^0.5", {{"x", S(4)}}).empty());
  // the update W ← W − η·∂L/∂W with a huge η overflows although the value and the gradient are finite
  CHECK(warnings("y = x * 3", {{"x", S(2)}}, {"x"}) == Warnings{over});
}

TEST_CASE("softmax_with_loss: the step's formula, filled with its numbers, is the value the step computes") {
  const Lesson* l = find_lesson("softmax_with_loss");
  for (const Mat& t : {Mat(l->inputs.at("t")), M({{0.2, 0.3, 0.5}, {0.6, 0.3, 0.1}})}) {
    InputValues in = l->inputs;
    in["t"] = t;
    Walk w(build(l->expr, in));
    while (w.step()) {
      const Step& s = *w.current();
      if (s.kind != StepKind::Backward || std::string(w.graph().nodes[s.node].op->name) != "softmax_with_loss") continue;
      CHECK(s.lines[0].symbolic == "∂L/∂L × (softmax(a) − t) ÷ 2");
      const Mat& a = in.at("a");
      Mat y = a.array().exp();
      y = y.array().colwise() / y.rowwise().sum().array();
      CHECK((s.lines[0].result - (y - t) / 2).cwiseAbs().maxCoeff() < 1e-15);
    }
  }
  // t as a trained parameter would stop summing to 1 after one update
  CHECK_THROWS_WITH_AS(Walk(build(l->expr, l->inputs), {"t"}, 0.1),
                       "parameter 't' feeds the labels t of softmax_with_loss(a, t): an update would change t, whose rows "
                       "must each sum to 1", InputError);
  CHECK_NOTHROW(Walk(build(l->expr, l->inputs), {"a"}, 0.1));
}

TEST_CASE("a new name is a step of its own: a = x") {
  Walk w(build("a = x", {{"x", S(2)}}));
  while (w.step()) {
  }
  CHECK(explain(w, 0, Lang::en).find("a = x = 2") != std::string::npos);
  CHECK(explain(w, 2, Lang::en).find("∂a/∂x = ∂a/∂a × 1 = 1 × 1 = 1") != std::string::npos);
}

TEST_CASE("display rounds for people, storage stays exact") {
  Graph g = build("price = apple * num * tax", {{"apple", S(100)}, {"num", S(2)}, {"tax", S(1.1)}});
  double v = value_of(g);
  CHECK(v != 220.0);  // 220.00000000000003 in binary floating point, as the book shows
  CHECK(format_number(v) == "220");
  CHECK(format_number(0.19661193324148185) == "0.196612");
  CHECK(format_number(-0.0) == "0");
  CHECK(format_number(std::nan("")) == "NaN");
  CHECK(value_literal(M({{1, 2.5}, {3, 4}}), false) == "[[1, 2.5], [3, 4]]");  // as the editor shows it
  CHECK(value_literal(M({{0.1, 2}}), true) == "[[0.10000000000000001,2]]");     // exact, for links
  CHECK(value_literal(S(1.1), false) == "1.1");
  CHECK(format_matrix(Mat::Zero(8, 8)) == "[[0, 0, 0, 0, 0, 0, …], [0, 0, 0, 0, 0, 0, …], [0, 0, 0, 0, 0, 0, …], [0, 0, 0, 0, 0, 0, …], [0, 0, 0, 0, 0, 0, …], [0, 0, 0, 0, 0, 0, …], …] (8x8)");
}

TEST_CASE("a lesson that trains stops offering next iterations at kMaxIterations, as links stop there") {
  Walk w(build("L = (w*x - t)^2", {{"w", S(0.5)}, {"x", S(1)}, {"t", S(1)}}), {"w"}, 0.1);
  int done = 0;
  for (;;) {
    w.jump(int(w.plan().size()));
    if (!w.next_iteration()) break;
    ++done;
  }
  CHECK(done == kMaxIterations);
  CHECK(w.iteration() == kMaxIterations);
}

TEST_CASE("softmax_with_loss: a t too costly to evaluate while building is not refused there; its steps say what they compute") {
  // t = A @ B of 128x128 factors: two million multiply-adds, more than build() evaluates (it would hold the page).
  Graph g = build("L = softmax_with_loss(a, A @ B)", {{"a", rnd(128, 128, -1, 1, 1)}, {"A", rnd(128, 128, 0, 1, 2)}, {"B", rnd(128, 128, 0, 1, 3)}});
  Walk w(g);
  int warned = 0;
  while (w.step())
    for (const Words& wd : w.current()->warnings)
      if (std::string(wd.en).find("(y·Σt − t)/N") != std::string::npos) ++warned;
  CHECK(warned == 2);  // the forward step and the backward step of the loss
  // A t that is cheap to know is still refused as the graph is built.
  CHECK_THROWS_WITH_AS(build("L = softmax_with_loss(a, t * 2)", {{"a", M({{1, 2}})}, {"t", M({{0, 1}})}}),
                       doctest::Contains("row 1 of t sums to 2"), InputError);
}

TEST_CASE("the rule line is written in the node's own names, not the letters x and y") {
  auto rule = [](const std::string& expr, const std::string& node) {
    const InputValues all = {{"b", S(3)}, {"a", S(0.5)}, {"x", S(2)}, {"y", S(1)}, {"W", M({{1, 2}})}, {"X", M({{1}, {2}})}};
    Program p = parse(expr);
    InputValues in;
    for (const std::string& name : input_names(p)) in[name] = all.at(name);
    Graph g = build(p, in);
    for (size_t n = 0; n < g.nodes.size(); ++n)
      if (g.nodes[n].name == node) return local_rule(g, int(n));
    return std::string("no node ") + node;
  };
  CHECK(rule("z = 2 * b", "z") == "∂(2·b)/∂b = 2");  // a constant takes no gradient: its part is left out
  CHECK(rule("z = b * a", "z") == "∂(b·a)/∂b = a, ∂(b·a)/∂a = b");
  CHECK(rule("z = b - 1", "z") == "∂(b−1)/∂b = 1");
  CHECK(rule("s = sigmoid(a)", "s") == "∂σ(a)/∂a = σ(a)(1 − σ(a)) = s(1 − s)");
  CHECK(rule("q = b^3", "q") == "∂(b^3)/∂b = 3·b^(3−1)");
  CHECK(rule("c = b", "c") == "∂c/∂b = 1");
  // A lesson's own x and y are names like any other: y = tanh(x) reads as before, and x = tanh(y) does not clash.
  CHECK(rule("y = tanh(x)", "y") == "∂tanh(x)/∂x = 1 − tanh²(x) = 1 − y²");
  CHECK(rule("u = tanh(y)", "u") == "∂tanh(y)/∂y = 1 − tanh²(y) = 1 − u²");
  // An unnamed node's name is its text, in parentheses.
  CHECK(rule("z = exp(a * b)", "z") == "∂exp((a*b))/∂(a*b) = exp((a*b)) = z");
  // Matrices keep their layers' letters.
  CHECK(rule("Y = X @ W", "Y") == "∂L/∂X = ∂L/∂Y · Wᵀ, ∂L/∂W = Xᵀ · ∂L/∂Y");
}
