// The page's graph layout: inputs left, output right, no node over another, no edge through a node.
#include "helpers.h"
#include "layout.h"
#include "lesson.h"

using namespace kobai;
using namespace kobai::test;

namespace {

std::vector<Point> sizes_for(const Graph& g) {  // as the page does: matrices get bigger boxes
  std::vector<Point> s;
  for (const Node& n : g.nodes) s.push_back(n.rows * n.cols > 1 ? Point{150, 80} : Point{110, 56});
  return s;
}

bool overlap(const Box& a, const Box& b) {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

void check_layout(const Graph& g) {
  Layout l = layout_graph(g, sizes_for(g));
  int last = *std::max_element(l.column.begin(), l.column.end());
  for (int k : g.inputs) CHECK(l.column[k] == 0);
  CHECK(l.column[g.output] == last);
  for (size_t a = 0; a < g.nodes.size(); ++a)
    for (size_t b = a + 1; b < g.nodes.size(); ++b) {
      INFO(g.nodes[a].name << " and " << g.nodes[b].name);
      CHECK_FALSE(overlap(l.nodes[a], l.nodes[b]));
    }
  for (const EdgePath& e : l.edges) {
    REQUIRE(e.points.size() >= 2);
    for (size_t p = 0; p + 1 < e.points.size(); ++p) {
      CHECK(e.points[p].x <= e.points[p + 1].x);  // left to right, never back
      for (size_t n = 0; n < g.nodes.size(); ++n) {
        if (int(n) == e.from || int(n) == e.to) continue;
        INFO("edge " << g.nodes[e.from].name << " -> " << g.nodes[e.to].name << " passes through " << g.nodes[n].name);
        CHECK_FALSE(segment_hits_box(e.points[p], e.points[p + 1], l.nodes[n]));
      }
    }
  }
}

}  // namespace

TEST_CASE("every lesson lays out cleanly") {
  for (const Lesson& les : builtin_lessons()) {
    INFO(les.id);
    check_layout(build(les.expr, les.inputs));
  }
}

TEST_CASE("typed expressions with long edges, constants and shared values lay out cleanly") {
  check_layout(build("u = w*x + b; y = sigmoid(u); L = 0.5*(y - t)^2", {{"w", S(1)}, {"x", S(2)}, {"b", S(0)}, {"t", S(1)}}));
  check_layout(build("a = x * y; b = exp(a); c = b * x + a; d = c / y + x; L = d * a + log(y)", {{"x", S(1)}, {"y", S(2)}}));
  // 200 nodes: a long chain with skips
  std::string src = "h0 = x * 1.5";
  for (int i = 1; i < 70; ++i)
    src += "; h" + std::to_string(i) + " = tanh(h" + std::to_string(i - 1) + ") + x * h" + std::to_string(i / 2);
  Graph big = build(src, {{"x", S(0.1)}});
  CHECK(big.nodes.size() > 200);
  check_layout(big);
}

TEST_CASE("the segment test sees a crossing and a miss") {
  Box b{0, 0, 10, 10};
  CHECK(segment_hits_box({-5, 5}, {15, 5}, b));
  CHECK(segment_hits_box({-5, -5}, {15, 15}, b));
  CHECK_FALSE(segment_hits_box({-5, 12}, {15, 12}, b));
  CHECK_FALSE(segment_hits_box({10, 5}, {20, 5}, b));  // starting on the edge, going away
}
