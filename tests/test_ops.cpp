// Every op's backward against a central-difference numerical gradient, one line per op.
// Each op sits under a random weighting G so that the gradient arriving at it is not all ones.
#include "helpers.h"
#include "ops.h"

#include <set>

using namespace kobai;
using namespace kobai::test;

namespace {

struct Case {
  const char* expr;
  InputValues in;
};

const Mat G = rnd(2, 3, -1, 1, 7);
const Mat X = rnd(2, 3, -2, 2, 1), Y = rnd(2, 3, -2, 2, 2);
const Mat P = rnd(2, 3, 0.5, 2, 3);   // positive: log, division, fractional powers
const Mat A = rnd(2, 4, -1, 1, 4), W = rnd(4, 3, -1, 1, 5), b = rnd(1, 3, -1, 1, 6);
const Mat T1 = M({{0, 1, 0}, {0, 0, 1}});                // one-hot rows
const Mat T2 = [] { Mat t = rnd(2, 3, 0, 1, 8); return Mat(t.array().colwise() / t.rowwise().sum().array()); }();  // soft labels: rows sum to 1

const std::vector<Case> kCases = {
    {"L = sum(G * (x + y))", {{"G", G}, {"x", X}, {"y", Y}}},
    {"L = sum(g * x[2])", {{"g", rnd(1, 3, -1, 1, 9)}, {"x", X}}},  // row 2 of x
    {"L = sum(G * softmax(x))", {{"G", G}, {"x", X}}},  // row-wise
    {"L = sum(G * transpose(W @ transpose(A)))", {{"G", G}, {"W", rnd(3, 4, -1, 1, 10)}, {"A", A}}},
    {"L = sum(G * (x - y))", {{"G", G}, {"x", X}, {"y", Y}}},
    {"L = sum(G * (x * y))", {{"G", G}, {"x", X}, {"y", Y}}},
    {"L = sum(G * (x / p))", {{"G", G}, {"x", X}, {"p", P}}},
    {"L = sum(G * (1 / p))", {{"G", G}, {"p", P}}},
    {"L = sum(G * -x)", {{"G", G}, {"x", X}}},
    {"L = sum(G * x^3)", {{"G", G}, {"x", X}}},
    {"L = sum(G * x^2)", {{"G", G}, {"x", X}}},
    {"L = sum(G * p^-0.5)", {{"G", G}, {"p", P}}},
    {"L = sum(G * exp(x))", {{"G", G}, {"x", X}}},
    {"L = sum(G * log(p))", {{"G", G}, {"p", P}}},
    {"L = sum(G * relu(x))", {{"G", G}, {"x", X}}},
    {"L = sum(G * sigmoid(x))", {{"G", G}, {"x", X}}},
    {"L = sum(G * tanh(x))", {{"G", G}, {"x", X}}},
    {"L = sum(G * step(x))", {{"G", G}, {"x", X}}},
    {"L = sum(G * (a @ W))", {{"G", G}, {"a", A}, {"W", W}}},
    {"L = sum(G * affine(a, W, b))", {{"G", G}, {"a", A}, {"W", W}, {"b", b}}},
    {"L = sum(G * (x + b))", {{"G", G}, {"x", X}, {"b", b}}},      // a 1xn row broadcast over rows
    {"L = sum(G * (s * x))", {{"G", G}, {"s", S(0.7)}, {"x", X}}},  // a 1x1 broadcast everywhere
    {"L = sum(x)^2", {{"x", X}}},
    {"L = mean(x)^2", {{"x", X}}},
    {"L = mse(x, y)", {{"x", X}, {"y", Y}}},
    {"L = softmax_with_loss(x, t)", {{"x", X * 3}, {"t", T1}}},
    {"L = softmax_with_loss(x, t)", {{"x", X}, {"t", T2}}},
    {"L = sum(G * (x * x))", {{"G", G}, {"x", X}}},                // one value used twice
    {"c = x; L = sum(G * c)", {{"G", G}, {"x", X}}},                // a new name for an input: a copy node
    // images (chapter 7): 4-D values (N, C, H, W), and matrices taken as 1x1xHxW
    {"L = sum(G * conv(x, W, b, stride=2, pad=1))",
     {{"G", rnd(2, 27, -1, 1, 30)}, {"x", Value(rnd(2, 50, -1, 1, 31), Dims4{2, 2, 5, 5})},
      {"W", Value(rnd(3, 18, -1, 1, 32), Dims4{3, 2, 3, 3})}, {"b", rnd(1, 3, -1, 1, 33)}}},
    {"L = sum(G * conv(x, W, b, pad=1))", {{"G", rnd(4, 4, -1, 1, 34)}, {"x", rnd(4, 4, -1, 1, 35)}, {"W", rnd(3, 3, -1, 1, 36)}, {"b", S(0.5)}}},
    {"L = sum(G * pool(x, 2, 2, stride=2))", {{"G", rnd(2, 8, -1, 1, 37)}, {"x", Value(rnd(2, 32, -1, 1, 38), Dims4{2, 2, 4, 4})}}},
    {"L = sum(G * avgpool(x, 3, 3, stride=1, pad=1))", {{"G", rnd(5, 5, -1, 1, 39)}, {"x", rnd(5, 5, -1, 1, 40)}}},
    {"L = sum(G * im2col(x, 3, 3))", {{"G", rnd(4, 18, -1, 1, 41)}, {"x", Value(rnd(1, 32, -1, 1, 42), Dims4{1, 2, 4, 4})}}},
    {"L = softmax_with_loss(affine(flatten(pool(relu(conv(x, W, b, pad=1)), 2, 2, stride=2)), W2, b2), t)",  // a small CNN
     {{"x", Value(rnd(2, 32, -1, 1, 43), Dims4{2, 2, 4, 4})}, {"W", Value(rnd(2, 18, -1, 1, 44), Dims4{2, 2, 3, 3})},
      {"b", rnd(1, 2, -1, 1, 45)}, {"W2", rnd(8, 3, -1, 1, 46)}, {"b2", rnd(1, 3, -1, 1, 47)}, {"t", T1}}},
};

}  // namespace

TEST_CASE("every op's backward matches a central-difference numerical gradient") {
  for (const Case& c : kCases) {
    Graph g = build(c.expr, c.in);
    for (const GradCheck& r : gradient_check(g)) {
      INFO(std::string(c.expr) << "  d/d" << r.input << "\n backprop  " << r.backprop << "\n numerical " << r.numerical);
      CHECK(r.rel_error < 1e-7);
    }
  }
}

TEST_CASE("the cases above cover every op in the table") {
  std::set<std::string> seen;
  for (const Case& c : kCases)
    for (const Node& n : build(c.expr, c.in).nodes)
      if (n.op) seen.insert(n.op->name);
  for (const OpDef& d : all_ops()) {
    INFO("no gradient test for op " << d.name);
    CHECK(seen.count(d.name) == 1);
  }
}

TEST_CASE("local rules as the book states them") {
  // sigmoid: y(1−y), at most 0.25 at x = 0
  CHECK(grad_of(build("y = sigmoid(x)", {{"x", S(0)}}), "x")(0, 0) == doctest::Approx(0.25));
  // tanh: 1 − y², 1 at x = 0
  CHECK(grad_of(build("y = tanh(x)", {{"x", S(0)}}), "x")(0, 0) == doctest::Approx(1.0));
  // ReLU: passes at a positive input, stops at a negative one (and at 0, as the book's mask x <= 0)
  CHECK(grad_of(build("y = relu(x)", {{"x", S(3)}}), "x")(0, 0) == 1.0);
  CHECK(grad_of(build("y = relu(x)", {{"x", S(-3)}}), "x")(0, 0) == 0.0);
  CHECK(grad_of(build("y = relu(x)", {{"x", S(0)}}), "x")(0, 0) == 0.0);
  // step: no gradient at all
  CHECK(grad_of(build("y = step(x)", {{"x", S(0.3)}}), "x")(0, 0) == 0.0);
  // 1/x: −y²
  CHECK(grad_of(build("y = 1 / x", {{"x", S(2)}}), "x")(0, 0) == doctest::Approx(-0.25));
  // softmax with loss: (y − t) / N on a one-hot batch
  Graph g = build("L = softmax_with_loss(a, t)", {{"a", M({{0.3, 2.9, 4.0}})}, {"t", M({{0, 0, 1}})}});
  Mat d = grad_of(g, "a");
  CHECK(d(0, 0) == doctest::Approx(0.0182113).epsilon(1e-5));
  CHECK(d(0, 2) == doctest::Approx(0.736597 - 1).epsilon(1e-5));
}

TEST_CASE("mse averages over the batch like a loss layer: a batch of two equal rows gives one row's loss") {
  // One row (the book's example): ½ Σ (y − t)² = ½ (0.1² + 0.4² + 0.3²) = 0.13; its gradient y − t.
  Mat y = M({{0.1, 0.6, 0.3}}), t = M({{0, 1, 0}});
  Graph one = build("L = mse(y, t)", {{"y", y}, {"t", t}});
  CHECK(value_of(one) == doctest::Approx(0.13).epsilon(1e-14));
  CHECK((grad_of(one, "y") - (y - t)).cwiseAbs().maxCoeff() < 1e-15);
  // The same row twice: the loss is the mean of the rows' losses, each row's gradient (y − t) / 2.
  Mat y2(2, 3), t2(2, 3);
  y2 << y, y;
  t2 << t, t;
  Graph two = build("L = mse(y, t)", {{"y", y2}, {"t", t2}});
  CHECK(value_of(two) == doctest::Approx(0.13).epsilon(1e-14));
  CHECK((grad_of(two, "y").row(1) - (y - t) / 2).cwiseAbs().maxCoeff() < 1e-15);
}

TEST_CASE("softmax: each row sums to 1, the book's [0.01821127, 0.24519181, 0.73659691], no overflow at 1000") {
  Graph g = build("y = softmax(a)", {{"a", M({{0.3, 2.9, 4.0}, {1000, 0, -1000}})}});
  Mat y = forward(g)[g.output];
  CHECK(y(0, 0) == doctest::Approx(0.01821127).epsilon(1e-7));
  CHECK(y(0, 1) == doctest::Approx(0.24519181).epsilon(1e-7));
  CHECK(y(0, 2) == doctest::Approx(0.73659691).epsilon(1e-7));
  CHECK(y.row(0).sum() == doctest::Approx(1.0).epsilon(1e-15));
  CHECK(y(1, 0) == 1.0);
  CHECK(all_finite(y));
}

TEST_CASE("softmax with loss is stable for large scores and exact without the book's 1e-7") {
  Graph g = build("L = softmax_with_loss(a, t)", {{"a", M({{1000, 0, -1000}})}, {"t", M({{1, 0, 0}})}});
  Values v = forward(g);
  CHECK(all_finite(v[g.output]));
  CHECK(v[g.output](0, 0) == doctest::Approx(0.0).epsilon(1e-12));
  Graph h = build("L = softmax_with_loss(a, t)", {{"a", M({{0, 0}})}, {"t", M({{1, 0}})}});
  CHECK(value_of(h) == doctest::Approx(std::log(2.0)).epsilon(1e-15));
}

TEST_CASE("quote: user text in a message is bounded, cut around the place it points at") {
  CHECK(quote("x+1") == "x+1");
  std::string chain;
  for (int i = 0; i < 20000; ++i) chain += "x+";
  std::string q = quote(chain, 30000);
  CHECK(q.size() <= 80 + 2 * std::string("…").size());
  CHECK(q.rfind("…", 0) == 0);                        // text left out before
  CHECK(q.substr(q.size() - 3) == "…");               // and after
  std::string ja(300, 'a');
  ja += "勾配";                                        // never cut inside a character
  std::string qa = quote(ja, ja.size());
  CHECK(qa.find("勾配") != std::string::npos);
  CHECK(quote(std::string("y = x\0 + 1", 10)) == "y = x? + 1");  // a NUL is shown, not a cut
}

TEST_CASE("a label shortened to fit loses whole characters: 2×1×6×6 never ends in half of a ×") {
  std::string shape = "2×1×6×6", ja = "勾配";
  std::vector<std::string> seen;
  while (!shape.empty()) drop_last_character(shape), seen.push_back(shape);
  CHECK(seen == std::vector<std::string>{"2×1×6×", "2×1×6", "2×1×", "2×1", "2×", "2", ""});
  drop_last_character(ja);
  CHECK(ja == "勾");
  std::string emoji = "a😀";  // four bytes
  drop_last_character(emoji);
  CHECK(emoji == "a");
}
