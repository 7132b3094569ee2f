// kobai page: the graph view (graph_view.h).
#include "widgets/graph_view.h"

#include "app.h"
#include "report.h"
#include "ui.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace kobai {
namespace {

const ImU32 kInk = IM_COL32(30, 34, 42, 255);
const ImU32 kMuted = IM_COL32(110, 118, 130, 255);
const ImU32 kValueInk = IM_COL32(25, 90, 200, 255);    // forward values: blue, as the book's figures
const ImU32 kGradInk = IM_COL32(215, 70, 20, 255);     // gradients: red-orange
const ImU32 kCurrent = IM_COL32(250, 190, 20, 255);
const ImU32 kNeighbour = IM_COL32(250, 150, 60, 200);

const Words kValue{"value", "値"};
const Words kGradient{"gradient", "勾配"};
const Words kNotYet{"not computed yet", "まだ計算していない"};

// A matrix as a small grid of cells: blue for positive, red for negative, stronger for larger magnitudes.
void heat_grid(ImDrawList* dl, const Mat& m, ImVec2 p, ImVec2 q) {
  int rows = int(std::min<Eigen::Index>(m.rows(), 32)), cols = int(std::min<Eigen::Index>(m.cols(), 32));
  double top = m.topLeftCorner(rows, cols).cwiseAbs().maxCoeff();
  float cw = (q.x - p.x) / cols, ch = (q.y - p.y) / rows;
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < cols; ++c) {
      double v = m(r, c);
      float t = top > 0 && std::isfinite(v) ? float(std::min(1.0, std::abs(v) / top)) : 0;
      ImU32 col = !std::isfinite(v) ? IM_COL32(0, 0, 0, 255)
                  : v >= 0 ? IM_COL32(int(255 - 200 * t), int(255 - 130 * t), 255, 255)
                           : IM_COL32(255, int(255 - 170 * t), int(255 - 200 * t), 255);
      dl->AddRectFilled(ImVec2(p.x + c * cw, p.y + r * ch), ImVec2(p.x + (c + 1) * cw - 1, p.y + (r + 1) * ch - 1), col);
    }
}

void draw_text_centered(ImDrawList* dl, float size, ImVec2 c, ImU32 col, const std::string& s, float max_w) {
  ImFont* f = ImGui::GetFont();
  ImVec2 t = f->CalcTextSizeA(size, FLT_MAX, 0, s.c_str());
  std::string shown = s;
  if (t.x > max_w && max_w > 0) {  // shorten with an ellipsis
    while (shown.size() > 1 && f->CalcTextSizeA(size, FLT_MAX, 0, (shown + "…").c_str()).x > max_w) drop_last_character(shown);
    shown += "…";
    t = f->CalcTextSizeA(size, FLT_MAX, 0, shown.c_str());
  }
  dl->AddText(f, size, ImVec2(c.x - t.x / 2, c.y - t.y / 2), col, shown.c_str());
}

// A node's name, op and shape, its value and its gradient (with the derivative it is).
// A 4-D value as small images, a row per example and a column per channel; an image under the pointer (or the
// finger) shows its numbers.
void image_table(App& a, const Mat& m, const Dims4& d, const char* id) {
  const int shown_n = std::min(d.n, 8), shown_c = std::min(d.c, 8);
  const float side = std::clamp(float(d.h) * 6 * a.scale, 28 * a.scale, 56 * a.scale);
  for (int n = 0; n < shown_n; ++n)
    for (int c = 0; c < shown_c; ++c) {
      if (c) ImGui::SameLine();
      Mat channel(d.h, d.w);
      for (int y = 0; y < d.h; ++y)
        for (int x = 0; x < d.w; ++x) channel(y, x) = m(n, (c * d.h + y) * d.w + x);
      ImVec2 p = ImGui::GetCursorScreenPos();
      ImGui::PushID(n * 64 + c);
      ImGui::InvisibleButton(id, ImVec2(side, side));
      ImGui::PopID();
      heat_grid(ImGui::GetWindowDrawList(), channel, p, ImVec2(p.x + side, p.y + side));
      if (ImGui::IsItemHovered() || ImGui::IsItemActive()) {
        ImGui::BeginTooltip();
        ImGui::Text("[%d, %d]", n + 1, c + 1);
        matrix_table(channel, "##ch");
        ImGui::EndTooltip();
      }
    }
  if (d.n > shown_n || d.c > shown_c) ImGui::TextDisabled("(%s)", format_dims(d).c_str());
}

void node_matrices(App& a, const Graph& g, const WalkState& s, int n) {
  const Node& node = g.nodes[size_t(n)];
  std::string shape = node.dims ? format_dims(*node.dims) : std::to_string(node.rows) + "x" + std::to_string(node.cols);
  ImGui::Text("%s  (%s, %s)", node.name.c_str(), node.op ? node.op->symbol : node.kind == NodeKind::Input ? "input" : "const", shape.c_str());
  auto show = [&](const Mat& m, const char* id) {
    if (!m.size()) ImGui::TextDisabled("%s", ui::T(kNotYet, a));
    else if (node.dims) image_table(a, m, *node.dims, id);
    else matrix_table(m, id);
  };
  ImGui::TextColored(ImColor(kValueInk), "%s", ui::T(kValue, a));
  show(s.value[size_t(n)], "##tv");
  ImGui::TextColored(ImColor(kGradInk), "%s  %s", ui::T(kGradient, a), derivative(g, g.output, n).c_str());
  show(s.grad[size_t(n)], "##tg");
}

}  // namespace

std::string compact(const Mat& m) {
  if (m.size() == 0) return "";
  if (m.size() == 1) return format_number(m(0, 0));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", m(0, 0));
  return std::string(m.rows() > 1 ? "[[" : "[") + buf + ", …" + (m.rows() > 1 ? "]]" : "]");
}

void matrix_table(const Mat& m, const char* id) {
  if (m.size() == 1) {
    ImGui::Text("%s", format_number(m(0, 0)).c_str());
    return;
  }
  int rows = int(std::min<Eigen::Index>(m.rows(), 16)), cols = int(std::min<Eigen::Index>(m.cols(), 12));
  std::vector<std::string> cells;
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < cols; ++c) cells.push_back(format_number(m(r, c)));
  ImGui::PushID(id);
  ui::text_table(cells, cols, false);
  ImGui::PopID();
  if (m.rows() > rows || m.cols() > cols) ImGui::TextDisabled("(%s)", format_shape(m).c_str());
}

void graph_view(App& a, GraphView& v, const Walk& w, const Layout& layout) {
  const Graph& g = w.graph();
  const WalkState& s = w.state();
  ImVec2 origin = ImGui::GetCursorScreenPos(), size = ImGui::GetContentRegionAvail();
  if (size.x < 10 || size.y < 10) return;
  ImGui::InvisibleButton("###canvas", size, ImGuiButtonFlags_MouseButtonLeft);
  ui::remember(a, "canvas");
  bool hovered_view = ImGui::IsItemHovered(), released = ImGui::IsItemDeactivated();
  ImGuiIO& io = ImGui::GetIO();
  float k = a.scale;
  // Fit when asked, and when the view changes size (a phone turned, a window resized): the whole graph, as
  // large as fits, but never so large that a small graph's text looms.
  Point css{size.x / a.dpr, size.y / a.dpr};
  if (std::abs(css.x - v.fitted.x) > 1 || std::abs(css.y - v.fitted.y) > 1) v.fit_pending = true;
  if (v.fit_pending) {
    const Box& b = layout.bounds;
    float pad_x = 40, pad_y = 36, stub = 80;  // room for the edge labels, and the output's stub on the right
    v.zoom = std::clamp(std::min(size.x / k / (b.w + stub + 2 * pad_x), size.y / k / (b.h + 2 * pad_y)), 0.15f, 1.8f);
    v.cam = {b.x + (b.w + stub) / 2, b.y + b.h / 2};
    v.fit_pending = false;
    v.fitted = css;
  }
  auto zoom_about = [&](float factor, ImVec2 at) {
    Point before{(at.x - origin.x - size.x / 2) / (v.zoom * k) + v.cam.x, (at.y - origin.y - size.y / 2) / (v.zoom * k) + v.cam.y};
    v.zoom = std::clamp(v.zoom * factor, 0.1f, 4.0f);
    v.cam = {before.x - (at.x - origin.x - size.x / 2) / (v.zoom * k), before.y - (at.y - origin.y - size.y / 2) / (v.zoom * k)};
  };
  if (v.pinch != 1) {  // two fingers: zoom about the point between them
    zoom_about(v.pinch, ImVec2(v.pinch_at.x * a.dpr, v.pinch_at.y * a.dpr));
    v.pinch = 1;
  }
  bool dragging = ImGui::IsItemActive() && ImGui::IsMouseDragging(ImGuiMouseButton_Left);
  if (ImGui::IsItemActivated()) v.dragged = false;  // a press: a tap, unless it moves
  if (dragging) {
    v.dragged = true;
    v.cam.x -= io.MouseDelta.x / (v.zoom * k);
    v.cam.y -= io.MouseDelta.y / (v.zoom * k);
  }
  if (hovered_view && io.MouseWheel != 0) zoom_about(std::pow(1.15f, io.MouseWheel), io.MousePos);
  float z = v.zoom * k;
  auto P = [&](Point p) { return ImVec2(origin.x + size.x / 2 + (p.x - v.cam.x) * z, origin.y + size.y / 2 + (p.y - v.cam.y) * z); };
  ImVec2 view_min = origin, view_max(origin.x + size.x, origin.y + size.y);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  // Large graphs: plain (not anti-aliased) shapes, half the vertices; at that size the fringe is not seen.
  if (g.nodes.size() > 80) dl->Flags &= ~(ImDrawListFlags_AntiAliasedLines | ImDrawListFlags_AntiAliasedFill);
  dl->PushClipRect(origin, view_max, true);
  // No fill of its own: the window's clear colour is the canvas (every full-canvas fill costs a software renderer).
  dl->AddRect(origin, view_max, IM_COL32(205, 208, 214, 255), 4 * k, 0, 1.0f * k);

  const Step* cur = w.current();
  int cur_node = cur ? cur->node : -1;
  auto is_neighbour = [&](int n) {
    if (cur_node < 0) return false;
    const Node& c = g.nodes[size_t(cur_node)];
    if (std::find(c.in.begin(), c.in.end(), n) != c.in.end()) return true;
    for (auto u : g.users[size_t(cur_node)])
      if (u.first == n) return true;
    return false;
  };
  float fs = ImGui::GetFontSize() / k;  // the font's size in the view's units
  float line = a.present ? 1.6f : 1.0f;  // a projector: thicker lines, seen from the back of the room

  // Time steps: an open one's band, with its header to fold it; a folded one is drawn with the nodes.
  auto folded = [&](int n) { int st = g.nodes[size_t(n)].step; return st >= 0 && layout.cells[size_t(st)].folded; };
  int hovered_cell = -1;
  auto cell_title = [&](size_t st, bool is_folded) {
    return g.steps[st].counter + " = " + std::to_string(g.steps[st].value) + (is_folded ? "  [+]" : "  [−]");
  };
  for (size_t st = 0; st < layout.cells.size(); ++st) {
    const Cell& c = layout.cells[st];
    if (c.folded || c.box.w <= 0) continue;
    ImVec2 p = P({c.box.x, c.box.y}), q = P({c.box.x + c.box.w, c.box.y + c.box.h});
    if (q.x < view_min.x || p.x > view_max.x) continue;
    dl->AddRectFilled(p, q, st % 2 ? IM_COL32(243, 246, 251, 255) : IM_COL32(248, 247, 240, 255), 10 * z);
    float hs = std::max(fs * 1.05f * z, fs * 0.8f * k);
    ImVec2 hq(q.x, p.y + hs * 1.8f);
    draw_text_centered(dl, hs, ImVec2((p.x + q.x) / 2, p.y + hs * 0.9f), kMuted, cell_title(st, false), q.x - p.x);
    if (ImGui::IsMouseHoveringRect(p, hq)) hovered_cell = int(st);
    if (layout.cells.size() <= 64) ui::remember_box(a, ("cell_" + std::to_string(g.steps[st].value)).c_str(), p.x, p.y, q.x - p.x, hq.y - p.y);
  }

  // Edges: the forward value above, the gradient below, on the stretch that enters the target's column.
  for (const EdgePath& e : layout.edges) {
    bool hot = e.to == cur_node || e.from == cur_node;
    ImU32 ink = hot ? IM_COL32(60, 60, 70, 255) : IM_COL32(150, 155, 165, 255);
    std::vector<ImVec2> pts;  // runs of segments that are on screen: off-screen ones cost vertices, show nothing
    for (size_t i = 0; i + 1 < e.points.size(); ++i) {
      ImVec2 p = P(e.points[i]), q = P(e.points[i + 1]);
      bool visible = std::max(p.x, q.x) >= view_min.x && std::min(p.x, q.x) <= view_max.x &&
                     std::max(p.y, q.y) >= view_min.y && std::min(p.y, q.y) <= view_max.y;
      if (visible) {
        if (pts.empty()) pts.push_back(p);
        pts.push_back(q);
      }
      if ((!visible || i + 2 == e.points.size()) && pts.size() > 1) {
        dl->AddPolyline(pts.data(), int(pts.size()), ink, 0, (hot ? 2.5f : 1.5f) * line * k);
        pts.clear();
      }
      if (!visible) pts.clear();
    }
    ImVec2 tip = P(e.points.back());
    if (tip.x < view_min.x || tip.x > view_max.x || tip.y < view_min.y || tip.y > view_max.y) continue;
    float head = 8 * line * k;
    dl->AddTriangleFilled(tip, ImVec2(tip.x - head, tip.y - head / 2), ImVec2(tip.x - head, tip.y + head / 2), IM_COL32(110, 115, 125, 255));
    // Labels sit on the stretch that enters the target's column: edges that share a bus have it to themselves.
    size_t seg = size_t(e.label);
    Point m{(e.points[seg].x + e.points[seg + 1].x) / 2, (e.points[seg].y + e.points[seg + 1].y) / 2};
    float max_w = (e.points[seg + 1].x - e.points[seg].x) * z + 40 * k;
    float ts = fs * 1.1f * std::max(v.zoom, 0.7f) * k, off = ts * 0.75f;  // labels clear of the line
    if (max_w < 70 * k) continue;  // zoomed far out: no room for labels (hover shows the values)
    if (s.value[size_t(e.from)].size()) draw_text_centered(dl, ts, ImVec2(P(m).x, P(m).y - off), kValueInk, compact(s.value[size_t(e.from)]), max_w);
    const Mat& eg = s.edge[size_t(e.to)][size_t(e.input)];
    if (eg.size() && !e.into_cell) draw_text_centered(dl, ts, ImVec2(P(m).x, P(m).y + off), kGradInk, compact(eg), max_w);
  }
  // The output's stub: its value, and the seed gradient 1 once the backward pass starts.
  {
    const Box& b = layout.nodes[size_t(g.output)];
    Point p0{b.x + b.w, b.y + b.h / 2}, p1{b.x + b.w + 70, b.y + b.h / 2};
    dl->AddLine(P(p0), P(p1), IM_COL32(150, 155, 165, 255), 1.5f * line * k);
    Point m{(p0.x + p1.x) / 2 + 8, p0.y};
    float ts = fs * 1.1f * std::max(v.zoom, 0.7f) * k, off = ts * 0.75f;
    if (s.value[size_t(g.output)].size()) draw_text_centered(dl, ts, ImVec2(P(m).x, P(m).y - off), kValueInk, compact(s.value[size_t(g.output)]), 0);
    if (s.grad[size_t(g.output)].size()) draw_text_centered(dl, ts, ImVec2(P(m).x, P(m).y + off), kGradInk, compact(s.grad[size_t(g.output)]), 0);
  }
  // Folded cells: one box each, with the names its step assigns.
  std::vector<std::string> inside(layout.cells.size());
  for (const Node& node : g.nodes)
    if (node.step >= 0 && layout.cells[size_t(node.step)].folded && node.named && inside[size_t(node.step)].size() < 40)
      inside[size_t(node.step)] += (inside[size_t(node.step)].empty() ? "" : " ") + node.name;
  for (size_t st = 0; st < layout.cells.size(); ++st) {
    const Cell& c = layout.cells[st];
    if (!c.folded) continue;
    ImVec2 p = P({c.box.x, c.box.y}), q = P({c.box.x + c.box.w, c.box.y + c.box.h});
    if (q.x < view_min.x || p.x > view_max.x || q.y < view_min.y || p.y > view_max.y) continue;
    bool has_current = cur_node >= 0 && g.nodes[size_t(cur_node)].step == int(st);
    dl->AddRectFilled(p, q, IM_COL32(232, 238, 250, 255), 8 * z);
    dl->AddRect(p, q, has_current ? kCurrent : IM_COL32(120, 125, 135, 255), 8 * z, 0, (has_current ? 4.f : 1.2f) * line * k);
    if (ImGui::IsMouseHoveringRect(p, q)) hovered_cell = int(st);
    if (layout.cells.size() <= 64) ui::remember_box(a, ("cell_" + std::to_string(g.steps[st].value)).c_str(), p.x, p.y, q.x - p.x, q.y - p.y);
    float bw = q.x - p.x, bh = q.y - p.y;
    if (bw < 36 * k) continue;
    draw_text_centered(dl, std::max(fs * 1.2f * z, fs * 0.85f * k), ImVec2((p.x + q.x) / 2, p.y + bh * 0.36f), kInk, cell_title(st, true), bw - 6 * z);
    draw_text_centered(dl, std::max(fs * 0.95f * z, fs * 0.75f * k), ImVec2((p.x + q.x) / 2, p.y + bh * 0.72f), kMuted, inside[st], bw - 8 * z);
  }

  // Nodes.
  int hovered = -1;
  for (size_t n = 0; n < g.nodes.size(); ++n) {
    const Node& node = g.nodes[n];
    if (folded(int(n))) continue;  // its cell's box stands for it
    const Box& b = layout.nodes[n];
    ImVec2 p = P({b.x, b.y}), q = P({b.x + b.w, b.y + b.h});
    if (q.x < view_min.x || p.x > view_max.x || q.y < view_min.y || p.y > view_max.y) continue;  // off screen
    ImU32 fill = node.kind == NodeKind::Input ? IM_COL32(226, 244, 226, 255) : node.kind == NodeKind::Const ? IM_COL32(236, 236, 236, 255) : IM_COL32(255, 255, 255, 255);
    dl->AddRectFilled(p, q, fill, 8 * z);
    bool current = int(n) == cur_node, near = is_neighbour(int(n)), pinned = int(n) == v.pinned;
    dl->AddRect(p, q, current ? kCurrent : near ? kNeighbour : pinned ? kValueInk : IM_COL32(120, 125, 135, 255), 8 * z, 0,
                (current ? 4.f : near || pinned ? 2.5f : 1.2f) * line * k);
    float cx = (p.x + q.x) / 2, bw = q.x - p.x, bh = q.y - p.y;
    if (ImGui::IsMouseHoveringRect(p, q)) hovered = int(n);
    if (g.nodes.size() <= 100) {  // each node's box, for tests that tap it (the part inside the view)
      ImVec2 p0(std::max(p.x, view_min.x), std::max(p.y, view_min.y)), q0(std::min(q.x, view_max.x), std::min(q.y, view_max.y));
      ui::remember_box(a, ("node_" + node.name).c_str(), p0.x, p0.y, q0.x - p0.x, q0.y - p0.y);
    }
    if (bw < 36 * k) continue;  // too small for text: the box and its highlight say enough
    float big = std::max(fs * 1.35f * z, fs * 0.9f * k), small = std::max(fs * 0.95f * z, fs * 0.75f * k);
    bool matrix = node.rows * node.cols > 1;
    std::string title = node.op ? (std::string(node.op->name) == "pow" ? "^" + format_number(node.p) : node.op->symbol) : node.name;
    const Dims4 d4 = node.dims.value_or(Dims4{});
    std::string shape = node.dims ? std::to_string(d4.n) + "×" + std::to_string(d4.c) + "×" + std::to_string(d4.h) + "×" + std::to_string(d4.w)
                                  : std::to_string(node.rows) + "×" + std::to_string(node.cols);
    std::string sub = node.op ? node.name : matrix ? shape : "";
    if (node.op && matrix) sub += "  " + shape;
    float title_y = matrix ? 0.24f : sub.empty() ? 0.5f : 0.36f;
    draw_text_centered(dl, node.op ? big : std::max(fs * 1.1f * z, fs * 0.85f * k), ImVec2(cx, p.y + bh * title_y), kInk, title, bw - 6 * z);
    if (!sub.empty()) draw_text_centered(dl, small, ImVec2(cx, p.y + bh * (matrix ? 0.5f : 0.74f)), kMuted, sub, bw - 8 * z);
    if (matrix && s.value[n].size() && bh > 30)  // a compact preview of the value
      heat_grid(dl, s.value[n], ImVec2(p.x + bw * 0.2f, p.y + bh * 0.64f), ImVec2(q.x - bw * 0.2f, q.y - bh * 0.08f));
  }
  dl->PopClipRect();
  // A tap (or a click without a drag) on a node pins its matrices; on empty space, unpins them.
  if (released && !v.dragged && hovered_cell >= 0) v.toggle = hovered_cell;
  else if (released && !v.dragged) v.pinned = hovered == v.pinned ? -1 : hovered;
  if (v.pinned >= int(g.nodes.size())) v.pinned = -1;
  if (v.pinned >= 0) {  // beside the node, kept inside the view
    const Box& b = layout.nodes[size_t(v.pinned)];
    ImVec2 at = P({b.x, b.y + b.h + 6});
    at.x = std::clamp(at.x, view_min.x, std::max(view_min.x, view_max.x - 260 * k));
    at.y = std::clamp(at.y, view_min.y, std::max(view_min.y, view_max.y - 160 * k));
    ImGui::SetNextWindowPos(at);
    ImGui::SetNextWindowBgAlpha(0.96f);
    ImGui::Begin("###node_tip", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoSavedSettings |
                                             ImGuiWindowFlags_NoFocusOnAppearing | ImGuiWindowFlags_NoNav | ImGuiWindowFlags_NoMove);
    node_matrices(a, g, s, v.pinned);
    ImVec2 wp = ImGui::GetWindowPos(), ws = ImGui::GetWindowSize();
    ui::remember_box(a, "node_tip", wp.x, wp.y, ws.x, ws.y);
    ImGui::End();
  } else if (hovered >= 0 && hovered_view && !a.touch) {
    ImGui::BeginTooltip();
    node_matrices(a, g, s, hovered);
    ImGui::EndTooltip();
  }
}

}  // namespace kobai
