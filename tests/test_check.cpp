// The gradient check (勾配確認): bounded, in pieces, and able to fail.
#include "helpers.h"
#include "report.h"

#include <set>
#include <utility>

using namespace kobai;
using namespace kobai::test;

namespace {

// The graph with one op's backward replaced by a wrong one: what a mistaken rule would do.
Graph with_wrong_backward(Graph g, const char* op, const OpDef& wrong) {
  for (Node& n : g.nodes)
    if (n.op && std::string(n.op->name) == op) n.op = &wrong;
  return g;
}

// ∂(x·y)/∂x written as x instead of y; and a rule only 1% off.
OpDef mul_swapped_rule() {
  OpDef d = op("mul");
  d.backward = [](int i, const Args& a, const Mat&, const Mat& dout) -> Mat { return dout.cwiseProduct(a.x(i)); };
  return d;
}
OpDef matmul_one_percent_off() {
  OpDef d = op("matmul");
  d.backward = [](int i, const Args& a, const Mat&, const Mat& dout) -> Mat {
    return i == 0 ? Mat(dout * a.x(1).transpose() * 1.01) : Mat(a.x(0).transpose() * dout * 1.01);
  };
  return d;
}

}  // namespace

TEST_CASE("a wrong backward is caught by the check") {
  static const OpDef wrong = mul_swapped_rule();
  Graph g = with_wrong_backward(build("L = sum(G * (x * y))", {{"G", rnd(3, 4, -1, 1, 1)}, {"x", rnd(3, 4, -1, 1, 2)}, {"y", rnd(3, 4, -1, 1, 3)}}), "mul", wrong);
  for (const GradCheck& c : gradient_check(g)) {
    INFO(c.input);
    CHECK(c.complete());
    CHECK_FALSE(c.ok());
    CHECK(check_verdict(c, Lang::en).find("MISMATCH") != std::string::npos);
  }
}

TEST_CASE("a large input: a bounded sample of its entries, spread over the matrix, and a wrong rule still caught") {
  Graph g = build("y = sum(W @ W)", {{"W", rnd(64, 64, -1, 1, 7)}});
  std::vector<GradCheck> r = gradient_check(g);
  REQUIRE(r.size() == 1);
  CHECK(r[0].entries.size() == size_t(kCheckEntries));
  CHECK_FALSE(r[0].complete());
  std::set<Eigen::Index> rows, cols;
  for (Eigen::Index e : r[0].entries) rows.insert(e % 64), cols.insert(e / 64);
  CHECK(rows.size() > 32);  // not one row, not one column
  CHECK(cols.size() > 32);
  CHECK(r[0].ok());
  // Where it checked, the numerical gradient is there; elsewhere it says it was not computed (NaN).
  CHECK(std::isfinite(r[0].numerical(r[0].entries[5])));
  CHECK(std::isnan(r[0].numerical(1)));
  CHECK(check_entries(r[0], Lang::en) == "64 of 4096 entries checked, spread over the matrix");

  static const OpDef off = matmul_one_percent_off();
  std::vector<GradCheck> bad = gradient_check(with_wrong_backward(g, "matmul", off));
  CHECK(bad[0].rel_error == doctest::Approx(0.01 / 1.01).epsilon(1e-3));
  CHECK_FALSE(bad[0].ok());
}

TEST_CASE("the numerical side's own rounding is allowed for, and said; never past 1e-3") {
  // Entries up to 1000: the output is a sum of 262144 products near 10^5, and its rounding over 2h shows.
  Graph g = build("y = sum(W @ W)", {{"W", rnd(64, 64, 0, 1000, 8)}});
  GradCheck c = gradient_check(g)[0];
  CHECK(c.noise > kCheckTolerance);
  CHECK(c.rel_error > kCheckTolerance);  // a fixed 1e-5 would call this correct gradient wrong
  CHECK(c.ok());
  CHECK(check_verdict(c, Lang::en).find("within the numerical side's rounding noise") != std::string::npos);
  // A step's cliff makes the third difference huge, but the allowance stops at 1e-3: still a mismatch.
  GradCheck s = gradient_check(build("y = step(x)", {{"x", S(0)}}))[0];
  CHECK(s.noise > 1);
  CHECK(s.tolerance() == 1e-3);
  CHECK_FALSE(s.ok());
}

TEST_CASE("the check in pieces gives what the whole check gives, bit for bit") {
  Graph g = build("h = sigmoid(X @ W1 + b1); L = mse(h @ W2, t)",
                  {{"X", rnd(5, 4, -1, 1, 1)}, {"W1", rnd(4, 3, -1, 1, 2)}, {"b1", rnd(1, 3, -1, 1, 3)},
                   {"W2", rnd(3, 2, -1, 1, 4)}, {"t", rnd(5, 2, 0, 1, 5)}});
  std::vector<GradCheck> whole = gradient_check(g);
  GradientCheck pieces(g);
  int calls = 0;
  double last = -1;
  while (!pieces.advance(0)) {  // one node a call
    ++calls;
    CHECK(pieces.progress() >= last);
    last = pieces.progress();
  }
  CHECK(calls > int(g.nodes.size()));
  CHECK(pieces.progress() == 1.0);
  REQUIRE(pieces.results().size() == whole.size());
  for (size_t k = 0; k < whole.size(); ++k) {
    CHECK(pieces.results()[k].numerical == whole[k].numerical);
    CHECK(pieces.results()[k].backprop == whole[k].backprop);
    CHECK(whole[k].ok());
  }
}

TEST_CASE("a graph too costly to check whole: the budget decides how many entries, and says when none") {
  // Ten 64x64 factors in a chain: the first reaches every product, the last only one.
  std::string expr = "y = sum(A0";
  InputValues in{{"A0", rnd(64, 64, -0.1, 0.1, 100)}};
  for (int i = 1; i < 10; ++i) {
    expr += " @ A" + std::to_string(i);
    in["A" + std::to_string(i)] = rnd(64, 64, -0.1, 0.1, 100 + i);
  }
  Graph g = build(expr + ")", in);
  GradientCheck c(g, kCheckStep, 1e6);  // a small budget: then eight forward passes of the whole chain in all
  while (!c.advance(1)) {
  }
  const std::vector<GradCheck>& r = c.results();
  CHECK_FALSE(r[0].checked());   // A0: each entry costs three passes through all nine products
  CHECK(r[9].checked());         // A9: only the last product depends on it
  CHECK(r[9].entries.size() <= size_t(kCheckEntries));
  CHECK_FALSE(r[0].ok());
  CHECK(check_entries(r[0], Lang::en).find("not checked") == 0);
  for (const GradCheck& x : r)
    if (x.checked()) CHECK(x.ok());
}

TEST_CASE("where the function is not finite, the check says it cannot be made") {
  GradCheck c = gradient_check(build("y = 1 / x", {{"x", S(0)}}))[0];
  CHECK(std::isnan(c.rel_error));
  CHECK_FALSE(c.ok());
  CHECK(check_verdict(c, Lang::en).find("not finite here") != std::string::npos);
}

TEST_CASE("a large product is worked a block of rows at a time, with the op's own forward, and agrees") {
  Graph g = build("y = sum(affine(X, W, b))", {{"X", rnd(160, 128, -1, 1, 1)}, {"W", rnd(128, 96, -1, 1, 2)}, {"b", rnd(1, 96, -1, 1, 3)}});
  GradientCheck c(g);
  int pieces = 0;
  while (!c.advance(0)) ++pieces;
  // 160 x 128 x 96 ≈ 2 million multiply-adds a pass: at least two blocks of rows for each of the 3 × 64 × 2 + 1
  // passes that evaluate it, so far more pieces than nodes × passes.
  CHECK(pieces > 2 * (3 * 64 * 2 + 1));
  for (const GradCheck& r : c.results()) {
    INFO(r.input << ": " << check_verdict(r, Lang::en));
    CHECK(r.ok());
    CHECK(r.rel_error < 1e-7);
  }
}

TEST_CASE("a long thin input still gets 64 distinct entries checked, not fewer where the sample would repeat") {
  for (std::pair<int, int> shape : {std::pair{65, 1}, std::pair{2, 40}, std::pair{1, 200}}) {
    GradCheck c = gradient_check(build("y = sum(exp(v) * 0.5)", {{"v", rnd(shape.first, shape.second, -1, 1, 4)}}))[0];
    INFO(shape.first << "x" << shape.second);
    CHECK(c.entries.size() == size_t(kCheckEntries));
    CHECK(std::set<Eigen::Index>(c.entries.begin(), c.entries.end()).size() == size_t(kCheckEntries));
    CHECK(c.ok());
  }
}
