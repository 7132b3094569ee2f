// kobai page: one frame of the interface, drawn with Dear ImGui from the App's state.
//
//   words        every piece of UI text, in English and Japanese
//   loading      lessons, typed expressions, links
//   controls     step, back, reset, run to the end of a phase, play, next iteration
//   panels       the top bar, the lessons and the editor, the graph canvas, the explanation and gradient check
#include "app.h"

#include "bank.h"
#include "json_text.h"

#include "labs/labs.h"
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
const Words kBadLink{"This link could not be opened: ", "このリンクは開けませんでした: "};
const Words kShowingDefault{" Showing the first lesson instead.", " 代わりに最初のレッスンを表示しています。"};
const Words kLinkProblems{"Part of this link was left out: ", "このリンクの一部は使わなかった: "};
const Words kLinkUnknownInput{"This link gives a value for '{name}', but the expression has no input of that name (its inputs: {list}); the value was left out.",
                              "このリンクは '{name}' の値を与えているが、式にその名前の入力はない（入力: {list}）。その値は使わなかった。"};
const Words kLinkMissingInput{"This link gives no value for the input '{name}': it starts at 1.",
                              "このリンクには入力 '{name}' の値がない。1 から始める。"};
const Words kLinkUnknownLab{"the link's mode must be one of {list}, not '{mode}'", "リンクの mode は {list} のいずれかのはず（'{mode}' ではなく）"};
const Words kFileRefused{"This file could not be opened, and nothing was changed: ", "このファイルは開けなかった（何も変えていない）: "};
const Words kLongLink{"This lesson travels whole in the page's link, which is now {n} characters long. Links longer than 2,000 characters "
                      "may be cut by chat apps and mail: if a student's link does not open, share the file instead.",
                      "このレッスンはページのリンクにまるごと入っていて、リンクは {n} 文字になった。2,000 文字を超えるリンクはチャットや"
                      "メールで切れることがある: 学生のリンクが開かないときはファイルを配ること。"};
const Words kLinkLessonFile{"its lesson file: ", "リンクのレッスンファイル: "};
const Words kDismiss{"OK", "OK"};
const Words kPresent{"Present", "投影"};
const Words kLoadingLab{"Loading this lab's code…", "このラボのコードを読み込み中…"};
const Words kLabFailed{"This lab's code could not be loaded: ", "このラボのコードを読み込めなかった: "};

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

// The images' ops (convolution, pooling, im2col): their code, and the window-by-window view's, comes with the later
// labs' (CMakeLists.txt: KOBAI_LATER_ENTRIES), so a graph that has one waits for it before its first step.
bool needs_later_code(const Graph& g) {
  return std::any_of(g.nodes.begin(), g.nodes.end(), [](const Node& n) {
    return n.op && (n.op->shape == ShapeRule::Conv || n.op->shape == ShapeRule::Pool || n.op->shape == ShapeRule::Im2col);
  });
}

// Walks w to a link's iteration and step (their ops run: their code must be in).
void walk_to(Walk& w, int iteration, int step) {
  for (int i = 0; i < iteration; ++i) {
    w.jump(int(w.plan().size()));
    if (!w.next_iteration()) throw InputError("the link asks for iteration " + std::to_string(iteration) + ", but this graph has no update phase");
  }
  w.jump(step);
}

// A new graph, wherever it comes from (a lesson, the editor, a link): everything shown of the old one goes.
void install(App& a, Walk w) {
  a.walk = std::make_unique<Walk>(std::move(w));
  ++a.walk_version;
  const Graph& g = a.walk->graph();
  a.walk_needs_code = needs_later_code(g);
  a.pending_walk.reset();
  // A long loop, or one with large cells, starts folded but for its first step: its cells open as the walk (or a
  // click) reaches them.
  size_t in_steps = size_t(std::count_if(g.nodes.begin(), g.nodes.end(), [](const Node& n) { return n.step >= 0; }));
  a.folded.assign(g.steps.size(), g.steps.size() > kOpenSteps || in_steps > kOpenCellNodes * g.steps.size());
  a.auto_opened = -1;
  if (!a.folded.empty() && a.folded[0]) a.folded[0] = false, a.auto_opened = 0;  // shown until the walk leaves it
  relayout(a);
  a.check = std::make_unique<GradientCheck>(g);  // worked through a few milliseconds a frame
  a.check_iteration = a.walk->iteration();
  a.inputs.clear();
  for (int k : g.inputs) a.inputs.push_back({g.nodes[k].name, value_literal(g.nodes[k].value, false, g.nodes[k].dims)});
  a.error.clear();
  a.playing = false;
  a.view.fit_pending = true, a.view.pinned = -1;
  a.changed = true;
}

}  // namespace

void relayout(App& a) {
  const Graph& g = a.walk->graph();
  std::vector<Point> sizes;
  for (const Node& n : g.nodes) sizes.push_back(node_size(n));
  a.layout = layout_graph(g, sizes, {}, a.folded);
}

void fold_cell(App& a, int step, bool folded) {
  if (step < 0 || size_t(step) >= a.folded.size() || a.folded[size_t(step)] == folded) return;
  float before = a.layout.cells[size_t(step)].box.x - a.view.cam.x;  // the cell stays where it was on screen
  a.folded[size_t(step)] = folded;
  if (a.auto_opened == step) a.auto_opened = -1;
  relayout(a);
  a.view.cam.x = a.layout.cells[size_t(step)].box.x - before;
  a.changed = true;
}

// The cell of the node the walk is at opens; one it opened for the walk folds again when the walk leaves it.
void follow_cells(App& a) {
  std::tuple<int, int, int> at{a.walk_version, a.walk->iteration(), a.walk->position()};
  if (at == a.followed) return;  // only when the walk moves: a cell the student folds stays folded
  a.followed = at;
  const Step* cur = a.walk->current();
  int step = cur ? a.walk->graph().nodes[size_t(cur->node)].step : -1;
  if (cur && a.auto_opened >= 0 && a.auto_opened != step) fold_cell(a, a.auto_opened, true);  // not before the first step
  if (step >= 0 && a.folded[size_t(step)]) {
    fold_cell(a, step, false);
    a.auto_opened = step;
    const Box& b = a.layout.cells[size_t(step)].box;  // the view moves to the cell the walk is in
    a.view.cam.x = b.x + b.w / 2;
  }
}

bool load_lesson(App& a, const std::string& id, const std::vector<std::pair<std::string, Value>>& overrides) {
  const Lesson* l = find_lesson(id);
  if (!l) {
    a.error = "unknown lesson '" + quote(id) + "'; the lessons are: " + lesson_ids();
    return false;
  }
  return load_lesson(a, *l, overrides);
}

bool load_lesson(App& a, const Lesson& l, const std::vector<std::pair<std::string, Value>>& overrides) {
  InputValues in = l.inputs;
  for (const auto& [name, v] : overrides) in[name] = v;
  try {
    Walk w(build_lesson(l, in), l.params, l.lr);
    install(a, std::move(w));
  } catch (const InputError& e) {
    a.error = format_error(e, l.expr);
    return false;
  }
  a.lesson_from_file = a.file_lesson && &l == &*a.file_lesson;
  a.lesson_id = l.id;
  a.expr = one_line(l.expr);
  return true;
}

const Lesson* current_lesson(const App& a) {
  if (a.lesson_from_file && a.file_lesson) return &*a.file_lesson;
  return a.lesson_id.empty() ? nullptr : find_lesson(a.lesson_id);
}

namespace {
// A lesson the file or link gives, tried on a copy first: a broken one must not disturb what is shown.
void check_lesson(const App& a, const Lesson& l) {
  App trial;
  trial.lang = a.lang;
  if (!load_lesson(trial, l)) throw InputError(trial.error.substr(0, trial.error.find('\n')));
}
}  // namespace

bool open_teacher_file(App& a, const std::string& name, const std::string& text) {
  size_t first = text.find_first_not_of(" \t\r\n", text.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0);  // after a byte-order mark
  if (first == std::string::npos || text[first] != '{') return false;  // not JSON: a CSV, the playground's
  if (is_bank_text(text)) {
    open_bank_file(a, name, text);
    return true;
  }
  try {
    Lesson l = parse_lesson(text);
    check_lesson(a, l);
    a.file_lesson = std::move(l);
    a.file_lesson_text = text;
    a.file_lesson_packed.clear();  // until boot.js has packed it, links carry the expression (link())
    load_lesson(a, *a.file_lesson);
    platform::pack(platform::Packed::Lesson, text);
    show_lab(a, find_lab("walkthrough"));
    if (a.narrow) a.pane = 1;
  } catch (const InputError& e) {
    add_notice(a, T(kFileRefused, a) + in_file(name, e.what()));
  }
  return true;
}

void lesson_file_packed(App& a, const std::string& text, const std::string& packed) {
  if (!a.file_lesson || text != a.file_lesson_text) return;  // another file has been opened since
  a.file_lesson_packed = packed;
  a.changed = true;  // the link now carries the lesson
  const size_t length = link(a).size() + 1;  // with its '#'
  std::string n = std::to_string(length);
  for (int at = int(n.size()) - 3; at > 0; at -= 3) n.insert(size_t(at), ",");
  if (length > 2000) add_notice(a, ui::fill(T(kLongLink, a), {{"{n}", n}}));
}

void lesson_file_unpacked(App& a, const std::string& packed, const std::string& text, const std::string& error) {
  if (a.pending_lessonfile.empty()) return;
  const std::string hash = a.pending_lessonfile;
  try {
    if (decode_link_first(hash).lesson_file != packed) return;  // a newer link waits for its own
  } catch (const InputError&) {
    return;
  }
  a.pending_lessonfile.clear();
  try {
    if (!error.empty()) throw InputError(error);
    Lesson l = parse_lesson(text);
    check_lesson(a, l);
    a.file_lesson = std::move(l);
    a.file_lesson_text = text;
    a.file_lesson_packed = packed;
  } catch (const InputError& e) {
    add_notice(a, std::string(T(kBadLink, a)) + T(kLinkLessonFile, a) + e.what() + T(kShowingDefault, a));
    return;
  }
  apply_link(a, hash);
}

bool load_expression(App& a, const std::string& text, const std::vector<std::pair<std::string, Value>>& inputs) {
  InputValues in(inputs.begin(), inputs.end());
  try {
    Program p = parse(text);
    // Inputs the user has not given a value yet start at 1, so that a new name can be typed and then edited.
    std::vector<std::string> names = input_names(p);
    for (const std::string& name : names)
      if (!in.count(name)) in[name] = Mat::Constant(1, 1, 1.0);
    for (const std::string& name : zero_inputs(p)) names.push_back(name);  // h[0]: zeros unless given
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
  a.lesson_from_file = false;
  a.expr = text;
  return true;
}

bool rebuild_from_editor(App& a) {
  std::vector<std::pair<std::string, Value>> in;
  for (const auto& [name, text] : a.inputs) {
    try {
      in.push_back({name, parse_value(text)});
    } catch (const InputError& e) {
      a.error = std::string(a.lang == Lang::ja ? "入力 " : "input ") + name + ": " + e.what();
      a.error_line = a.error_column = 0;
      return false;
    }
  }
  const Lesson* l = current_lesson(a);
  if (l && one_line(l->expr) == a.expr) return load_lesson(a, *l, in);  // keeps the update phase
  return load_expression(a, a.expr, in);
}

void add_notice(App& a, const std::string& text) {
  if (!text.empty()) a.notice += (a.notice.empty() ? "" : "\n") + text;
}

InputMatch match_inputs(const std::string& text, const std::vector<std::pair<std::string, Value>>& given) {
  InputMatch m;
  Program p = parse(text);
  m.names = input_names(p);
  for (const std::string& name : m.names)
    if (std::none_of(given.begin(), given.end(), [&](const auto& g) { return g.first == name; })) m.missing.push_back(name);
  for (const std::string& name : zero_inputs(p)) m.names.push_back(name);  // may be given; zeros if not
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
    PageLink l = decode_link_first(hash);  // the later labs' keys are read with their code (frame)
    if (!l.lang.empty()) set_lang(a, parse_lang(l.lang));
    const bool from_file = !l.lesson_file.empty();
    if (from_file && !(a.file_lesson && a.file_lesson_packed == l.lesson_file)) {
      // The lesson is packed in the link: boot.js unpacks it (lesson_file_unpacked applies the link then).
      a.pending_lessonfile = hash;
      platform::unpack(platform::Packed::Lesson, l.lesson_file);
      if (!a.walk) load_lesson(a, builtin_lessons().front().id);  // something to show meanwhile
      return;
    }
    // The link's inputs against the expression's, as the command checks --at: a value for a name the expression
    // has not, or no value for one it has, is said in a notice; the rest of the link is kept.
    std::string problems;
    const Lesson* lesson = from_file ? &*a.file_lesson : l.lesson.empty() ? nullptr : find_lesson(l.lesson);
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
    bool ok = lesson ? load_lesson(trial, *lesson, l.inputs) : load_expression(trial, l.expr, l.inputs);
    if (!ok) throw InputError(trial.error.substr(0, trial.error.find('\n')));  // the message; its caret line needs the editor
    if (l.step > int(trial.walk->plan().size()))
      throw InputError("the link asks for step " + std::to_string(l.step) + ", but there are only " + std::to_string(trial.walk->plan().size()));
    bool wait = trial.walk_needs_code && !a.lab_code_in;  // its ops' code comes later: the steps wait for it (frame)
    if (!wait) walk_to(*trial.walk, l.iteration, l.step);
    install(a, std::move(*trial.walk));  // the walk as the link left it, installed as any new graph is
    if (wait && (l.iteration || l.step)) a.pending_walk = {l.iteration, l.step};
    a.lesson_id = trial.lesson_id;
    a.lesson_from_file = from_file;
    a.expr = trial.expr;
    // The settings: each refused value is said, and the rest applies.
    std::vector<std::string> refused = l.problems;
    int lab_index = l.mode.empty() ? (l.quiz ? find_lab("quiz") : 0) : find_lab(l.mode);
    if (lab_index < 0) {
      refused.push_back(ui::fill(T(kLinkUnknownLab, a), {{"{list}", lab_ids()}, {"{mode}", quote(l.mode)}}));
      lab_index = 0;
    }
    if (l.present != a.present) a.present = l.present, a.show_lessons = !l.present;
    for (int i = 0; i < lab_count(); ++i)
      if (!lab(i).later_code) lab(i).read_link(a, l);
      else if (i == lab_index) a.pending_link = l;  // read once its code is in (frame)
    show_lab(a, lab_index);
    if (!refused.empty()) {
      std::string list;
      for (const std::string& r : refused) list += (list.empty() ? "" : "; ") + r;
      problems += std::string(problems.empty() ? "" : " ") + T(kLinkProblems, a) + list + ".";
    }
    add_notice(a, problems);
  } catch (const InputError& e) {
    add_notice(a, std::string(T(kBadLink, a)) + e.what() + T(kShowingDefault, a));
    load_lesson(a, builtin_lessons().front().id);
  }
}

std::string link(const App& a) {
  const Lab& shown = current_lab(a);
  bool code_in = !shown.later_code || a.lab_code_in;
  // A lab still waiting for its code keeps the part of the link it was opened with.
  PageLink l = shown.later_code && !code_in && a.pending_link ? *a.pending_link : PageLink{};
  l.lesson.clear(), l.expr.clear(), l.inputs.clear(), l.problems.clear(), l.quiz.reset();
  const Lesson* les = current_lesson(a);
  // A file's lesson travels packed; until boot.js has packed it, as its expression and inputs.
  if (les && (!a.lesson_from_file || !a.file_lesson_packed.empty())) {
    if (a.lesson_from_file) l.lesson_file = a.file_lesson_packed;
    else l.lesson = a.lesson_id;
    const Graph& g = a.walk->graph();
    for (int k : g.inputs)  // only what differs from the lesson, to keep links short
      if (!les->inputs.count(g.nodes[k].name) || les->inputs.at(g.nodes[k].name) != g.nodes[k].value)
        l.inputs.push_back({g.nodes[k].name, g.nodes[k].value});
  } else {
    l.expr = a.expr;
    for (int k : a.walk->graph().inputs) l.inputs.push_back({a.walk->graph().nodes[k].name, a.walk->graph().nodes[k].value});
  }
  l.iteration = a.pending_walk ? a.pending_walk->first : a.walk->iteration();  // a link's place, until the code to
  l.step = a.pending_walk ? a.pending_walk->second : a.walk->position();        // walk there is in
  l.lang = a.lang == Lang::ja ? "ja" : "en";
  l.mode = a.lab != 0 ? shown.id : "";
  l.present = a.present;
  if (code_in) shown.write_link(a, l);
  // A later lab writes its keys with its code; until then they stay as the link gave them (PageLink::later).
  return encode_link_first(l) + (shown.later_code && code_in ? encode_later_keys(l) : "");
}

void set_lang(App& a, Lang l) {
  if (a.lang == l) return;
  a.lang = l;
  a.changed = true;
  platform::save_pref("kobai.lang", l == Lang::ja ? "ja" : "en");
  platform::set_document_lang(l == Lang::ja ? "ja" : "en");
}

// --- controls -----------------------------------------------------------------------------------------------

bool walk_waits(const App& a) { return a.walk_needs_code && !a.lab_code_in; }

bool step(App& a) {
  if (ui::step_blocked(a) || walk_waits(a)) return false;  // quiz mode: the student answers first
  return a.walk->step() ? (a.changed = true) : false;
}
bool back(App& a) { return a.walk->back() ? (a.changed = true) : false; }
void reset(App& a) { a.walk->reset(), a.playing = false, a.changed = true; }
void run_phase(App& a) {
  if (!walk_waits(a)) a.walk->run_phase(), a.changed = true;
}
bool next_iteration(App& a) { return !walk_waits(a) && a.walk->next_iteration() ? (a.changed = true) : false; }

void show_lab(App& a, int index) {
  if (index < 0 || index >= lab_count() || index == a.lab) return;
  a.lab = index;
  a.playing = false;  // the walkthrough's playback stops when it is left
  a.changed = true;
}

// --- shared pieces (ui.h) ---------------------------------------------------------------------------------------

// Only what can be seen: an item scrolled out of its panel is not on screen, and one half scrolled out is
// named by its visible part (a test clicks the middle of what it is told).
void ui::remember(App& a, const char* name) {
  ImVec2 p = ImGui::GetItemRectMin(), q = ImGui::GetItemRectMax();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImVec2 c0 = dl->GetClipRectMin(), c1 = dl->GetClipRectMax();
  ImVec2 whole_p = p, whole_q = q;
  p = ImVec2(std::max(p.x, c0.x), std::max(p.y, c0.y)), q = ImVec2(std::min(q.x, c1.x), std::min(q.y, c1.y));
  if (q.x <= p.x || q.y <= p.y) return;
  remember_box(a, name, p.x, p.y, q.x - p.x, q.y - p.y);
  if (p.x > whole_p.x || p.y > whole_p.y || q.x < whole_q.x || q.y < whole_q.y) a.cut.insert(name);  // its size is not all shown
}

void ui::remember_box(App& a, const char* name, float x, float y, float w, float h) {
  a.rects[name] = Box{x / a.dpr, y / a.dpr, w / a.dpr, h / a.dpr};
}

float ui::touch_row(const App& a) { return a.touch ? 40 * a.dpr : 0; }

void ui::tab_row(App& a, std::initializer_list<std::pair<const char*, const Words*>> tabs, int* shown) {
  float n = float(tabs.size()), tab_w = (ImGui::GetContentRegionAvail().x - (n - 1) * ImGui::GetStyle().ItemSpacing.x) / n;
  int i = 0;
  for (const auto& [name, title] : tabs) {
    if (i) ImGui::SameLine();
    bool on = *shown == i;
    if (on) ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_ButtonActive));
    if (ImGui::Button((std::string((*title)(a.lang)) + "###" + name).c_str(), ImVec2(tab_w, touch_row(a)))) *shown = i;
    if (on) ImGui::PopStyleColor();
    remember(a, name);
    ++i;
  }
}

float ui::button_width(const char* label) {
  const char* end = std::strstr(label, "###");
  return ImGui::CalcTextSize(label, end).x + 2 * ImGui::GetStyle().FramePadding.x;
}

void ui::flow(float width) {
  ImGui::SameLine();
  if (ImGui::GetCursorPosX() + width > ImGui::GetWindowContentRegionMax().x) ImGui::NewLine();
}

bool ui::button(App& a, const char* id, const Words& label, bool enabled) {
  if (!enabled) ImGui::BeginDisabled();
  std::string text = std::string(label(a.lang)) + "###" + id;
  bool pressed = ImGui::Button(text.c_str(), ImVec2(a.touch ? std::max(ui::button_width(text.c_str()), 40 * a.dpr) : 0, 0));
  if (!enabled) ImGui::EndDisabled();
  remember(a, id);
  return pressed && enabled;
}

// Japanese has no spaces between words: a line may break before most characters, but not before closing
// punctuation (、。」) nor after opening (「（); Latin text breaks at spaces. Dear ImGui 1.86 breaks at spaces
// only, so a Japanese sentence would run on as one long word.
std::vector<std::string> ui::wrap(const std::string& text, float width) {
  std::vector<std::string> lines;
  auto cjk = [](unsigned c) { return (c >= 0x3000 && c <= 0x9FFF) || (c >= 0xFF00 && c <= 0xFFEF); };
  auto no_start = [](unsigned c) { return c == 0x3001 || c == 0x3002 || c == 0xFF09 || c == 0x300D || c == 0x300F || c == 0xFF0C || c == 0xFF0E || c == 0xFF01 || c == 0xFF1F || c == 0x30FC || c == 0xFF1A || c == 0x30FB; };
  auto no_end = [](unsigned c) { return c == 0xFF08 || c == 0x300C || c == 0x300E; };
  size_t start = 0;
  while (start <= text.size()) {
    size_t nl = text.find('\n', start);
    std::string para = text.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
    start = nl == std::string::npos ? text.size() + 1 : nl + 1;
    size_t line = 0, last_break = 0;  // where the line starts, and its last place to break
    unsigned prev = 0;
    for (size_t i = 0; i < para.size();) {
      unsigned char b = static_cast<unsigned char>(para[i]);
      size_t len = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
      unsigned c = b < 0x80 ? b : b < 0xE0 ? b & 0x1F : b < 0xF0 ? b & 0x0F : b & 0x07;
      for (size_t k = 1; k < len && i + k < para.size(); ++k) c = (c << 6) | (static_cast<unsigned char>(para[i + k]) & 0x3F);
      if (i > line && ((prev == ' ') || ((cjk(c) || cjk(prev)) && !no_start(c) && !no_end(prev) && c != ' '))) last_break = i;
      if (i > line && ImGui::CalcTextSize(para.c_str() + line, para.c_str() + i + len).x > width && last_break > line) {
        std::string l = para.substr(line, last_break - line);
        while (!l.empty() && l.back() == ' ') l.pop_back();
        lines.push_back(l);
        line = last_break;
        while (line < para.size() && para[line] == ' ') ++line;
        last_break = line;
      }
      prev = c;
      i += len;
    }
    lines.push_back(para.substr(std::min(line, para.size())));
  }
  return lines;
}

bool ui::wrapped_selectable(App& a, const char* id, const std::string& text, bool selected) {
  std::vector<std::string> lines = wrap(text, ImGui::GetContentRegionAvail().x);
  float line_h = ImGui::GetTextLineHeight(), h = std::max(line_h * float(lines.size()), touch_row(a));
  ImVec2 at = ImGui::GetCursorScreenPos();
  float w = ImGui::GetContentRegionAvail().x;
  bool picked = ImGui::Selectable((std::string("###") + id).c_str(), selected, 0, ImVec2(0, h));
  // Named by the row itself: a selectable's own rectangle reaches into the spacing around it.
  ImVec2 c0 = ImGui::GetWindowDrawList()->GetClipRectMin(), c1 = ImGui::GetWindowDrawList()->GetClipRectMax();
  ImVec2 p(std::max(at.x, c0.x), std::max(at.y, c0.y)), q(std::min(at.x + w, c1.x), std::min(at.y + h, c1.y));
  if (q.x > p.x && q.y > p.y) remember_box(a, id, p.x, p.y, q.x - p.x, q.y - p.y);
  for (size_t k = 0; k < lines.size(); ++k)
    ImGui::GetWindowDrawList()->AddText(ImVec2(at.x, at.y + (h - line_h * float(lines.size())) / 2 + line_h * float(k)),
                                        ImGui::GetColorU32(ImGuiCol_Text), lines[k].c_str());
  return picked;
}

int ui::text_table(const std::vector<std::string>& cells, int columns, bool header, const std::vector<unsigned>& ink, float width,
                   unsigned stretch) {
  if (cells.empty() || columns < 1) return -1;
  const ImVec2 pad = ImGui::GetStyle().CellPadding;
  const int rows = (int(cells.size()) + columns - 1) / columns;
  std::vector<float> w(size_t(columns), 0);
  for (size_t i = 0; i < cells.size(); ++i) w[i % size_t(columns)] = std::max(w[i % size_t(columns)], ImGui::CalcTextSize(cells[i].c_str()).x + 2 * pad.x);
  float total = 0, fixed = 0;
  int shared = 0;
  for (size_t c = 0; c < w.size(); ++c) {
    total += w[c];
    if (stretch >> c & 1) ++shared;
    else fixed += w[c];
  }
  if (width > 0 && shared) {  // the stretching columns share what the others leave
    for (size_t c = 0; c < w.size(); ++c)
      if (stretch >> c & 1) w[c] = std::max(2 * pad.x, (width - fixed) / float(shared));
    total = 0;
    for (float x : w) total += x;
  } else if (width > total) {
    for (float& x : w) x += (width - total) / float(columns);
    total = width;
  }
  const float rh = ImGui::GetTextLineHeight() + 2 * pad.y;
  const ImVec2 p = ImGui::GetCursorScreenPos();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  if (header) dl->AddRectFilled(p, ImVec2(p.x + total, p.y + rh), ImGui::GetColorU32(ImGuiCol_TableHeaderBg));
  const ImU32 text = ImGui::GetColorU32(ImGuiCol_Text), line = ImGui::GetColorU32(ImGuiCol_TableBorderLight);
  std::vector<float> x0(size_t(columns) + 1, p.x);
  for (size_t c = 0; c < size_t(columns); ++c) x0[c + 1] = x0[c] + w[c];
  for (size_t i = 0; i < cells.size(); ++i) {
    const size_t c = i % size_t(columns);
    const float y = p.y + float(i / size_t(columns)) * rh;
    dl->PushClipRect(ImVec2(x0[c], y), ImVec2(x0[c + 1] - pad.x / 2, y + rh), true);  // a cut text stays in its cell
    dl->AddText(ImVec2(x0[c] + pad.x, y + pad.y), i < ink.size() && ink[i] ? ink[i] : text, cells[i].c_str());
    dl->PopClipRect();
  }
  for (int r = 0; r <= rows; ++r) dl->AddLine(ImVec2(p.x, p.y + float(r) * rh), ImVec2(p.x + total, p.y + float(r) * rh), line);
  for (float x : x0) dl->AddLine(ImVec2(x, p.y), ImVec2(x, p.y + float(rows) * rh), line);
  ImGui::Dummy(ImVec2(total, float(rows) * rh));
  if (!ImGui::IsItemHovered()) return -1;
  ImVec2 m = ImGui::GetIO().MousePos;
  size_t r = size_t(std::max(0.f, (m.y - p.y) / rh)), c = 0;
  while (c + 1 < size_t(columns) && m.x >= x0[c + 1]) ++c;
  size_t i = r * size_t(columns) + c;
  return i < cells.size() ? int(i) : -1;
}

void ui::paragraph(const std::string& text) {
  std::vector<std::string> lines = wrap(text, ImGui::GetContentRegionAvail().x);
  while (lines.size() > 1 && lines.back().empty()) lines.pop_back();
  ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(ImGui::GetStyle().ItemSpacing.x, ImGui::GetStyle().ItemSpacing.y * 0.3f));
  ImGui::BeginGroup();  // one item: remember() names the whole paragraph
  for (const std::string& line : lines) ImGui::TextUnformatted(line.c_str());
  ImGui::EndGroup();
  ImGui::PopStyleVar();
}

void ui::coloured_paragraph(const ImVec4& colour, const std::string& text) {
  ImGui::PushStyleColor(ImGuiCol_Text, colour);
  paragraph(text);
  ImGui::PopStyleColor();
}

void ui::quiet_paragraph(const std::string& text) { coloured_paragraph(ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled), text); }

bool ui::flow_button(App& a, const char* id, const Words& label, bool enabled) {
  flow(std::max(button_width(label(a.lang)), a.touch ? 40 * a.dpr : 0.f));
  return button(a, id, label, enabled);
}

namespace {

// The lab switch, and on the right the projector setting and the language.
void top_bar(App& a) {
  for (int i = 0; i < lab_count(); ++i) {
    std::string id = std::string("mode_") + lab(i).id;
    std::string label = std::string((a.narrow ? lab(i).short_title : lab(i).title)(a.lang)) + "###" + id;
    if (i) ui::flow(ui::button_width(label.c_str()));
    bool on = a.lab == i;
    if (on) ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_ButtonActive));
    if (ImGui::Button(label.c_str(), ImVec2(a.touch ? std::max(ui::button_width(label.c_str()), 40 * a.dpr) : 0, 0))) show_lab(a, i);
    if (on) ImGui::PopStyleColor();
    ui::remember(a, id.c_str());
  }
  const char* other = a.lang == Lang::ja ? (a.narrow ? "EN###lang" : "English###lang") : "日本語###lang";
  std::string present_label = std::string(T(kPresent, a)) + "###present";
  bool offer_present = !a.narrow;  // a projector is wide; on a phone the room is the graph's
  float spacing = ImGui::GetStyle().ItemSpacing.x;
  float w = ui::button_width(other) + (offer_present ? ImGui::GetFrameHeight() + ImGui::GetStyle().ItemInnerSpacing.x + ImGui::CalcTextSize(present_label.c_str(), std::strstr(present_label.c_str(), "###")).x + spacing : 0);
  float x = ImGui::GetWindowContentRegionMax().x - w;
  ImGui::SameLine();
  if (ImGui::GetCursorPosX() > x) ImGui::NewLine(), ImGui::SetCursorPosX(std::max(x, ImGui::GetStyle().WindowPadding.x));
  else ImGui::SameLine(x);
  if (offer_present) {
    bool present = a.present;
    if (ImGui::Checkbox(present_label.c_str(), &present)) a.present = present, a.show_lessons = !present, a.changed = true;
    ui::remember(a, "present");
    ImGui::SameLine();
  }
  if (ImGui::Button(other, ImVec2(a.touch ? std::max(ui::button_width(other), 40 * a.dpr) : 0, 0))) set_lang(a, a.lang == Lang::ja ? Lang::en : Lang::ja);
  ui::remember(a, "lang");
}

// Notices gather in a box at most four lines high, scrolling past that: a notice never pushes the panels away.
void notice_box(App& a) {
  if (a.notice.empty()) return;
  float dismiss = ui::button_width(T(kDismiss, a)) + ImGui::GetStyle().ItemSpacing.x;
  float width = ImGui::GetContentRegionAvail().x - dismiss, pad = ImGui::GetStyle().WindowPadding.x;
  float text_h = ImGui::CalcTextSize(a.notice.c_str(), nullptr, false, width - 2 * pad - ImGui::GetStyle().ScrollbarSize).y;
  ImGui::BeginChild("###notice", ImVec2(width, std::min(text_h, 4 * ImGui::GetTextLineHeightWithSpacing()) + 2 * ImGui::GetStyle().WindowPadding.y), false);
  ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32(150, 60, 0, 255));
  ImGui::PushTextWrapPos(0);
  ImGui::TextUnformatted(a.notice.c_str());
  ImGui::PopTextWrapPos();
  ImGui::PopStyleColor();
  ImGui::EndChild();
  ui::remember(a, "notice");
  ImGui::SameLine();
  if (ui::button(a, "dismiss", kDismiss)) a.notice.clear();
}

void keys(App& a) {
  std::vector<Key> pressed;
  pressed.swap(a.keys);
  if (ImGui::GetIO().WantTextInput) return;  // typing in a field: keys are the field's
  for (Key k : pressed) {
    if (k == Key::L) set_lang(a, a.lang == Lang::ja ? Lang::en : Lang::ja);
    else if (!current_lab(a).later_code || a.lab_code_in) current_lab(a).key(a, k);  // its code may not be in yet
  }
}

}  // namespace

void setup_style(const App& a) {
  ImGuiStyle& s = ImGui::GetStyle();
  s = ImGuiStyle();
  ImGui::StyleColorsLight();
  s.WindowRounding = 0;
  s.FrameRounding = 5;
  // A touch screen: every control at least 40 CSS pixels high (the font is 15 at scale 1), more room between.
  float text = 15 * a.scale / a.dpr;  // the font's height in CSS pixels
  s.FramePadding = a.touch ? ImVec2(12, std::max(5.f, (40 - text) / 2 * a.dpr / a.scale + 0.5f)) : ImVec2(9, 5);
  s.ItemSpacing = a.touch ? ImVec2(10, 9) : ImVec2(8, 7);
  s.WindowPadding = ImVec2(12, 10);
  s.ScrollbarSize = a.touch ? 18 : 14;
  s.GrabMinSize = a.touch ? 24 : 10;
  s.Colors[ImGuiCol_WindowBg] = ImVec4(0.97f, 0.97f, 0.96f, 1);
  s.Colors[ImGuiCol_ChildBg] = ImVec4(1, 1, 1, 1);
  s.Colors[ImGuiCol_PopupBg] = ImVec4(1, 1, 1, 1);  // a node's numbers, the ⋯ menu: nothing showing through
  s.Colors[ImGuiCol_Button] = ImVec4(0.88f, 0.91f, 0.96f, 1);
  s.Colors[ImGuiCol_FrameBg] = ImVec4(0.93f, 0.94f, 0.96f, 1);
  s.FrameBorderSize = 1;
  s.ScaleAllSizes(a.scale);
}

// The later labs' code (kobai.labs.wasm): true once it is in. Until then it is fetched, and this draws a bar, or
// why it could not come.
static bool later_code_in(App& a) {
  double code = a.lab_code_in ? 1 : platform::lab_code();
  if (code >= 1) return a.lab_code_in = true;
  if (code < 0) {
    ImGui::PushTextWrapPos(0);
    ui::coloured_paragraph(ImVec4(0.8f, 0.1f, 0.1f, 1), T(kLabFailed, a) + platform::lab_code_error());
    ImGui::PopTextWrapPos();
    ui::remember(a, "lab_error");
  } else {
    ImGui::ProgressBar(float(code), ImVec2(std::min(ImGui::GetContentRegionAvail().x, 400 * a.scale), 0), T(kLoadingLab, a));
    ui::remember(a, "lab_loading");
  }
  return false;
}

// A later lab's keys of the link it was opened with, read now that their code is in; those refused are said as
// apply_link says the others.
static void read_later_link(App& a, PageLink& l) {
  size_t said = l.problems.size();
  read_later_keys(l);
  std::string list;
  for (size_t i = said; i < l.problems.size(); ++i) list += (list.empty() ? "" : "; ") + l.problems[i];
  if (!list.empty()) add_notice(a, T(kLinkProblems, a) + list + ".");
}

bool frame(App& a, float dt) {
  ++a.frames;
  // After an update the parameters have new values: the check is of the gradients at those, as the walk shows them.
  if (a.walk && a.check_iteration != a.walk->iteration()) {
    Graph g = a.walk->graph();
    for (int k : g.inputs)
      if (a.walk->state().value[size_t(k)].size()) g.nodes[size_t(k)].value = a.walk->state().value[size_t(k)];
    a.check = std::make_unique<GradientCheck>(std::move(g));
    a.check_iteration = a.walk->iteration();
  }
  bool checking = a.check && !walk_waits(a) && !a.check->advance(0.006);  // the gradient check's share of a 60 Hz frame
  a.rects.clear(), a.cut.clear();  // what this frame draws names itself again: a control not drawn is not on screen
  if (a.playing) {
    a.play_clock += dt;
    while (a.playing && a.play_clock >= 1.0 / a.walkthrough.speed) {
      a.play_clock -= 1.0 / a.walkthrough.speed;
      if (!step(a)) a.playing = false;
    }
  }
  keys(a);
  ImGuiIO& io = ImGui::GetIO();
  float css_width = io.DisplaySize.x / a.scale;
  a.narrow = css_width < 900;  // side by side needs room for the graph and this step (a tablet upright: tabs)
  if (a.frames == 1 && css_width < 1200) a.show_lessons = false;  // a small laptop: the graph gets the room
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(io.DisplaySize);
  // No background of its own: glClear has painted it. (Each full-window fill costs a software renderer a lot.)
  ImGui::Begin("kobai", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                                     ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoBackground);
  top_bar(a);
  notice_box(a);
  const Lab& l = current_lab(a);
  // A later lab, or the walkthrough on a graph whose ops' code comes later: that code first.
  bool in = !(l.later_code || (a.lab == 0 && walk_waits(a))) || later_code_in(a);
  if (a.pending_walk && a.lab_code_in) {  // a link's place in such a graph, now that its ops can run
    try {
      walk_to(*a.walk, a.pending_walk->first, a.pending_walk->second);
    } catch (const InputError& e) {
      add_notice(a, std::string(T(kLinkProblems, a)) + e.what() + ".");
    }
    a.pending_walk.reset();
    a.changed = true;
  }
  if (in) {
    if (a.pending_link) {  // the link it was opened with, read now; the page's link then says what was kept
      read_later_link(a, *a.pending_link), l.read_link(a, *a.pending_link), a.pending_link.reset();
      platform::set_hash(link(a));
    }
    l.frame(a, dt);
  }
  ImGui::End();
  return checking || (in ? l.moving(a) : platform::lab_code() >= 0);
}

}  // namespace kobai
