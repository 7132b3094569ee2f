// kobai page: one frame of the interface, drawn with Dear ImGui from the App's state.
//
//   words        every piece of UI text, in English and Japanese
//   loading      lessons, typed expressions, links
//   controls     step, back, reset, run to the end of a phase, play, next iteration
//   panels       the top bar, the lessons and the editor, the graph canvas, the explanation and gradient check
#include "app.h"

#include "lesson.h"
#include "ui.h"
#include "platform.h"
#include "report.h"

#include <imgui.h>
#include <misc/cpp/imgui_stdlib.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>

namespace kobai {
namespace {

// --- words ------------------------------------------------------------------------------------------------
const Words kReset{"Reset", "リセット"};
const Words kBack{"◀ Back", "◀ 戻る"};
const Words kStep{"Step ▶", "進む ▶"};
const Words kRunPhase{"Run phase", "フェーズ終了まで"};
const Words kPlay{"Play", "再生"};
const Words kPause{"Pause", "一時停止"};
const Words kSpeed{"steps/s", "ステップ/秒"};
const Words kNextIteration{"Next iteration", "次の反復"};
const Words kFit{"Fit", "全体表示"};
const Words kStepOf{"step %d of %d", "ステップ %d / %d"};
const Words kIteration{"iteration %d", "反復 %d"};
const Words kStart{"Ready: press Step (→) to begin the forward pass", "準備完了: 「進む」(→) で順伝播を始めよう"};
const Words kLessons{"Lessons", "レッスン"};
const Words kExpression{"Expression", "式"};
const Words kExprHint{"Enter rebuilds. Statements are separated by ';'.", "Enter で再構築。文は ; で区切る。"};
const Words kInputs{"Inputs", "入力"};
const Words kBuild{"Build", "構築"};
const Words kExplanation{"This step", "このステップ"};
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
const Words kValue{"value", "値"};
const Words kGradient{"gradient", "勾配"};
const Words kNotYet{"not computed yet", "まだ計算していない"};
const Words kBadLink{"This link could not be opened: ", "このリンクは開けませんでした: "};
const Words kShowingDefault{" Showing the first lesson instead.", " 代わりに最初のレッスンを表示しています。"};
const Words kLinkUnknownInput{"This link gives a value for '{name}', but the expression has no input of that name (its inputs: {list}); the value was left out.",
                              "このリンクは '{name}' の値を与えているが、式にその名前の入力はない（入力: {list}）。その値は使わなかった。"};
const Words kLinkMissingInput{"This link gives no value for the input '{name}': it starts at 1.",
                              "このリンクには入力 '{name}' の値がない。1 から始める。"};
const Words kTypedExpression{"(your expression)", "（入力した式）"};
const Words kDismiss{"OK", "OK"};
const Words kWalkthroughMode{"Walkthrough", "計算グラフ"};
const Words kPlaygroundMode{"Playground", "学習プレイグラウンド"};
const Words kDone{"Done: the whole walkthrough is shown. Reset (Home) to start again.",
                  "完了: すべてのステップを表示した。リセット (Home) で最初から。"};

using ui::T;

// --- loading ----------------------------------------------------------------------------------------------

std::string one_line(std::string s) {  // the editor is one line: statements joined with "; "
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  std::string out;
  for (char c : s) out += c == '\n' ? std::string("; ") : std::string(1, c);
  return out;
}

Point node_size(const Node& n) {  // wide enough for the op's symbol (Softmax-with-Loss)
  float symbol = n.op ? 9.5f * float(std::string(n.op->symbol).size()) + 24 : 0;
  return n.rows * n.cols > 1 ? Point{std::max(110.f, symbol), 80} : Point{std::max(100.f, symbol), 56};
}

void install(App& a, Walk w) {
  a.walk = std::make_unique<Walk>(std::move(w));
  ++a.walk_version;
  const Graph& g = a.walk->graph();
  std::vector<Point> sizes;
  for (const Node& n : g.nodes) sizes.push_back(node_size(n));
  a.layout = layout_graph(g, sizes);
  a.check = std::make_unique<GradientCheck>(g);  // worked through a few milliseconds a frame
  a.inputs.clear();
  for (int k : g.inputs) a.inputs.push_back({g.nodes[k].name, value_literal(g.nodes[k].value, false)});
  a.error.clear();
  a.playing = false;
  a.fit_pending = true;
  a.changed = true;
}

}  // namespace

bool load_lesson(App& a, const std::string& id, const std::vector<std::pair<std::string, Mat>>& overrides) {
  const Lesson* l = find_lesson(id);
  if (!l) {
    a.error = "unknown lesson '" + quote(id) + "'; the lessons are: " + lesson_ids();
    return false;
  }
  InputValues in = l->inputs;
  for (const auto& [name, v] : overrides) in[name] = v;
  try {
    Walk w(build(l->expr, in), l->params, l->lr);
    install(a, std::move(w));
  } catch (const InputError& e) {
    a.error = format_error(e, l->expr);
    return false;
  }
  a.lesson_id = id;
  a.expr = one_line(l->expr);
  return true;
}

bool load_expression(App& a, const std::string& text, const std::vector<std::pair<std::string, Mat>>& inputs) {
  InputValues in(inputs.begin(), inputs.end());
  try {
    Program p = parse(text);
    // Inputs the user has not given a value yet start at 1, so that a new name can be typed and then edited.
    const std::vector<std::string> names = input_names(p);
    for (const std::string& name : names)
      if (!in.count(name)) in[name] = Mat::Constant(1, 1, 1.0);
    for (auto it = in.begin(); it != in.end();)  // values for names the expression no longer has
      it = std::find(names.begin(), names.end(), it->first) == names.end() ? in.erase(it) : std::next(it);
    install(a, Walk(build(p, in)));
  } catch (const InputError& e) {
    a.error = format_error(e, text);
    a.error_line = e.line, a.error_column = e.column;
    a.expr = text;
    return false;
  }
  a.lesson_id.clear();
  a.expr = text;
  return true;
}

bool rebuild_from_editor(App& a) {
  std::vector<std::pair<std::string, Mat>> in;
  for (const auto& [name, text] : a.inputs) {
    try {
      in.push_back({name, parse_value(text)});
    } catch (const InputError& e) {
      a.error = std::string(a.lang == Lang::ja ? "入力 " : "input ") + name + ": " + e.what();
      a.error_line = a.error_column = 0;
      return false;
    }
  }
  const Lesson* l = a.lesson_id.empty() ? nullptr : find_lesson(a.lesson_id);
  if (l && one_line(l->expr) == a.expr) return load_lesson(a, a.lesson_id, in);  // keeps the update phase
  return load_expression(a, a.expr, in);
}

void add_notice(App& a, const std::string& text) {
  if (!text.empty()) a.notice += (a.notice.empty() ? "" : "\n") + text;
}

InputMatch match_inputs(const std::string& text, const std::vector<std::pair<std::string, Mat>>& given) {
  InputMatch m;
  m.names = input_names(parse(text));
  for (const std::string& name : m.names)
    if (std::none_of(given.begin(), given.end(), [&](const auto& g) { return g.first == name; })) m.missing.push_back(name);
  for (const auto& g : given)
    if (std::find(m.names.begin(), m.names.end(), g.first) == m.names.end()) m.unknown.push_back(g.first);
  return m;
}

std::string join_names(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + quote(n);
  return out.empty() ? "none" : out;
}

std::string ui::fill(std::string words, std::initializer_list<std::pair<const char*, std::string>> values) {
  for (const auto& [place, value] : values)
    if (size_t at = words.find(place); at != std::string::npos) words.replace(at, std::strlen(place), value);
  return words;
}

void apply_link(App& a, const std::string& hash) {
  try {
    PageLink l = decode_link(hash);
    if (!l.lang.empty()) set_lang(a, parse_lang(l.lang));
    // The link's inputs against the expression's, as the command checks --at: a value for a name the expression
    // has not, or no value for one it has, is said in a notice; the rest of the link is kept.
    std::string problems;
    const Lesson* lesson = l.lesson.empty() ? nullptr : find_lesson(l.lesson);
    InputMatch m;
    try {
      m = match_inputs(lesson ? lesson->expr : l.expr, l.inputs);
    } catch (const InputError&) {  // a broken expression: load_expression below says where
    }
    for (const std::string& name : m.unknown) {
      problems += std::string(problems.empty() ? "" : " ") + ui::fill(T(kLinkUnknownInput, a), {{"{name}", quote(name)}, {"{list}", join_names(m.names)}});
      l.inputs.erase(std::find_if(l.inputs.begin(), l.inputs.end(), [&](const auto& in) { return in.first == name; }));
    }
    if (!lesson)  // a lesson has a value for every input
      for (const std::string& name : m.missing) problems += std::string(problems.empty() ? "" : " ") + ui::fill(T(kLinkMissingInput, a), {{"{name}", quote(name)}});
    App trial;  // load into a copy first: a broken link must not disturb what is shown
    trial.lang = a.lang;
    bool ok = lesson ? load_lesson(trial, l.lesson, l.inputs) : load_expression(trial, l.expr, l.inputs);
    if (!ok) throw InputError(trial.error.substr(0, trial.error.find('\n')));  // the message; its caret line needs the editor
    for (int i = 0; i < l.iteration; ++i) {
      trial.walk->jump(int(trial.walk->plan().size()));
      if (!trial.walk->next_iteration()) throw InputError("the link asks for iteration " + std::to_string(l.iteration) + ", but this graph has no update phase");
    }
    if (l.step > int(trial.walk->plan().size()))
      throw InputError("the link asks for step " + std::to_string(l.step) + ", but there are only " + std::to_string(trial.walk->plan().size()));
    trial.walk->jump(l.step);
    a.walk = std::move(trial.walk);
    ++a.walk_version;
    a.layout = std::move(trial.layout);
    a.check = std::move(trial.check);
    a.inputs = std::move(trial.inputs);
    a.lesson_id = trial.lesson_id;
    a.expr = trial.expr;
    a.error.clear();
    a.fit_pending = true;
    a.changed = true;
    add_notice(a, problems);
    if (l.quiz && (!a.quiz.open || a.quiz.options.seed != *l.quiz)) open_quiz(a, *l.quiz);
    a.playground_mode = l.playground.on;
    if (l.playground.on) apply_playground_link(a.playground, l.playground);
  } catch (const InputError& e) {
    add_notice(a, std::string(T(kBadLink, a)) + e.what() + T(kShowingDefault, a));
    load_lesson(a, builtin_lessons().front().id);
  }
}

std::string link(const App& a) {
  PageLink l;
  if (!a.lesson_id.empty()) {
    l.lesson = a.lesson_id;
    const Lesson* les = find_lesson(a.lesson_id);
    const Graph& g = a.walk->graph();
    for (int k : g.inputs)  // only what differs from the lesson, to keep links short
      if (!les->inputs.count(g.nodes[k].name) || les->inputs.at(g.nodes[k].name) != g.nodes[k].value)
        l.inputs.push_back({g.nodes[k].name, g.nodes[k].value});
  } else {
    l.expr = a.expr;
    for (int k : a.walk->graph().inputs) l.inputs.push_back({a.walk->graph().nodes[k].name, a.walk->graph().nodes[k].value});
  }
  l.iteration = a.walk->iteration();
  l.step = a.walk->position();
  l.lang = a.lang == Lang::ja ? "ja" : "en";
  if (a.quiz.open && !a.quiz.questions.empty()) l.quiz = a.quiz.options.seed;
  if (a.playground_mode) l.playground = playground_link(a.playground);
  return encode_link(l);
}

void set_lang(App& a, Lang l) {
  if (a.lang == l) return;
  a.lang = l;
  a.changed = true;
  platform::save_pref("kobai.lang", l == Lang::ja ? "ja" : "en");
  platform::set_document_lang(l == Lang::ja ? "ja" : "en");
}

// --- controls -----------------------------------------------------------------------------------------------

bool step(App& a) {
  if (ui::step_blocked(a)) return false;  // quiz mode: the student answers first
  return a.walk->step() ? (a.changed = true) : false;
}
bool back(App& a) { return a.walk->back() ? (a.changed = true) : false; }
void reset(App& a) { a.walk->reset(), a.playing = false, a.changed = true; }
void run_phase(App& a) { a.walk->run_phase(), a.changed = true; }
bool next_iteration(App& a) { return a.walk->next_iteration() ? (a.changed = true) : false; }

// --- panels -------------------------------------------------------------------------------------------------

void ui::remember(App& a, const char* name) {
  ImVec2 p = ImGui::GetItemRectMin(), q = ImGui::GetItemRectMax();
  a.rects[name] = Box{p.x / a.scale, p.y / a.scale, (q.x - p.x) / a.scale, (q.y - p.y) / a.scale};
}

bool ui::button(App& a, const char* id, const Words& label, bool enabled) {
  if (!enabled) ImGui::BeginDisabled();
  std::string text = std::string(label(a.lang)) + "###" + id;
  bool pressed = ImGui::Button(text.c_str());
  if (!enabled) ImGui::EndDisabled();
  remember(a, id);
  return pressed && enabled;
}

namespace {
using ui::button;
using ui::remember;

const ImU32 kInk = IM_COL32(30, 34, 42, 255);
const ImU32 kMuted = IM_COL32(110, 118, 130, 255);
const ImU32 kValueInk = IM_COL32(25, 90, 200, 255);    // forward values: blue, as the book's figures
const ImU32 kGradInk = IM_COL32(215, 70, 20, 255);     // gradients: red-orange
const ImU32 kCurrent = IM_COL32(250, 190, 20, 255);
const ImU32 kNeighbour = IM_COL32(250, 150, 60, 200);

std::string compact(const Mat& m) {  // what fits on an edge: a number, or a matrix's first entry
  if (m.size() == 0) return "";
  if (m.size() == 1) return format_number(m(0, 0));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", m(0, 0));
  return std::string(m.rows() > 1 ? "[[" : "[") + buf + ", …" + (m.rows() > 1 ? "]]" : "]");
}

// A matrix as a small grid of cells: blue for positive, red for negative, stronger for larger magnitudes.
void heat_grid(ImDrawList* dl, const Mat& m, ImVec2 p, ImVec2 q) {
  int rows = int(std::min<Eigen::Index>(m.rows(), 8)), cols = int(std::min<Eigen::Index>(m.cols(), 8));
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

void matrix_table(const Mat& m, const char* id) {
  if (m.size() == 1) {
    ImGui::Text("%s", format_number(m(0, 0)).c_str());
    return;
  }
  int rows = int(std::min<Eigen::Index>(m.rows(), 16)), cols = int(std::min<Eigen::Index>(m.cols(), 12));
  if (ImGui::BeginTable(id, cols, ImGuiTableFlags_Borders | ImGuiTableFlags_SizingFixedFit)) {
    for (int r = 0; r < rows; ++r) {
      ImGui::TableNextRow();
      for (int c = 0; c < cols; ++c) {
        ImGui::TableNextColumn();
        ImGui::Text("%s", format_number(m(r, c)).c_str());
      }
    }
    ImGui::EndTable();
  }
  if (m.rows() > rows || m.cols() > cols) ImGui::TextDisabled("(%s)", format_shape(m).c_str());
}

void top_bar(App& a) {
  Walk& w = *a.walk;
  if (button(a, "reset", kReset, w.position() > 0 || w.iteration() > 0)) reset(a);
  ImGui::SameLine();
  if (button(a, "back", kBack, w.position() > 0 || w.iteration() > 0)) back(a);
  ImGui::SameLine();
  if (button(a, "step", kStep, !w.at_end())) step(a);
  ImGui::SameLine();
  if (button(a, "run", kRunPhase, !w.at_end())) run_phase(a);
  ImGui::SameLine();
  if (button(a, "play", a.playing ? kPause : kPlay, !w.at_end() || a.playing)) a.playing = !a.playing, a.play_clock = 0;
  ImGui::SameLine();
  ImGui::SetNextItemWidth(90 * a.scale);
  ImGui::SliderFloat((std::string("###speed") + T(kSpeed, a)).c_str(), &a.speed, 0.5f, 10.f, "%.1f/s");
  remember(a, "speed");
  if (!w.params().empty() && w.lr() != 0) {
    ImGui::SameLine();
    if (button(a, "next_iteration", kNextIteration, w.at_end())) next_iteration(a);
  }
  ImGui::SameLine();
  ui::quiz_mode_switch(a);
  ImGui::SameLine();
  ImGui::TextUnformatted("|");
  ImGui::SameLine();
  char buf[96];
  std::snprintf(buf, sizeof buf, T(kStepOf, a), w.position(), int(w.plan().size()));
  ImGui::Text("%s · %s", w.position() ? phase_name(w.phase(), a.lang).c_str() : "—", buf);
  remember(a, "status");
  if (w.iteration() > 0) {
    ImGui::SameLine();
    ImGui::TextDisabled(T(kIteration, a), w.iteration() + 1);
  }
  float right = ImGui::GetWindowContentRegionMax().x;
  ImGui::SameLine(right - 190 * a.scale);
  if (button(a, "fit", kFit)) a.fit_pending = true;
  ImGui::SameLine();
  if (ImGui::Button(a.lang == Lang::ja ? "English###lang" : "日本語###lang")) set_lang(a, a.lang == Lang::ja ? Lang::en : Lang::ja);
  remember(a, "lang");
}

void left_panel(App& a) {
  ImGui::TextUnformatted(T(kLessons, a));
  ImGui::Separator();
  int i = 0;
  for (const Lesson& l : builtin_lessons()) {
    ++i;
    std::string label = std::to_string(i) + ". " + l.title(a.lang) + "###lesson_" + l.id;
    if (ImGui::Selectable(label.c_str(), a.lesson_id == l.id)) load_lesson(a, l.id);
    remember(a, ("lesson_" + l.id).c_str());
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
      ImDrawList* dl = ImGui::GetWindowDrawList();
      float s = 5 * a.scale;
      dl->AddTriangleFilled(ImVec2(x, q.y - s), ImVec2(x - s, q.y + s * 0.6f), ImVec2(x + s, q.y + s * 0.6f), IM_COL32(210, 30, 30, 255));
    }
  }
  ImGui::PushTextWrapPos(0);
  ImGui::TextDisabled("%s", T(kExprHint, a));
  ImGui::PopTextWrapPos();
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
    ImGui::SetNextItemWidth(-60 * a.scale);
    std::string id = name + "###in_" + name;
    ImGui::TextUnformatted(name.c_str());
    ImGui::SameLine(70 * a.scale);
    ImGui::SetNextItemWidth(-1);
    if (ImGui::InputText(("###in_" + name).c_str(), &text, ImGuiInputTextFlags_EnterReturnsTrue)) enter = true;
    remember(a, ("in_" + name).c_str());
  }
  if (button(a, "build", kBuild)) enter = true;
  if (enter) rebuild_from_editor(a);
}

void draw_text_centered(ImDrawList* dl, float size, Point c, ImU32 col, const std::string& s, float max_w) {
  ImFont* f = ImGui::GetFont();
  ImVec2 t = f->CalcTextSizeA(size, FLT_MAX, 0, s.c_str());
  std::string shown = s;
  if (t.x > max_w && max_w > 0) {  // shorten with an ellipsis
    while (shown.size() > 1 && f->CalcTextSizeA(size, FLT_MAX, 0, (shown + "…").c_str()).x > max_w) {
      shown.pop_back();
      while (!shown.empty() && (static_cast<unsigned char>(shown.back()) & 0xC0) == 0x80) shown.pop_back();
    }
    shown += "…";
    t = f->CalcTextSizeA(size, FLT_MAX, 0, shown.c_str());
  }
  dl->AddText(f, size, ImVec2(c.x - t.x / 2, c.y - t.y / 2), col, shown.c_str());
}

void canvas(App& a) {
  const Walk& w = *a.walk;
  const Graph& g = w.graph();
  const WalkState& s = w.state();
  ImVec2 origin = ImGui::GetCursorScreenPos(), size = ImGui::GetContentRegionAvail();
  if (size.x < 10 || size.y < 10) return;
  ImGui::InvisibleButton("###canvas", size, ImGuiButtonFlags_MouseButtonLeft);
  remember(a, "canvas");
  ImGuiIO& io = ImGui::GetIO();
  float k = a.scale;
  if (a.fit_pending) {
    const Box& b = a.layout.bounds;
    float pad = 70;  // room for the output's stub and the edge labels
    a.zoom = std::clamp(std::min(size.x / k / (b.w + 2 * pad), size.y / k / (b.h + 2 * pad)), 0.15f, 1.4f);
    a.cam = {b.x + b.w / 2 + 30, b.y + b.h / 2};
    a.fit_pending = false;
  }
  if (ImGui::IsItemActive() && ImGui::IsMouseDragging(ImGuiMouseButton_Left)) {
    a.cam.x -= io.MouseDelta.x / (a.zoom * k);
    a.cam.y -= io.MouseDelta.y / (a.zoom * k);
  }
  if (ImGui::IsItemHovered() && io.MouseWheel != 0) {  // zoom about the mouse
    Point before{(io.MousePos.x - origin.x - size.x / 2) / (a.zoom * k) + a.cam.x, (io.MousePos.y - origin.y - size.y / 2) / (a.zoom * k) + a.cam.y};
    a.zoom = std::clamp(a.zoom * std::pow(1.15f, io.MouseWheel), 0.1f, 4.0f);
    a.cam = {before.x - (io.MousePos.x - origin.x - size.x / 2) / (a.zoom * k), before.y - (io.MousePos.y - origin.y - size.y / 2) / (a.zoom * k)};
  }
  float z = a.zoom * k;
  auto P = [&](Point p) { return ImVec2(origin.x + size.x / 2 + (p.x - a.cam.x) * z, origin.y + size.y / 2 + (p.y - a.cam.y) * z); };
  ImVec2 view_min = origin, view_max(origin.x + size.x, origin.y + size.y);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  // Large graphs: plain (not anti-aliased) shapes, half the vertices; at that size the fringe is not seen.
  if (g.nodes.size() > 80) dl->Flags &= ~(ImDrawListFlags_AntiAliasedLines | ImDrawListFlags_AntiAliasedFill);
  dl->PushClipRect(origin, ImVec2(origin.x + size.x, origin.y + size.y), true);
  // No fill of its own: the window's clear colour is the canvas (every full-canvas fill costs a software renderer).
  dl->AddRect(origin, view_max, IM_COL32(205, 208, 214, 255), 4 * k, 0, 1.0f * k);

  const Step* cur = w.current();
  int cur_node = cur ? cur->node : -1;
  auto is_neighbour = [&](int n) {
    if (cur_node < 0) return false;
    const Node& c = g.nodes[cur_node];
    if (std::find(c.in.begin(), c.in.end(), n) != c.in.end()) return true;
    for (auto u : g.users[cur_node])
      if (u.first == n) return true;
    return false;
  };
  float fs = ImGui::GetFontSize() / k;  // the font's size in CSS pixels

  // Edges: the forward value above, the gradient below, on the stretch that enters the target's column.
  for (const EdgePath& e : a.layout.edges) {
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
        dl->AddPolyline(pts.data(), int(pts.size()), ink, 0, (hot ? 2.5f : 1.5f) * k);
        pts.clear();
      }
      if (!visible) pts.clear();
    }
    ImVec2 tip = P(e.points.back());
    if (tip.x < view_min.x || tip.x > view_max.x || tip.y < view_min.y || tip.y > view_max.y) continue;
    dl->AddTriangleFilled(ImVec2(tip.x, tip.y), ImVec2(tip.x - 8 * k, tip.y - 4 * k), ImVec2(tip.x - 8 * k, tip.y + 4 * k), IM_COL32(110, 115, 125, 255));
    // Labels sit on the stretch that enters the target's column: edges that share a bus have it to themselves.
    size_t seg = size_t(e.label);
    Point m{(e.points[seg].x + e.points[seg + 1].x) / 2, (e.points[seg].y + e.points[seg + 1].y) / 2};
    float max_w = (e.points[seg + 1].x - e.points[seg].x) * z + 40 * k;
    float ts = fs * 1.1f * std::max(a.zoom, 0.7f) * k, off = ts * 0.75f;  // labels clear of the line
    if (max_w < 70 * k) continue;  // zoomed far out: no room for labels (hover shows the values)
    if (s.value[e.from].size()) draw_text_centered(dl, ts, {P(m).x, P(m).y - off}, kValueInk, compact(s.value[e.from]), max_w);
    const Mat& eg = s.edge[e.to][e.input];
    if (eg.size()) draw_text_centered(dl, ts, {P(m).x, P(m).y + off}, kGradInk, compact(eg), max_w);
  }
  // The output's stub: its value, and the seed gradient 1 once the backward pass starts.
  {
    const Box& b = a.layout.nodes[g.output];
    Point p0{b.x + b.w, b.y + b.h / 2}, p1{b.x + b.w + 70, b.y + b.h / 2};
    dl->AddLine(P(p0), P(p1), IM_COL32(150, 155, 165, 255), 1.5f * k);
    Point m{(p0.x + p1.x) / 2 + 8, p0.y};
    float ts = fs * 1.1f * std::max(a.zoom, 0.7f) * k, off = ts * 0.75f;
    if (s.value[g.output].size()) draw_text_centered(dl, ts, {P(m).x, P(m).y - off}, kValueInk, compact(s.value[g.output]), 0);
    if (s.grad[g.output].size()) draw_text_centered(dl, ts, {P(m).x, P(m).y + off}, kGradInk, compact(s.grad[g.output]), 0);
  }
  // Nodes.
  int hovered = -1;
  for (size_t n = 0; n < g.nodes.size(); ++n) {
    const Node& node = g.nodes[n];
    const Box& b = a.layout.nodes[n];
    ImVec2 p = P({b.x, b.y}), q = P({b.x + b.w, b.y + b.h});
    if (q.x < view_min.x || p.x > view_max.x || q.y < view_min.y || p.y > view_max.y) continue;  // off screen
    ImU32 fill = node.kind == NodeKind::Input ? IM_COL32(226, 244, 226, 255) : node.kind == NodeKind::Const ? IM_COL32(236, 236, 236, 255) : IM_COL32(255, 255, 255, 255);
    dl->AddRectFilled(p, q, fill, 8 * z);
    bool current = int(n) == cur_node, near = is_neighbour(int(n));
    dl->AddRect(p, q, current ? kCurrent : near ? kNeighbour : IM_COL32(120, 125, 135, 255), 8 * z, 0, (current ? 4.f : near ? 2.5f : 1.2f) * k);
    float cx = (p.x + q.x) / 2, bw = q.x - p.x, bh = q.y - p.y;
    if (ImGui::IsMouseHoveringRect(p, q)) hovered = int(n);
    if (bw < 36 * k) continue;  // too small for text: the box and its highlight say enough
    float big = std::max(fs * 1.35f * z, fs * 0.9f * k), small = std::max(fs * 0.95f * z, fs * 0.75f * k);
    bool matrix = node.rows * node.cols > 1;
    std::string title = node.op ? (std::string(node.op->name) == "pow" ? "^" + format_number(node.p) : node.op->symbol) : node.name;
    std::string sub = node.op ? node.name : matrix ? std::to_string(node.rows) + "×" + std::to_string(node.cols) : "";
    if (node.op && matrix) sub += "  " + std::to_string(node.rows) + "×" + std::to_string(node.cols);
    float title_y = matrix ? 0.24f : sub.empty() ? 0.5f : 0.36f;
    draw_text_centered(dl, node.op ? big : std::max(fs * 1.1f * z, fs * 0.85f * k), {cx, p.y + bh * title_y}, kInk, title, bw - 6 * z);
    if (!sub.empty()) draw_text_centered(dl, small, {cx, p.y + bh * (matrix ? 0.5f : 0.74f)}, kMuted, sub, bw - 8 * z);
    if (matrix && s.value[n].size() && bh > 30)  // a compact preview of the value
      heat_grid(dl, s.value[n], ImVec2(p.x + bw * 0.2f, p.y + bh * 0.64f), ImVec2(q.x - bw * 0.2f, q.y - bh * 0.08f));
  }
  dl->PopClipRect();
  if (hovered >= 0 && ImGui::IsWindowHovered()) {
    const Node& node = g.nodes[hovered];
    ImGui::BeginTooltip();
    ImGui::Text("%s  (%s, %dx%d)", node.name.c_str(), node.op ? node.op->symbol : node.kind == NodeKind::Input ? "input" : "const", node.rows, node.cols);
    ImGui::TextColored(ImColor(kValueInk), "%s", T(kValue, a));
    if (s.value[hovered].size()) matrix_table(s.value[hovered], "##tv");
    else ImGui::TextDisabled("%s", T(kNotYet, a));
    ImGui::TextColored(ImColor(kGradInk), "%s  %s", T(kGradient, a), derivative(g, g.output, hovered).c_str());
    if (s.grad[hovered].size()) matrix_table(s.grad[hovered], "##tg");
    else ImGui::TextDisabled("%s", T(kNotYet, a));
    ImGui::EndTooltip();
  }
}

void explanation_tab(App& a);

void right_panel(App& a) {
  if (!ImGui::BeginTabBar("###right_tabs")) return;
  if (ImGui::BeginTabItem((std::string(T(ui::step_tab_title(), a)) + "###tab_step").c_str())) {
    explanation_tab(a);
    ImGui::EndTabItem();
  }
  remember(a, "tab_step");
  bool asked = a.quiz.select_tab;
  a.quiz.select_tab = false;
  bool quiz_open = ImGui::BeginTabItem((std::string(T(ui::quiz_tab_title(), a)) + "###tab_quiz").c_str(), nullptr,
                                       asked ? ImGuiTabItemFlags_SetSelected : 0);
  // A tab asked for shows from the next frame: the quiz counts as open meanwhile. The link says whether it is.
  if ((quiz_open || asked) != a.quiz.open) a.quiz.open = quiz_open || asked, a.changed = true;
  if (quiz_open) {
    ui::quiz_tab(a);
    ImGui::EndTabItem();
  }
  remember(a, "tab_quiz");
  ImGui::EndTabBar();
}

// 勾配確認: the engine's check, run a few milliseconds a frame (frame() advances it), with its step, precision
// and tolerance said, and which entries of a large input it checked.
void gradient_check_panel(App& a) {
  if (!ImGui::CollapsingHeader((std::string(T(kGradCheck, a)) + "###gradcheck").c_str(), ImGuiTreeNodeFlags_DefaultOpen)) return;
  remember(a, "gradcheck");
  ImGui::PushTextWrapPos(0);
  ImGui::TextDisabled("%s", check_header(a.lang).c_str());
  ImGui::PopTextWrapPos();
  if (!a.check) return;
  if (!a.check->done()) {
    ImGui::ProgressBar(float(a.check->progress()), ImVec2(-1, 0), T(kChecking, a));
    remember(a, "gradcheck_progress");
    return;
  }
  if (!ImGui::BeginTable("###checks", 4, ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp)) return;
  ImGui::TableSetupColumn("");
  ImGui::TableSetupColumn(T(kBackprop, a));
  ImGui::TableSetupColumn(T(kNumerical, a));
  ImGui::TableSetupColumn(T(kRelError, a));
  ImGui::TableHeadersRow();
  auto matrix_tip = [](const Mat& m, const char* id) {
    if (!ImGui::IsItemHovered() || m.size() <= 1) return;
    ImGui::BeginTooltip();
    matrix_table(m, id);
    ImGui::EndTooltip();
  };
  for (const GradCheck& c : a.check->results()) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(c.input.c_str());
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(compact(c.backprop).c_str());
    matrix_tip(c.backprop, "##cb");
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(c.checked() ? compact(c.numerical).c_str() : "—");
    matrix_tip(c.numerical, "##cn");  // NaN where an entry was not checked
    ImGui::TableNextColumn();
    ImVec4 ink = c.ok() ? ImVec4(0.1f, 0.55f, 0.2f, 1) : ImVec4(0.8f, 0.1f, 0.1f, 1);
    if (c.checked()) ImGui::TextColored(ink, "%.1e", c.rel_error);
    else ImGui::TextDisabled("—");
    std::string why = check_entries(c, a.lang);
    if (c.checked()) why += (why.empty() ? "" : "\n") + check_verdict(c, a.lang);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", why.c_str());
    if (!c.complete()) {  // a sample of a large input: say so in the row, not only on hover
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TableNextColumn();
      ImGui::PushTextWrapPos(0);
      ImGui::TextDisabled("%s", check_entries(c, a.lang).c_str());
      ImGui::PopTextWrapPos();
    }
  }
  ImGui::EndTable();
}

void explanation_tab(App& a) {
  const Walk& w = *a.walk;
  ui::step_quiz_panel(a);
  ImGui::TextUnformatted(T(kExplanation, a));
  ImGui::Separator();
  ImGui::PushTextWrapPos(0);
  if (w.position() == 0) {
    ImGui::TextUnformatted(T(kStart, a));
  } else {
    std::string text = explain(w, w.position() - 1, a.lang);
    size_t nl = text.find('\n');
    ImGui::TextUnformatted(text.substr(0, nl).c_str());
    const Step& st = *w.current();
    for (const Line& ln : st.lines) {
      ImGui::Spacing();
      ImU32 col = st.phase == Phase::Forward ? kValueInk : kGradInk;
      ImGui::PushStyleColor(ImGuiCol_Text, col);
      ImGui::TextUnformatted((ln.lhs + " " + ln.assign + " " + ln.symbolic).c_str());
      ImGui::PopStyleColor();
      std::string res = format_matrix(ln.result);
      if (ln.numeric != ln.symbolic) ImGui::TextUnformatted(("  = " + ln.numeric).c_str());
      if (res != ln.numeric) ImGui::TextUnformatted(("  = " + res).c_str());
    }
    if (st.kind == StepKind::Backward) {
      const OpDef* op = w.graph().nodes[st.node].op;
      ImGui::Spacing();
      ImGui::TextDisabled("%s", op->rule);
      ImGui::TextUnformatted(op->note(a.lang));
    }
    for (const Words& warn : st.warnings) ImGui::TextColored(ImVec4(0.8f, 0.1f, 0.1f, 1), "! %s", warn(a.lang));
    if (w.at_end()) {
      ImGui::Spacing();
      ImGui::TextDisabled("%s", T(kDone, a));
    }
  }
  ImGui::PopTextWrapPos();
  remember(a, "explanation");
  const Lesson* l = a.lesson_id.empty() ? nullptr : find_lesson(a.lesson_id);
  ImGui::Spacing();
  ImGui::TextUnformatted(T(kGoal, a));
  ImGui::Separator();
  ImGui::PushTextWrapPos(0);
  ImGui::TextUnformatted(l ? l->goal(a.lang).c_str() : T(kTypedExpression, a));
  ImGui::PopTextWrapPos();
  ImGui::Spacing();
  gradient_check_panel(a);
  ImGui::Spacing();
  ImGui::PushTextWrapPos(0);
  ImGui::TextDisabled("%s", T(kKeys, a));
  ImGui::PopTextWrapPos();
}

void keys(App& a) {
  std::vector<Key> pressed;
  pressed.swap(a.keys);
  if (ImGui::GetIO().WantTextInput) return;  // typing in the editor: keys are the editor's
  if (a.playground_mode) {  // → one epoch, Space train or pause, L language
    for (Key k : pressed) {
      if (k == Key::Right && !a.playground.playing) playground_epoch(a.playground);
      if (k == Key::Space) a.playground.playing = !a.playground.playing;
      if (k == Key::L) set_lang(a, a.lang == Lang::ja ? Lang::en : Lang::ja);
    }
    return;
  }
  for (Key k : pressed) switch (k) {
      case Key::Enter:
      case Key::ChoiceA:
      case Key::ChoiceB:
      case Key::ChoiceC:
      case Key::ChoiceD: ui::quiz_key(a, k); break;
      case Key::Right: step(a); break;
      case Key::Left: back(a); break;
      case Key::Home: reset(a); break;
      case Key::End: run_phase(a); break;
      case Key::Space: a.playing = !a.playing, a.play_clock = 0; break;
      case Key::N: next_iteration(a); break;
      case Key::L: set_lang(a, a.lang == Lang::ja ? Lang::en : Lang::ja); break;
      case Key::F: a.fit_pending = true; break;
      case Key::E: a.focus_editor = true; break;
      default: {  // 1..9, 0: the lessons in the list; not while a quiz question waits (digits are answers then)
        bool answering = a.quiz.open || (a.step_quiz.on && a.step_quiz.asking == a.walk->position() && a.step_quiz.cleared != a.walk->position());
        if (answering) break;
        size_t i = size_t(k) - size_t(Key::Lesson1);
        if (i < builtin_lessons().size()) load_lesson(a, builtin_lessons()[i].id);
      }
    }
}

}  // namespace

void setup_style(float scale) {
  ImGui::StyleColorsLight();
  ImGuiStyle& s = ImGui::GetStyle();
  s.WindowRounding = 0;
  s.FrameRounding = 5;
  s.FramePadding = ImVec2(9, 5);
  s.ItemSpacing = ImVec2(8, 7);
  s.WindowPadding = ImVec2(12, 10);
  s.Colors[ImGuiCol_WindowBg] = ImVec4(0.97f, 0.97f, 0.96f, 1);
  s.Colors[ImGuiCol_ChildBg] = ImVec4(1, 1, 1, 1);
  s.Colors[ImGuiCol_Button] = ImVec4(0.88f, 0.91f, 0.96f, 1);
  s.Colors[ImGuiCol_FrameBg] = ImVec4(0.93f, 0.94f, 0.96f, 1);
  s.FrameBorderSize = 1;
  s.ScaleAllSizes(scale);
}

bool frame(App& a, float dt) {
  ++a.frames;
  bool checking = a.check && !a.check->advance(0.006);  // the gradient check's share of a 60 Hz frame
  a.rects.clear();  // what this frame draws names itself again: a control not drawn is not on screen
  if (a.playing) {
    a.play_clock += dt;
    while (a.playing && a.play_clock >= 1.0 / a.speed) {
      a.play_clock -= 1.0 / a.speed;
      if (!step(a)) a.playing = false;
    }
  }
  keys(a);
  ImGuiIO& io = ImGui::GetIO();
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(io.DisplaySize);
  // No background of its own: glClear has painted it. (Each full-window fill costs a software renderer a lot.)
  ImGui::Begin("kobai", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                                     ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoBackground);
  // The two modes: stepping through a graph, or training a network.
  if (ImGui::RadioButton((std::string(T(kWalkthroughMode, a)) + "###mode_walkthrough").c_str(), !a.playground_mode)) a.playground_mode = false, a.changed = true;
  remember(a, "mode_walkthrough");
  ImGui::SameLine();
  if (ImGui::RadioButton((std::string(T(kPlaygroundMode, a)) + "###mode_playground").c_str(), a.playground_mode)) a.playground_mode = true, a.changed = true;
  remember(a, "mode_playground");
  if (a.playground_mode) {
    ImGui::SameLine(ImGui::GetWindowContentRegionMax().x - 90 * a.scale);
    if (ImGui::Button(a.lang == Lang::ja ? "English###lang" : "日本語###lang")) set_lang(a, a.lang == Lang::ja ? Lang::en : Lang::ja);
    remember(a, "lang");
    playground_frame(a, dt);
    ImGui::End();
    return a.playground.playing || checking;
  }
  ImGui::SameLine();
  top_bar(a);
  if (!a.notice.empty()) {  // at most four lines high, scrolling past that: a notice never pushes the panels away
    float width = ImGui::GetContentRegionAvail().x - 80 * a.scale, pad = ImGui::GetStyle().WindowPadding.x;
    float text_h = ImGui::CalcTextSize(a.notice.c_str(), nullptr, false, width - 2 * pad - ImGui::GetStyle().ScrollbarSize).y;
    ImGui::BeginChild("###notice", ImVec2(width, std::min(text_h, 4 * ImGui::GetTextLineHeightWithSpacing()) + 2 * ImGui::GetStyle().WindowPadding.y), false);
    ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32(150, 60, 0, 255));
    ImGui::PushTextWrapPos(0);
    ImGui::TextUnformatted(a.notice.c_str());
    ImGui::PopTextWrapPos();
    ImGui::PopStyleColor();
    ImGui::EndChild();
    remember(a, "notice");
    ImGui::SameLine();
    if (button(a, "dismiss", kDismiss)) a.notice.clear();
  }
  float left = 290 * a.scale, right = 380 * a.scale;
  float h = ImGui::GetContentRegionAvail().y;
  ImGui::BeginChild("###left", ImVec2(left, h), true, ImGuiWindowFlags_NoBackground);
  left_panel(a);
  ImGui::EndChild();
  ImGui::SameLine();
  ImGui::BeginChild("###canvas_panel", ImVec2(ImGui::GetContentRegionAvail().x - right - ImGui::GetStyle().ItemSpacing.x, h), true,
                    ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse | ImGuiWindowFlags_NoBackground);
  canvas(a);
  ImGui::EndChild();
  ImGui::SameLine();
  ImGui::BeginChild("###right", ImVec2(right, h), true, ImGuiWindowFlags_NoBackground);
  right_panel(a);
  ImGui::EndChild();
  ImGui::End();
  return a.playing || checking;
}

}  // namespace kobai
