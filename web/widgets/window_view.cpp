// kobai page: a step window by window (window_view.h).
#include "widgets/window_view.h"

#include "app.h"
#include "ui.h"
#include "windows.h"

#include <imgui.h>

#include <algorithm>

namespace kobai {
namespace {

const Words kTitle{"Window by window", "ウィンドウごとに"};
const Words kPrev{"◀###window_prev", "◀###window_prev"};
const Words kNext{"▶###window_next", "▶###window_next"};
const ImU32 kWindow = IM_COL32(230, 140, 20, 255), kCell = IM_COL32(255, 226, 170, 255), kDone = IM_COL32(235, 240, 250, 255);
const ImU32 kLine = IM_COL32(170, 175, 185, 255), kPad = IM_COL32(245, 245, 245, 255);

// A channel as a grid of numbers, rows [y0, y1) and columns [x0, x1) (beyond the value: padding, drawn pale as 0),
// its top-left at the cursor; `mark` says how to fill a cell. Every number at one size, the widest one fitting
// its cell (a size per cell made 0.3 large beside a tiny 0.255).
template <class Value, class Mark>
void grid(const char* caption, int y0, int y1, int x0, int x1, int h, int w, float cell, Value value, Mark mark) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImGui::BeginGroup();
  ImGui::TextDisabled("%s", caption);
  ImVec2 p = ImGui::GetCursorScreenPos();
  auto text = [&](int y, int x) {
    std::string t = y < 0 || y >= h || x < 0 || x >= w ? "0" : format_number(value(y, x));
    return t.size() > 5 ? t.substr(0, 5) : t;
  };
  float widest = 1;
  for (int y = y0; y < y1; ++y)
    for (int x = x0; x < x1; ++x) widest = std::max(widest, ImGui::CalcTextSize(text(y, x).c_str()).x);
  const float k = std::min(1.f, (cell - 4) / widest);
  for (int y = y0; y < y1; ++y)
    for (int x = x0; x < x1; ++x) {
      ImVec2 a(p.x + (x - x0) * cell, p.y + (y - y0) * cell), b(a.x + cell, a.y + cell);
      bool pad = y < 0 || y >= h || x < 0 || x >= w;
      ImU32 fill = mark(y, x);
      if (fill || pad) dl->AddRectFilled(a, b, fill ? fill : kPad);
      dl->AddRect(a, b, kLine);
      const std::string t = text(y, x);
      ImVec2 ts = ImGui::CalcTextSize(t.c_str());
      dl->AddText(ImGui::GetFont(), ImGui::GetFontSize() * k, ImVec2(a.x + (cell - ts.x * k) / 2, a.y + (cell - ts.y * k) / 2),
                  ImGui::GetColorU32(pad ? ImGuiCol_TextDisabled : ImGuiCol_Text), t.c_str());
    }
  ImGui::Dummy(ImVec2((x1 - x0) * cell, (y1 - y0) * cell));
  ImGui::EndGroup();
}

double element(const Node& node, const Mat& m, int n, int c, int y, int x) {
  return node.dims ? m(n, (c * node.dims->h + y) * node.dims->w + x) : m(y, x);
}
Dims4 image(const Node& node) { return node.dims ? *node.dims : Dims4{1, 1, node.rows, node.cols}; }

}  // namespace

void window_view(App& a) {
  const Walk& w = *a.walk;
  if (w.position() == 0) return;
  const Step& st = *w.current();
  const Graph& g = w.graph();
  if (st.kind != StepKind::Forward && st.kind != StepKind::Backward) return;
  const int count = window_count(g, st.node);
  if (count == 0) return;
  if (a.window.first != w.position()) a.window = {w.position(), 0};
  int& k = a.window.second;
  k = std::clamp(k, 0, count - 1);
  const WalkState& s = w.state();
  const bool back = st.kind == StepKind::Backward;
  WindowView v = window_view(g, s.value, back ? s.grad : Values(s.value.size()), st.node, k, a.lang);

  ImGui::Spacing();
  ImGui::TextUnformatted(ui::T(kTitle, a));
  ImGui::Separator();
  if (ui::button(a, "window_prev", kPrev, k > 0)) --k;
  ImGui::SameLine();
  ImGui::Text("%d / %d", k + 1, count);
  ImGui::SameLine();
  if (ui::button(a, "window_next", kNext, k + 1 < count)) ++k;
  v = window_view(g, s.value, back ? s.grad : Values(s.value.size()), st.node, k, a.lang);

  const Node& node = g.nodes[size_t(st.node)];
  const Node& xn = g.nodes[size_t(node.in[0])];
  const Dims4 x = image(xn), o = image(node);
  const bool conv = node.op->shape == ShapeRule::Conv;
  // The input, the filter and the output side by side; where that leaves cells too small to read (a phone), the
  // output goes on a line of its own and the cells grow.
  const float room = ImGui::GetContentRegionAvail().x, fs = ImGui::GetFontSize();
  const int first = x.w + 2 * node.win.pad + (conv ? node.win.w + 1 : 0);
  const bool one_line = room / float(first + o.w + 1) >= fs * 1.6f;
  float cell = std::clamp(room / float(one_line ? first + o.w + 1 : std::max(first, o.w)), 8.f, fs * (one_line ? 1.6f : 2.2f));
  // The input (channel c of example n; conv reads every channel, the first is drawn), with the window outlined.
  const int c_in = conv ? 0 : v.c;
  const int y0 = std::min(0, v.top), y1 = std::max(x.h, v.top + v.h), x0 = std::min(0, v.left), x1 = std::max(x.w, v.left + v.w);
  std::string in_caption = xn.name + (xn.dims ? " [" + std::to_string(v.n + 1) + "," + std::to_string(c_in + 1) + "]" : "");
  grid(in_caption.c_str(), y0, y1, x0, x1, x.h, x.w, cell, [&](int y, int xx) { return element(xn, s.value[size_t(node.in[0])], v.n, c_in, y, xx); },
       [&](int y, int xx) -> ImU32 {
         if (y == v.arg_y && xx == v.arg_x) return kWindow;
         return y >= v.top && y < v.top + v.h && xx >= v.left && xx < v.left + v.w ? kCell : 0;
       });
  ImVec2 wmin = ImGui::GetItemRectMin();
  ImGui::GetWindowDrawList()->AddRect(ImVec2(wmin.x + (v.left - x0) * cell, wmin.y + ImGui::GetTextLineHeightWithSpacing() + (v.top - y0) * cell),
                                      ImVec2(wmin.x + (v.left - x0 + v.w) * cell, wmin.y + ImGui::GetTextLineHeightWithSpacing() + (v.top - y0 + v.h) * cell),
                                      kWindow, 0, 0, 2.5f * a.scale);
  ui::remember(a, "window_input");
  if (conv) {  // the filter, beside it
    ImGui::SameLine();
    const Node& wn = g.nodes[size_t(node.in[1])];
    std::string caption = wn.name + (wn.dims ? " [" + std::to_string(v.c + 1) + ",1]" : "");
    grid(caption.c_str(), 0, v.h, 0, v.w, v.h, v.w, cell, [&](int y, int xx) { return element(wn, s.value[size_t(node.in[1])], v.c, 0, y, xx); },
         [](int, int) -> ImU32 { return kCell; });
  }
  if (one_line) ImGui::SameLine();  // the output: the cells done so far, this window's in colour
  std::string out_caption = node.name + (node.dims ? " [" + std::to_string(v.n + 1) + "," + std::to_string(v.c + 1) + "]" : "");
  const int done = k % (o.h * o.w);
  grid(out_caption.c_str(), 0, o.h, 0, o.w, o.h, o.w, cell,
       [&](int y, int xx) { return element(node, back ? s.grad[size_t(st.node)] : s.value[size_t(st.node)], v.n, v.c, y, xx); },
       [&](int y, int xx) -> ImU32 { return y == v.oh && xx == v.ow ? kWindow : y * o.w + xx < done ? kDone : 0; });
  ui::remember(a, "window_output");
  ImGui::PushTextWrapPos(0);
  ui::paragraph(node.name + " = " + v.forward);
  if (back && !v.backward.empty()) ui::paragraph(v.backward);
  ImGui::PopTextWrapPos();
}

}  // namespace kobai
