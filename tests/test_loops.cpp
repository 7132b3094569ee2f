// Recurrences in the expression language (issue 12): for loops unrolled into the statements a person would write
// out by hand, indexed names, rows of an input matrix, sums over a range, and what bad loops get.
#include "helpers.h"
#include "walk.h"

using namespace kobai;
using namespace kobai::test;

namespace {

// The notes' RNN cell over three steps, once as a loop and once written out.
const char* kLoop =
    "for t in 1..3 { h[t] = tanh(x[t] @ Wx + h[t-1] @ Wh + b); y[t] = sigmoid(h[t] @ Wy); L[t] = mse(y[t], d[t]) }\n"
    "L = sum(L[1..3])";
const char* kByHand =
    "h[1] = tanh(x[1] @ Wx + h[0] @ Wh + b); y[1] = sigmoid(h[1] @ Wy); L[1] = mse(y[1], d[1])\n"
    "h[2] = tanh(x[2] @ Wx + h[1] @ Wh + b); y[2] = sigmoid(h[2] @ Wy); L[2] = mse(y[2], d[2])\n"
    "h[3] = tanh(x[3] @ Wx + h[2] @ Wh + b); y[3] = sigmoid(h[3] @ Wy); L[3] = mse(y[3], d[3])\n"
    "L = L[1] + L[2] + L[3]";

InputValues rnn() {
  return {{"x", rnd(3, 2, -1, 1, 1)}, {"Wx", rnd(2, 4, -1, 1, 2)}, {"Wh", rnd(4, 4, -1, 1, 3)}, {"b", rnd(1, 4, -1, 1, 4)},
          {"Wy", rnd(4, 1, -1, 1, 5)}, {"d", M({{1}, {0}, {1}})}};
}

}  // namespace

TEST_CASE("a loop is the same program written out by hand: the same nodes, values and gradients, bit for bit") {
  Graph loop = build(kLoop, rnn()), hand = build(kByHand, rnn());
  REQUIRE(loop.nodes.size() == hand.nodes.size());
  Values lv = forward(loop), hv = forward(hand);
  Values lg = backward(loop, lv), hg = backward(hand, hv);
  for (size_t i = 0; i < loop.nodes.size(); ++i) {
    INFO(loop.nodes[i].name);
    CHECK(loop.nodes[i].name == hand.nodes[i].name);
    CHECK((lv[i].array() == hv[i].array()).all());
    CHECK((lg[i].array() == hg[i].array()).all());
  }
}

TEST_CASE("names carry the step: h[3], y[3]; an unnamed node's label has the step's index, not the counter") {
  Graph g = build(kLoop, rnn());
  for (const char* n : {"h[1]", "h[3]", "y[2]", "L[3]", "x[2]", "h[0]", "L"}) CHECK_MESSAGE(g.find(n) >= 0, n);
  CHECK(g.find("x[2]@Wx") >= 0);
  CHECK(g.find("h[1]@Wh") >= 0);
  CHECK(g.find("x[t]@Wx") < 0);
  CHECK(g.find("L[1]+L[2]") >= 0);  // the sum, written out
}

TEST_CASE("each node a loop's step writes belongs to that time step; inputs, h[0] and the sum after the loop to none") {
  Graph g = build(kLoop, rnn());
  REQUIRE(g.steps.size() == 3);
  for (int t = 1; t <= 3; ++t) {
    CHECK(g.steps[size_t(t - 1)].counter == "t");
    CHECK(g.steps[size_t(t - 1)].value == t);
  }
  auto step_of = [&](const char* name) { return g.nodes[size_t(g.find(name))].step; };
  CHECK(step_of("h[2]") == 1);
  CHECK(step_of("x[2]@Wx") == 1);  // unnamed nodes too
  CHECK(step_of("x[3]") == 2);     // the row of x that step 3 reads
  CHECK(step_of("L[3]") == 2);
  for (const char* n : {"x", "Wx", "Wh", "h[0]", "d", "L"}) CHECK_MESSAGE(step_of(n) == -1, n);
  // Written out by hand there are no loops, and so no time.
  Graph hand = build(kByHand, rnn());
  CHECK(hand.steps.empty());
  // Two loops one after the other: their steps are told apart, and a nested loop's steps are its outer step's.
  Graph two = build("for t in 1..2 { a[t] = x * 2 }\nfor t in 1..2 { for s in 1..1 { b[t] = a[t] * 3 } }\ny = b[1] + b[2]",
                    {{"x", M({{1}})}});
  REQUIRE(two.steps.size() == 4);
  CHECK(two.steps[1].loop == 0);
  CHECK(two.steps[2].loop == 1);
  CHECK(two.steps[2].value == 1);
  CHECK(two.nodes[size_t(two.find("b[2]"))].step == 3);
  CHECK(two.nodes[size_t(two.find("a[1]"))].step == 0);
}

TEST_CASE("what a loop carries from step to step: h in the RNN, c and h in the LSTM, and each one's node per step") {
  Graph g = build(kLoop, rnn());
  CHECK(carried_names(g) == std::vector<std::string>{"h"});  // y[t] and L[t] stay in their step
  std::vector<int> h = carried_nodes(g, "h");
  REQUIRE(h.size() == 3);
  for (int t = 1; t <= 3; ++t) CHECK(g.nodes[size_t(h[size_t(t - 1)])].name == "h[" + std::to_string(t) + "]");
  Graph lstm = build("for t in 1..2 { c[t] = f * c[t-1] + i * g; h[t] = tanh(c[t]) * h[t-1] }; y = sum(h[2])",
                     {{"f", M({{0.5}})}, {"i", M({{1}})}, {"g", M({{2}})}, {"h[0]", M({{1}})}});
  CHECK(carried_names(lstm) == std::vector<std::string>{"c", "h"});
  CHECK(carried_nodes(lstm, "q") == std::vector<int>{-1, -1});
}

TEST_CASE("x[t] of an input matrix is its row t, counted from 1; its backward puts the gradient into that row") {
  Mat x = M({{1, 2}, {3, 4}, {5, 6}});
  Graph g = build("y = sum(x[2] * w)", {{"x", x}, {"w", M({{10, 100}})}});
  CHECK(value_of(g) == 3 * 10 + 4 * 100);
  Mat d = grad_of(g, "x");
  CHECK(d == M({{0, 0}, {10, 100}, {0, 0}}));
  CHECK(grad_of(g, "x[2]") == M({{10, 100}}));
}

TEST_CASE("h[0] read before it is assigned is an input: zeros shaped by its use, or the value given") {
  Graph g = build(kLoop, rnn());
  const Node& h0 = g.nodes[size_t(g.find("h[0]"))];
  CHECK(h0.kind == NodeKind::Input);
  CHECK(h0.rows == 1);
  CHECK(h0.cols == 4);  // h[0] @ Wh: as long as Wh is high
  CHECK(h0.value.isZero());
  InputValues given = rnn();
  given["h[0]"] = M({{1, 2, 3, 4}});
  Graph h = build(kLoop, given);
  CHECK(forward(h)[size_t(h.find("h[0]"))] == M({{1, 2, 3, 4}}));
  CHECK(value_of(h) != value_of(g));
  // the command's and the page's list of what needs a value: x, not x[1]; h[0] is not needed
  std::vector<std::string> needed = input_names(parse(kLoop));
  CHECK(std::find(needed.begin(), needed.end(), "x") != needed.end());
  CHECK(std::find(needed.begin(), needed.end(), "x[1]") == needed.end());
  CHECK(std::find(needed.begin(), needed.end(), "h[0]") == needed.end());
  CHECK(zero_inputs(parse(kLoop)) == std::vector<std::string>{"h[0]"});
}

TEST_CASE("the LSTM's cell: c[0] beside f[t] * c[t-1], and nested loops") {
  Graph g = build("for t in 1..2 { c[t] = f * c[t-1] + i * g }; y = sum(c[2])", {{"f", M({{0.5, 0.5}})}, {"i", M({{1, 1}})}, {"g", M({{2, 3}})}});
  CHECK(value_of(g) == doctest::Approx((0.5 * 2 + 2) + (0.5 * 3 + 3)));
  // a loop in a loop: the step named by both counters
  CHECK(error_of("for i in 1..2 { for j in 1..3 { a[i] = 0 } }").find("'a[1]' is assigned twice (first on line 1) (in the loop's step i = 1, j = 2)") != std::string::npos);
}

TEST_CASE("bad loops get a message with the line, the column and the step") {
  InputValues in = {{"x", rnd(3, 2)}};
  CHECK(error_of("for t in 1..n { y[t] = x[t] }", in).rfind("line 1, column 13: a loop's bounds are whole numbers, as in for t in 1..4; found 'n'", 0) == 0);
  CHECK(error_of("for t in 1..4 { y[t] = x[t] }", in).rfind("line 1, column 24: x[4]: x has 3 rows (x[1] to x[3]) (in the loop's step t = 4)", 0) == 0);
  CHECK(error_of("y = x[0]", in).find("x[0]: rows count from 1, as the notes write x₁ … x_T; x has 3 rows") != std::string::npos);
  CHECK(error_of("for t in 1..2 { y[t] = h[t+1] * 2; h[t] = x[t] }", in).find("'h[2]' is used before it is assigned (on line 1) (in the loop's step t = 1)") != std::string::npos);
  CHECK(error_of("for t in 1..65 { y[t] = 1 }").find("the loop has 65 steps; at most 64") != std::string::npos);
  CHECK(error_of("for t in 3..1 { y[t] = 1 }").find("the loop runs from 3 down to 1: write the smaller bound first") != std::string::npos);
  CHECK(error_of("for t in 1..2 { y[t] = t }").find("'t' is the loop's counter: it can only be an index, as in h[t]") != std::string::npos);
  CHECK(error_of("for t in 1..2 { y[s] = 1 }").find("'s' is not the counter of a loop around here") != std::string::npos);
  CHECK(error_of("for t in 1..2 { y[t] = x[t-2] }", in).find("this index is -1 here") != std::string::npos);
  CHECK(error_of("for t in 1..2 { y[t] = 1 ", in).find("expected '}' to close the loop's '{' at line 1, column 15") != std::string::npos);
  CHECK(error_of("y = x[1..2]", in).find("a range such as L[1..4] can only be summed: sum(L[1..4])") != std::string::npos);
  CHECK(error_of("for t in 1..2 { z = x[t] }", in).find("'z' is assigned twice (first on line 1) (in the loop's step t = 2)") != std::string::npos);
  CHECK(error_of("for t in 1..2 { h[t] = tanh(h[t-1]) }").find("'h[0]' has no value, and its shape cannot be told from where it is used here") != std::string::npos);
  CHECK(error_of("for t in 1..2 { for t in 1..2 { y[t] = 1 } }").find("'t' already counts the loop around this one") != std::string::npos);
  // 64 steps of an 80-node cell pass the graph's 5000 nodes: refused at the operator that makes it too large
  std::string cube = "h[t-1]";
  for (int i = 0; i < 75; ++i) cube += " * h[t-1]";
  std::string big = "for t in 1..64 { h[t] = tanh(h[t-1] @ W + x[1] @ U + b) * 2 + 1 - 3 * h[t-1] + " + cube + " }";
  CHECK(error_of(big, {{"x", rnd(3, 2)}, {"W", rnd(2, 2)}, {"U", rnd(2, 2)}, {"b", rnd(1, 2)}}).find(
            "the graph is too large (more than " + std::to_string(kMaxNodes) + " nodes)") != std::string::npos);
}

TEST_CASE("backpropagation through time: the shared weight's gradient is the sum of what each time step sends back") {
  Walk w(build(kLoop, rnn()));
  w.run_phase();  // forward
  w.run_phase();  // backward
  const Graph& g = w.graph();
  int wh = g.find("Wh");
  const Step* sum = nullptr;
  int at = -1;
  for (size_t i = 0; i < w.steps_done().size(); ++i)
    if (w.steps_done()[i].kind == StepKind::FanIn && w.steps_done()[i].node == wh) sum = &w.steps_done()[i], at = int(i);
  REQUIRE(sum);
  const Line& ln = sum->lines.at(0);
  CHECK(ln.lhs == "∂L/∂Wh");
  CHECK(ln.symbolic == "∂L/∂Wh⁽¹⁾ + ∂L/∂Wh⁽²⁾ + ∂L/∂Wh⁽³⁾");
  // Each term is what step t's product h[t-1] @ Wh sent back to Wh, and their sum is the whole gradient.
  Mat total = Mat::Zero(4, 4);
  for (int t = 1; t <= 3; ++t) {
    int prod = g.find("h[" + std::to_string(t - 1) + "]@Wh");
    REQUIRE(prod >= 0);
    total += w.state().edge[size_t(prod)][1];
  }
  CHECK(ln.result.isApprox(total, 1e-15));
  CHECK(ln.result.isApprox(grad_of(build(kLoop, rnn()), "Wh"), 1e-12));
  CHECK(std::count(ln.numeric.begin(), ln.numeric.end(), '+') >= 2);
  std::string en = explain(w, at, Lang::en), ja = explain(w, at, Lang::ja);
  CHECK(en.find("Wh is shared by the time steps: ∂L/∂Wh = Σₜ ∂L/∂Wh⁽ᵗ⁾, the sum over time steps t = 1 … 3") != std::string::npos);
  CHECK(ja.find("Wh は全時刻で共有: ∂L/∂Wh = Σₜ ∂L/∂Wh⁽ᵗ⁾（時刻 t = 1 … 3 の和）") != std::string::npos);
  // The input matrix x is read a row a step: its gradient is a sum over time too. h[1], used by y[1] in step 1
  // and by h[1] @ Wh in step 2, is a value of step 1, not a weight: a plain sum.
  bool x_over_time = false, h1_plain = false;
  for (size_t i = 0; i < w.steps_done().size(); ++i) {
    const Step& s = w.steps_done()[i];
    if (s.kind != StepKind::FanIn) continue;
    std::string e = explain(w, int(i), Lang::en);
    if (s.node == g.find("x")) x_over_time = e.find("x is shared by the time steps") != std::string::npos;
    if (s.node == g.find("h[1]")) h1_plain = e.find("h[1] was used more than once: its gradient is the sum") != std::string::npos;
  }
  CHECK(x_over_time);
  CHECK(h1_plain);
}
