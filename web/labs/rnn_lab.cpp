// kobai page: the binary-addition lab. The course's day-3 exercise: a + b, the bits of a and b in one step at a
// time (the lowest first), one bit of the sum out. Training runs a slice per frame (at most kSliceMs of work), so
// the page keeps drawing while it learns; every 100 iterations the mean loss and the share of 100 held-out sums
// right are charted. One sum is shown bit by bit with the wrong bits marked, and ‖∂L/∂h[t]‖ over the time steps
// shows how the gradient shrinks (or grows) on its way back. "Step into" opens the next iteration's example in
// the walkthrough, unrolled, with the net's weights.
#include "labs/rnn_lab.h"

#include "app.h"
#include "labs/labs.h"
#include "ui.h"
#include "widgets/enum_combo.h"
#include "widgets/plot.h"

#include <imgui.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace kobai {
namespace {

using ui::remember;
using ui::T;

constexpr double kSliceMs = 8;     // training per frame: the page never holds a frame for long
constexpr int kSliceMost = 5000;   // ... nor runs away on a fast machine
constexpr int kCheckEvery = 100;   // iterations between the charts' points (engine/seq.h's kSeqCheckEvery, as the course)
constexpr int kMostIterations = 1000000;  // ... kSeqMaxIterations: play stops there

const Words kPlay{"Play", "再生"};
const Words kPause{"Pause", "一時停止"};
const Words kOne{"One iteration", "1回だけ"};
const Words kReset{"Reset", "最初から"};
const Words kStepInto{"Step into this iteration", "この回を詳しく見る"};
const Words kPresets{"The notes' runs", "ノートの実験"};
const Words kNoPreset{"Settings changed by hand: no preset.", "設定を手で変更しました（プリセットなし）。"};
const Words kWhy{"Why they differ: ", "違う理由："};
const Words kStatus{"iteration %d · loss %s · held-out sums right %s%%", "%d回目 · 損失 %s · 正解率 %s%%"};
const Words kTabSettings{"Settings", "設定"};
const Words kTabTraining{"Training", "学習"};
const Words kTabSum{"This sum", "この足し算"};
const Words kLossTitle{"Loss (mean over each 100 iterations)", "損失（100回ごとの平均）"};
const Words kAccTitle{"Held-out sums right (100 fixed sums, all 8 bits)", "正解率（固定の100問、8ビットすべて正しい割合）"};
const Words kGradTitle{"Gradient size ‖∂L/∂h[t]‖, backward from t = 8 to 1", "勾配の大きさ ‖∂L/∂h[t]‖（t = 8 から 1 へ逆向き）"};
const Words kSumTitle{"The last iteration's sum", "直前の回の足し算"};
const Words kBitsNote{"Bits as written, the highest on the left; the net reads them from the right (t = 1 is the lowest bit). Red: a wrong bit.",
                      "ビットは普通の書き方（左が上位）。ネットは右から読む（t = 1 が最下位ビット）。赤：間違ったビット。"};
const Words kNoSumYet{"No iteration yet: press Play or One iteration.", "まだ学習していません：再生か「1回だけ」を押してください。"};
const Words kIteration{"iteration", "回"};
const Words kLoss{"loss", "損失"};
const Words kRight{"right", "正解率"};
const Words kStep{"t", "t"};
const Words kNorm{"‖∂L/∂h[t]‖", "‖∂L/∂h[t]‖"};
const Words kPredicted{"predicted", "予測"};
const Words kAllRight{"all bits right", "全ビット正解"};
const Words kWrongBits{"%d bits wrong", "%d ビット間違い"};
const Words kOneWrongBit{"1 bit wrong", "1 ビット間違い"};
const Words kDiverged{"Iteration %d gave a NaN or infinite loss or gradient: training stopped, the weights are those before it. Try clipping or a smaller η.",
                      "%d回目で損失か勾配が NaN または無限大になりました。学習を止め、重みはその前のままです。クリッピングか小さい η を試してください。"};
const ImU32 kLossInk = IM_COL32(215, 70, 20, 255), kAccInk = IM_COL32(25, 90, 200, 255), kGradInk = IM_COL32(110, 60, 170, 255);
const ImVec4 kRed(0.8f, 0.1f, 0.1f, 1);

std::string num(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.4g", v);
  return b;
}

// A new net from the settings: the same seed gives the same run.
void reset(RnnLab& l) {
  l.playing = false;
  l.losses.clear(), l.accuracy.clear(), l.grad_h.clear();
  l.loss_sum = 0, l.loss_count = 0, l.last_loss = 0;
  l.shown = RnnSum{};
  delete l.net;
  l.net = nullptr;
  try {
    l.net = new RnnRun(l.settings);
    l.accuracy.push_back(float(100 * l.net->held_out_accuracy()));
    l.message.clear();
  } catch (const InputError& e) {  // a setting out of range (the link and the panel check them first)
    l.message = e.what();
  }
}

// One iteration; false when it diverged (training stops, the weights stay).
bool iterate(RnnLab& l, const App& a) {
  RnnRun& n = *l.net;
  const RnnRun::Step s = n.step();
  if (!s.finite) {
    char b[400];
    std::snprintf(b, sizeof b, T(kDiverged, a), n.iteration() + 1);
    l.message = b, l.playing = false;
    return false;
  }
  l.last_loss = s.loss, l.loss_sum += s.loss, ++l.loss_count;
  if (n.iteration() % kCheckEvery == 0) {
    l.losses.push_back(float(l.loss_sum / l.loss_count));
    l.loss_sum = 0, l.loss_count = 0;
    l.accuracy.push_back(float(100 * n.held_out_accuracy()));
  }
  if (n.iteration() >= kMostIterations) l.playing = false;
  return true;
}

// What the last iteration did, for the sum and the gradient chart (after a slice: once, not per iteration).
void keep_last(RnnLab& l) {
  const RnnRun& n = *l.net;
  if (!n.iteration()) return;
  l.shown = n.last_sum(), l.grad_h = n.grad_h();
}

void train_slice(RnnLab& l, const App& a) {
  using clock = std::chrono::steady_clock;
  const auto t0 = clock::now();
  int done = 0;
  double ms = 0;
  while (l.playing && done < kSliceMost) {
    if (!iterate(l, a)) break;
    ++done;
    if (done % 8 == 0 && (ms = std::chrono::duration<double, std::milli>(clock::now() - t0).count()) > kSliceMs) break;
  }
  l.frame_ms = std::chrono::duration<double, std::milli>(clock::now() - t0).count(), l.frame_steps = done;
  keep_last(l);
}

// --- the settings --------------------------------------------------------------------------------------------------

// One setting's control by its kind, named rnn_<name>; true when the student changed it.
bool control(App& a, RnnSettings& s, const RnnSetting& t, float width) {
  if (t.shown && !t.shown(s)) return false;
  const std::string id = std::string("rnn_") + t.name, label = std::string(t.label(a.lang)) + "###" + id;
  ImGui::SetNextItemWidth(width);
  bool changed = false;
  switch (t.kind) {
    case SettingKind::choice: {
      int now = int(t.get(s));
      if (enum_combo(label.c_str(), &now, t.choices.names, t.choices.count)) t.set(s, now), changed = true;
      break;
    }
    case SettingKind::flag: {
      bool on = t.get(s) != 0;
      if (ImGui::Checkbox(label.c_str(), &on)) t.set(s, on), changed = true;
      break;
    }
    case SettingKind::whole: {
      int now = int(t.get(s));
      if (t.in_box ? ImGui::InputInt(label.c_str(), &now, 0, 0, ImGuiInputTextFlags_EnterReturnsTrue)
                   : ImGui::SliderInt(label.c_str(), &now, int(t.lo), int(t.hi)))
        if (t.valid(now)) t.set(s, now), changed = true;  // a typed value out of range is not taken
      break;
    }
    case SettingKind::number: {
      double x = t.get(s), lo = t.lo, hi = t.slider_hi ? t.slider_hi : t.hi;
      if (ImGui::SliderScalar(label.c_str(), ImGuiDataType_Double, &x, &lo, &hi, t.format, ImGuiSliderFlags_Logarithmic) && t.valid(x))
        t.set(s, x), changed = true;
      break;
    }
    case SettingKind::wholes: case SettingKind::names: break;  // none in this table
  }
  remember(a, id.c_str());
  return changed;
}

void settings_panel(App& a, RnnLab& l) {
  ImGui::TextUnformatted(T(kPresets, a));
  static const Words kNumbers[] = {{"1", "1"}, {"2", "2"}, {"3", "3"}, {"4", "4"}, {"5", "5"}, {"6", "6"}, {"7", "7"}};
  const std::vector<RnnPresetText> presets = rnn_presets(a.lang);
  for (size_t i = 0; i < presets.size() && i < std::size(kNumbers); ++i) {
    const std::string id = "rnn_preset_" + std::to_string(presets[i].number);
    if (i) ui::flow(std::max(ui::button_width("7"), a.touch ? 40 * a.dpr : 0.f));
    const bool on = l.settings.preset == presets[i].number;
    if (on) ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_ButtonActive));
    const bool picked = ui::button(a, id.c_str(), kNumbers[i]);
    if (on) ImGui::PopStyleColor();
    if (picked) take_preset(l.settings, presets[i].number), reset(l), l.settings_changed = true;
  }
  const RnnPresetText* p = nullptr;
  for (const RnnPresetText& q : presets)
    if (q.number == l.settings.preset) p = &q;
  if (p) {
    ui::paragraph(std::to_string(p->number) + ". " + p->title);
    std::string notes = p->notes;  // "the notes: …", a sentence of its own here
    if (!notes.empty() && notes[0] >= 'a' && notes[0] <= 'z') notes[0] = char(notes[0] - 'a' + 'A');
    ui::quiet_paragraph(notes);
    ui::quiet_paragraph(p->measured);
    if (!p->why.empty()) ui::quiet_paragraph(std::string(T(kWhy, a)) + p->why);
  } else {
    ui::quiet_paragraph(T(kNoPreset, a));
  }
  remember(a, "rnn_preset_text");
  ImGui::Separator();
  bool changed = false;
  const float width = std::min(150 * a.scale, ImGui::GetContentRegionAvail().x * 0.45f);
  for (const RnnSetting& t : rnn_settings()) {
    if (std::string(t.name) == "preset") continue;  // the buttons above
    changed |= control(a, l.settings, t, width);
  }
  if (changed) l.settings.preset = 0, reset(l), l.settings_changed = true;  // no longer the notes' run
}

// --- the results ---------------------------------------------------------------------------------------------------

void loss_chart(App& a, RnnLab& l, float width, float height) {
  ImGui::BeginGroup();
  ui::paragraph(T(kLossTitle, a));
  PlotSpec spec;
  spec.size = ImVec2(width, height);
  spec.log_y = true;
  spec.x_name = T(kIteration, a), spec.x_step = 1;  // whole iterations, also before the first is plotted
  PlotSeries s{T(kLoss, a), l.losses.data(), int(l.losses.size()), double(kCheckEvery), double(kCheckEvery), kLossInk};
  plot::Readout r;
  if (Plot("###rnn_loss_plot", spec, &s, 1, &r)) l.hover_plot = "rnn_loss_plot";
  remember(a, "rnn_loss_plot");
  ImGui::EndGroup();
}

void accuracy_chart(App& a, RnnLab& l, float width, float height) {
  ImGui::BeginGroup();
  ui::paragraph(T(kAccTitle, a));  // wrapped: a 360-pixel phone cuts it
  PlotSpec spec;
  spec.size = ImVec2(width, height);
  spec.y_lo = 0, spec.y_hi = 100, spec.y_unit = "%";
  spec.x_name = T(kIteration, a), spec.x_step = 1;  // whole iterations, also before the first is plotted
  PlotSeries s{T(kRight, a), l.accuracy.data(), int(l.accuracy.size()), 0, double(kCheckEvery), kAccInk};
  plot::Readout r;
  if (Plot("###rnn_accuracy_plot", spec, &s, 1, &r)) l.hover_plot = "rnn_accuracy_plot";
  remember(a, "rnn_accuracy_plot");
  ImGui::EndGroup();
}

void grad_chart(App& a, RnnLab& l, float width, float height) {
  ImGui::BeginGroup();
  ui::paragraph(T(kGradTitle, a));
  PlotSpec spec;
  spec.size = ImVec2(width, height);
  bool positive = !l.grad_h.empty();
  for (float v : l.grad_h) positive = positive && v > 0;
  spec.log_y = positive;  // vanishing gradients span decades
  spec.x_name = T(kStep, a), spec.x_step = 1, spec.x_pad = 0.5;
  PlotSeries s{T(kNorm, a), l.grad_h.data(), int(l.grad_h.size()), 1, 1, kGradInk, true};
  plot::Readout r;
  if (Plot("###rnn_grad_plot", spec, &s, 1, &r)) l.hover_plot = "rnn_grad_plot";
  remember(a, "rnn_grad_plot");
  ImGui::EndGroup();
}

// The sum as four rows of bits, highest on the left, with the numbers; a wrong predicted bit in red on a box.
void sum_view(App& a, RnnLab& l) {
  ImGui::BeginGroup();
  ui::paragraph(T(kSumTitle, a));
  if (l.shown.predicted.empty()) {
    ui::quiet_paragraph(T(kNoSumYet, a));
    ImGui::EndGroup();
    remember(a, "rnn_sum");
    return;
  }
  const RnnSum& e = l.shown;
  const int steps = int(e.predicted.size());
  uint64_t got = 0;
  for (int t = steps - 1; t >= 0; --t) got = got * 2 + uint64_t(e.predicted[size_t(t)] != 0);
  const uint64_t sum = e.a + e.b;
  const float line = ImGui::GetTextLineHeightWithSpacing() * 1.15f, cell = ImGui::CalcTextSize("0").x * 2.2f;
  const char* names[4] = {"a", "b", "a + b", T(kPredicted, a)};
  float label_w = 0;
  for (const char* n : names) label_w = std::max(label_w, ImGui::CalcTextSize(n).x);
  label_w += ImGui::CalcTextSize("  ").x;
  const float number_w = ImGui::CalcTextSize(" = 000").x;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 o = ImGui::GetCursorScreenPos();
  const ImU32 ink = ImGui::GetColorU32(ImGuiCol_Text), faint = ImGui::GetColorU32(ImGuiCol_TextDisabled);
  int wrong = 0;
  for (int row = 0; row < 4; ++row) {
    const float y = o.y + line * float(row);
    dl->AddText(ImVec2(o.x, y), row == 3 ? kAccInk : ink, names[row]);
    const uint64_t v = row == 0 ? e.a : row == 1 ? e.b : row == 2 ? sum : got;
    for (int t = steps - 1, col = 0; t >= 0; --t, ++col) {
      const int bit = int((v >> t) & 1);
      const float x = o.x + label_w + cell * float(col);
      const bool bad = row == 3 && e.predicted[size_t(t)] != int((sum >> t) & 1);
      wrong += bad;
      if (bad) dl->AddRectFilled(ImVec2(x - 2 * a.scale, y - 1 * a.scale), ImVec2(x + cell - 4 * a.scale, y + ImGui::GetTextLineHeight() + 1 * a.scale),
                                 IM_COL32(250, 215, 215, 255), 3 * a.scale);
      const char d[2] = {char('0' + bit), 0};
      dl->AddText(ImVec2(x + cell * 0.2f, y), bad ? ImGui::GetColorU32(kRed) : row == 3 ? kAccInk : ink, d);
    }
    const std::string n = " = " + std::to_string(v);
    dl->AddText(ImVec2(o.x + label_w + cell * float(steps), y), row == 3 && got != sum ? ImGui::GetColorU32(kRed) : ink, n.c_str());
  }
  // the time steps under the bits: t = 1 on the right
  const float ty = o.y + line * 4;
  for (int t = steps - 1, col = 0; t >= 0; --t, ++col) {
    const std::string s = std::to_string(t + 1);
    dl->AddText(ImVec2(o.x + label_w + cell * float(col) + cell * 0.2f, ty), faint, s.c_str());
  }
  dl->AddText(ImVec2(o.x, ty), faint, "t");
  ImGui::Dummy(ImVec2(label_w + cell * float(steps) + number_w, line * 5));
  if (wrong) {
    char b[64];
    std::snprintf(b, sizeof b, "%s", T(kOneWrongBit, a));
    if (wrong > 1) std::snprintf(b, sizeof b, T(kWrongBits, a), wrong);
    ImGui::TextColored(kRed, "%s", b);
  } else {
    ImGui::TextColored(ImVec4(0.1f, 0.5f, 0.2f, 1), "%s", T(kAllRight, a));
  }
  ui::quiet_paragraph(T(kBitsNote, a));
  ImGui::EndGroup();
  remember(a, "rnn_sum");
}

// The next iteration's example in the walkthrough, unrolled, with the weights as they are, and its update phase
// (W ← W − η·∂L/∂W, unclipped); then the lab takes that iteration, so that its loss is the walkthrough's L. The bits
// (x, d) are data: no gradient.
void step_into(App& a, RnnLab& l) {
  l.playing = false;
  const RnnProgram p = l.net->next_program();
  iterate(l, a);
  keep_last(l);
  Lesson example;
  example.expr = p.source;
  example.inputs = InputValues(p.inputs.begin(), p.inputs.end());
  example.params = p.params, example.lr = p.lr;
  for (const char* bits : {"x", "d"})
    if (example.inputs.count(bits)) example.data.push_back(bits);
  if (load_lesson(a, example)) {
    a.lesson_id.clear();  // no lesson of the list: its link is the expression and its inputs
    show_lab(a, find_lab("walkthrough"));
  } else {
    l.message = a.error;
  }
}

void controls(App& a, RnnLab& l) {
  const bool ready = l.net != nullptr;
  if (ui::button(a, "rnn_play", l.playing ? kPause : kPlay, ready)) l.playing = !l.playing;
  if (ui::flow_button(a, "rnn_one", kOne, ready && !l.playing)) iterate(l, a), keep_last(l);
  if (ui::flow_button(a, "rnn_reset", kReset)) reset(l);
  bool stepped_in = false;
  if (ui::flow_button(a, "rnn_step_into", kStepInto, ready)) stepped_in = true;
  char buf[160];
  const int it = ready ? l.net->iteration() : 0;
  std::snprintf(buf, sizeof buf, T(kStatus, a), it, num(l.last_loss).c_str(), num(l.accuracy.empty() ? 0 : l.accuracy.back()).c_str());
  ui::flow(ImGui::CalcTextSize(buf).x);
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(buf);
  remember(a, "rnn_status");
  if (!l.message.empty()) {
    ui::coloured_paragraph(kRed, l.message);
    remember(a, "rnn_message");
  }
  if (stepped_in) step_into(a, l);
}

void results(App& a, RnnLab& l, bool tabbed) {
  const float avail = ImGui::GetContentRegionAvail().x, gap = ImGui::GetStyle().ItemSpacing.x;
  const bool two = !tabbed && avail > 640 * a.scale;
  const float w = two ? (avail - gap) / 2 : avail, h = 150 * a.scale;
  if (!tabbed || l.pane == 1) {
    loss_chart(a, l, w, h);
    if (two) ImGui::SameLine();
    accuracy_chart(a, l, w, h);
  }
  if (!tabbed || l.pane == 2) {
    ImGui::Spacing();
    if (two) {
      // beside the gradient chart, as tall as it with its title (the note wraps to this width)
      ImGui::BeginChild("###rnn_sum_box", ImVec2(w, h + 3 * ImGui::GetTextLineHeightWithSpacing()), false, ImGuiWindowFlags_NoBackground);
      sum_view(a, l);
      ImGui::EndChild();
      ImGui::SameLine();
    } else {
      sum_view(a, l);
      ImGui::Spacing();
    }
    grad_chart(a, l, w, h);
  }
}

}  // namespace

void rnn_frame(App& a, float) {
  RnnLab& l = a.rnn;
  if (!l.net && l.message.empty()) reset(l);
  if (l.playing && l.net) train_slice(l, a);
  l.hover_plot.clear();  // a chart read this frame says so again
  ImGui::BeginChild("###rnn", ImVec2(0, 0), false, ImGuiWindowFlags_NoBackground);
  controls(a, l);
  if (a.narrow) {
    ui::tab_row(a, {{"rnn_tab_settings", &kTabSettings}, {"rnn_tab_training", &kTabTraining}, {"rnn_tab_sum", &kTabSum}}, &l.pane);
    ImGui::BeginChild("###rnn_pane", ImVec2(-1, ImGui::GetContentRegionAvail().y), true, ImGuiWindowFlags_NoBackground);
    if (l.pane == 0) settings_panel(a, l);
    else results(a, l, true);
    ImGui::EndChild();
  } else {
    const float left = std::min(340 * a.scale, ImGui::GetContentRegionAvail().x * 0.34f), h = ImGui::GetContentRegionAvail().y;
    ImGui::BeginChild("###rnn_left", ImVec2(left, h), true, ImGuiWindowFlags_NoBackground);
    settings_panel(a, l);
    ImGui::EndChild();
    ImGui::SameLine();
    ImGui::BeginChild("###rnn_right", ImVec2(0, h), true, ImGuiWindowFlags_NoBackground);
    results(a, l, false);
    ImGui::EndChild();
  }
  ImGui::EndChild();
  if (l.settings_changed) l.settings_changed = false, a.changed = true;  // the link follows the settings
}

bool rnn_moving(const App& a) { return a.rnn.playing; }

void rnn_key(App& a, Key k) {  // → one iteration, Space play or pause
  RnnLab& l = a.rnn;
  if (!l.net) return;
  if (k == Key::Right && !l.playing) iterate(l, a), keep_last(l);
  if (k == Key::Space) l.playing = !l.playing;
}

void rnn_read_link(App& a, const PageLink& k) {
  if (k.mode != "rnn") return;
  a.rnn.settings = k.rnn;
  reset(a.rnn);
}

void rnn_write_link(const App& a, PageLink& k) { k.rnn = a.rnn.settings; }

void rnn_state(const App& a, nlohmann::json& j) {
  const RnnLab& l = a.rnn;
  nlohmann::json& g = j["rnn"];  // one key at a time: nested initializer lists cost the page kilobytes
  settings_state(rnn_settings(), l.settings, g);
  g["iteration"] = l.net ? l.net->iteration() : 0;
  g["playing"] = l.playing, g["message"] = l.message;
  g["loss"] = l.last_loss;
  g["losses"] = l.losses;
  g["accuracy"] = l.accuracy.empty() ? 0.0 : l.accuracy.back() / 100.0;
  g["accuracy_start"] = l.accuracy.empty() ? 0.0 : l.accuracy.front() / 100.0;
  g["accuracies"] = l.accuracy;
  g["grad_h"] = l.grad_h;
  g["frame_ms"] = l.frame_ms, g["frame_steps"] = l.frame_steps;
  g["plot"] = l.hover_plot;
  nlohmann::json& s = g["sum"];
  s["a"] = l.shown.a, s["b"] = l.shown.b, s["sum"] = l.shown.a + l.shown.b;
  s["predicted_bits"] = l.shown.predicted;  // lowest first
}

// Its code (the network, the charts) arrives when it is first opened; its functions' names are its own (rnn_...),
// as web/split-labs.py finds them by name.
extern const Lab kRnnLab{"rnn", kRnnTitle, kRnnShortTitle, true, rnn_frame, rnn_moving, rnn_key, rnn_read_link, rnn_write_link, rnn_state};

}  // namespace kobai
