// The layered layout: columns; a bus for each source whose edges reach past the next column, with a slot in
// each column it crosses (or, past the slot budget, a track above or below the graph); an order within each
// column that keeps edges short (a few barycenter sweeps); then coordinates and the edges' polylines.
// Every step is linear in nodes + edges + slots, but for sorting each column.
#include "layout.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <numeric>
#include <queue>

namespace kobai {

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

namespace {

// Items ordered by their keys, ties kept in order. Every sort here goes through this one comparator: a
// std::stable_sort per lambda was a copy of the whole merge sort each in the page's first download.
void sort_by(std::vector<int>& items, const std::vector<float>& key) {
  std::stable_sort(items.begin(), items.end(), [&](int a, int b) { return key[a] < key[b]; });
}

struct Bus {         // the shared run of the edges from one source that reach past the next column
  int from;          // the source node
  int first, last;   // the columns it crosses
  int far;           // the edge to its furthest user: that edge's polyline draws the bus
  int edges = 0;     // how many edges ride it
  int slot0 = -1;    // its first slot's item (one per column first..last), or -1: it runs in a track
  float track_y = 0;
};

// Drops points in the middle of a straight run: the same path with fewer vertices to draw. The segment
// pts[label]..pts[label + 1] stays a segment of its own (it carries the labels); label becomes its new index.
std::vector<Point> simplified(const std::vector<Point>& pts, int& label) {
  std::vector<Point> kept{pts.front()};
  int new_label = 0;
  for (size_t i = 1; i + 1 < pts.size(); ++i) {
    Point p = kept.back(), q = pts[i], r = pts[i + 1];
    float cross = (q.x - p.x) * (r.y - p.y) - (q.y - p.y) * (r.x - p.x);
    bool ends_label = int(i) == label || int(i) == label + 1;
    if (ends_label || std::abs(cross) > 1e-3f * (std::abs(r.x - p.x) + std::abs(r.y - p.y) + 1)) kept.push_back(q);
    if (int(i) == label) new_label = int(kept.size()) - 1;
  }
  kept.push_back(pts.back());
  label = new_label;
  return kept;
}

// What is laid out: the graph's nodes, but each folded cell one node. Edges keep the graph's ids they stand for.
struct Dag {
  std::vector<std::vector<int>> in;
  std::vector<std::vector<std::pair<int, int>>> users;  // (user, which input of it)
  std::vector<NodeKind> kind;
  std::vector<int> band;                                // the time step, or -1
  std::vector<Point> size;
  std::vector<std::vector<EdgePath>> origin;            // per node, per input: the graph's edge it stands for
  int output = -1;
};

Dag quotient(const Graph& g, const std::vector<Point>& sizes, const std::vector<bool>& folded, Point cell, std::vector<int>& id) {
  Dag d;
  const int N = int(g.nodes.size());
  std::vector<int> cell_id(g.steps.size(), -1);
  auto add = [&](NodeKind k, int band, Point size) {
    d.in.emplace_back(), d.origin.emplace_back(), d.kind.push_back(k), d.band.push_back(band), d.size.push_back(size);
    return int(d.kind.size()) - 1;
  };
  id.assign(N, -1);
  for (int n = 0; n < N; ++n) {
    int s = g.nodes[n].step;
    bool fold = s >= 0 && size_t(s) < folded.size() && folded[size_t(s)];
    if (!fold) id[n] = add(g.nodes[n].kind, s, sizes[n]);
    else id[n] = cell_id[s] >= 0 ? cell_id[s] : (cell_id[s] = add(NodeKind::Op, s, cell));
  }
  std::vector<bool> is_cell(d.kind.size(), false);
  for (int c : cell_id)
    if (c >= 0) is_cell[c] = true;
  for (int n = 0; n < N; ++n)
    for (size_t i = 0; i < g.nodes[n].in.size(); ++i) {
      int src = g.nodes[n].in[i], a = id[src], b = id[n];
      if (a == b) continue;  // inside a folded cell
      if (is_cell[b] && std::find(d.in[b].begin(), d.in[b].end(), a) != d.in[b].end()) continue;  // one edge a source
      d.in[b].push_back(a);
      d.origin[b].push_back({src, n, int(i), is_cell[b], 0, {}});
    }
  d.users.resize(d.in.size());
  for (size_t b = 0; b < d.in.size(); ++b)
    for (size_t i = 0; i < d.in[b].size(); ++i) d.users[d.in[b][i]].push_back({int(b), int(i)});
  d.output = g.output >= 0 ? id[g.output] : -1;
  return d;
}

}  // namespace

Layout layout_graph(const Graph& graph, const std::vector<Point>& graph_sizes, const LayoutStyle& st, const std::vector<bool>& folded) {
  std::vector<int> id;  // graph node -> the node laid out
  const Dag g = quotient(graph, graph_sizes, folded, st.cell, id);
  const int N = int(g.kind.size());
  const bool timed = !graph.steps.empty();
  Layout out;
  out.nodes.assign(N, Box{0, 0, 0, 0});
  out.column.assign(N, 0);
  if (N == 0) return out;

  // Columns: inputs first; each op one right of its furthest input; the output last; a constant just left
  // of its first user. A time step's nodes start right of everything before them: each step a band of columns.
  std::vector<int>& col = out.column;
  std::vector<int> band_start(graph.steps.size(), -1);
  for (int n = 0, right_most = 0; n < N; ++n) {
    col[n] = 0;
    for (int i : g.in[n]) col[n] = std::max(col[n], col[i] + 1);
    if (int b = g.band[n]; b >= 0) {
      if (band_start[b] < 0) band_start[b] = right_most + 1;
      col[n] = std::max(col[n], band_start[b]);
    }
    if (g.kind[n] != NodeKind::Input) right_most = std::max(right_most, col[n]);
  }
  int last = *std::max_element(col.begin(), col.end());
  if (g.output >= 0 && g.kind[g.output] == NodeKind::Op) col[g.output] = std::max(last, 1);
  last = std::max(last, col[g.output]);
  for (int n = N; n-- > 0;) {
    if (g.kind[n] != NodeKind::Const || g.users[n].empty() || (timed && g.band[n] < 0)) continue;
    int c = last;
    for (auto u : g.users[n]) c = std::min(c, col[u.first] - 1);
    col[n] = std::max(c, g.band[n] >= 0 ? band_start[g.band[n]] : 0);
  }
  // An op whose users are all further right moves next to its nearest user when that saves slots: a value
  // used far away then travels on its input's bus instead of a bus of its own (log(y) in L = d*a + log(y)).
  // On a tie it stays, so that small graphs keep the shape their expression has.
  auto bus_slots = [&](int n, int moved, int to) {  // slots of n's bus with node `moved` in column `to`
    int far = col[n];
    for (auto u : g.users[n]) far = std::max(far, u.first == moved ? to : col[u.first]);
    return std::max(0, far - col[n] - 1);
  };
  for (int n = N; n-- > 0;) {
    if (timed || g.kind[n] != NodeKind::Op || n == g.output || g.users[n].empty()) continue;  // time keeps its bands
    int to = last;
    for (auto u : g.users[n]) to = std::min(to, col[u.first] - 1);
    if (to <= col[n]) continue;
    int saved = to - col[n], cost = 0;
    for (int i : g.in[n]) cost += bus_slots(i, n, to) - bus_slots(i, n, col[n]);
    if (cost < saved) col[n] = to;
  }

  // Edges, and the buses of the sources whose edges skip a column. A graph whose buses would need more slots
  // than the budget sends its longest buses to tracks outside the columns instead: the slots (and the time to
  // order them) stay linear in the graph's size.
  std::vector<int> bus_of(N, -1);
  std::vector<Bus> buses;
  for (int n = 0; n < N; ++n)
    for (size_t i = 0; i < g.in[n].size(); ++i) {
      int src = g.in[n][i], e = int(out.edges.size());
      out.edges.push_back({src, n, int(i), false, 0, {}});
      if (col[n] - col[src] < 2) continue;
      if (bus_of[src] < 0) bus_of[src] = int(buses.size()), buses.push_back({src, col[src] + 1, col[n] - 1, e});
      Bus& b = buses[bus_of[src]];
      ++b.edges;
      if (col[n] - 1 > b.last) b.last = col[n] - 1, b.far = e;
    }
  std::vector<int> longest(buses.size());
  std::iota(longest.begin(), longest.end(), 0);
  std::vector<float> shorter(buses.size());  // longest first
  for (size_t b = 0; b < buses.size(); ++b) shorter[b] = float(buses[b].first - buses[b].last);
  sort_by(longest, shorter);
  long slots = 0;
  for (const Bus& b : buses) slots += b.last - b.first + 1;
  std::vector<bool> in_track(buses.size(), false);
  for (size_t k = 0; k < longest.size() && slots > st.slot_budget; ++k)
    in_track[longest[k]] = true, slots -= buses[longest[k]].last - buses[longest[k]].first + 1;

  // Items stacked in columns: the nodes, then the slots. Each item's neighbours one column left and right.
  std::vector<int> item_col(col.begin(), col.end());
  std::vector<float> item_h(N), item_w(N);
  for (int n = 0; n < N; ++n) item_w[n] = g.size[n].x, item_h[n] = g.size[n].y;
  for (size_t b = 0; b < buses.size(); ++b) {
    if (in_track[b]) continue;
    buses[b].slot0 = int(item_col.size());
    for (int c = buses[b].first; c <= buses[b].last; ++c) item_col.push_back(c), item_h.push_back(st.slot_height), item_w.push_back(0);
  }
  const int M = int(item_col.size());
  auto slot = [&](const Bus& b, int c) { return b.slot0 + c - b.first; };
  std::vector<std::vector<int>> left(M), right(M);
  auto link = [&](int a, int b) { right[a].push_back(b), left[b].push_back(a); };
  for (const EdgePath& e : out.edges) {
    if (col[e.to] == col[e.from] + 1) link(e.from, e.to);
    else if (const Bus& b = buses[bus_of[e.from]]; b.slot0 >= 0) link(slot(b, col[e.to] - 1), e.to);
  }
  for (const Bus& b : buses)
    if (b.slot0 >= 0) {
      link(b.from, slot(b, b.first));
      for (int c = b.first + 1; c <= b.last; ++c) link(slot(b, c - 1), slot(b, c));
    }
  std::vector<std::vector<int>> columns(last + 1);
  for (int it = 0; it < M; ++it) columns[item_col[it]].push_back(it);

  // Order within columns: sweeps that move each item toward the mean position of its neighbours in the column
  // just placed.
  std::vector<float> pos(M), key(M);
  auto place = [&](const std::vector<int>& column) {
    for (size_t k = 0; k < column.size(); ++k) pos[column[k]] = float(k) - column.size() / 2.0f;
  };
  for (const auto& column : columns) place(column);
  for (int sweep = 0; sweep < 6; ++sweep) {
    bool rightward = sweep % 2 == 0;
    for (int cc = 1; cc <= last; ++cc) {
      auto& column = columns[rightward ? cc : last - cc];
      for (int it : column) {
        const std::vector<int>& nb = rightward ? left[it] : right[it];
        float sum = 0;
        for (int o : nb) sum += pos[o];
        key[it] = nb.empty() ? pos[it] : sum / float(nb.size());
      }
      sort_by(column, key);
      place(column);
    }
  }

  // Coordinates: columns as wide as their widest node, items stacked and centred vertically.
  std::vector<float> col_x(last + 1), col_w(last + 1, 0), item_y(M);
  for (int it = 0; it < M; ++it) col_w[item_col[it]] = std::max(col_w[item_col[it]], item_w[it]);
  float x = 0;
  for (int c = 0; c <= last; ++c) col_x[c] = x, x += col_w[c] + st.column_gap;
  float top = 0, bottom = 0;
  for (int c = 0; c <= last; ++c) {
    float total = 0;
    for (int it : columns[c]) total += item_h[it];
    total += st.row_gap * std::max<size_t>(columns[c].size(), 1) - st.row_gap;
    float y = -total / 2;
    top = std::min(top, y), bottom = std::max(bottom, y + total);
    for (int it : columns[c]) {
      if (it < N) out.nodes[it] = Box{col_x[c], y, item_w[it], item_h[it]};
      else item_y[it] = y + item_h[it] / 2;
      y += item_h[it] + st.row_gap;
    }
  }

  // Tracks: buses whose column spans do not overlap share one; tracks alternate below and above the graph.
  std::vector<int> by_start;
  for (size_t b = 0; b < buses.size(); ++b)
    if (in_track[b]) by_start.push_back(int(b));
  std::vector<float> start(buses.size());
  for (size_t b = 0; b < buses.size(); ++b) start[b] = float(buses[b].first);
  sort_by(by_start, start);
  std::priority_queue<std::pair<int, int>, std::vector<std::pair<int, int>>, std::greater<>> free_at;  // (last column, track)
  int tracks = 0;
  for (int b : by_start) {
    int t;
    if (!free_at.empty() && free_at.top().first < buses[b].first - 1) t = free_at.top().second, free_at.pop();
    else t = tracks++;
    free_at.push({buses[b].last, t});
    float depth = st.row_gap + float(t / 2) * st.slot_height;
    buses[b].track_y = t % 2 == 0 ? bottom + depth : top - depth;
  }

  // Polylines. Within a column an edge runs horizontally inside its node's or slot's own height; between
  // columns there are no nodes. A bus's far edge draws the bus from its source; the source's other long edges
  // start where they leave it. Labels go on the edge's own first stretch across a gap: the one after the
  // source for an edge alone on its bus (as a short edge has it), else the one entering the target's column.
  auto right_of = [&](int c) { return col_x[c] + col_w[c]; };
  auto drop_x = [&](int c) { return right_of(c) + st.column_gap * 0.25f; };  // a track's turn in the gap after c
  for (size_t k = 0; k < out.edges.size(); ++k) {
    EdgePath& e = out.edges[k];
    const Box& a = out.nodes[e.from];
    const Box& b = out.nodes[e.to];
    int n_in = int(g.in[e.to].size());
    float ya = a.y + a.h / 2;
    float yb = b.y + b.h * float(e.input + 1) / float(n_in + 1);
    int ca = col[e.from], cb = col[e.to];
    std::vector<Point> pts;
    const Bus* bus = cb - ca >= 2 ? &buses[bus_of[e.from]] : nullptr;
    if (!bus || bus->far == int(k)) pts = {{a.x + a.w, ya}, {right_of(ca), ya}};
    if (bus && bus->slot0 >= 0) {
      for (int c = bus->far == int(k) ? ca + 1 : cb - 1; c < cb; ++c) {
        float y = item_y[slot(*bus, c)];
        if (c + 1 < cb || bus->far == int(k)) pts.push_back({col_x[c], y});
        pts.push_back({right_of(c), y});
      }
    } else if (bus) {
      if (bus->far == int(k)) pts.push_back({drop_x(ca), ya}), pts.push_back({drop_x(ca), bus->track_y});
      pts.push_back({drop_x(cb - 1), bus->track_y});
      pts.push_back({drop_x(cb - 1), yb});
    }
    pts.push_back({col_x[cb], yb});
    pts.push_back({b.x, yb});
    e.label = -1;
    bool alone = bus && bus->edges == 1 && bus->slot0 >= 0;
    for (size_t i = 0; i + 1 < pts.size(); ++i)
      if (alone ? e.label < 0 && pts[i + 1].x > right_of(ca) + 0.5f : pts[i].x < col_x[cb] - 0.5f) e.label = int(i);
    if (e.label < 0) e.label = 0;  // never an index the canvas cannot read
    e.points = simplified(pts, e.label);
  }

  float x0 = 1e30f, y0 = 1e30f, x1 = -1e30f, y1 = -1e30f;
  for (const Box& b : out.nodes) {
    x0 = std::min(x0, b.x), y0 = std::min(y0, b.y);
    x1 = std::max(x1, b.x + b.w), y1 = std::max(y1, b.y + b.h);
  }
  for (const EdgePath& e : out.edges)
    for (const Point& p : e.points) y0 = std::min(y0, p.y), y1 = std::max(y1, p.y);
  out.bounds = Box{x0, y0, x1 - x0, y1 - y0};

  // Cells: a folded one is its node's box; an open one the band of its columns, as tall as the graph, with a
  // margin into the gaps on either side (labels sit in the middle of a gap, clear of it).
  out.cells.assign(graph.steps.size(), Cell{});
  std::vector<int> band_end(graph.steps.size(), -1), node_of(graph.steps.size(), -1);  // a folded band is one node
  for (int n = 0; n < N; ++n)
    if (g.band[n] >= 0) band_end[g.band[n]] = std::max(band_end[g.band[n]], col[n]), node_of[g.band[n]] = n;
  for (size_t s = 0; s < out.cells.size(); ++s) {
    Cell& c = out.cells[s];
    c.folded = s < folded.size() && folded[s];
    if (band_start[s] < 0) continue;
    float margin = st.column_gap * 0.2f;
    c.box = Box{col_x[band_start[s]] - margin, y0 - st.row_gap, right_of(band_end[s]) - col_x[band_start[s]] + 2 * margin, y1 - y0 + st.row_gap * 1.5f};
    if (c.folded) c.box = out.nodes[node_of[s]];
    // The bounds take in the band, with its header above the nodes.
    float top = std::min(out.bounds.y, c.box.y), bottom = std::max(out.bounds.y + out.bounds.h, c.box.y + c.box.h);
    out.bounds.y = top, out.bounds.h = bottom - top;
  }

  // Back to the graph's nodes and edges.
  Layout mapped;
  mapped.bounds = out.bounds;
  mapped.cells = std::move(out.cells);
  for (int n : id) mapped.nodes.push_back(out.nodes[n]), mapped.column.push_back(col[n]);
  for (EdgePath& e : out.edges) {
    const EdgePath& o = g.origin[e.to][e.input];
    mapped.edges.push_back({o.from, o.to, o.input, o.into_cell, e.label, std::move(e.points)});
  }
  return mapped;
}

}  // namespace kobai
