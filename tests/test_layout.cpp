// The page's graph layout: inputs left, output right, no node over another, no edge through a node.
#include "helpers.h"
#include "layout.h"
#include "lesson.h"

#include <cmath>
#include <numeric>

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

bool on_segment(Point p, Point a, Point b) {  // within half a unit
  float dx = b.x - a.x, dy = b.y - a.y, len2 = dx * dx + dy * dy;
  float t = len2 > 0 ? std::clamp(((p.x - a.x) * dx + (p.y - a.y) * dy) / len2, 0.f, 1.f) : 0;
  return std::hypot(a.x + t * dx - p.x, a.y + t * dy - p.y) < 0.5f;
}

// Counts the faults of a layout, naming the first of each kind; plain loops, so that graphs of the engine's
// largest size (kMaxNodes) check in a moment.
// A folded cell's nodes share its box: they are checked as one, the cell's first node (rep).
void check_layout(const Graph& g, const LayoutStyle& style = {}, const std::vector<bool>& folded = {}) {
  const int N = int(g.nodes.size());
  Layout l = layout_graph(g, sizes_for(g), style, folded);
  std::vector<int> rep(N), first_of(g.steps.size(), -1);
  for (int n = 0; n < N; ++n) {
    int s = g.nodes[n].step;
    bool fold = s >= 0 && size_t(s) < folded.size() && folded[size_t(s)];
    rep[n] = fold ? (first_of[s] < 0 ? first_of[s] = n : first_of[s]) : n;
  }
  REQUIRE(int(l.nodes.size()) == N);
  int last = *std::max_element(l.column.begin(), l.column.end());
  for (int k : g.inputs) CHECK(l.column[k] == 0);
  CHECK(l.column[g.output] == last);
  std::vector<Point> sizes = sizes_for(g);
  for (int n = 0; n < N; ++n)
    if (rep[n] != n || (g.nodes[n].step >= 0 && first_of[g.nodes[n].step] == n)) sizes[n] = style.cell;
  int misplaced = 0, overlaps = 0, backwards = 0, through = 0, detached = 0, bad_labels = 0, shared_labels = 0;
  std::string first;
  auto fault = [&](int& count, const std::string& what) {
    if (count++ == 0) first += what + "\n";
  };
  std::vector<float> col_x(last + 1, NAN);  // every node placed at its own size, at its column's left side
  for (int n = 0; n < N; ++n) {
    float& x = col_x[l.column[n]];
    if (std::isnan(x)) x = l.nodes[n].x;
    if (l.nodes[n].w != sizes[n].x || l.nodes[n].h != sizes[n].y || l.nodes[n].x != x) fault(misplaced, g.nodes[n].name + " is not placed");
  }
  for (int c = 1; c <= last; ++c)
    if (!(col_x[c] > col_x[c - 1])) fault(misplaced, "column " + std::to_string(c) + " is empty or not right of the one before");
  std::vector<int> by_x(N);
  std::iota(by_x.begin(), by_x.end(), 0);
  std::sort(by_x.begin(), by_x.end(), [&](int a, int b) { return l.nodes[a].x < l.nodes[b].x; });
  for (int i = 0; i < N; ++i)
    for (int j = i + 1; j < N && l.nodes[by_x[j]].x < l.nodes[by_x[i]].x + l.nodes[by_x[i]].w; ++j)
      if (rep[by_x[i]] != rep[by_x[j]] && overlap(l.nodes[by_x[i]], l.nodes[by_x[j]])) fault(overlaps, g.nodes[by_x[i]].name + " overlaps " + g.nodes[by_x[j]].name);
  // The edge from each source that reaches furthest: an edge that does not start at its source starts on it.
  std::vector<int> furthest(N, -1);
  for (size_t k = 0; k < l.edges.size(); ++k) {
    int& f = furthest[rep[l.edges[k].from]];
    if (f < 0 || l.column[l.edges[k].to] > l.column[l.edges[f].to]) f = int(k);
  }
  std::vector<std::vector<Point>> label_at(N);
  for (const EdgePath& e : l.edges) {
    std::string name = g.nodes[e.from].name + " -> " + g.nodes[e.to].name;
    REQUIRE(e.points.size() >= 2);
    const Box &a = l.nodes[e.from], &b = l.nodes[e.to];
    Point start = e.points.front(), end = e.points.back();
    bool from_source = std::abs(start.x - (a.x + a.w)) < 0.5f && std::abs(start.y - (a.y + a.h / 2)) < 0.5f;
    bool on_bus = false;
    const std::vector<Point>& bus = l.edges[furthest[rep[e.from]]].points;
    for (size_t p = 0; p + 1 < bus.size() && !on_bus && !from_source; ++p) on_bus = on_segment(start, bus[p], bus[p + 1]);
    if (!from_source && !on_bus) fault(detached, name + " starts neither at its source nor on its bus");
    if (std::abs(end.x - b.x) > 0.5f || end.y <= b.y || end.y >= b.y + b.h) fault(detached, name + " does not end at its target");
    for (size_t p = 0; p + 1 < e.points.size(); ++p) {
      if (e.points[p].x > e.points[p + 1].x) fault(backwards, name + " goes right to left");
      float x0 = std::min(e.points[p].x, e.points[p + 1].x), x1 = std::max(e.points[p].x, e.points[p + 1].x);
      for (int n = 0; n < N; ++n)
        if (rep[n] != rep[e.from] && rep[n] != rep[e.to] && l.nodes[n].x < x1 && x0 < l.nodes[n].x + l.nodes[n].w &&
            segment_hits_box(e.points[p], e.points[p + 1], l.nodes[n]))
          fault(through, name + " passes through " + g.nodes[n].name);
    }
    // Labels: on a stretch with room across, ending at a column's left side.
    if (e.label < 0 || e.label + 1 >= int(e.points.size())) {
      fault(bad_labels, name + " has no label stretch");
      continue;
    }
    Point p = e.points[e.label], q = e.points[e.label + 1];
    if (q.x - p.x < 20 || std::find(col_x.begin(), col_x.end(), q.x) == col_x.end()) fault(bad_labels, name + "'s labels are not on a stretch across a gap");
    label_at[rep[e.from]].push_back({(p.x + q.x) / 2, (p.y + q.y) / 2});
  }
  // ... and on no stretch that another edge of the same source shares: past the last point where one leaves
  // the bus, and not where another edge's labels are.
  std::vector<float> last_tap(N, -1e30f);
  for (const EdgePath& e : l.edges) {
    const Box& a = l.nodes[e.from];
    if (std::abs(e.points[0].x - (a.x + a.w)) > 0.5f) last_tap[rep[e.from]] = std::max(last_tap[rep[e.from]], e.points[0].x);
  }
  for (int n = 0; n < N; ++n) {
    if (furthest[n] >= 0 && label_at[n].size() == size_t(std::count_if(l.edges.begin(), l.edges.end(), [&](const EdgePath& e) { return rep[e.from] == n; }))) {
      size_t k = 0;  // the furthest edge's place among the source's edges
      for (size_t i = 0; i < size_t(furthest[n]); ++i) k += rep[l.edges[i].from] == n;
      if (label_at[n][k].x <= last_tap[n]) fault(shared_labels, g.nodes[n].name + "'s furthest edge has its labels on the shared bus");
    }
    std::sort(label_at[n].begin(), label_at[n].end(), [](Point p, Point q) { return p.x < q.x || (p.x == q.x && p.y < q.y); });
    for (size_t i = 0; i + 1 < label_at[n].size(); ++i)
      if (std::abs(label_at[n][i].x - label_at[n][i + 1].x) < 0.5f && std::abs(label_at[n][i].y - label_at[n][i + 1].y) < 0.5f)
        fault(shared_labels, g.nodes[n].name + " has two edges with their labels in one place");
  }
  INFO(first);
  CHECK(misplaced == 0);
  CHECK(overlaps == 0);
  CHECK(backwards == 0);
  CHECK(through == 0);
  CHECK(detached == 0);
  CHECK(bad_labels == 0);
  CHECK(shared_labels == 0);
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
  // An edge alone on its bus, drawn as one straight line from a source box narrower than its column: it still
  // has a label stretch (its index was -1, read by the canvas as points[SIZE_MAX]).
  check_layout(build("a = exp(exp(exp(w))); y = log(x)", {{"w", M({{1, 2}})}, {"x", S(1)}}));
  // 200 nodes: a long chain with skips
  std::string src = "h0 = x * 1.5";
  for (int i = 1; i < 70; ++i)
    src += "; h" + std::to_string(i) + " = tanh(h" + std::to_string(i - 1) + ") + x * h" + std::to_string(i / 2);
  Graph big = build(src, {{"x", S(0.1)}});
  CHECK(big.nodes.size() > 200);
  check_layout(big);
}

TEST_CASE("graphs of the engine's largest size lay out cleanly") {
  auto terms = [](int n, const std::string& op, const std::string& term) {  // "x op x op ...", n terms
    std::string s = term;
    for (int i = 1; i < n; ++i) s += " " + op + " " + term;
    return s;
  };
  SUBCASE("a chain in one statement, as long as one may be: x feeds every add, from the first column to the last") {
    Graph g = build("y = " + terms(kMaxOperators + 1, "+", "x"), {{"x", S(1)}});
    CHECK(g.nodes.size() == size_t(kMaxOperators + 1));
    check_layout(g);
  }
  SUBCASE("the same chain as statements, and with products") {
    std::string src = "a1 = x * x";
    for (int i = 2; i < kMaxNodes; ++i) src += "; a" + std::to_string(i) + " = a" + std::to_string(i - 1) + " * x";
    check_layout(build(src, {{"x", S(1)}}));
  }
  SUBCASE("a wide fan-in: one value used by a thousand nodes, summed by a chain") {
    std::string src, sum = "s = h1";  // in two statements: one may have kMaxOperators
    for (int i = 1; i <= kMaxNodes / 2; ++i) src += "h" + std::to_string(i) + " = tanh(x); ";
    for (int i = 2; i <= kMaxNodes / 2; ++i) sum += (i == kMaxNodes / 4 ? "; y = s + h" : " + h") + std::to_string(i);
    Graph g = build(src + sum, {{"x", S(0.5)}});
    CHECK(g.nodes.size() == size_t(kMaxNodes));
    check_layout(g);
  }
  SUBCASE("a thousand inputs, each used further right: more slots than the budget, so tracks") {
    InputValues in;
    std::string src = "s = a0";
    for (int i = 0; i < kMaxNodes / 2; ++i) in["a" + std::to_string(i)] = S(i);
    for (int i = 1; i < kMaxNodes / 2; ++i) src += (i == kMaxNodes / 4 ? "; y = s + a" : " + a") + std::to_string(i);
    check_layout(build(src, in));
  }
}

TEST_CASE("with no slots to spare, every long edge runs in a track and still crosses no node") {
  LayoutStyle no_slots;
  no_slots.slot_budget = 0;
  for (const Lesson& les : builtin_lessons()) {
    INFO(les.id);
    check_layout(build(les.expr, les.inputs), no_slots);
  }
  check_layout(build("a = x * y; b = exp(a); c = b * x + a; d = c / y + x; L = d * a + log(y)", {{"x", S(1)}, {"y", S(2)}}), no_slots);
}

namespace {
const char* kLstm =  // the LSTM cell over T steps, h[0] and c[0] zeros
    "for t in 1..T {\n"
    "  z[t] = x[t] @ Wx + h[t-1] @ Wh + b\n"
    "  f[t] = sigmoid(z[t] @ Pf); i[t] = sigmoid(z[t] @ Pi); o[t] = sigmoid(z[t] @ Po); g[t] = tanh(z[t] @ Pg)\n"
    "  c[t] = f[t] * c[t-1] + i[t] * g[t]; h[t] = o[t] * tanh(c[t])\n"
    "  L[t] = mse(h[t] @ Wy, d[t])\n"
    "}\n"
    "L = sum(L[1..T])";
Graph lstm(int T) {
  std::string src = kLstm;
  for (size_t k; (k = src.find('T')) != std::string::npos;) src.replace(k, 1, std::to_string(T));
  int H = 3;
  return build(src, {{"x", rnd(T, 2)}, {"Wx", rnd(2, H)}, {"Wh", rnd(H, H)}, {"b", rnd(1, H)}, {"Pf", rnd(H, H)}, {"Pi", rnd(H, H)},
                     {"Po", rnd(H, H)}, {"Pg", rnd(H, H)}, {"Wy", rnd(H, 1)}, {"d", rnd(T, 1)}});
}
}  // namespace

TEST_CASE("time runs left to right: each step's nodes in a band of columns of their own, in order") {
  Graph g = lstm(4);
  check_layout(g);
  Layout l = layout_graph(g, sizes_for(g));
  REQUIRE(l.cells.size() == 4);
  std::vector<int> lo(4, 1 << 30), hi(4, -1);
  for (size_t n = 0; n < g.nodes.size(); ++n)
    if (int s = g.nodes[n].step; s >= 0) {
      lo[s] = std::min(lo[s], l.column[n]), hi[s] = std::max(hi[s], l.column[n]);
      const Box &b = l.nodes[n], &c = l.cells[s].box;  // inside its cell's band
      CHECK(b.x >= c.x);
      CHECK(b.x + b.w <= c.x + c.w);
      CHECK(b.y >= c.y);
      CHECK(b.y + b.h <= c.y + c.h);
    }
  for (int s = 0; s + 1 < 4; ++s) {
    CHECK(hi[s] < lo[s + 1]);
    CHECK(l.cells[s].box.x + l.cells[s].box.w < l.cells[s + 1].box.x);  // bands apart
    CHECK_FALSE(l.cells[s].folded);
  }
  // Nodes outside the loop: the inputs in the first column, the sum after the last band.
  CHECK(l.column[size_t(g.find("L"))] > hi[3]);
}

TEST_CASE("a folded cell is one box: the edges into it one per source, none inside it, and the rest lays out cleanly") {
  Graph g = lstm(8);
  std::vector<bool> folded(8, true);
  folded[4] = false;  // the step being read stays open
  check_layout(g, {}, folded);
  Layout l = layout_graph(g, sizes_for(g), {}, folded);
  for (size_t n = 0; n < g.nodes.size(); ++n)
    if (int s = g.nodes[n].step; s >= 0 && folded[s]) {
      CHECK(l.nodes[n].x == l.cells[s].box.x);
      CHECK(l.nodes[n].y == l.cells[s].box.y);
      CHECK(l.cells[s].folded);
    }
  int into_cell3 = 0, inside = 0;
  for (const EdgePath& e : l.edges) {
    int a = g.nodes[e.from].step, b = g.nodes[e.to].step;
    if (a == b && a >= 0 && folded[a]) ++inside;
    if (b == 2) {
      ++into_cell3;
      CHECK(e.into_cell);
    }
  }
  CHECK(inside == 0);
  // Into step 3: x, Wx, Wh, b, Pf, Pi, Po, Pg, Wy, d, and from step 2 the cell itself (h[2] and c[2], one edge).
  CHECK(into_cell3 == 11);
  // Folding takes the columns away: eight LSTM steps, seven folded, are far narrower than eight open.
  Layout open = layout_graph(g, sizes_for(g));
  CHECK(l.bounds.w < open.bounds.w * 0.4f);
  // The engine's largest loop, folded and not.
  Graph big = lstm(64);
  CHECK(big.nodes.size() > 1400);
  check_layout(big);
  check_layout(big, {}, std::vector<bool>(64, true));
}

TEST_CASE("the segment test sees a crossing and a miss") {
  Box b{0, 0, 10, 10};
  CHECK(segment_hits_box({-5, 5}, {15, 5}, b));
  CHECK(segment_hits_box({-5, -5}, {15, 15}, b));
  CHECK_FALSE(segment_hits_box({-5, 12}, {15, 12}, b));
  CHECK_FALSE(segment_hits_box({10, 5}, {20, 5}, b));  // starting on the edge, going away
}
