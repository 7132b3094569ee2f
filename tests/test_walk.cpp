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
