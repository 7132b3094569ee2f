// The layered layout: columns, slots for long edges, an order within each column that keeps edges short
// (a few barycenter sweeps), then coordinates and the edges' polylines.
#include "layout.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

namespace kobai {
namespace {

struct Item {     // one thing stacked in a column: a node, or an edge passing through
  int node = -1;  // >= 0 for a node
  int edge = -1;  // >= 0 for a passing edge
  float h = 0, w = 0;
  float key = 0;  // for ordering
  float y = 0;
};

}  // namespace

bool segment_hits_box(Point a, Point b, const Box& box, float margin) {
  // Liang-Barsky clipping of the segment against the box shrunk by margin.
  float x0 = box.x + margin, x1 = box.x + box.w - margin, y0 = box.y + margin, y1 = box.y + box.h - margin;
  if (x0 >= x1 || y0 >= y1) return false;
  float t0 = 0, t1 = 1, dx = b.x - a.x, dy = b.y - a.y;
  float p[4] = {-dx, dx, -dy, dy}, q[4] = {a.x - x0, x1 - a.x, a.y - y0, y1 - a.y};
  for (int i = 0; i < 4; ++i) {
    if (p[i] == 0) {
      if (q[i] <= 0) return false;
      continue;
    }
    float t = q[i] / p[i];
    if (p[i] < 0) t0 = std::max(t0, t);
    else t1 = std::min(t1, t);
    if (t0 >= t1) return false;
  }
  return true;
}

Layout layout_graph(const Graph& g, const std::vector<Point>& sizes, const LayoutStyle& st) {
  const int N = int(g.nodes.size());
  Layout out;
  out.nodes.assign(N, Box{0, 0, 0, 0});
  out.column.assign(N, 0);
  if (N == 0) return out;

  // Columns: inputs first; each op one right of its furthest input; the output last; a constant just left
  // of its first user.
  std::vector<int>& col = out.column;
  for (int n = 0; n < N; ++n) {
    col[n] = 0;
    for (int i : g.nodes[n].in) col[n] = std::max(col[n], col[i] + 1);
  }
  int last = *std::max_element(col.begin(), col.end());
  if (g.output >= 0 && g.nodes[g.output].kind == NodeKind::Op) col[g.output] = std::max(last, 1);
  last = std::max(last, col[g.output]);
  for (int n = N; n-- > 0;) {
    if (g.nodes[n].kind != NodeKind::Const || g.users[n].empty()) continue;
    int c = last;
    for (auto u : g.users[n]) c = std::min(c, col[u.first] - 1);
    col[n] = std::max(c, 0);
  }

  // Edges, and their slots in the columns they pass through.
  std::vector<std::vector<Item>> columns(last + 1);
  for (int n = 0; n < N; ++n) {
    Item it;
    it.node = n, it.w = sizes[n].x, it.h = sizes[n].y, it.key = float(n);
    columns[col[n]].push_back(it);
  }
  for (int n = 0; n < N; ++n)
    for (size_t i = 0; i < g.nodes[n].in.size(); ++i) {
      int src = g.nodes[n].in[i];
      int e = int(out.edges.size());
      out.edges.push_back({src, n, int(i), {}});
      for (int c = col[src] + 1; c < col[n]; ++c) {
        Item it;
        it.edge = e, it.h = st.slot_height, it.key = float(src);
        columns[c].push_back(it);
      }
    }

  // Order within columns: sweeps that move each item toward the mean position of its neighbours.
  auto position_of = [&](std::map<std::pair<int, int>, float>& pos) {  // (node or -edge-1, column) -> index
    pos.clear();
    for (size_t c = 0; c < columns.size(); ++c)
      for (size_t k = 0; k < columns[c].size(); ++k) {
        const Item& it = columns[c][k];
        pos[{it.node >= 0 ? it.node : -it.edge - 1, int(c)}] = float(k) - columns[c].size() / 2.0f;
      }
  };
  std::map<std::pair<int, int>, float> pos;
  for (int sweep = 0; sweep < 6; ++sweep) {
    position_of(pos);
    bool rightward = sweep % 2 == 0;
    for (size_t cc = 0; cc < columns.size(); ++cc) {
      int c = rightward ? int(cc) : int(columns.size() - 1 - cc);
      int nb = rightward ? c - 1 : c + 1;  // the neighbouring column already placed in this sweep
      if (nb < 0 || nb > last) continue;
      for (Item& it : columns[c]) {
        float sum = 0;
        int count = 0;
        auto add = [&](int id) {
          auto p = pos.find({id, nb});
          if (p != pos.end()) sum += p->second, ++count;
        };
        if (it.node >= 0) {
          if (rightward) {
            for (int i : g.nodes[it.node].in) add(col[i] == nb ? i : -1);
            for (size_t e = 0; e < out.edges.size(); ++e)
              if (out.edges[e].to == it.node) add(-int(e) - 1);
          } else {
            for (auto u : g.users[it.node]) add(col[u.first] == nb ? u.first : -1);
            for (size_t e = 0; e < out.edges.size(); ++e)
              if (out.edges[e].from == it.node) add(-int(e) - 1);
          }
        } else {
          const EdgePath& e = out.edges[it.edge];
          add(-it.edge - 1);
          add(rightward ? e.from : e.to);
        }
        if (count) it.key = sum / count;
        else it.key = pos[{it.node >= 0 ? it.node : -it.edge - 1, c}];
      }
      std::stable_sort(columns[c].begin(), columns[c].end(), [](const Item& a, const Item& b) { return a.key < b.key; });
      position_of(pos);
    }
  }

  // Coordinates: columns as wide as their widest node, items stacked and centred vertically.
  std::vector<float> col_x(last + 1), col_w(last + 1, 0);
  for (int c = 0; c <= last; ++c)
    for (const Item& it : columns[c]) col_w[c] = std::max(col_w[c], it.w);
  float x = 0;
  for (int c = 0; c <= last; ++c) col_x[c] = x, x += col_w[c] + st.column_gap;
  std::map<std::pair<int, int>, float> slot_y;  // (edge, column) -> y of its slot's centre
  for (int c = 0; c <= last; ++c) {
    float total = 0;
    for (const Item& it : columns[c]) total += it.h;
    total += st.row_gap * std::max<size_t>(columns[c].size(), 1) - st.row_gap;
    float y = -total / 2;
    for (Item& it : columns[c]) {
      if (it.node >= 0) out.nodes[it.node] = Box{col_x[c], y, it.w, it.h};
      else slot_y[{it.edge, c}] = y + it.h / 2;
      y += it.h + st.row_gap;
    }
  }

  // Polylines: horizontal inside a column (within the node's or the slot's own height), straight across gaps.
  for (EdgePath& e : out.edges) {
    const Box& a = out.nodes[e.from];
    const Box& b = out.nodes[e.to];
    int n_in = int(g.nodes[e.to].in.size());
    float ya = a.y + a.h / 2;
    float yb = b.y + b.h * float(e.input + 1) / float(n_in + 1);
    int ca = col[e.from], cb = col[e.to];
    e.points.push_back({a.x + a.w, ya});
    e.points.push_back({col_x[ca] + col_w[ca], ya});
    for (int c = ca + 1; c < cb; ++c) {
      float y = slot_y[{int(&e - &out.edges[0]), c}];
      e.points.push_back({col_x[c], y});
      e.points.push_back({col_x[c] + col_w[c], y});
    }
    e.points.push_back({col_x[cb], yb});
    e.points.push_back({b.x, yb});
    // Drop points in the middle of a straight run: the same path with fewer vertices to draw.
    std::vector<Point> kept{e.points.front()};
    for (size_t i = 1; i + 1 < e.points.size(); ++i) {
      Point p = kept.back(), q = e.points[i], r = e.points[i + 1];
      float cross = (q.x - p.x) * (r.y - p.y) - (q.y - p.y) * (r.x - p.x);
      if (std::abs(cross) > 1e-3f * (std::abs(r.x - p.x) + std::abs(r.y - p.y) + 1)) kept.push_back(q);
    }
    kept.push_back(e.points.back());
    e.points = std::move(kept);
  }

  float x0 = 1e30f, y0 = 1e30f, x1 = -1e30f, y1 = -1e30f;
  for (const Box& b : out.nodes) {
    x0 = std::min(x0, b.x), y0 = std::min(y0, b.y);
    x1 = std::max(x1, b.x + b.w), y1 = std::max(y1, b.y + b.h);
  }
  for (const auto& [key, y] : slot_y) y0 = std::min(y0, y), y1 = std::max(y1, y);
  out.bounds = Box{x0, y0, x1 - x0, y1 - y0};
  return out;
}

}  // namespace kobai
