// kobai page, the walkthrough lab: step a computational graph node by node.
//
//   toolbar        step, back, reset, run to the end of a phase, play, next iteration, quiz mode, fit
//   lessons        the built-in lessons, the expression editor and the inputs
//   this step      the step view, the gradient through time (a loop's), the lesson's goal, the gradient check, the keys
//   frame          side by side on a wide window; tabs (lessons, graph, this step) on a narrow one
#include "labs/labs.h"

#include "lesson.h"
#include "platform.h"
#include "report.h"
#include "ui.h"
#include "windows.h"
#include "widgets/graph_view.h"
#include "widgets/step_view.h"

#include <imgui.h>
#include <misc/cpp/imgui_stdlib.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>

namespace kobai {
namespace {

using ui::button;
using ui::flow_button;
using ui::remember;
using ui::T;
using ui::fill;

const Words kTitle{"Walkthrough", "計算グラフ"};
const Words kReset{"Reset", "リセット"};
const Words kBack{"◀ Back", "◀ 戻る"};
const Words kStep{"Step ▶", "進む ▶"};
const Words kRunPhase{"Run phase", "フェーズ終了まで"};
const Words kFileLesson{"Your lesson (from a file or link)", "あなたのレッスン（ファイルかリンクから）"};
const Words kOpenLesson{"Open a lesson file…", "レッスンファイルを開く…"};
const Words kPlay{"Play", "再生"};
const Words kPause{"Pause", "一時停止"};
const Words kNextIteration{"Next iteration", "次の反復"};
const Words kFit{"Fit", "全体表示"};
const Words kMore{"⋯", "⋯"};
const Words kShowLessons{"Lessons ▸", "レッスン ▸"};
const Words kHideLessons{"◂ Lessons", "◂ レッスン"};
const Words kStepOf{"step %d of %d", "ステップ %d / %d"};
const Words kIteration{"iteration %d", "反復 %d"};
const Words kLessons{"Lessons", "レッスン"};
const Words kGraphTab{"Graph", "グラフ"};
const Words kStepTab{"This step", "このステップ"};
const Words kExpression{"Expression", "式"};
const Words kExprHint{"Enter rebuilds. Statements are separated by ';'.", "Enter で再構築。文は ; で区切る。"};
const Words kInputs{"Inputs", "入力"};
const Words kBuild{"Build", "構築"};
const Words kGoal{"Goal", "学習のねらい"};
const Words kGradCheck{"Gradient check", "勾配確認"};
const Words kChecking{"checking…", "確認中…"};
const Words kBackprop{"backprop", "逆伝播"};
const Words kNumerical{"numerical", "数値微分"};
const Words kRelError{"rel. error", "相対誤差"};
const Words kKeys{"Keys: → step  ← back  Home reset  End run phase  Space play  N next iteration  1-9, 0 lesson  E edit "
                  "(Tab next field, Esc leave)  L language  F fit",
                  "キー: → 進む  ← 戻る  Home リセット  End フェーズ終了  Space 再生  N 次の反復  1-9, 0 レッスン  E 式を編集 "
                  "(Tab 次の欄, Esc 終了)  L 言語  F 全体表示"};
const Words kTouchHelp{"Drag to move the graph, pinch to zoom, tap a node for its matrices.",
                       "ドラッグでグラフを移動、ピンチで拡大縮小、ノードをタップで行列を表示。"};
const Words kTypedExpression{"(your expression)", "（入力した式）"};
const Words kThroughTime{"Gradient through time", "時間をさかのぼる勾配"};
const Words kThroughTimeHint{"It flows back from t = {last} to t = {first}: each step multiplies it by that step's local "
                             "derivatives, so it shrinks or grows (a loss at a step adds its own part there).",
                             "勾配は t = {last} から t = {first} へ流れる。各時刻の局所的な微分が掛かるので、小さくなったり大きく"
                             "なったりする（その時刻の損失があれば、その分が加わる）。"};

// The controls used less often: on a wide window in the bar, on a narrow one behind "⋯".
void more_controls(App& a) {
  Walk& w = *a.walk;
  if (a.narrow ? button(a, "run", kRunPhase, !w.at_end()) : flow_button(a, "run", kRunPhase, !w.at_end())) run_phase(a);
  ui::flow(100 * a.scale);
  ImGui::SetNextItemWidth(90 * a.scale);
  const WalkthroughSetting& s = walkthrough_settings()[0];  // wt.speed: its range and format from the table
  float speed = float(a.walkthrough.speed);
  if (ImGui::SliderFloat((std::string("###speed") + T(s.label, a)).c_str(), &speed, float(s.lo), float(s.slider_hi), s.format)) a.walkthrough.speed = speed, a.changed = true;
  remember(a, "speed");
  if (!w.params().empty() && w.lr() != 0 && flow_button(a, "next_iteration", kNextIteration, w.at_end())) next_iteration(a);
  ui::quiz_mode_switch(a);
  if (flow_button(a, "fit", kFit)) a.view.fit_pending = true;
}

void toolbar(App& a) {
  Walk& w = *a.walk;
  bool back_ok = w.position() > 0 || w.iteration() > 0;
  if (!a.narrow) {  // on a narrow window the lessons are a tab of their own
    if (button(a, "show_lessons", a.show_lessons ? kHideLessons : kShowLessons)) a.show_lessons = !a.show_lessons;
    ImGui::SameLine();
  }
  if (button(a, "reset", kReset, back_ok)) reset(a);
  if (flow_button(a, "back", kBack, back_ok)) back(a);
  if (flow_button(a, "step", kStep, !w.at_end())) step(a);
  if (flow_button(a, "play", a.playing ? kPause : kPlay, !w.at_end() || a.playing)) a.playing = !a.playing, a.play_clock = 0;
  if (a.narrow) {
    if (flow_button(a, "more", kMore)) ImGui::OpenPopup("###more_popup");
    if (ImGui::BeginPopup("###more_popup")) {
      more_controls(a);
      ImGui::EndPopup();
    }
  } else {
    more_controls(a);
  }
  char buf[96];
  std::snprintf(buf, sizeof buf, T(kStepOf, a), w.position(), int(w.plan().size()));
  std::string status = std::string(w.position() ? phase_name(w.phase(), a.lang) : "—") + " · " + buf;
  if (w.iteration() > 0) {
    std::snprintf(buf, sizeof buf, T(kIteration, a), w.iteration() + 1);
    status += std::string("  ") + buf;
  }
  ui::flow(ImGui::CalcTextSize(status.c_str()).x);
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(status.c_str());
  remember(a, "status");
}

void lessons_panel(App& a) {
  ImGui::TextUnformatted(T(kLessons, a));
  ImGui::Separator();
  // A part folds (25 lessons would push the expression editor out of sight); the part of a lesson just opened
  // unfolds, whatever opened it: a click, a key or a link.
  const bool opened = a.lesson_id != a.lessons_unfolded_for;
  a.lessons_unfolded_for = a.lesson_id;
  const int current = a.lesson_from_file ? -1 : lesson_part(a.lesson_id);
  // A teacher's lesson, from a file opened or dropped, or from a link: first, above the built-in ones.
  if (a.file_lesson) {
    ui::quiet_paragraph(T(kFileLesson, a));
    if (ui::wrapped_selectable(a, "lesson_file", a.file_lesson->title(a.lang), a.lesson_from_file)) {
      load_lesson(a, *a.file_lesson);
      if (a.narrow) a.pane = 1;
    }
  }
  if (ui::button(a, "open_lesson", kOpenLesson)) platform::read_text("", -1);  // a lesson or question file, by content
  const auto& parts = lesson_parts();
  const auto& lessons = builtin_lessons();
  bool open = false;
  for (size_t i = 0; i < lessons.size(); ++i) {
    const Lesson& l = lessons[i];
    const int p = lesson_part(l.id);
    if (i == 0 || p != lesson_part(lessons[i - 1].id)) {
      if (opened && p == current) ImGui::SetNextItemOpen(true);
      open = ImGui::CollapsingHeader((std::string(parts[p].title(a.lang)) + "###part_" + std::to_string(p)).c_str());
      remember(a, ("part_" + std::to_string(p)).c_str());
    }
    if (!open) continue;
    // A title too long for the panel takes a second line rather than being cut.
    bool picked = ui::wrapped_selectable(a, ("lesson_" + l.id).c_str(), std::to_string(i + 1) + ". " + l.title(a.lang),
                                         !a.lesson_from_file && a.lesson_id == l.id);
    if (picked) {
      load_lesson(a, l.id);
      if (a.narrow) a.pane = 1;  // a phone: straight to the graph
    }
  }
  ImGui::Spacing();
  ImGui::TextUnformatted(T(kExpression, a));
  ImGui::Separator();
  ImGui::SetNextItemWidth(-1);
  if (a.focus_editor) ImGui::SetKeyboardFocusHere(), a.focus_editor = false;
  bool enter = ImGui::InputText("###expr", &a.expr, ImGuiInputTextFlags_EnterReturnsTrue);
  remember(a, "expr");
  if (!a.error.empty() && a.error_line == 1 && a.error_column > 0) {  // mark the column under the editor's text
    ImVec2 p = ImGui::GetItemRectMin(), q = ImGui::GetItemRectMax();
    const char* end = a.expr.c_str();
    for (int c = 1; c < a.error_column && *end; ++c)  // columns count characters, not bytes
      do ++end; while ((static_cast<unsigned char>(*end) & 0xC0) == 0x80);
    float x = p.x + ImGui::GetStyle().FramePadding.x + ImGui::CalcTextSize(a.expr.c_str(), end).x;
    if (x < q.x) {
      float s = 5 * a.scale;
      ImGui::GetWindowDrawList()->AddTriangleFilled(ImVec2(x, q.y - s), ImVec2(x - s, q.y + s * 0.6f), ImVec2(x + s, q.y + s * 0.6f), IM_COL32(210, 30, 30, 255));
    }
  }
  ui::quiet_paragraph(T(kExprHint, a));
  if (!a.error.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32(200, 30, 30, 255));
    ImGui::PushTextWrapPos(0);
    // The message's first line; its caret line needs a fixed-width font, so the editor shows a marker instead.
    ImGui::TextUnformatted(a.error.substr(0, a.error.find('\n')).c_str());
    ImGui::PopTextWrapPos();
    ImGui::PopStyleColor();
    remember(a, "error");
  }
  ImGui::Spacing();
  ImGui::TextUnformatted(T(kInputs, a));
  ImGui::Separator();
  for (auto& [name, text] : a.inputs) {
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(name.c_str());
    ImGui::SameLine(70 * a.scale);
    ImGui::SetNextItemWidth(-1);
    if (ImGui::InputText(("###in_" + name).c_str(), &text, ImGuiInputTextFlags_EnterReturnsTrue)) enter = true;
    remember(a, ("in_" + name).c_str());
  }
  if (button(a, "build", kBuild)) enter = true;
  if (enter) rebuild_from_editor(a);
}

// 勾配確認: the engine's check, run a few milliseconds a frame (frame() advances it), with its step, precision
// and tolerance said, and which entries of a large input it checked.
void gradient_check_panel(App& a) {
  if (!ImGui::CollapsingHeader((std::string(T(kGradCheck, a)) + "###gradcheck").c_str(), ImGuiTreeNodeFlags_DefaultOpen)) return;
  remember(a, "gradcheck");
  ui::quiet_paragraph(check_header(a.lang));
  if (!a.check) return;
  if (!a.check->done()) {
    ImGui::ProgressBar(float(a.check->progress()), ImVec2(-1, 0), T(kChecking, a));
    remember(a, "gradcheck_progress");
    return;
  }
  // Input, backprop, numerical, relative error: a row per input (ui::text_table), the numbers under the pointer. The
  // name and the error keep their width; the two values share the rest (a matrix's text is cut, whole on hover).
  const std::vector<GradCheck>& results = a.check->results();
  std::vector<std::string> cells = {"", T(kBackprop, a), T(kNumerical, a), T(kRelError, a)};
  std::vector<unsigned> ink(4, 0);
  const ImU32 disabled = ImGui::GetColorU32(ImGuiCol_TextDisabled);
  for (const GradCheck& c : results) {
    char err[32];
    std::snprintf(err, sizeof err, "%.1e", c.rel_error);
    cells.insert(cells.end(), {c.input, compact(c.backprop), c.checked() ? compact(c.numerical) : "—", c.checked() ? err : "—"});
    ink.insert(ink.end(), {0, 0, c.checked() ? 0 : disabled, !c.checked() ? disabled : c.ok() ? IM_COL32(25, 140, 50, 255) : IM_COL32(204, 25, 25, 255)});
  }
  int at = ui::text_table(cells, 4, true, ink, ImGui::GetContentRegionAvail().x, 0b0110);
  if (at >= 4) {
    const GradCheck& c = results[size_t(at / 4 - 1)];
    const Mat& m = at % 4 == 1 ? c.backprop : c.numerical;  // NaN where an entry was not checked
    if ((at % 4 == 1 || at % 4 == 2) && m.size() > 1) {
      ImGui::BeginTooltip();
      matrix_table(m, at % 4 == 1 ? "##cb" : "##cn");
      ImGui::EndTooltip();
    } else if (at % 4 == 3) {
      std::string why = check_entries(c, a.lang);
      if (c.checked()) why += (why.empty() ? "" : "\n") + check_verdict(c, a.lang);
      if (!why.empty()) ImGui::SetTooltip("%s", why.c_str());
    }
  }
  for (const GradCheck& c : results)  // a sample of a large input: said under the table, not only on hover
    if (!c.complete()) {
      ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
      ui::paragraph(c.input + ": " + check_entries(c, a.lang));
      ImGui::PopStyleColor();
    }
}

// The size of ∂L/∂h[t] for each time step, as far as the backward pass has gone: a bar per step, on a log scale
// when the sizes span more than a decade. For a graph whose loop carries a value from step to step.
std::vector<double> through_time(const App& a, std::string& name) {
  const Graph& g = a.walk->graph();
  std::vector<std::string> names = carried_names(g);
  if (names.empty()) return {};
  auto has = [&](const std::string& n) { return std::find(names.begin(), names.end(), n) != names.end(); };
  name = has(a.time_chart) ? a.time_chart : has("h") ? "h" : names.front();  // ∂L/∂h[t] unless another is picked
  std::vector<double> out;
  for (int n : carried_nodes(g, name)) {
    const Mat& d = n >= 0 ? a.walk->state().grad[size_t(n)] : Mat();
    out.push_back(d.size() ? d.norm() : NAN);
  }
  return out;
}

void time_chart(App& a) {
  std::string name;
  std::vector<double> v = through_time(a, name);
  if (v.empty()) return;
  const Graph& g = a.walk->graph();
  ImGui::Spacing();
  ImGui::TextUnformatted(T(kThroughTime, a));
  ImGui::Separator();
  std::vector<std::string> names = carried_names(g);
  for (const std::string& n : names) {  // which carried value: h, c
    if (names.size() < 2) break;
    ImGui::SameLine();
    std::string label = (n == name ? "● " : "○ ") + n, id = "time_chart_" + n;
    if (button(a, id.c_str(), Words{label.c_str(), label.c_str()})) a.time_chart = n;
  }
  ImGui::TextUnformatted(("‖∂" + g.nodes[size_t(g.output)].name + "/∂" + name + "[t]‖").c_str());
  double lo = INFINITY, hi = 0;
  for (double x : v)
    if (std::isfinite(x) && x > 0) lo = std::min(lo, x), hi = std::max(hi, x);
  bool log = hi > 0 && hi / lo > 10;
  auto height = [&](double x) {  // 0..1
    if (!std::isfinite(x) || x <= 0 || hi <= 0) return 0.0;
    return log ? 0.08 + 0.92 * std::log(x / lo) / std::log(hi / lo) : x / hi;
  };
  float k = a.scale, w = ImGui::GetContentRegionAvail().x, h = 70 * k, label = ImGui::GetTextLineHeight();
  ImVec2 p = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton("###time_chart", ImVec2(w, h + label * 1.2f));
  remember(a, "time_chart");
  ImDrawList* dl = ImGui::GetWindowDrawList();
  int steps = int(v.size()), hovered = -1;
  float bw = w / float(steps);
  for (int t = 0; t < steps; ++t) {
    float x0 = p.x + t * bw + bw * 0.15f, x1 = p.x + (t + 1) * bw - bw * 0.15f, y1 = p.y + h;
    dl->AddRectFilled(ImVec2(x0, y1 - float(height(v[size_t(t)])) * h), ImVec2(x1, y1), IM_COL32(200, 80, 40, 255));
    dl->AddLine(ImVec2(x0, y1), ImVec2(x1, y1), IM_COL32(150, 155, 165, 255));
    if (bw > label * 1.6f || t == 0 || t == steps - 1) {
      std::string tv = std::to_string(g.steps[size_t(t)].value);
      float tw = ImGui::CalcTextSize(tv.c_str()).x;
      dl->AddText(ImVec2((x0 + x1 - tw) / 2, y1 + 2), ImGui::GetColorU32(ImGuiCol_TextDisabled), tv.c_str());
    }
    if (ImGui::IsMouseHoveringRect(ImVec2(p.x + t * bw, p.y), ImVec2(p.x + (t + 1) * bw, y1 + label))) hovered = t;
  }
  if (hovered >= 0 && std::isfinite(v[size_t(hovered)]))
    ImGui::SetTooltip("%s = %s", (g.steps[size_t(hovered)].counter + " " + std::to_string(g.steps[size_t(hovered)].value)).c_str(),
                      format_number(v[size_t(hovered)]).c_str());
  // The two ends in numbers, once known: how much the gradient changed on its way back.
  if (std::isfinite(v.front()) && std::isfinite(v.back()))
    ImGui::Text("t = %d: %s   t = %d: %s%s", g.steps.back().value, format_number(v.back()).c_str(), g.steps.front().value,
                format_number(v.front()).c_str(), log ? "  (log)" : "");
  ui::paragraph(fill(T(kThroughTimeHint, a), {{"{last}", std::to_string(g.steps.back().value)}, {"{first}", std::to_string(g.steps.front().value)}}));
}

void step_panel(App& a) {
  step_view(a);
  time_chart(a);
  const Lesson* l = current_lesson(a);
  ImGui::Spacing();
  ImGui::TextUnformatted(T(kGoal, a));
  ImGui::Separator();
  ui::paragraph(l ? l->goal(a.lang) : T(kTypedExpression, a));
  ImGui::Spacing();
  gradient_check_panel(a);
  ImGui::Spacing();
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  ui::paragraph(T(a.touch ? kTouchHelp : kKeys, a));
  ImGui::PopStyleColor();
}

// A panel of the layout: a child window that scrolls on its own.
template <class Draw>
void panel(const char* id, float w, float h, ImGuiWindowFlags flags, Draw draw) {
  ImGui::BeginChild(id, ImVec2(w, h), true, ImGuiWindowFlags_NoBackground | flags);
  draw();
  ImGui::EndChild();
}

void frame(App& a, float) {
  if (a.view.toggle >= 0) {  // a cell tapped in the last frame
    fold_cell(a, a.view.toggle, !a.folded[size_t(a.view.toggle)]);
    a.view.toggle = -1;
  }
  follow_cells(a);
  toolbar(a);
  float h = ImGui::GetContentRegionAvail().y;
  const ImGuiWindowFlags still = ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse;
  if (a.narrow) {  // a phone: one panel at a time, the graph with the full width
    ui::tab_row(a, {{"tab_lessons", &kLessons}, {"tab_graph", &kGraphTab}, {"tab_step", &kStepTab}}, &a.pane);
    h = ImGui::GetContentRegionAvail().y;
    if (a.pane == 0) panel("###lessons_pane", -1, h, 0, [&] { lessons_panel(a); });
    if (a.pane == 2) panel("###step_pane", -1, h, 0, [&] { step_panel(a); });
    if (a.pane == 1) {  // the graph, and under it the step's gist
      float summary = 3.6f * ImGui::GetTextLineHeightWithSpacing() + 2 * ImGui::GetStyle().WindowPadding.y;
      panel("###canvas_panel", -1, std::max(80 * a.scale, h - summary - ImGui::GetStyle().ItemSpacing.y), still,
            [&] { graph_view(a, a.view, *a.walk, a.layout); });
      panel("###summary_pane", -1, ImGui::GetContentRegionAvail().y, 0, [&] { step_summary(a); });
    }
    return;
  }
  float right = std::min(380 * a.scale, ImGui::GetContentRegionAvail().x * 0.34f);
  if (a.show_lessons) {
    panel("###left", std::min(290 * a.scale, ImGui::GetContentRegionAvail().x * 0.24f), h, 0, [&] { lessons_panel(a); });
    ImGui::SameLine();
  }
  panel("###canvas_panel", ImGui::GetContentRegionAvail().x - right - ImGui::GetStyle().ItemSpacing.x, h, still,
        [&] { graph_view(a, a.view, *a.walk, a.layout); });
  ImGui::SameLine();
  panel("###right", right, h, 0, [&] { step_panel(a); });
}

bool moving(const App& a) { return a.playing; }

void key(App& a, Key k) {
  switch (k) {
    case Key::Right: step(a); break;
    case Key::Left: back(a); break;
    case Key::Home: reset(a); break;
    case Key::End: run_phase(a); break;
    case Key::Space: a.playing = !a.playing, a.play_clock = 0; break;
    case Key::N: next_iteration(a); break;
    case Key::F: a.view.fit_pending = true; break;
    case Key::E: a.focus_editor = true, a.pane = 0; break;
    default: {  // 1..9, 0: the lessons in the list; not while a step's question waits (digits are answers then)
      if (a.walkthrough.quiz && a.step_quiz.asking == a.walk->position() && a.step_quiz.cleared != a.walk->position()) break;
      if (k < Key::Lesson1) break;
      size_t i = size_t(k) - size_t(Key::Lesson1);
      if (i < builtin_lessons().size()) load_lesson(a, builtin_lessons()[i].id);
    }
  }
}

// The graph's part of the link (lesson or expr, inputs, iter, step) is the page's own: every lab keeps a graph.
// The walkthrough's own: its settings, when the link shows it.
void read_link(App& a, const PageLink& l) {
  if (!l.mode.empty() && l.mode != "walkthrough") return;
  if (a.walkthrough.quiz != l.walkthrough.quiz) a.step_quiz.asking = a.step_quiz.cleared = -1;
  a.walkthrough = l.walkthrough;
}
void write_link(const App& a, PageLink& l) { l.walkthrough = a.walkthrough; }

void state(const App& a, nlohmann::json& j) {
  j["playing"] = a.playing;
  std::string name;  // the gradient through time: null where not known yet
  std::vector<double> tt = through_time(a, name);
  nlohmann::json& tc = j["time_chart"];
  tc["name"] = name, tc["norms"] = nlohmann::json::array();
  for (double x : tt) tc["norms"].push_back(std::isfinite(x) ? nlohmann::json(x) : nlohmann::json());
  nlohmann::json& win = j["window"];  // a conv or pooling step opened window by window
  const Step* st = a.walk->position() ? a.walk->current() : nullptr;
  int count = st && (st->kind == StepKind::Forward || st->kind == StepKind::Backward) ? window_count(a.walk->graph(), st->node) : 0;
  win["count"] = count;
  if (count) {
    int k = a.window.first == a.walk->position() ? std::clamp(a.window.second, 0, count - 1) : 0;
    const WalkState& ws = a.walk->state();
    WindowView v = window_view(a.walk->graph(), ws.value, st->kind == StepKind::Backward ? ws.grad : Values(ws.value.size()), st->node, k, a.lang);
    win["k"] = k, win["forward"] = v.forward, win["backward"] = v.backward, win["top"] = v.top, win["left"] = v.left;
    win["arg"] = {v.arg_y, v.arg_x};
  }
  nlohmann::json& cells = j["cells"];
  cells = nlohmann::json::array();
  for (bool f : a.folded) cells.push_back(f);
  nlohmann::json& v = j["view"];  // one key at a time: nested initializer lists cost the page kilobytes
  v["zoom"] = a.view.zoom, v["x"] = a.view.cam.x, v["y"] = a.view.cam.y;
  v["pinned"] = a.view.pinned >= 0 ? a.walk->graph().nodes[size_t(a.view.pinned)].name : "";
  j["pane"] = a.pane, j["show_lessons"] = a.show_lessons;
  settings_state(walkthrough_settings(), a.walkthrough, j["walkthrough"]);
  // The score is the page's, from the quiz lab and this quiz mode alike: told before the quiz lab's code is in.
  nlohmann::json& score = j["quiz"];
  score["right"] = a.progress.right, score["answered"] = a.progress.answered, score["streak"] = a.progress.streak;
  nlohmann::json& sq = j["step_quiz"];
  sq["on"] = a.walkthrough.quiz, sq["feedback"] = int(a.step_quiz.feedback), sq["message"] = a.step_quiz.message;
  sq["asking"] = a.step_quiz.asking == a.walk->position() && a.step_quiz.cleared != a.walk->position();
  nlohmann::json& ck = j["check"];  // the gradient check: under way, or its results
  ck["done"] = a.check && a.check->done(), ck["progress"] = a.check ? a.check->progress() : 0.0;
  ck["results"] = nlohmann::json::array();
  if (a.check && a.check->done())
    for (const GradCheck& c : a.check->results()) {
      nlohmann::json r;
      r["input"] = c.input, r["ok"] = c.ok(), r["checked"] = c.entries.size(), r["entries"] = c.backprop.size();
      r["rel_error"] = c.rel_error, r["tolerance"] = c.tolerance(), r["verdict"] = check_verdict(c, a.lang);
      r["first"] = c.backprop.size() ? c.backprop(0, 0) : 0.0;  // backprop's first entry, as the table shows it
      ck["results"].push_back(r);
    }
}

}  // namespace

extern const Lab kWalkthroughLab{"walkthrough", kTitle, kTitle, false, frame, moving, key, read_link, write_link, state};

}  // namespace kobai
