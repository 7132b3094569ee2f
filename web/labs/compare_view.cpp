// kobai page: the playground's Compare. A preset (the book's chapter 6 on the digits) or the student's own
// settings as up to four runs; trained in turn a part at a time between frames; their curves overlaid.
#include "labs/compare_view.h"

#include "labs/playground.h"
#include "platform.h"
#include "ui.h"
#include "widgets/plot.h"

#include <emscripten/emscripten.h>
#include <nlohmann/json.hpp>
#include <imgui.h>

#include <algorithm>
#include <cstdio>

namespace kobai {
namespace {

using ui::button;
using ui::remember;
using ui::T;

const Words kPreset{"book", "本の実験"};
const Words kNoPreset{"choose…", "選択…"};
const Words kDigits{"UCI digits (8×8 images), not MNIST; 20% held out.", "UCI 手書き数字（8×8 画像、MNIST ではない）。20% をテストに。"};
const Words kWaiting{"Loading the digits…", "digits を読み込み中…"};
const Words kPlay{"Train", "学習開始"};
const Words kPause{"Pause", "一時停止"};
const Words kEpochAll{"One epoch", "1 エポック"};
const Words kRestart{"Reset", "リセット"};
const Words kAddMine{"Add my settings", "今の設定を追加"};
const Words kExport{"Export CSV", "CSV を書き出す"};
const Words kMine{"my settings", "今の設定"};
const Words kFull{"Four runs at most: remove one first.", "4 つまでです。先に 1 つ削除してください。"};
const Words kEmpty{"Choose a preset, or add your settings.", "プリセットを選ぶか、今の設定を追加してください。"};
const Words kRow{"epoch %d · test %.1f%%", "エポック %d · テスト %.1f%%"};
const Words kLossTitle{"Training loss", "訓練データの損失"};
const Words kAccuracyTitle{"Accuracy: test, and train (light)", "正解率: テストと訓練（淡色）"};
const Words kEpochAxis{"epoch", "エポック"};
const Words kFigure{"Figure %s", "図 %s"};
const Words kTrainMark{" (train)", "（訓練）"};

const ImU32 kInk[kMaxRuns] = {IM_COL32(40, 110, 200, 255), IM_COL32(225, 95, 30, 255), IM_COL32(40, 150, 70, 255), IM_COL32(150, 70, 190, 255)};
ImU32 light(ImU32 c) { return (c & 0x00ffffffu) | 0x70000000u; }

// The playground's settings as a run (its data and seed are the comparison's).
RunSpec run_of(const PlaygroundSettings& s) {
  RunSpec r;
  r.net.hidden = s.hidden, r.net.activation = s.activation, r.net.init = s.init, r.net.loss = s.loss;
  r.net.l1 = s.l1, r.net.l2 = s.l2, r.net.dropout = s.dropout, r.net.batchnorm = s.batchnorm;
  if (s.model == Model::cnn && s.data == DataKind::digits)  // the CNN's stage on the digits' 1x8x8 (NetConfig's image)
    r.net.conv = {ConvStage{s.filters, s.filter_size, s.stride, s.pad, s.pool, s.pool_stride}};
  r.opt = OptConfig{s.optimizer, s.lr};
  r.batch = s.batch;
  return r;
}

// The preset's runs on the digits, shuffled and split by the playground's seed.
void load(Playground& p, int i) {
  CompareView& c = p.compare;
  auto [train, test] = shuffle_scale_split(p.loaded[0], kCompareTestPercent, uint64_t(p.settings.seed));
  c.runs.set_data(std::move(train), std::move(test), uint64_t(p.settings.seed));
  try {
    c.runs.load(compare_presets()[size_t(i)]);
    c.message.clear();
  } catch (const InputError& e) {
    c.message = e.what();
  }
  c.pending = -1, c.asked = false;
}

void add_mine(App& a, Playground& p) {
  CompareView& c = p.compare;
  if (c.runs.runs().empty()) {  // the first run: the playground's own data and seed
    if (!p.net) return;
    c.runs.set_data(p.train, p.test, uint64_t(p.settings.seed));
  }
  RunSpec mine = run_of(p.settings);
  std::string label = c.runs.runs().empty() ? T(kMine, a) : describe_change(c.runs.runs()[0].spec, mine);
  try {
    c.message = c.runs.add(mine, label) ? "" : T(kFull, a);
  } catch (const InputError& e) {
    c.message = e.what();
  }
  p.settings.compare = 0, p.settings_changed = true;  // no longer the book's preset
}

const char* label(const CompareRun& r, const App& a) { return r.words.en ? r.words(a.lang) : r.label.c_str(); }

// A legend's name: a long label (the student's settings against the first run's) cut after its first few
// differences, whole ones, so that the legend fits the pane; the runs' list above says it all.
std::string legend_name(const char* label) {
  std::string s = label;
  size_t cut = s.size() > 24 ? s.rfind(", ", 24) : std::string::npos;
  return cut == std::string::npos ? s : s.substr(0, cut) + "…";
}

void curves(App& a, Playground& p) {
  const auto& runs = p.compare.runs.runs();
  int n = int(runs.size());
  std::vector<PlotSeries> loss, acc;
  std::vector<std::vector<float>> percent(size_t(2 * n));  // the accuracies as percentages, train then test
  std::vector<std::string> names(size_t(2 * n)), short_names(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    const CompareRun& r = runs[size_t(i)];
    short_names[size_t(i)] = legend_name(label(r, a));
    loss.push_back({short_names[size_t(i)].c_str(), r.train_loss.data(), int(r.train_loss.size()), 0, 1, kInk[i]});
    for (int k = 0; k < 2; ++k) {
      const std::vector<float>& from = k ? r.test_accuracy : r.train_accuracy;
      std::vector<float>& to = percent[size_t(2 * i + k)];
      for (float v : from) to.push_back(100 * v);
      names[size_t(2 * i + k)] = short_names[size_t(i)] + (k ? "" : T(kTrainMark, a));
    }
  }
  for (int i = 0; i < n; ++i)
    for (int k = 1; k >= 0; --k) {
      const std::vector<float>& y = percent[size_t(2 * i + k)];
      acc.push_back({names[size_t(2 * i + k)].c_str(), y.data(), int(y.size()), 0, 1, k ? kInk[i] : light(kInk[i])});
    }
  PlotSpec spec;
  spec.size = ImVec2(0, 150 * a.scale), spec.log_y = true, spec.x_name = T(kEpochAxis, a), spec.x_step = 1;
  ui::quiet_paragraph(T(kLossTitle, a));
  Plot("###cmp_loss_plot", spec, loss.data(), n);
  remember(a, "cmp_loss_plot");
  spec.log_y = false, spec.size.y = (130 + 36 * n) * a.scale, spec.y_lo = 0, spec.y_hi = 100, spec.y_unit = "%";
  ui::quiet_paragraph(T(kAccuracyTitle, a));
  Plot("###cmp_accuracy_plot", spec, acc.data(), int(acc.size()));
  remember(a, "cmp_accuracy_plot");
  p.compare_series = {int(loss.size()), int(acc.size())};
}

}  // namespace

void compare_pick(Playground& p, int i) {
  CompareView& c = p.compare;
  c.playing = false, c.message.clear();
  p.settings.compare = i + 1, p.settings_changed = true;
  if (i < 0) {
    c.runs.clear(), c.pending = -1;
    return;
  }
  if (p.loaded[0].rows()) return load(p, i);
  c.pending = i, c.asked = false;  // the digits first, from the page's own origin (compare_tick asks and waits)
}

void compare_tick(Playground& p) {
  CompareView& c = p.compare;
  if (c.pending >= 0 && p.loaded[0].rows()) load(p, c.pending);
  if (c.pending >= 0 && !p.loading) {  // nothing under way: ask for the digits (another set was coming), or say why they did not come
    if (!c.asked) c.asked = true, p.loading = true, platform::read_text("data/digits.csv", int(DataKind::digits));
    else c.pending = -1, c.asked = false, c.message = p.message;
  }
  if (p.playing) c.playing = false;  // one thing trains at a time
  if (!c.playing) return;
  if (!c.runs.trainable()) {
    c.playing = false;
    return;
  }
  // As the playground's own training: about 8 ms a frame in parts of 1 to 4 ms, each part one run's (the one
  // furthest behind), so four runs take turns and none holds the frame.
  double t0 = emscripten_get_now(), t = t0;
  do {
    c.runs.step(c.batches_per_part);
    double now = emscripten_get_now(), spent = now - t;
    t = now;
    if (spent < 1) c.batches_per_part = std::min(c.batches_per_part * 2, 1 << 12);
    else if (spent > 4) c.batches_per_part = std::max(1, c.batches_per_part / 2);
  } while (c.runs.trainable() && t - t0 < 8);
}

void compare_panel(App& a, Playground& p) {
  CompareView& c = p.compare;
  char buf[160];
  const auto& presets = compare_presets();
  const ComparePreset* shown = p.settings.compare > 0 ? &presets[size_t(p.settings.compare - 1)] : nullptr;
  ImGui::SetNextItemWidth(std::min(ImGui::GetContentRegionAvail().x * 0.7f, 220 * a.scale));
  if (ImGui::BeginCombo((std::string(T(kPreset, a)) + "###cmp_preset").c_str(), shown ? shown->title(a.lang) : T(kNoPreset, a))) {
    for (size_t i = 0; i < presets.size(); ++i) {
      std::snprintf(buf, sizeof buf, T(kFigure, a), presets[i].figure);
      std::string id = std::string("cmp_preset_") + presets[i].key;
      if (ImGui::Selectable((std::string(presets[i].title(a.lang)) + " (" + buf + ")###" + id).c_str(), shown == &presets[i])) compare_pick(p, int(i));
      remember(a, id.c_str());
    }
    ImGui::EndCombo();
  }
  remember(a, "cmp_preset");
  ImGui::PushTextWrapPos(0);
  if (shown) {
    std::snprintf(buf, sizeof buf, T(kFigure, a), shown->figure);
    ui::quiet_paragraph(std::string(buf) + " · " + shown->note(a.lang) + " " + T(kDigits, a));  // Japanese wraps too
    remember(a, "cmp_note");
  }
  if (c.pending >= 0) ImGui::TextUnformatted(T(kWaiting, a));
  ImGui::PopTextWrapPos();

  const bool any = !c.runs.runs().empty();
  if (button(a, "cmp_play", c.playing ? kPause : kPlay, c.runs.trainable())) c.playing = !c.playing, p.playing = false;
  if (ui::flow_button(a, "cmp_epoch", kEpochAll, c.runs.trainable() && !c.playing)) c.runs.epoch();
  if (ui::flow_button(a, "cmp_reset", kRestart, any)) c.runs.restart(), c.playing = false;
  if (ui::flow_button(a, "cmp_add", kAddMine, p.net != nullptr)) add_mine(a, p);
  if (ui::flow_button(a, "cmp_export", kExport, any)) platform::download("kobai-compare.csv", c.runs.csv(), "text/csv");
  if (!c.message.empty()) {
    ImGui::PushTextWrapPos(0);
    ui::coloured_paragraph(ImVec4(0.8f, 0.15f, 0.1f, 1), c.message);
    ImGui::PopTextWrapPos();
    remember(a, "cmp_message");
  }
  if (!any) {
    ui::quiet_paragraph(T(kEmpty, a));
    return;
  }
  int remove = -1;
  for (size_t i = 0; i < c.runs.runs().size(); ++i) {
    const CompareRun& r = c.runs.runs()[i];
    ImVec2 o = ImGui::GetCursorScreenPos();
    float h = ImGui::GetFrameHeight();
    ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(o.x, o.y + h * 0.3f), ImVec2(o.x + h * 0.4f, o.y + h * 0.7f), kInk[i]);
    ImGui::Dummy(ImVec2(h * 0.5f, h));
    ImGui::SameLine();
    std::string id = "cmp_remove" + std::to_string(i);
    if (ImGui::Button(("−###" + id).c_str(), ImVec2(std::max(h, ui::touch_row(a)), std::max(h, ui::touch_row(a))))) remove = int(i);
    remember(a, id.c_str());
    ImGui::SameLine();
    std::snprintf(buf, sizeof buf, T(kRow, a), r.epoch, 100 * r.test_accuracy.back());
    ImGui::BeginGroup();  // the label, then the figures (on a phone, under it)
    ui::paragraph(std::string(label(r, a)) + "  " + buf + (r.diverged ? " NaN" : ""));
    ImGui::EndGroup();
  }
  if (remove >= 0) {
    c.runs.remove(remove);
    p.settings.compare = 0, p.settings_changed = true;
  }
  curves(a, p);
}

void compare_state(const Playground& p, nlohmann::json& j) {
  const CompareView& c = p.compare;
  nlohmann::json& g = j["compare"];
  g["playing"] = c.playing, g["epochs"] = c.runs.epochs(), g["pending"] = c.pending >= 0, g["message"] = c.message;
  g["preset"] = c.runs.preset() ? c.runs.preset()->key : "";
  g["loss_series"] = p.compare_series.first, g["accuracy_series"] = p.compare_series.second;
  nlohmann::json runs = nlohmann::json::array();
  for (const CompareRun& r : c.runs.runs()) {
    nlohmann::json k;
    k["label"] = r.label, k["label_ja"] = r.words.en ? r.words.ja : r.label, k["epoch"] = r.epoch, k["diverged"] = r.diverged, k["points"] = r.train_loss.size();
    k["train_loss"] = r.train_loss.back(), k["test_loss"] = r.test_loss.back();
    k["train_accuracy"] = r.train_accuracy.back(), k["test_accuracy"] = r.test_accuracy.back();
    runs.push_back(k);
  }
  g["runs"] = runs;
}

}  // namespace kobai
