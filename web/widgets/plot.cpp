// kobai page: the plot widget (see plot.h). The numbers come from plot_scale.cpp; this file only draws.
#include "widgets/plot.h"

#include <algorithm>
#include <cstdio>
#include <string>

namespace kobai {
namespace {

const ImU32 kFrame = IM_COL32(150, 156, 166, 255);
const ImU32 kGrid = IM_COL32(232, 234, 238, 255);
const ImU32 kLabel = IM_COL32(95, 102, 114, 255);
const ImU32 kCursor = IM_COL32(60, 66, 78, 160);
const ImU32 kReadoutBg = IM_COL32(255, 255, 255, 235);

}  // namespace

bool Plot(const char* id, const PlotSpec& spec, const PlotSeries* series, int count, plot::Readout* readout) {
  using namespace plot;
  const float fs = ImGui::GetFontSize(), pad = fs * 0.35f, line = std::max(1.0f, fs / 9);
  const Scale yscale = spec.log_y ? Scale::log : Scale::linear;
  std::vector<Series> data;
  for (int i = 0; i < count; ++i) data.push_back({series[i].y, series[i].count, series[i].x0, series[i].dx});
  Range yr = data_range(data, yscale), xr = x_range(data);
  bool fixed = !std::isnan(spec.y_lo) && !std::isnan(spec.y_hi);
  bool note = spec.log_y && yr.skipped > 0;  // said under the chart: nothing disappears silently

  ImVec2 size = spec.size;
  if (size.x <= 0) size.x = ImGui::GetContentRegionAvail().x;
  if (size.y <= 0) size.y = fs * 10;
  size.x = std::max(size.x, fs * 8), size.y = std::max(size.y, fs * 6);
  ImVec2 at = ImGui::GetCursorScreenPos();
  ImGui::PushID(id);
  ImGuiID pinned_id = ImGui::GetID("pinned"), pin_at_id = ImGui::GetID("pin at");
  ImGui::PopID();
  ImGui::InvisibleButton(id, size);
  bool hovered = ImGui::IsItemHovered();
  ImGuiStorage* store = ImGui::GetStateStorage();  // the pinned readout: whether, and where (0..1 across)
  ImDrawList* dl = ImGui::GetWindowDrawList();

  // The legend's rows, right-aligned: as many as its names need at this width (seven optimizers do not fit one).
  auto entry_w = [&](int i) { return ImGui::CalcTextSize(series[i].name).x + fs * 1.9f; };
  const float room = size.x - pad - ImGui::CalcTextSize("0").x;  // from the plot's right edge to the chart's left
  int legend_rows = 1;
  for (float row = 0, i = 0; i < count; ++i) {
    if (row > 0 && row + entry_w(int(i)) > room) ++legend_rows, row = 0;
    row += entry_w(int(i));
  }
  // Rows from the top: the legend, the plot, the x labels, the note; the y labels on the left.
  float top = at.y + legend_rows * (fs + pad) + pad, bottom = at.y + size.y - fs - pad * 2 - (note ? fs + pad : 0);
  int y_ticks = std::max(2, int((bottom - top) / (fs * 1.6f)));  // labels a line high, with a little air
  Axis ya = fixed ? make_axis(spec.y_lo, spec.y_hi, yscale, y_ticks, false)
                  : make_axis(yr.lo, yr.hi, yscale, y_ticks, true);
  float label_w = 0;
  for (const Tick& t : ya.ticks) label_w = std::max(label_w, ImGui::CalcTextSize(t.label.c_str()).x);
  float left = at.x + label_w + pad * 2, right = at.x + size.x - pad - ImGui::CalcTextSize("0").x;
  Axis xa = make_axis(xr.lo - spec.x_pad, xr.hi + spec.x_pad, Scale::linear, std::max(2, int((right - left) / (fs * 3.5f))), false, spec.x_step);
  auto X = [&](double x) { return left + float(xa.fraction(x)) * (right - left); };
  auto Y = [&](double y) { return bottom - float(ya.fraction(y)) * (bottom - top); };

  // Grid, frame and numbers.
  for (const Tick& t : ya.ticks) {
    float y = Y(t.value);
    dl->AddLine(ImVec2(left, y), ImVec2(right, y), kGrid, line);
    ImVec2 ts = ImGui::CalcTextSize(t.label.c_str());
    dl->AddText(ImVec2(left - pad - ts.x, y - ts.y / 2), kLabel, t.label.c_str());
  }
  ImVec2 name_size = ImGui::CalcTextSize(spec.x_name);
  float name_x = at.x + size.x - name_size.x, label_y = bottom + pad;
  dl->AddText(ImVec2(name_x, label_y), kLabel, spec.x_name);
  for (const Tick& t : xa.ticks) {
    float x = X(t.value);
    dl->AddLine(ImVec2(x, top), ImVec2(x, bottom), kGrid, line);
    float w = ImGui::CalcTextSize(t.label.c_str()).x, lx = std::max(at.x, x - w / 2);
    if (lx + w < name_x - pad || !*spec.x_name) dl->AddText(ImVec2(lx, label_y), kLabel, t.label.c_str());  // not over the axis's name
  }
  dl->AddRect(ImVec2(left, top), ImVec2(right, bottom), kFrame, 0, 0, line);
  if (note) {
    char buf[160];
    std::snprintf(buf, sizeof buf, spec.skipped_format, yr.skipped);
    dl->AddText(ImVec2(at.x, label_y + fs + pad), kLabel, buf);
  }

  // The legend, right-aligned above the plot, row by row in the series' order.
  for (int i = 0, row = 0; i < count; ++row) {
    int end = i;
    for (float w = 0; end < count && (end == i || w + entry_w(end) <= room); ++end) w += entry_w(end);
    float lx = right, ly = at.y + pad + row * (fs + pad);
    for (int k = end - 1; k >= i; --k) {
      lx -= ImGui::CalcTextSize(series[k].name).x;
      dl->AddText(ImVec2(lx, ly), kLabel, series[k].name);
      lx -= fs * 1.1f;
      dl->AddRectFilled(ImVec2(lx, ly + fs * 0.3f), ImVec2(lx + fs * 0.8f, ly + fs * 0.7f), series[k].colour);
      lx -= fs * 0.8f;
    }
    i = end;
  }

  // The series: at most two points per pixel column.
  dl->PushClipRect(ImVec2(left, top - line), ImVec2(right, bottom + line), true);
  std::vector<ImVec2> pts;
  for (int i = 0; i < count; ++i) {
    pts.clear();
    for (const Point& p : downsample(data[size_t(i)], xa.lo, xa.hi, int(right - left), yscale)) pts.push_back(ImVec2(X(p.x), Y(p.y)));
    dl->AddPolyline(pts.data(), int(pts.size()), series[i].colour, 0, line * 1.6f);
    if (series[i].markers || pts.size() == 1)
      for (const ImVec2& p : pts) dl->AddCircleFilled(p, line * 2.5f, series[i].colour);
  }
  dl->PopClipRect();

  // The readout: under the pointer, or where the last click or tap pinned it.
  if (ImGui::IsItemClicked() || (ImGui::IsItemActive() && hovered)) {
    store->SetBool(pinned_id, true);
    store->SetFloat(pin_at_id, float((ImGui::GetIO().MousePos.x - left) / (right - left)));
  }
  bool pinned = store->GetBool(pinned_id, false);
  bool shown = xr.any && (hovered || pinned);
  if (readout) *readout = Readout{};
  if (!shown) return false;
  double fraction = hovered ? (ImGui::GetIO().MousePos.x - left) / (right - left) : store->GetFloat(pin_at_id);
  double x = xa.lo + std::clamp(fraction, 0.0, 1.0) * (xa.hi - xa.lo);
  for (const Series& s : data)  // snap to a point that exists: an epoch, a layer
    if (s.count) {
      x = s.x(nearest(s, x));
      break;
    }
  Readout r{true, x, {}};
  std::vector<std::string> lines{std::string(spec.x_name) + (*spec.x_name ? " " : "") + value_label(x)};
  float cx = X(x);
  dl->AddLine(ImVec2(cx, top), ImVec2(cx, bottom), kCursor, line);
  for (int i = 0; i < count; ++i) {
    const Series& s = data[size_t(i)];
    int k = nearest(s, x);
    double v = k >= 0 && std::abs(s.x(k) - x) <= std::abs(s.dx) / 2 ? s.y[k] : NAN;
    r.y.push_back(v);
    lines.push_back(std::string(series[i].name) + "  " + (std::isnan(v) ? "—" : value_label(v) + spec.y_unit));
    if (drawable(v, yscale) && (fixed ? v >= ya.lo && v <= ya.hi : true))
      dl->AddCircleFilled(ImVec2(cx, Y(v)), line * 3, series[i].colour);
  }
  float box_w = 0;
  for (const std::string& l : lines) box_w = std::max(box_w, ImGui::CalcTextSize(l.c_str()).x);
  box_w += pad * 2 + fs;
  float box_h = float(lines.size()) * fs + pad * 2;
  float bx = cx + pad * 2 + box_w <= right ? cx + pad * 2 : std::max(left, cx - pad * 2 - box_w);  // beside the line, not over the numbers
  ImVec2 b0(bx, top + pad), b1(bx + box_w, top + pad + box_h);
  dl->AddRectFilled(b0, b1, kReadoutBg, pad);
  dl->AddRect(b0, b1, kFrame, pad);
  for (size_t i = 0; i < lines.size(); ++i) {
    float y = b0.y + pad + float(i) * fs;
    if (i) dl->AddRectFilled(ImVec2(b0.x + pad, y + fs * 0.3f), ImVec2(b0.x + pad + fs * 0.6f, y + fs * 0.7f), series[i - 1].colour);
    dl->AddText(ImVec2(b0.x + pad + (i ? fs : 0), y), IM_COL32(30, 34, 42, 255), lines[i].c_str());
  }
  if (readout) *readout = r;
  return true;
}

}  // namespace kobai
