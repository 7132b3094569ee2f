// kobai page: the optimizer-paths lab. Left: the surface (a menu, or f(x, y) typed), the start, noise, and the
// seven optimizers with their colours and learning rates; centre: the contours (shaders/contours.frag) with each
// path; right: f against step for each, and what one step did (∇, the optimizer's state, ΔW) in the table's words.
// The optimizers and surfaces are the engine's (optim.h, surface.h), so the paths are `kobai descend`'s.
#include "labs/paths.h"

#include "contours.h"
#include "labs/labs.h"
#include "link.h"
#include "ui.h"
#include "widgets/plot.h"

#include <imgui.h>
#include <misc/cpp/imgui_stdlib.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace kobai {
namespace {

using ui::button;
using ui::remember;
using ui::T;

const Words kPlay{"Play", "再生"};
const Words kPause{"Pause", "一時停止"};
const Words kOneStep{"One step", "1 ステップ"};
const Words kReset{"Reset", "リセット"};
const Words kPreset{"Figure 6-8", "図 6-8"};
const Words kStepOf{"step %d of %d", "ステップ %d / %d"};
const Words kSettingsTab{"Settings", "設定"};
const Words kViewTab{"Paths", "経路"};
const Words kStepsTab{"Steps", "ステップ"};
const Words kTyped{"f(x, y) typed below", "下に入力した f(x, y)"};
const Words kTypeF{"or type f(x, y), then Enter:", "または f(x, y) を入力して Enter:"};
const Words kUse{"Use", "使う"};
const Words kClickStart{"Click or tap the plane to start there.", "平面をクリック（タップ）するとそこから出発します。"};
const Words kOptimizers{"Optimizers (each with its learning rate η)", "最適化手法（それぞれの学習率 η）"};
const Words kStepAxis{"step", "ステップ"};
const Words kNotOnLog{"%d values ≤ 0 are not drawn on the log scale", "%d 個の 0 以下の値は対数軸に描きません"};
const Words kLossTitle{"f(x, y) at each step", "各ステップの f(x, y)"};
const Words kOneStepTitle{"The last step, for each optimizer:", "直前のステップ（最適化手法ごと）:"};
const Words kNoStepYet{"Press One step: each optimizer's gradient, state and update appear here.",
                       "「1 ステップ」を押すと、各手法の勾配・状態・更新量がここに出ます。"};
const Words kFrom{"step %d, from (%s, %s) where f = %s:", "ステップ %d: (%s, %s)（f = %s）から"};
const Words kNotRacing{"No optimizer is racing: tick one in the settings.", "走っている最適化手法がありません。設定で選んでください。"};
const Words kStartAt{"start (%s, %s)", "出発点 (%s, %s)"};
const Words kStartRefused{"That start cannot be used: ", "その出発点は使えません: "};

// Each optimizer's colour, in KOBAI_OPTIMIZERS' order: far apart, and dark enough on the light contours.
const ImU32 kInk[kOptimizerCount] = {IM_COL32(30, 90, 210, 255),  IM_COL32(225, 100, 20, 255), IM_COL32(150, 60, 190, 255),
                                     IM_COL32(20, 150, 70, 255),   IM_COL32(200, 30, 60, 255),  IM_COL32(20, 20, 20, 255),
                                     IM_COL32(160, 120, 0, 255)};
const ImVec4 kRed(0.8f, 0.1f, 0.1f, 1);
constexpr int kGrid = 128;  // samples of f across and up

std::string num(double v) { return format_number(v); }
OptimizerKind kind_at(int i) { return OptimizerKind(i); }
const char* title_of(OptimizerKind k) { return optimizer_def(k).title; }

// --- the surface, the paths -------------------------------------------------------------------------------------

// The paths again from the start: every racing optimizer at step 0. A setting the engine refuses is said.
void restart(Paths& p) {
  p.step = 0, p.clock = 0;
  if (!p.surface) return;
  for (int i = 0; i < kOptimizerCount; ++i) {
    PathRun& r = p.runs[i];
    r = PathRun{};
    if (!p.settings.on(kind_at(i))) continue;
    try {
      DescentConfig c{p.settings.config(kind_at(i)), {p.settings.x, p.settings.y}, p.settings.noise, uint64_t(p.settings.seed)};
      r.descent = std::make_unique<Descent>(*p.surface, c);
      r.values.push_back(float(r.descent->values().front()));
    } catch (const InputError& e) {
      p.error = e.what();
    }
  }
}

// The box shown: the surface's own view, kept for a typed f.
void show_box(Paths& p, const ViewBox& v) { p.view = v, p.grid_dirty = true; }

// f from the settings: their expression, or their surface. A typed f that does not parse, or is not a number at
// the start, keeps the previous one and says why. True when f changed.
bool make_surface(Paths& p, const std::string& expr) {
  try {
    auto f = std::make_unique<Surface>(expr.empty() ? surface_def(p.settings.surface).expr : expr);
    f->check_start({p.settings.x, p.settings.y});
    p.surface = std::move(f);
    p.settings.expr = expr;
    p.error.clear();
    p.grid_dirty = true;
    return true;
  } catch (const InputError& e) {
    p.error = e.what();
    return false;
  }
}

void pick_surface(Paths& p, SurfaceKind k) {
  const SurfaceDef& d = surface_def(k);
  p.settings.surface = k, p.settings.x = d.start.x, p.settings.y = d.start.y;
  p.playing = false;
  if (make_surface(p, "")) show_box(p, d.view), p.typed = d.expr;
  restart(p);
  p.settings_changed = true;
}

// Settings that came whole (a link, the preset): f, the box, the paths.
void apply(Paths& p) {
  p.playing = false;
  std::string expr = p.settings.expr;
  if (!make_surface(p, expr) && !expr.empty()) {  // a link's f refused: its surface instead, and the message stays
    std::string why = p.error;
    p.settings.expr.clear();
    make_surface(p, "");
    p.error = why;
  }
  if (!p.surface) {  // the start itself refused on the table's surface: its own start
    p.settings.x = surface_def(p.settings.surface).start.x, p.settings.y = surface_def(p.settings.surface).start.y;
    make_surface(p, "");
  }
  show_box(p, surface_def(p.settings.surface).view);
  p.typed = p.settings.expr.empty() ? surface_def(p.settings.surface).expr : p.settings.expr;
  restart(p);
}

// One step for every racing path that has not stopped. False when none moved.
bool step_all(Paths& p) {
  if (p.step >= kMaxPathSteps) return false;
  bool moved = false;
  for (PathRun& r : p.runs) {
    if (!r.descent || r.descent->stopped()) continue;
    StepReport rep;
    if (r.descent->step(&rep)) r.last = std::move(rep), r.stepped = true, moved = true;
    r.values.push_back(float(r.descent->values().back()));
  }
  if (moved) ++p.step;
  return moved;
}

// f on a grid over the box, as log(f − fmin + 1) scaled to 0..1 (NaN, inf: −1). Only when f or the box changed.
void make_grid(Paths& p) {
  if (!p.surface) return;
  const ViewBox& b = p.view;
  p.grid.assign(size_t(kGrid) * kGrid, -1.f);
  std::vector<double> f(p.grid.size());
  double lo = INFINITY, hi = -INFINITY;
  for (int j = 0; j < kGrid; ++j)
    for (int i = 0; i < kGrid; ++i) {
      double v = p.surface->value({b.x0 + (b.x1 - b.x0) * i / (kGrid - 1), b.y0 + (b.y1 - b.y0) * j / (kGrid - 1)});
      f[size_t(j) * kGrid + size_t(i)] = v;
      if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
    }
  double top = std::log(hi - lo + 1);
  for (size_t k = 0; k < f.size(); ++k)
    if (std::isfinite(f[k])) p.grid[k] = top > 0 ? float(std::log(f[k] - lo + 1) / top) : 0.f;
  p.grid_box = b, p.grid_dirty = false, ++p.grid_version, p.texture_version = -1;
}

// --- the settings panel ---------------------------------------------------------------------------------------

void surface_menu(App& a, Paths& p) {
  ImGui::SetNextItemWidth(-1);
  const char* shown = p.settings.expr.empty() ? surface_def(p.settings.surface).title(a.lang) : T(kTyped, a);
  if (ImGui::BeginCombo("###paths_surface", shown)) {
    for (int i = 0; i < names_of<SurfaceKind>().count; ++i) {
      SurfaceKind k = SurfaceKind(i);
      bool now = p.settings.expr.empty() && k == p.settings.surface;
      std::string id = std::string("paths_surface_") + name_of(k);
      if (ImGui::Selectable((std::string(surface_def(k).title(a.lang)) + "###" + id).c_str(), now, 0, ImVec2(0, ui::touch_row(a))))
        pick_surface(p, k);
      remember(a, id.c_str());
    }
    ImGui::EndCombo();
  }
  remember(a, "paths_surface");
}

void expression_field(App& a, Paths& p) {
  ImGui::TextUnformatted(T(kTypeF, a));
  float use_w = ui::button_width(T(kUse, a));
  ImGui::SetNextItemWidth(std::max(60 * a.scale, ImGui::GetContentRegionAvail().x - use_w - ImGui::GetStyle().ItemSpacing.x));
  bool enter = ImGui::InputText("###paths_expr", &p.typed, ImGuiInputTextFlags_EnterReturnsTrue);
  remember(a, "paths_expr");
  ImGui::SameLine();
  if (button(a, "paths_use", kUse) || enter) {
    // The same text as a built-in surface's is that surface (its link stays short).
    std::string t = p.typed;
    if (t == surface_def(p.settings.surface).expr) t.clear();
    p.playing = false;
    if (make_surface(p, t)) restart(p), p.settings_changed = true;
  }
  if (!p.error.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, kRed);
    ImGui::BeginGroup();
    // The message's first line: the lines under it put a caret below the place, which only a fixed-width font
    // would line up (the line and column are in the first line).
    ui::paragraph(p.error.substr(0, p.error.find('\n')));
    ImGui::EndGroup();
    ImGui::PopStyleColor();
    remember(a, "paths_error");
  }
}

// One of the table's numbers or flags, by its kind; true when the student changed it.
bool control(App& a, Paths& p, const PathSetting& s, const char* id, float width, const char* label_text = nullptr) {
  PathSettings& v = p.settings;
  const std::string label = std::string(label_text ? label_text : s.label(a.lang)) + "###" + id;
  bool changed = false;
  ImGui::SetNextItemWidth(width);
  if (s.kind == SettingKind::flag) {
    bool on = s.get(v) != 0;
    if (ImGui::Checkbox(label.c_str(), &on)) s.set(v, on), changed = true;
  } else if (s.kind == SettingKind::number) {
    double x = s.get(v), lo = s.lo, hi = s.slider_hi ? s.slider_hi : s.hi;
    if (s.in_box ? ImGui::InputDouble(label.c_str(), &x, 0, 0, "%g", ImGuiInputTextFlags_EnterReturnsTrue)
                 : ImGui::SliderScalar(label.c_str(), ImGuiDataType_Double, &x, &lo, &hi, s.format))
      if (s.valid(x)) s.set(v, x), changed = true;  // a typed value out of range is not taken
  } else if (s.kind == SettingKind::whole) {
    int x = int(s.get(v));
    if (s.in_box ? ImGui::InputInt(label.c_str(), &x, 0, 0, ImGuiInputTextFlags_EnterReturnsTrue)
                 : ImGui::SliderInt(label.c_str(), &x, int(s.lo), int(s.hi)))
      s.set(v, std::clamp(double(x), s.lo, s.hi)), changed = true;
  }
  remember(a, id);
  return changed;
}

const PathSetting& setting_named(const char* key) { return *find_setting(path_settings(), key); }

void settings_panel(App& a, Paths& p) {
  surface_menu(a, p);
  if (p.settings.expr.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    ui::paragraph(surface_def(p.settings.surface).note(a.lang));
    ImGui::PopStyleColor();
    ImGui::Spacing();
  }
  expression_field(a, p);
  bool redo = false;
  float w = 110 * a.scale;
  ImGui::Spacing();
  ImGui::TextUnformatted(T(kOptimizers, a));
  ImGui::Separator();
  for (int i = 0; i < kOptimizerCount; ++i) {
    const char* name = kOptimizerNames[i];
    float sw = ImGui::GetFrameHeight() * 0.5f;
    ImVec2 c = ImGui::GetCursorScreenPos();
    ImGui::Dummy(ImVec2(sw, ImGui::GetFrameHeight()));
    ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(c.x, c.y + sw * 0.5f), ImVec2(c.x + sw, c.y + sw * 1.5f), kInk[i], 2 * a.scale);
    ImGui::SameLine();
    std::string on_id = std::string("paths_opt_") + name, lr_id = std::string("paths_lr_") + name;
    redo |= control(a, p, setting_named((std::string("op.") + name).c_str()), on_id.c_str(), w, title_of(kind_at(i)));
    ImGui::SameLine(sw + ImGui::GetStyle().ItemSpacing.x + ImGui::CalcTextSize("Momentum").x + ImGui::GetFrameHeight() * 2.2f);
    redo |= control(a, p, setting_named((std::string("op.lr.") + name).c_str()), lr_id.c_str(), std::min(w, ImGui::GetContentRegionAvail().x - 30 * a.scale));
  }
  ImGui::Spacing();
  ImGui::Separator();
  double x0 = p.settings.x, y0 = p.settings.y;
  bool moved = control(a, p, setting_named("op.x"), "paths_x", w);
  moved |= control(a, p, setting_named("op.y"), "paths_y", w);
  if (moved && p.surface) {  // a start where f is not a number is refused, as a click there is
    try {
      p.surface->check_start({p.settings.x, p.settings.y});
    } catch (const InputError& e) {
      p.error = T(kStartRefused, a) + std::string(e.what());
      p.settings.x = x0, p.settings.y = y0, moved = false;
    }
  }
  redo |= moved;
  redo |= control(a, p, setting_named("op.steps"), "paths_steps", w);
  redo |= control(a, p, setting_named("op.noise"), "paths_noise", w);
  redo |= control(a, p, setting_named("op.seed"), "paths_seed", w);
  redo |= control(a, p, setting_named("op.book"), "paths_book", w);
  if (redo) p.playing = false, restart(p), p.settings_changed = true;
}

// --- the view ----------------------------------------------------------------------------------------------------

void view(App& a, Paths& p, float height) {
  ImVec2 o = ImGui::GetCursorScreenPos(), avail(ImGui::GetContentRegionAvail().x, height);
  avail.x = std::max(avail.x, 50.f), avail.y = std::max(avail.y, 50.f);
  // The surface's box, widened in x or y to the panel's shape: one unit is as long across as up.
  const SurfaceDef& d = surface_def(p.settings.surface);
  ViewBox base = p.settings.expr.empty() ? d.view : p.view;
  double bw = base.x1 - base.x0, bh = base.y1 - base.y0, scale = std::min(avail.x / bw, avail.y / bh);
  double cx = (base.x0 + base.x1) / 2, cy = (base.y0 + base.y1) / 2, hw = avail.x / scale / 2, hh = avail.y / scale / 2;
  ViewBox box{cx - hw, cx + hw, cy - hh, cy + hh};
  if (std::abs(box.x0 - p.view.x0) + std::abs(box.x1 - p.view.x1) + std::abs(box.y0 - p.view.y0) + std::abs(box.y1 - p.view.y1) > 1e-9 * (bw + bh))
    p.view = box, p.grid_dirty = true;
  if (p.grid_dirty) make_grid(p);
  int px = std::max(16, int(avail.x)), py = std::max(16, int(avail.y));
  if (p.texture_version != p.grid_version || p.texture_w != px || p.texture_h != py) {
    std::string error;
    p.texture = contours_render(p.grid, kGrid, kGrid, px, py, &error);
    if (!error.empty()) p.error = error;
    p.texture_w = px, p.texture_h = py, p.texture_version = p.grid_version;
  }
  if (p.texture) ImGui::Image((ImTextureID)(intptr_t)p.texture, avail);
  else ImGui::Dummy(avail);
  remember(a, "paths_view");
  auto at = [&](Vec2 q) { return ImVec2(float(o.x + (q.x - p.view.x0) * scale), float(o.y + (p.view.y1 - q.y) * scale)); };
  if (ImGui::IsItemClicked(ImGuiMouseButton_Left) && p.surface) {  // a new start, where f is a number
    ImVec2 m = ImGui::GetIO().MousePos;
    Vec2 q{p.view.x0 + (m.x - o.x) / scale, p.view.y1 - (m.y - o.y) / scale};
    double r = std::pow(10.0, std::floor(std::log10((p.view.x1 - p.view.x0) / 1000)));  // to a pixel or so: short links
    q.x = std::round(q.x / r) * r, q.y = std::round(q.y / r) * r;
    try {
      p.surface->check_start(q);
      p.settings.x = q.x, p.settings.y = q.y, p.playing = false, p.settings_changed = true;
      p.error.clear();
      restart(p);
    } catch (const InputError& e) {
      p.error = T(kStartRefused, a) + std::string(e.what());
    }
  }
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->PushClipRect(o, ImVec2(o.x + avail.x, o.y + avail.y), true);
  // The axes through 0, when in the box.
  ImU32 axis = IM_COL32(120, 120, 120, 160);
  if (p.view.x0 < 0 && p.view.x1 > 0) dl->AddLine(at({0, p.view.y0}), at({0, p.view.y1}), axis, a.scale);
  if (p.view.y0 < 0 && p.view.y1 > 0) dl->AddLine(at({p.view.x0, 0}), at({p.view.x1, 0}), axis, a.scale);
  std::vector<ImVec2> line;
  for (int i = 0; i < kOptimizerCount; ++i) {
    const PathRun& r = p.runs[i];
    if (!r.descent) continue;
    const std::vector<Vec2>& pts = r.descent->points();
    line.clear();
    for (const Vec2& q : pts) {  // far outside the box: clamped, so the line still leaves in its direction
      ImVec2 s = at(q);
      line.push_back(ImVec2(std::clamp(s.x, o.x - 1e4f, o.x + 1e4f), std::clamp(s.y, o.y - 1e4f, o.y + 1e4f)));
    }
    dl->AddPolyline(line.data(), int(line.size()), kInk[i], 0, 2 * a.scale);
    if (pts.size() < 200)
      for (const ImVec2& s : line) dl->AddCircleFilled(s, 2.2f * a.scale, kInk[i], 8);
    dl->AddCircleFilled(line.back(), 4.5f * a.scale, kInk[i], 12);
    if (r.descent->stopped()) dl->AddCircle(line.back(), 7 * a.scale, kInk[i], 12, 2 * a.scale);
  }
  ImVec2 s = at({p.settings.x, p.settings.y});
  dl->AddCircle(s, 6 * a.scale, IM_COL32(0, 0, 0, 255), 16, 2 * a.scale);
  char buf[120];
  std::snprintf(buf, sizeof buf, T(kStartAt, a), num(p.settings.x).c_str(), num(p.settings.y).c_str());
  dl->AddText(ImVec2(o.x + 6 * a.scale, o.y + avail.y - ImGui::GetTextLineHeight() - 4 * a.scale), IM_COL32(40, 40, 40, 255), buf);
  dl->PopClipRect();
}

// The colours and names, in a row that wraps: which path is which.
void legend(App& a, Paths& p) {
  bool first = true;
  for (int i = 0; i < kOptimizerCount; ++i) {
    if (!p.runs[i].descent) continue;
    const char* t = title_of(kind_at(i));
    float sw = ImGui::GetTextLineHeight() * 0.7f, w = sw + 4 * a.scale + ImGui::CalcTextSize(t).x;
    if (!first) ui::flow(w);
    first = false;
    ImVec2 c = ImGui::GetCursorScreenPos();
    ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(c.x, c.y + sw * 0.25f), ImVec2(c.x + sw, c.y + sw * 1.25f), kInk[i], 2 * a.scale);
    ImGui::Dummy(ImVec2(sw, ImGui::GetTextLineHeight()));
    ImGui::SameLine(0, 4 * a.scale);
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(kInk[i]), "%s", t);
  }
  if (first) ImGui::TextColored(kRed, "%s", T(kNotRacing, a));
}

// --- the results: f against step, and the last step --------------------------------------------------------------

void loss_chart(App& a, Paths& p) {
  ImGui::TextUnformatted(T(kLossTitle, a));
  PlotSeries s[kOptimizerCount];
  int n = 0;
  bool positive = true;
  for (int i = 0; i < kOptimizerCount; ++i) {
    const PathRun& r = p.runs[i];
    if (!r.descent) continue;
    s[n++] = PlotSeries{title_of(kind_at(i)), r.values.data(), int(r.values.size()), 0, 1, kInk[i]};
    for (float v : r.values) positive = positive && v > 0;
  }
  PlotSpec spec;
  spec.size = ImVec2(0, 170 * a.scale);
  spec.log_y = positive;  // a saddle goes below 0: then a linear scale, or the paths would vanish from it
  spec.x_name = T(kStepAxis, a), spec.x_step = 1, spec.skipped_format = T(kNotOnLog, a);
  p.hover_plot.clear(), p.hover = plot::Readout{};
  plot::Readout r;
  if (Plot("###paths_plot", spec, s, n, &r)) p.hover_plot = "paths_plot", p.hover = r;
  remember(a, "paths_plot");
}

std::string pair_of(const ParamShown& x, const ParamShown& y, const char* key) {
  const ShownValue* a = x.find(key);
  const ShownValue* b = y.find(key);
  if (!a || !b || !a->value.size() || !b->value.size()) return "";
  return "(" + num(a->value(0, 0)) + ", " + num(b->value(0, 0)) + ")";
}

void one_step(App& a, Paths& p) {
  ImGui::TextUnformatted(T(kOneStepTitle, a));
  ImGui::Separator();
  bool any = false;
  for (int i = 0; i < kOptimizerCount; ++i) {
    const PathRun& r = p.runs[i];
    if (!r.descent) continue;
    OptimizerKind k = kind_at(i);
    ImGui::Spacing();  // one block per optimizer
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(kInk[i]), "%s  (η = %s)", title_of(k), num(p.settings.lr(k)).c_str());
    if (r.descent->stopped()) {
      ImGui::PushStyleColor(ImGuiCol_Text, kRed);
      ui::paragraph(r.descent->message());
      ImGui::PopStyleColor();
    }
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    ui::paragraph(rule_of(k, p.settings.book && optimizer_def(k).in_book));
    ui::paragraph(optimizer_def(k).idea(a.lang));  // what the rule does (Adadelta's: why it starts slowly)
    ImGui::PopStyleColor();
    if (!r.stepped) continue;
    any = true;
    const StepReport& s = r.last;
    char buf[200];
    std::snprintf(buf, sizeof buf, T(kFrom, a), s.step, num(s.from.x).c_str(), num(s.from.y).c_str(), num(s.value_from).c_str());
    ui::paragraph(buf);
    if (s.shown.params.size() < 2) continue;
    const ParamShown& x = s.shown.params[0];
    const ParamShown& y = s.shown.params[1];
    ImGui::Indent();
    for (const ShownValue& v : x.values)  // ∇, the state in the rule's order, ΔW: each as (x, y)
      ui::paragraph(std::string(v.symbol) + " = " + pair_of(x, y, v.key) + "   " + v.meaning(a.lang));
    ImGui::Unindent();
  }
  if (!any) {
    ImGui::Spacing();
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    ui::paragraph(T(kNoStepYet, a));
    ImGui::PopStyleColor();
  }
  remember(a, "paths_shown");
}

// --- the lab -------------------------------------------------------------------------------------------------------

void paths_frame(App& a, float dt) {
  Paths& p = a.paths;
  if (!p.surface) apply(p);
  if (p.settings_changed) p.settings_changed = false, a.changed = true;  // the link follows the settings
  if (p.playing) {  // the whole run in about four seconds, at least ten steps a second
    p.clock += dt * std::max(10.0, p.settings.steps / 4.0);
    for (int n = 0; p.clock >= 1 && n < 50; ++n) {
      p.clock -= 1;
      if (p.step >= p.settings.steps || !step_all(p)) {
        p.playing = false;
        break;
      }
    }
    if (p.step >= p.settings.steps) p.playing = false;
  }
  bool can_step = p.step < kMaxPathSteps;
  if (button(a, "paths_play", p.playing ? kPause : kPlay, p.surface != nullptr)) {
    if (!p.playing && p.step >= p.settings.steps) restart(p);  // played to the end: again from the start
    p.playing = !p.playing, p.clock = 1;
  }
  if (ui::flow_button(a, "paths_step", kOneStep, can_step && !p.playing)) step_all(p);
  if (ui::flow_button(a, "paths_reset", kReset)) p.playing = false, restart(p);
  if (ui::flow_button(a, "paths_preset", kPreset)) {  // the book's Figure 6-8: its surface, start, steps, four optimizers
    const PathPreset& f = *find_path_preset("fig6-8");
    PathSettings s;
    s.surface = f.surface, s.x = f.start.x, s.y = f.start.y, s.steps = f.steps, s.book = true;
    for (int i = 0; i < kOptimizerCount; ++i) s.on(kind_at(i)) = false;
    for (const OptConfig& c : f.optimizers) s.on(c.kind) = true, s.lr(c.kind) = c.lr;
    p.settings = s, p.settings_changed = true;
    apply(p);
  }
  char buf[80];
  std::snprintf(buf, sizeof buf, T(kStepOf, a), p.step, p.settings.steps);
  ui::flow(ImGui::CalcTextSize(buf).x);
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(buf);
  remember(a, "paths_status");
  if (a.narrow) {  // a phone: the settings, the paths and the steps one at a time, each with the full width
    ui::tab_row(a, {{"paths_tab_settings", &kSettingsTab}, {"paths_tab_view", &kViewTab}, {"paths_tab_steps", &kStepsTab}}, &p.pane);
    float h = ImGui::GetContentRegionAvail().y;
    ImGui::BeginChild(p.pane == 0 ? "###paths_left" : p.pane == 1 ? "###paths_centre" : "###paths_right", ImVec2(-1, h), true,
                      ImGuiWindowFlags_NoBackground | (p.pane == 1 ? ImGuiWindowFlags_NoScrollbar : 0));
    if (p.pane == 0) settings_panel(a, p);
    if (p.pane == 1) {
      float legend_h = 2 * ImGui::GetTextLineHeightWithSpacing() + ImGui::GetTextLineHeightWithSpacing();
      view(a, p, std::min(ImGui::GetContentRegionAvail().x, ImGui::GetContentRegionAvail().y - legend_h));
      legend(a, p);
      ui::quiet_paragraph(T(kClickStart, a));
    }
    if (p.pane == 2) loss_chart(a, p), ImGui::Spacing(), one_step(a, p);
    ImGui::EndChild();
    return;
  }
  float right = std::min(380 * a.scale, ImGui::GetContentRegionAvail().x * 0.32f);
  float left = std::min(300 * a.scale, ImGui::GetContentRegionAvail().x * 0.27f), h = ImGui::GetContentRegionAvail().y;
  ImGui::BeginChild("###paths_left", ImVec2(left, h), true, ImGuiWindowFlags_NoBackground);
  settings_panel(a, p);
  ImGui::EndChild();
  ImGui::SameLine();
  ImGui::BeginChild("###paths_centre", ImVec2(ImGui::GetContentRegionAvail().x - right - ImGui::GetStyle().ItemSpacing.x, h), true,
                    ImGuiWindowFlags_NoBackground | ImGuiWindowFlags_NoScrollbar);
  legend(a, p);
  float below = ImGui::GetTextLineHeightWithSpacing();
  view(a, p, ImGui::GetContentRegionAvail().y - below);
  ui::quiet_paragraph(T(kClickStart, a));
  ImGui::EndChild();
  ImGui::SameLine();
  ImGui::BeginChild("###paths_right", ImVec2(right, h), true, ImGuiWindowFlags_NoBackground);
  loss_chart(a, p);
  ImGui::Spacing();
  one_step(a, p);
  ImGui::EndChild();
}


bool paths_moving(const App& a) { return a.paths.playing; }

void paths_key(App& a, Key k) {  // → one step, Space play or pause
  Paths& p = a.paths;
  if (k == Key::Right && !p.playing) step_all(p);
  if (k == Key::Space && p.surface) p.playing = !p.playing, p.clock = 1;
}

void paths_read_link(App& a, const PageLink& l) {
  if (l.mode != "paths") return;
  a.paths.settings = l.paths;
  apply(a.paths);
}

void paths_write_link(const App& a, PageLink& l) { l.paths = a.paths.settings; }

void paths_state(const App& a, nlohmann::json& j) {
  const Paths& p = a.paths;
  nlohmann::json& g = j["paths"];  // one key at a time: nested initializer lists cost the page kilobytes
  settings_state(path_settings(), p.settings, g);  // every setting, by the table's name for it
  g["expr"] = p.surface ? p.surface->expr() : std::string();
  g["typed"] = !p.settings.expr.empty();
  g["start"] = std::vector<double>{p.settings.x, p.settings.y};
  g["step"] = p.step, g["playing"] = p.playing, g["error"] = p.error;
  g["view"] = std::vector<double>{p.view.x0, p.view.x1, p.view.y0, p.view.y1};
  g["grid_version"] = p.grid_version;
  g["plot"] = p.hover_plot, g["plot_x"] = p.hover.x, g["plot_y"] = p.hover.y;
  nlohmann::json& list = g["optimizers"];
  list = nlohmann::json::array();
  for (int i = 0; i < kOptimizerCount; ++i) {
    const PathRun& r = p.runs[i];
    if (!r.descent) continue;
    nlohmann::json o;
    o["name"] = kOptimizerNames[i];
    o["lr"] = p.settings.lr(kind_at(i));
    o["steps"] = r.descent->steps();
    o["point"] = std::vector<double>{r.descent->points().back().x, r.descent->points().back().y};
    o["value"] = r.descent->values().back();
    o["message"] = r.descent->message();
    if (r.stepped && r.last.shown.params.size() == 2) {  // the last step's values, each as [x, y], by key
      nlohmann::json& shown = o["shown"];
      for (const ShownValue& v : r.last.shown.params[0].values)
        if (const ShownValue* w = r.last.shown.params[1].find(v.key)) shown[v.key] = std::vector<double>{v.value(0, 0), w->value(0, 0)};
    }
    list.push_back(o);
  }
}

}  // namespace

// Its code (the optimizers' paths, the contours, the charts) arrives when it is first opened. Its functions' names
// are its own (paths_...), as web/split-labs.py finds them by name.
extern const Lab kPathsLab{"paths", kPathsTitle, kPathsShortTitle, true, paths_frame, paths_moving, paths_key, paths_read_link, paths_write_link, paths_state};

}  // namespace kobai
