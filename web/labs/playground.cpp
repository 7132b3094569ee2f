// kobai page: the training playground. Left: data, network, training settings; centre: the decision boundary
// (a shader evaluates the network at every pixel) with the points; right: loss curves, accuracy, and the
// size of the weights and gradients per layer (where vanishing gradients show).
#include "labs/playground.h"

#include "labs/labs.h"
#include "labs/playground_cnn.h"
#include "heatmap.h"
#include "link.h"
#include "platform.h"
#include "ui.h"
#include "widgets/enum_combo.h"
#include "widgets/image_grid.h"
#include "widgets/plot.h"

#include <emscripten/emscripten.h>
#include <nlohmann/json.hpp>
#include <imgui.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>

namespace kobai {
namespace {

using ui::button;
using ui::remember;
using ui::T;

const Words kTrainCurve{"train", "訓練"};
const Words kTestCurve{"test", "テスト"};
const Words kUnits{"units, layer %d", "第 %d 層のユニット"};
const Words kPlayTrain{"Train", "学習開始"};
const Words kPauseTrain{"Pause", "一時停止"};
const Words kOneEpoch{"One epoch", "1 エポック"};
const Words kResetNet{"Reset", "リセット"};
const Words kRestore{"Restore the last good weights", "最後の正常な重みに戻す"};
const Words kEpoch{"epoch %d", "エポック %d"};
const Words kLosses{"loss: train %.4f · test %.4f", "損失: 訓練 %.4f · テスト %.4f"};
const Words kAccuracy{"accuracy: train %.1f%% · test %.1f%%", "正解率: 訓練 %.1f%% · テスト %.1f%%"};
const Words kClickAdds{"click adds:", "クリックで追加:"};
const Words kBlue{"blue", "青"};
const Words kOrange{"orange", "オレンジ"};
const Words kOneBatch{"One batch", "1 ミニバッチ"};
const Words kSettingsTab{"Settings", "設定"};
const Words kViewTab{"Data", "データ"};
const Words kResultsTab{"Results", "結果"};
const Words kLastUpdate{"The last mini-batch's update (layer 1, first weights):", "直前のミニバッチでの更新（第 1 層の最初の重み）:"};
const Words kOpenCsv{"Open a CSV file…", "CSV ファイルを開く…"};
const Words kCsvHelp{"Numbers separated by commas, one example a line; the last column is the class (0, 1, 2, …). A header line is skipped. A file dropped on the page opens too.",
                     "カンマ区切りの数値を 1 行に 1 件。最後の列がクラス（0, 1, 2, …）。見出し行は読み飛ばします。ページにドロップしても開けます。"};
const Words kKeepSettings{"Keep my settings", "前の設定に戻す"};
const Words kUseSuggested{"OK", "OK"};
const Words kYourCsv{"your CSV…", "自分の CSV…"};
const Words kLoading{"Loading %s…", "%s を読み込み中…"};
const Words kNoCsv{"No CSV file is loaded: open one. (A link carries settings, not your data.)", "CSV ファイルが読み込まれていません。開いてください（リンクは設定だけを運び、データは運びません）。"};
const Words kSummary{"%s: %d training and %d test rows, %d features, %d classes", "%s: 訓練 %d 件・テスト %d 件、特徴量 %d、クラス %d"};
const Words kConfusion{"Confusion matrix of the test set (rows: true class, columns: predicted)", "テストデータの混同行列（行: 正解、列: 予測）"};
const Words kTooManyClasses{"%d classes: the matrix is drawn for up to 20.", "クラスが %d 個: 行列は 20 個まで表示します。"};
const Words kMisclassified{"Misclassified test examples: %d (true → predicted)", "誤分類したテストデータ: %d 件（正解 → 予測）"};
const Words kFirstShown{"; the first %d are shown", "。最初の %d 件を表示"};
const Words kRow{"row %d: %d → %d", "%d 行目: %d → %d"};
const Words kHiddenMaps{"Hidden units: each unit's output over the plane", "中間層のユニット: 平面上での各ユニットの出力"};
const Words kWeightImages{"First layer: each unit's weights as an image (blue +, orange −)", "第 1 層: 各ユニットの重みを画像で（青 +、橙 −）"};
const Words kLayerN{"layer %d", "第 %d 層"};
const Words kUnitN{"layer %d, unit %d", "第 %d 層のユニット %d"};
const Words kMagnitudes{"Per layer: mean |W| and mean |∂L/∂W|", "層ごと: |W| の平均と |∂L/∂W| の平均"};
const Words kEpochAxis{"epoch", "エポック"};
const Words kLayerAxis{"layer", "層"};
const Words kThisRun{"This run", "この学習"};
const Words kZeroNote{"All weights start at 0: every unit of a layer computes the same and gets the same gradient, so the units stay equal (the symmetry is never broken), as the maps show.",
                      "重みがすべて 0 から始まると、同じ層のユニットはどれも同じ値を計算し、同じ勾配を受け取るので、ずっと同じままです（対称性が崩れない）。マップもすべて同じになります。"};
const Words kNoPooling{"0: none", "0: なし"};
const Words kNotOnLog{"%d values ≤ 0 are not drawn on the log scale", "0 以下の値 %d 個は対数目盛に描けません"};

OptConfig optimizer_config(const PlaygroundSettings& s) { return OptConfig{s.optimizer, s.lr}; }

// Up to 64 units a layer where the boundary shader draws the network (2-D sets); 128 for the real sets, so that
// the course's 64-100-10 digits network fits.
int max_units(const Playground& p) { return is_2d(p.settings.data) ? 64 : 128; }

// Settings that suit a set, applied when a student picks it (a link brings its own): the real sets want
// softmax-with-loss and Adam; the 2-D sets go back to TensorFlow Playground's defaults. What changed is said
// (p.suggestion), with the settings before kept so that one button puts them back.
void suggest_settings(Playground& p, DataKind k) {
  PlaygroundSettings& s = p.settings;
  if (is_2d(k) == is_2d(s.data) && k != DataKind::digits && k != DataKind::iris) return;
  const PlaygroundSettings before = s, d;  // and the defaults
  s.activation = d.activation, s.init = d.init, s.loss = d.loss, s.optimizer = d.optimizer, s.lr = d.lr, s.batch = d.batch;
  s.test_percent = d.test_percent, s.hidden = d.hidden;
  s.batchnorm = false, s.dropout = 0, s.l1 = 0, s.l2 = 0;
  if (k != DataKind::digits) s.model = d.model;  // a CNN reads the digits' images; the other sets are not images
  if (k == DataKind::digits) {  // the course's two-layer net: 64-100-10, ReLU with He, Adam
    s.hidden = {100}, s.activation = Activation::relu, s.init = Init::he;
    s.loss = LossKind::softmax, s.optimizer = OptimizerKind::adam, s.lr = 0.001, s.batch = 32, s.test_percent = 20;
  } else if (k == DataKind::iris || k == DataKind::csv) {
    s.hidden = {8}, s.loss = LossKind::softmax, s.optimizer = OptimizerKind::adam, s.lr = 0.01;
  }
  std::string changes;
  for (const PlaygroundSetting& e : playground_settings()) {  // in the panel's order
    std::string from = say_setting(e, before), to = say_setting(e, s);
    if (from != to) changes += (changes.empty() ? "" : ", ") + std::string(e.called ? e.called : e.label.en) + " " + from + " → " + to;
  }
  p.suggestion = changes.empty() ? "" : "For " + std::string(k == DataKind::csv ? "a CSV" : name_of(k)) + " the settings were changed: " + changes + ".";
  p.before_suggestion = before;
}

// Puts back the settings suggest_settings replaced, on the data now chosen.
void keep_previous_settings(Playground& p) {
  PlaygroundSettings s = p.before_suggestion;
  s.data = p.settings.data;
  apply_playground_settings(p, s);
  p.settings_changed = true;
}

const char* data_label(const Playground& p, DataKind k, const App& a) {
  if (k == DataKind::csv) return p.csv_name.empty() ? T(kYourCsv, a) : p.csv_name.c_str();
  return name_of(k);
}

// The data menu (the table's pg.data, with the sets' own labels). Picking the student's CSV before one is loaded
// opens the file dialog; the set changes when the file has been read and checked.
bool data_combo(App& a, Playground& p, const PlaygroundSetting& s) {
  bool changed = false;
  ImGui::SetNextItemWidth(150 * a.scale);
  if (ImGui::BeginCombo((std::string(s.label(a.lang)) + "###pg_data").c_str(), data_label(p, p.settings.data, a))) {
    for (int i = 0; i < s.choices.count; ++i) {
      DataKind k = DataKind(i);
      if (k == DataKind::digits) ImGui::Separator();
      bool picked = ImGui::Selectable((std::string(data_label(p, k, a)) + "###pg_data_" + name_of(k)).c_str(), k == p.settings.data);
      remember(a, (std::string("pg_data_") + name_of(k)).c_str());
      if (!picked) continue;
      if (k == DataKind::csv && p.loaded[2].rows() == 0) {
        platform::read_text("", int(DataKind::csv));
        continue;
      }
      suggest_settings(p, k);
      p.settings.data = k, changed = true;
      p.playing = false;
      playground_rebuild(p);
    }
    ImGui::EndCombo();
  }
  remember(a, "pg_data");
  return changed;
}

// The data menu, what it changed, and the CSV button.
void data_block(App& a, Playground& p, const PlaygroundSetting& s) {
  p.settings_changed |= data_combo(a, p, s);
  if (!p.suggestion.empty()) {
    ui::coloured_paragraph(ImVec4(0.6f, 0.25f, 0, 1), p.suggestion);
    remember(a, "pg_suggestion");
    if (button(a, "pg_keep_settings", kKeepSettings)) keep_previous_settings(p);
    ImGui::SameLine();
    if (button(a, "pg_suggestion_ok", kUseSuggested)) p.suggestion.clear();
  }
  if (button(a, "pg_open_csv", kOpenCsv)) platform::read_text("", int(DataKind::csv));
  if (ImGui::IsItemHovered()) {
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(360 * a.scale);
    ImGui::TextUnformatted(T(kCsvHelp, a));
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
  }
}

// A control's width: 150 (scaled), less where the panel is too narrow for it and its label on one line (a
// tablet's settings panel, in Japanese), so that the label is not cut at the panel's edge.
float control_width(const App& a, const std::string& label) {
  const float room = ImGui::GetContentRegionAvail().x - ImGui::CalcTextSize(label.c_str(), nullptr, true).x - ImGui::GetStyle().ItemInnerSpacing.x;
  return std::clamp(room, 80 * a.scale, 150 * a.scale);
}

// The hidden layers: how many (pg_layers), then each one's units (pg_units0, …) up to what the data allows.
bool hidden_layers(App& a, Playground& p, const PlaygroundSetting& s) {
  std::vector<int>& h = p.settings.*s.list;
  bool changed = false;
  int layers = int(h.size());
  const std::string layers_label = std::string(s.label(a.lang)) + "###pg_layers";
  ImGui::SetNextItemWidth(control_width(a, layers_label));
  if (ImGui::SliderInt(layers_label.c_str(), &layers, 0, s.most)) {
    h.resize(size_t(layers), h.empty() ? 8 : h.back());  // a new layer as wide as the one before it
    changed = true;
  }
  remember(a, "pg_layers");
  for (size_t l = 0; l < h.size(); ++l) {
    char label[64];
    std::snprintf(label, sizeof label, T(kUnits, a), int(l) + 1);
    const std::string id = "pg_units" + std::to_string(l), full = std::string(label) + "###" + id;
    ImGui::SetNextItemWidth(control_width(a, full));
    changed |= ImGui::SliderInt(full.c_str(), &h[l], int(s.lo), max_units(p));
    remember(a, id.c_str());
  }
  return changed;
}

// The model: MLP or CNN, two buttons side by side (pg_model_mlp, pg_model_cnn): one tap, and both in view.
bool model_choice(App& a, Playground& p, const PlaygroundSetting& s) {
  int now = int(s.get(p.settings)), was = now;
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(s.label(a.lang));
  for (int i = 0; i < s.choices.count; ++i) {
    ImGui::SameLine();
    std::string name = s.choices.names[i], shown = name;
    for (char& c : shown) c = char(std::toupper((unsigned char)c));  // as the book writes them: MLP, CNN
    ImGui::RadioButton((shown + "###pg_model_" + name).c_str(), &now, i);
    remember(a, ("pg_model_" + name).c_str());
  }
  if (now == was) return false;
  s.set(p.settings, now);
  return true;
}

// One setting's control, by its kind; true when the student changed it.
bool control(App& a, Playground& p, const PlaygroundSetting& s) {
  PlaygroundSettings& v = p.settings;
  const std::string id = std::string("pg_") + s.name, label = std::string(s.label(a.lang)) + "###" + id;
  bool changed = false;
  ImGui::SetNextItemWidth(control_width(a, label));
  if (std::string(s.name) == "model") return model_choice(a, p, s);
  switch (s.kind) {
    case SettingKind::wholes: return hidden_layers(a, p, s);
    case SettingKind::names: return false;  // none in the playground's table
    case SettingKind::choice: {
      int now = int(s.get(v));
      if (enum_combo(label.c_str(), &now, s.choices.names, s.choices.count)) s.set(v, now), changed = true;
      break;
    }
    case SettingKind::flag: {
      bool on = s.get(v) != 0;
      if (ImGui::Checkbox(label.c_str(), &on)) s.set(v, on), changed = true;
      break;
    }
    case SettingKind::number: {
      double x = s.get(v), lo = s.lo, hi = s.slider_hi ? s.slider_hi : s.hi;
      if (s.in_box ? ImGui::InputDouble(label.c_str(), &x, 0, 0, s.format, ImGuiInputTextFlags_EnterReturnsTrue)
                   : ImGui::SliderScalar(label.c_str(), ImGuiDataType_Double, &x, &lo, &hi, s.format))
        if (s.valid(x)) s.set(v, x), changed = true;  // a typed value out of range is not taken
      break;
    }
    case SettingKind::whole: {
      int x = int(s.get(v));
      if (s.in_box) {
        if (ImGui::InputInt(label.c_str(), &x, 0, 0, ImGuiInputTextFlags_EnterReturnsTrue)) s.set(v, std::clamp(double(x), s.lo, s.hi)), changed = true;
      } else {  // a batch of at most the training rows
        int hi = std::string(s.name) == "batch" ? std::max(1, p.train.rows()) : int(s.slider_hi ? s.slider_hi : s.hi);
        const bool none = std::string(s.name) == "pool" && x == 0;  // the CNN without pooling
        if (ImGui::SliderInt(label.c_str(), &x, int(s.lo), hi, none ? T(kNoPooling, a) : "%d")) s.set(v, x), changed = true;
      }
      break;
    }
  }
  remember(a, id.c_str());
  return changed;
}

// The settings panel: the table's entries in order, under its headings (the data menu is drawn by hand). A
// change rebuilds the data and network, or only renews the optimizer (the same weights), or applies as it is.
void settings(App& a, Playground& p) {
  bool rebuild = false, new_optimizer = false;
  for (const PlaygroundSetting& s : playground_settings()) {
    if (s.heading.en) {
      if (&s != &playground_settings().front()) ImGui::Spacing();
      ImGui::TextUnformatted(s.heading(a.lang));
      ImGui::Separator();
    }
    if (s.shown && !s.shown(p.settings)) continue;
    if (std::string(s.name) == "data") {
      data_block(a, p, s);
      continue;
    }
    bool changed = control(a, p, s);
    if (std::string(s.name) == "pool_stride" && !p.refused.empty()) {  // the CNN's settings refused: said where they are set
      ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.8f, 0.15f, 0.1f, 1));
      ui::paragraph(p.refused);
      ImGui::PopStyleColor();
      remember(a, "pg_refused");
    }
    if (std::string(s.name) == "init" && p.settings.init == Init::zero) {  // why all-zero weights never learn apart
      ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.6f, 0.25f, 0, 1));
      ui::paragraph(T(kZeroNote, a));  // Japanese wraps between its characters too
      ImGui::PopStyleColor();
      remember(a, "pg_zero_note");
    }
    if (!changed) continue;
    p.settings_changed = true;
    rebuild |= s.on_change == Redo::all;
    new_optimizer |= s.on_change == Redo::part;
  }
  if (rebuild) playground_rebuild(p);
  else if (new_optimizer) p.optimizer = std::make_unique<Optimizer<float>>(optimizer_config(p.settings));  // a new rule, the same weights
}

}  // namespace

// Colours shared with shaders/boundary.frag: positive blue, negative orange, white at 0 (v in [−1, 1]).
unsigned diverging(float v) {
  v = std::isfinite(v) ? std::clamp(v, -1.f, 1.f) : 0.f;
  const float white[3] = {0.97f, 0.97f, 0.97f}, blue[3] = {0.2f, 0.45f, 0.85f}, orange[3] = {0.96f, 0.58f, 0.22f};
  const float* to = v >= 0 ? blue : orange;
  float t = std::abs(v);
  unsigned c = 0xff000000u;
  for (int i = 0; i < 3; ++i) c |= unsigned(255 * (white[i] + (to[i] - white[i]) * t) + 0.5f) << (8 * i);
  return c;
}
unsigned ink(float v) {  // a pixel of a scanned digit: 0 white paper, 1 black ink
  unsigned g = unsigned(255 * (1 - std::clamp(v, 0.f, 1.f)) + 0.5f);
  return 0xff000000u | g << 16 | g << 8 | g;
}

namespace {

// The hidden units' small maps, into one texture. 2-D sets: each hidden unit's output on a 16 × 16 grid over
// the plane, scaled to [−1, 1] (tanh as it is, sigmoid as 2y − 1, ReLU and linear by their largest value).
// Images: the first layer's weights of each unit, as an image, scaled by its largest weight.
void update_unit_maps(Playground& p) {
  p.units_per_layer.clear();
  if (p.net && p.net->conv_stages() > 0) return cnn_images(p);  // the filters, and the maps of an example
  if (!p.net || p.net->layers() < 2) return;
  std::vector<unsigned> px;
  if (is_2d(p.settings.data)) {
    const int G = 16;
    MatT<float> grid(G * G, 2);
    for (int y = 0; y < G; ++y)
      for (int x = 0; x < G; ++x) grid(y * G + x, 0) = -6 + 12 * (x + 0.5f) / G, grid(y * G + x, 1) = 6 - 12 * (y + 0.5f) / G;
    std::vector<MatT<float>> acts = p.net->activations(grid);
    int widest = 0;
    for (const auto& m : acts) widest = std::max(widest, int(m.cols()));
    p.unit_side = G, p.units_w = widest * G, p.units_h = int(acts.size()) * G;
    px.assign(size_t(p.units_w) * size_t(p.units_h), 0u);
    for (size_t l = 0; l < acts.size(); ++l) {
      p.units_per_layer.push_back(int(acts[l].cols()));
      for (Eigen::Index u = 0; u < acts[l].cols(); ++u) {
        auto col = acts[l].col(u).array();
        float scale = p.settings.activation == Activation::tanh ? 1.f : p.settings.activation == Activation::sigmoid ? 2.f : 1 / std::max(1e-6f, col.abs().maxCoeff());
        float shift = p.settings.activation == Activation::sigmoid ? -1.f : 0.f;
        for (int y = 0; y < G; ++y)
          for (int x = 0; x < G; ++x) px[size_t(int(l) * G + y) * size_t(p.units_w) + size_t(u * G + x)] = diverging(col(y * G + x) * scale + shift);
      }
    }
  } else {
    const MatT<float>& W = p.net->weight(0);
    int s = image_side(W.rows());
    if (!s) return;
    p.unit_side = s, p.units_w = int(W.cols()) * s, p.units_h = s;
    px.assign(size_t(p.units_w) * size_t(s), 0u);
    p.units_per_layer.push_back(int(W.cols()));
    for (Eigen::Index u = 0; u < W.cols(); ++u) {
      float m = std::max(1e-6f, W.col(u).cwiseAbs().maxCoeff());
      for (int i = 0; i < s * s; ++i) px[size_t(i / s) * size_t(p.units_w) + size_t(u * s + i % s)] = diverging(W(i, u) / m);
    }
  }
  p.units_texture = upload_image(p.units_texture, p.units_w, p.units_h, px);
  ++p.units_version;
}

// The misclassified test images (up to 60) side by side in one texture.
void update_wrong_images(Playground& p) {
  p.image_side = image_side(p.test.X.cols());
  p.wrong_shown = std::min<int>(60, int(p.wrong.size()));
  if (!p.image_side || !p.wrong_shown) return;
  int s = p.image_side, w = p.wrong_shown * s;
  std::vector<unsigned> px(size_t(w) * size_t(s));
  for (int k = 0; k < p.wrong_shown; ++k)
    for (int i = 0; i < s * s; ++i) px[size_t(i / s) * size_t(w) + size_t(k * s + i % s)] = ink(p.test.X(p.wrong[size_t(k)], i));
  p.wrong_texture = upload_image(p.wrong_texture, w, s, px);
}

// The view for the real sets and a CSV: what the data is, the confusion matrix, the misclassified examples.
void real_view(App& a, Playground& p) {
  char buf[200];
  ImGui::PushTextWrapPos(0);
  if (p.loading) {
    std::snprintf(buf, sizeof buf, T(kLoading, a), data_label(p, p.settings.data, a));
    ImGui::TextUnformatted(buf);
  } else if (p.settings.data == DataKind::csv && p.loaded[2].rows() == 0) {
    ImGui::TextUnformatted(T(kNoCsv, a));
  }
  ImGui::PopTextWrapPos();
  remember(a, "pg_data_status");
  if (!p.net && !p.refused.empty()) {  // the CNN's settings do not fit: said here too (a phone opens on this tab)
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.8f, 0.15f, 0.1f, 1));
    ui::paragraph(p.refused);
    ImGui::PopStyleColor();
    remember(a, "pg_refused_view");
  }
  if (!p.net) return;
  cnn_view(a, p);  // a CNN's layers, filters and feature maps (nothing for an MLP)
  int k = int(p.test.T.cols());
  std::snprintf(buf, sizeof buf, T(kSummary, a), data_label(p, p.settings.data, a), int(p.train.rows()), int(p.test.rows()), int(p.train.X.cols()), k);
  ui::paragraph(buf);  // wrapped: a phone's width holds half of it
  ImGui::Spacing();
  ui::quiet_paragraph(T(kConfusion, a));
  if (k > 20) {
    std::snprintf(buf, sizeof buf, T(kTooManyClasses, a), k);
    ImGui::TextUnformatted(buf);
  } else if (p.confusion.rows() == k) {
    float cell = std::min(30 * a.scale, ImGui::GetContentRegionAvail().x / float(k + 1.5f));
    ImVec2 o = ImGui::GetCursorScreenPos();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ImU32 text = ImGui::GetColorU32(ImGuiCol_Text), faint = ImGui::GetColorU32(ImGuiCol_TextDisabled);
    auto centred = [&](ImVec2 at, ImU32 colour, const char* s) {
      ImVec2 size = ImGui::CalcTextSize(s);
      dl->AddText(ImVec2(at.x + (cell - size.x) / 2, at.y + (cell - size.y) / 2), colour, s);
    };
    for (int c = 0; c < k; ++c) {  // the headers: predicted across, true down
      std::snprintf(buf, sizeof buf, "%d", c);
      centred(ImVec2(o.x + cell * (c + 1), o.y), faint, buf);
      centred(ImVec2(o.x, o.y + cell * (c + 1)), faint, buf);
    }
    for (int r = 0; r < k; ++r) {
      int total = std::max(1, p.confusion.row(r).sum());
      for (int c = 0; c < k; ++c) {
        int n = p.confusion(r, c);
        float share = float(n) / float(total);
        ImVec2 lo(o.x + cell * (c + 1), o.y + cell * (r + 1)), hi(lo.x + cell - 1, lo.y + cell - 1);
        dl->AddRectFilled(lo, hi, n == 0 ? IM_COL32(246, 246, 246, 255) : diverging(r == c ? share : -std::max(0.25f, share)));
        std::snprintf(buf, sizeof buf, "%d", n);
        if (n) centred(lo, r == c && share > 0.6f ? IM_COL32(255, 255, 255, 255) : text, buf);
      }
    }
    ImGui::Dummy(ImVec2(cell * (k + 1), cell * (k + 1)));
    remember(a, "pg_confusion");
  }
  ImGui::Spacing();
  int n = std::snprintf(buf, sizeof buf, T(kMisclassified, a), int(p.wrong.size()));
  if (p.image_side && int(p.wrong.size()) > p.wrong_shown) std::snprintf(buf + n, sizeof buf - size_t(n), T(kFirstShown, a), p.wrong_shown);
  ui::quiet_paragraph(buf);
  if (p.image_side && p.wrong_shown) {
    ImGui::BeginGroup();
    image_grid(a, "pg_wrong_large", p.wrong_texture, p.wrong_shown * p.image_side, p.image_side, p.image_side, 0, p.wrong_shown, 34 * a.scale, [&](int u) {
      int row = p.wrong[size_t(u)];
      Eigen::Index truth;
      p.test.T.row(row).maxCoeff(&truth);
      ImGui::Text("%d→%d", int(truth), p.predicted[size_t(row)]);
    }, [&](int u) {  // the network's probabilities for this image, largest first
      int row = p.wrong[size_t(u)];
      MatT<float> y = p.test_scores.row(row);  // as scored when the epoch ended, with the matrix and the accuracy
      Eigen::ArrayXf prob = (y.row(0).array() - y.maxCoeff()).exp().transpose();
      prob /= prob.sum();
      std::vector<int> order(size_t(prob.size()));
      for (size_t i = 0; i < order.size(); ++i) order[i] = int(i);
      std::sort(order.begin(), order.end(), [&](int x, int y2) { return prob(x) > prob(y2); });
      for (size_t i = 0; i < std::min<size_t>(3, order.size()); ++i)  // softmax: probabilities; squared error: the outputs
        if (p.settings.loss == LossKind::softmax) ImGui::Text("%d: %.1f%%", order[i], 100 * prob(order[i]));
        else ImGui::Text("%d: %.3f", order[i], y(0, order[i]));
    });
    ImGui::EndGroup();
    remember(a, "pg_wrong");
  } else {
    for (size_t i = 0; i < std::min<size_t>(12, p.wrong.size()); ++i) {
      Eigen::Index truth;
      p.test.T.row(p.wrong[i]).maxCoeff(&truth);
      std::snprintf(buf, sizeof buf, T(kRow, a), p.wrong[i] + 1, int(truth), p.predicted[size_t(p.wrong[i])]);
      ImGui::TextUnformatted(buf);
    }
  }
}

void view(App& a, Playground& p) {
  if (!is_2d(p.settings.data)) {
    if (p.net && p.redraw) update_unit_maps(p), update_wrong_images(p), p.redraw = false;
    real_view(a, p);
    return;
  }
  ImVec2 origin = ImGui::GetCursorScreenPos(), avail = ImGui::GetContentRegionAvail();
  float side = std::max(50.f, std::min(avail.x, avail.y));
  if (p.net && (p.redraw || !p.texture)) {
    std::string error;
    int px = std::max(16, int(side * p.heat_scale));
    p.texture = heatmap_render(p.net->folded(), p.settings.activation, p.net->config().outputs == 2, px, px, 6.f, &error);
    if (!error.empty()) p.message = error;
    p.redraw = false;
    ++p.heatmap_version;
    update_unit_maps(p);
  }
  ImGui::SetCursorScreenPos(ImVec2(origin.x + (avail.x - side) / 2, origin.y));
  ImVec2 o = ImGui::GetCursorScreenPos();
  if (p.texture) ImGui::Image((ImTextureID)(intptr_t)p.texture, ImVec2(side, side));
  else ImGui::Dummy(ImVec2(side, side));
  remember(a, "pg_view");
  if (ImGui::IsItemClicked(ImGuiMouseButton_Left) && !is_regression(p.settings.data) && p.train.rows() < 5000) {  // a point of the chosen class
    ImVec2 m = ImGui::GetIO().MousePos;
    float x = (m.x - o.x) / side * 12 - 6, y = 6 - (m.y - o.y) / side * 12;
    int n = p.train.rows();
    p.train.X.conservativeResize(n + 1, Eigen::NoChange);
    p.train.T.conservativeResize(n + 1, Eigen::NoChange);
    p.train.X(n, 0) = x, p.train.X(n, 1) = y;
    if (p.train.T.cols() == 2) p.train.T(n, 0) = p.click_class ? 0.f : 1.f, p.train.T(n, 1) = p.click_class ? 1.f : 0.f;
    else p.train.T(n, 0) = p.click_class ? 1.f : -1.f;
  }
  ImDrawList* dl = ImGui::GetWindowDrawList();
  auto at = [&](float x, float y) { return ImVec2(o.x + (x + 6) / 12 * side, o.y + (6 - y) / 12 * side); };
  auto draw = [&](const Dataset<float>& d, bool test) {
    for (int i = 0; i < d.rows(); ++i) {
      float t = d.T.cols() == 2 ? d.T(i, 1) * 2 - 1 : d.T(i, 0);
      ImU32 fill = t > 0 ? IM_COL32(40, 95, 200, 255) : IM_COL32(235, 120, 30, 255);
      ImVec2 c = at(d.X(i, 0), d.X(i, 1));
      float rad = 3.2f * a.scale;
      dl->AddCircleFilled(c, rad, fill, 10);
      dl->AddCircle(c, rad, test ? IM_COL32(0, 0, 0, 255) : IM_COL32(255, 255, 255, 255), 10, test ? 1.5f * a.scale : 1.0f * a.scale);
    }
  };
  draw(p.train, false);
  draw(p.test, true);
}

// --- charts (widgets/plot.h): each names its rectangle and says what the pointer reads -------------------------

const ImU32 kTrainInk = IM_COL32(40, 110, 200, 255), kTestInk = IM_COL32(225, 95, 30, 255);
const ImU32 kWeightInk = IM_COL32(25, 90, 200, 255), kGradInk = IM_COL32(215, 70, 20, 255);  // the walkthrough's value and gradient colours

void chart(App& a, Playground& p, const char* name, const PlotSpec& spec, const PlotSeries* series, int count) {
  plot::Readout r;
  if (Plot(("###" + std::string(name)).c_str(), spec, series, count, &r)) p.hover_plot = name, p.hover = r;
  remember(a, name);
}

PlotSpec epochs_spec(App& a, float height) {
  PlotSpec s;
  s.size = ImVec2(0, height * a.scale);
  s.x_name = T(kEpochAxis, a), s.x_step = 1;
  s.skipped_format = T(kNotOnLog, a);
  return s;
}

// The losses on a log scale from epoch 0: the fall over the first epochs and the slow one after both show.
void loss_chart(App& a, Playground& p) {
  PlotSpec spec = epochs_spec(a, 150);
  spec.log_y = true;
  int n = int(p.train_loss.size());
  PlotSeries s[] = {{T(kTrainCurve, a), p.train_loss.data(), n, 0, 1, kTrainInk}, {T(kTestCurve, a), p.test_loss.data(), n, 0, 1, kTestInk}};
  chart(a, p, "pg_loss_plot", spec, s, p.test.rows() ? 2 : 1);
}

void accuracy_chart(App& a, Playground& p) {
  PlotSpec spec = epochs_spec(a, 110);
  spec.y_lo = 0, spec.y_hi = 100, spec.y_unit = "%";
  int n = int(p.train_accuracy_curve.size());
  PlotSeries s[] = {{T(kTrainCurve, a), p.train_accuracy_curve.data(), n, 0, 1, kTrainInk},
                    {T(kTestCurve, a), p.test_accuracy_curve.data(), n, 0, 1, kTestInk}};
  chart(a, p, "pg_accuracy_plot", spec, s, p.test.rows() ? 2 : 1);
}

// Mean |W| and mean |∂L/∂W| per layer, log scale: gradients that vanish towards the input show as a slope.
void layers_chart(App& a, Playground& p) {
  std::vector<float> w, g;
  for (int s = 0; s < p.net->conv_stages(); ++s) {  // a CNN's filters first: its layer 1
    const Convolution<float>& c = p.net->conv(s);
    w.push_back(c.W.cwiseAbs().mean()), g.push_back(c.dW.size() ? c.dW.cwiseAbs().mean() : 0.f);
  }
  for (int l = 0; l < p.net->layers(); ++l) {
    const auto& dW = p.net->affine(l).dW;  // the layer's own (a flat list's index would shift with batch norm)
    w.push_back(p.net->weight(l).cwiseAbs().mean());
    g.push_back(dW.size() ? dW.cwiseAbs().mean() : 0.f);
  }
  PlotSpec spec;
  spec.size = ImVec2(0, 140 * a.scale);
  spec.log_y = true, spec.x_pad = 0.5, spec.x_step = 1, spec.x_name = T(kLayerAxis, a), spec.skipped_format = T(kNotOnLog, a);
  int n = int(w.size());
  PlotSeries s[] = {{"|W|", w.data(), n, 1, 1, kWeightInk, true}, {"|∂L/∂W|", g.data(), n, 1, 1, kGradInk, true}};
  chart(a, p, "pg_layers_plot", spec, s, 2);
}

void results(App& a, Playground& p) {
  char buf[160];
  p.hover_plot.clear(), p.hover = plot::Readout{};
  ui::tab_row(a, {{"pg_results_run", &kThisRun}, {"pg_results_compare", &kCompareTitle}}, &p.results_tab);
  if (p.results_tab == 1) return compare_panel(a, p);
  std::snprintf(buf, sizeof buf, T(kEpoch, a), p.epoch);
  ImGui::TextUnformatted(buf);
  remember(a, "pg_epoch");
  if (!p.train_loss.empty()) {
    std::snprintf(buf, sizeof buf, T(kLosses, a), p.train_loss.back(), p.test_loss.back());
    ImGui::TextUnformatted(buf);
    loss_chart(a, p);
    if (!is_regression(p.settings.data)) {
      std::snprintf(buf, sizeof buf, T(kAccuracy, a), 100 * p.train_accuracy, 100 * p.test_accuracy);
      ImGui::TextUnformatted(buf);
      accuracy_chart(a, p);
    }
  }
  if (!p.message.empty()) {
    ui::coloured_paragraph(ImVec4(0.8f, 0.15f, 0.1f, 1), p.message);
    remember(a, "pg_message");
  }
  if (p.diverged && button(a, "pg_restore", kRestore)) {
    p.net->restore(p.last_good);
    p.diverged = false, p.message.clear(), p.redraw = true;
  }
  if (!p.shown_w.empty()) {
    ImGui::Spacing();
    ImGui::PushTextWrapPos(0);
    ui::quiet_paragraph(T(kLastUpdate, a));
    ImGui::TextUnformatted(rule_of(p.settings.optimizer));
    ImGui::PopTextWrapPos();
    for (size_t i = 0; i < p.shown_w.size(); ++i)
      ImGui::Text("W %+.4f   ∇ %+.4f   ΔW %+.5f", p.shown_w[i], p.shown_grad[i], p.shown_delta[i]);
    remember(a, "pg_update");
  }
  cnn_update(a, p);
  if (p.net) {
    ImGui::Spacing();
    ui::quiet_paragraph(T(kMagnitudes, a));
    layers_chart(a, p);
  }
  if (p.units_texture && !p.units_per_layer.empty()) {
    ImGui::Spacing();
    ui::quiet_paragraph(T(is_2d(p.settings.data) ? kHiddenMaps : kWeightImages, a));
    ImGui::BeginGroup();
    for (size_t l = 0; l < p.units_per_layer.size(); ++l) {
      char label[64];
      std::snprintf(label, sizeof label, T(kLayerN, a), int(l) + 1);
      ImGui::TextUnformatted(label);
      image_grid(a, "pg_unit_large", p.units_texture, p.units_w, p.units_h, p.unit_side, int(l), p.units_per_layer[l], (is_2d(p.settings.data) ? 30 : 26) * a.scale, [](int) {},
                [&](int u) { ImGui::Text(T(kUnitN, a), int(l) + 1, u + 1); });
    }
    ImGui::EndGroup();
    remember(a, "pg_units");
  }
}

}  // namespace

// The losses and accuracies of the weights as they are, appended to the curves (epoch 0 is the untrained net),
// and for real data the test set's confusion matrix and misclassified rows from the same outputs. Every epoch is
// kept: the plot draws at most two points per pixel column however many there are. Begun here, carried on by
// score_part a slice of rows at a time (a CNN's pass over 1,797 images is not cheap).
static void start_scoring(Playground& p, bool epoch_end) {
  p.scoring = true, p.scoring_epoch = epoch_end;
  p.score_train = {}, p.score_test = {};
  p.scoring_ms = 0;
}

// Up to `rows` more rows of the training set, then of the test set; true once both are scored and recorded.
static bool score_part(Playground& p, Eigen::Index rows) {
  if (!p.scoring) return true;
  if (!p.net->score_some(p.train.X, p.train.T, p.score_train, rows)) return false;
  if (!p.net->score_some(p.test.X, p.test.T, p.score_test, rows, &p.scoring_outputs)) return false;
  const Net<float>::Score train = p.score_train.score, test = p.score_test.score;
  p.scoring = false;
  if (p.scoring_epoch) ++p.epoch;
  p.train_loss.push_back(float(train.loss)), p.test_loss.push_back(float(test.loss));
  p.train_accuracy = train.accuracy, p.test_accuracy = test.accuracy;
  p.train_accuracy_curve.push_back(float(100 * train.accuracy)), p.test_accuracy_curve.push_back(float(100 * test.accuracy));
  std::swap(p.test_scores, p.scoring_outputs);
  if (!is_2d(p.settings.data)) p.confusion = confusion(p.test_scores, p.test.T, &p.wrong, &p.predicted);
  p.redraw = true;  // the maps, once per frame (view)
  return true;
}

// The scoring under way, at once: before anything that changes the weights.
static void finish_scoring(Playground& p) {
  const double t0 = emscripten_get_now();
  if (p.net && p.scoring) score_part(p, std::numeric_limits<Eigen::Index>::max());
  p.scoring_ms = std::max(p.scoring_ms, float(emscripten_get_now() - t0));
}

void playground_rebuild(Playground& p) {
  std::string clamped;  // what was changed to fit, said once the network is built
  p.confusion.resize(0, 0), p.wrong.clear(), p.predicted.clear(), p.wrong_shown = 0;
  try {
    if (is_2d(p.settings.data)) {
      std::vector<int>& h = p.settings.hidden;
      for (size_t l = 0; l < h.size(); ++l)
        if (h[l] > 64) {  // from a link: the boundary shader holds 64 units a layer
          clamped = "layer " + std::to_string(l + 1) + " had " + std::to_string(h[l]) + " units; the 2-D sets take up to 64, so it has 64";
          h[l] = 64;
        }
      Dataset<float> all = make_2d<float>(p.settings.data, p.settings.points, p.settings.noise, uint64_t(p.settings.seed), p.settings.loss == LossKind::softmax);
      int n_test = all.rows() * p.settings.test_percent / 100, n_train = all.rows() - n_test;
      p.train = {all.X.topRows(n_train), all.T.topRows(n_train)};
      p.test = {all.X.bottomRows(n_test), all.T.bottomRows(n_test)};
    } else {
      const Dataset<float>& source = p.loaded[int(p.settings.data) - int(DataKind::digits)];
      if (source.rows() == 0) {  // not read yet: fetch it (the digits, Iris) or wait for the student's file
        p.net.reset(), p.playing = false, p.scoring = false, p.train = {}, p.test = {}, p.train_loss.clear(), p.test_loss.clear(), p.epoch = 0;
        if (p.settings.data != DataKind::csv && !p.loading) {
          p.loading = true;
          platform::read_text(std::string("data/") + name_of(p.settings.data) + ".csv", int(p.settings.data));
        }
        return;
      }
      std::tie(p.train, p.test) = shuffle_scale_split(source, p.settings.test_percent, uint64_t(p.settings.seed));
    }
    p.refused.clear();
    NetConfig c;
    try {
      c = net_config(p.settings, int(p.train.X.cols()), int(p.train.T.cols()));
    } catch (const InputError& e) {  // said under the CNN's settings too, where they are changed
      if (p.settings.model == Model::cnn) p.refused = e.what();
      throw;
    }
    p.net = std::make_unique<Net<float>>(c);
    p.optimizer = std::make_unique<Optimizer<float>>(optimizer_config(p.settings));
    p.rng = Rng{uint64_t(p.settings.seed)};
    p.run = EpochRun{};
    p.epoch = 0, p.train_loss.clear(), p.test_loss.clear(), p.shown_w.clear();
    p.filter_before.clear(), p.filter_grad.clear(), p.filter_after.clear(), p.filter_weight = -1;
    p.message = clamped;
    p.diverged = false, p.redraw = true;
    p.train_accuracy_curve.clear(), p.test_accuracy_curve.clear();
    start_scoring(p, false);
    finish_scoring(p);
  } catch (const InputError& e) {
    p.message = e.what();
    p.playing = false, p.scoring = false;
    p.net.reset();  // no network trains on data it was not built for
    p.epoch = 0, p.train_loss.clear(), p.test_loss.clear(), p.train_accuracy_curve.clear(), p.test_accuracy_curve.clear();  // nor shows another's
  }
}

// What a file that is not a CSV is, from its first bytes, or "" when it may be one.
static std::string not_csv(const std::string& name, const std::string& text) {
  size_t start = text.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;  // a UTF-8 byte-order mark
  start = std::min(text.find_first_not_of(" \t\r\n", start), text.size());
  if (text.find('\0') < 4096) return name + " is not a text file (it holds NUL bytes)";
  if (start < text.size() && (text[start] == '{' || text[start] == '[')) {
    bool lesson = text.find("\"expr\"") != std::string::npos;
    return lesson ? name + " looks like a lesson file (JSON), not a CSV: open it from the walkthrough's lessons panel, or drop it on the page"
                  : name + " is JSON, not a CSV";
  }
  return "";
}

void playground_text_arrived(App& a, DataKind kind, const std::string& name_given, const std::string& text, const std::string& error) {
  Playground& p = a.playground;
  const std::string name = quote(name_given);
  if (kind == DataKind::digits || kind == DataKind::iris) p.loading = false;
  if (kind == DataKind::csv) show_lab(a, find_lab("playground"));  // a file dropped on another lab: it shows here
  if (!error.empty()) {  // the current data set stays
    p.message = "could not read " + name + ": " + error;
    return;
  }
  std::string other = not_csv(name, text);  // decided by content, not by the file's name
  if (!other.empty()) {
    p.message = other + ". The playground reads a CSV: numbers separated by commas, one example a line, the class last" +
                (kind == DataKind::csv ? " (the current data stays)" : "");
    return;
  }
  try {
    Dataset<float> d = parse_csv<float>(text);
    p.loaded[int(kind) - int(DataKind::digits)] = std::move(d);
  } catch (const InputError& e) {
    p.message = name + ": " + e.what() + (kind == DataKind::csv ? " (the current data stays)" : "");
    return;
  }
  if (kind == DataKind::csv) {
    p.csv_name = name_given;
    if (p.settings.data != DataKind::csv) suggest_settings(p, kind);
  }
  if (kind == DataKind::csv || p.settings.data == kind) {
    p.settings.data = kind, p.playing = false, p.message.clear();
    playground_rebuild(p);
    p.settings_changed = true;
  }
}

void apply_playground_settings(Playground& p, const PlaygroundSettings& s) {
  p.settings = s;
  p.playing = false, p.suggestion.clear();
  playground_rebuild(p);
}

// Runs up to `max_batches` mini-batches of the epoch under way (starting one, with the weights kept for a
// divergence, when none is); when the epoch ends, its losses and accuracies. True when an epoch ended.
static bool train_part(Playground& p, int max_batches) {
  if (!p.run.started) p.last_good = p.net->snapshot();
  if (!train_some(*p.net, *p.optimizer, p.train, p.settings.batch, p.settings.replacement, p.rng, p.run, max_batches)) return false;
  EpochResult r = std::move(p.run.result);
  p.run = EpochRun{};
  if (r.diverged) {  // stop, say why, keep the last good weights at hand
    p.diverged = true, p.playing = false, p.message = r.message;
    return true;
  }
  start_scoring(p, true);  // the epoch is counted once scored
  return true;
}

void playground_epoch(Playground& p) {
  if (!p.net || p.diverged) return;
  finish_scoring(p);
  train_part(p, std::numeric_limits<int>::max());  // the rest of the epoch under way, or a whole one
  finish_scoring(p);
}

// A piece's size (mini-batches, or rows scored) that takes about 1–4 ms: doubled after a quick piece, halved after a slow one.
template <class N>
static void pace(N& per_part, double spent_ms, N most) {
  if (spent_ms < 1) per_part = std::min(per_part * 2, most);
  else if (spent_ms > 4) per_part = std::max<N>(1, per_part / 2);
}

void playground_frame(App& a, float dt) {
  Playground& p = a.playground;
  // The heat map costs one network evaluation per pixel. On a GPU that is nothing; where WebGL runs on the
  // processor (SwiftShader, some school machines) a full-resolution redraw every frame drops the page far below
  // 30 fps. While training, its resolution follows the frame rate; paused, it is drawn at full resolution.
  if (p.playing) {
    if (dt > 1 / 25.f) p.heat_scale = std::max(0.1f, p.heat_scale * 0.8f);  // below 25 fps: coarser
    else if (dt < 1 / 28.f) p.heat_scale = std::min(1.f, p.heat_scale * 1.05f);  // 30 fps or better: finer
  } else if (p.heat_scale < 1) {
    p.heat_scale = 1, p.redraw = true;
  }
  if (p.settings_changed) p.settings_changed = false, a.changed = true;  // the link follows the settings
  if (!p.net && p.message.empty()) playground_rebuild(p);
  compare_tick(p);
  if (p.net && (p.playing || p.scoring)) {  // time-sliced: about 8 ms of work a frame, in pieces of a millisecond
    double t0 = emscripten_get_now(), t = t0;  // or a few, keeps the page at 30 fps and more however large the data
    do {
      const bool scoring = p.scoring;
      if (scoring) score_part(p, p.rows_per_part);  // an epoch's end, scored before training goes on (paused too)
      else if (p.playing) train_part(p, p.batches_per_part);
      else break;
      const double now = emscripten_get_now(), spent = now - t;
      t = now;
      if (scoring) p.scoring_ms = std::max(p.scoring_ms, float(spent)), pace(p.rows_per_part, spent, Eigen::Index(1) << 20);
      else pace(p.batches_per_part, spent, 1 << 16);
    } while (t - t0 < 8);
  }
  if (button(a, "pg_play", p.playing ? kPauseTrain : kPlayTrain, p.net && !p.diverged)) p.playing = !p.playing;
  if (ui::flow_button(a, "pg_step", kOneEpoch, p.net && !p.diverged && !p.playing)) playground_epoch(p);
  if (ui::flow_button(a, "pg_batch_step", kOneBatch, p.net && !p.diverged && !p.playing)) {  // one update, shown in the results
    finish_scoring(p);
    MatT<float> before = p.net->conv_stages() ? p.net->conv(0).W : p.net->weight(0);
    p.last_good = p.net->snapshot();  // what "Restore" gives back if this very step diverges
    bool finite = std::isfinite(train_batch(*p.net, *p.optimizer, p.train, p.settings.batch, p.rng));
    for (const MatT<float>* w : p.net->params()) finite = finite && w->allFinite();
    if (!finite) {
      p.diverged = true, p.message = "training diverged: the loss or the weights became NaN or inf. The learning rate (" +
                                     format_number(p.settings.lr) + ") is probably too large: try a tenth of it. The last good weights can be restored.";
    } else if (p.net->conv_stages()) {
      cnn_batch(p, before);  // the first filter's update, written out in the results
      p.redraw = true;
    } else {
      const MatT<float>& g = p.net->affine(0).dW;
      p.shown_w.clear(), p.shown_grad.clear(), p.shown_delta.clear();
      for (Eigen::Index i = 0; i < std::min<Eigen::Index>(3, before.size()); ++i) {
        p.shown_w.push_back(before(i)), p.shown_grad.push_back(g(i)), p.shown_delta.push_back(p.net->weight(0)(i) - before(i));
      }
      p.redraw = true;
    }
  }
  if (ui::flow_button(a, "pg_reset", kResetNet)) playground_rebuild(p), p.playing = false;
  if (is_2d(p.settings.data) && !is_regression(p.settings.data)) {
    float radio = ImGui::GetFrameHeight() + ImGui::GetStyle().ItemInnerSpacing.x;
    ui::flow(ImGui::CalcTextSize(T(kClickAdds, a)).x + 2 * radio + ImGui::CalcTextSize(T(kBlue, a)).x + ImGui::CalcTextSize(T(kOrange, a)).x + 2 * ImGui::GetStyle().ItemSpacing.x);
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(T(kClickAdds, a));
    ImGui::SameLine();
    ImGui::RadioButton((std::string(T(kBlue, a)) + "###pg_click_blue").c_str(), &p.click_class, 1);
    remember(a, "pg_click_blue");
    ImGui::SameLine();
    ImGui::RadioButton((std::string(T(kOrange, a)) + "###pg_click_orange").c_str(), &p.click_class, 0);
    remember(a, "pg_click_orange");
  }
  if (a.narrow) {  // a phone: settings, the view and the results one at a time, each with the full width
    ui::tab_row(a, {{"pg_tab_settings", &kSettingsTab}, {"pg_tab_view", &kViewTab}, {"pg_tab_results", &kResultsTab}}, &p.pane);
    float h = ImGui::GetContentRegionAvail().y;
    ImGuiWindowFlags flags = ImGuiWindowFlags_NoBackground | (p.pane == 1 ? ImGuiWindowFlags_NoScrollbar : 0);
    ImGui::BeginChild(p.pane == 0 ? "###pg_left" : p.pane == 1 ? "###pg_view_panel" : "###pg_right", ImVec2(-1, h), true, flags);
    if (p.pane == 0) settings(a, p);
    if (p.pane == 1) view(a, p);
    if (p.pane == 2) results(a, p);
    ImGui::EndChild();
    return;
  }
  float right = std::min(340 * a.scale, ImGui::GetContentRegionAvail().x * 0.3f);
  float left = std::min(290 * a.scale, ImGui::GetContentRegionAvail().x * 0.26f), h = ImGui::GetContentRegionAvail().y;
  ImGui::BeginChild("###pg_left", ImVec2(left, h), true, ImGuiWindowFlags_NoBackground);
  settings(a, p);
  ImGui::EndChild();
  ImGui::SameLine();
  ImGui::BeginChild("###pg_view_panel", ImVec2(ImGui::GetContentRegionAvail().x - right - ImGui::GetStyle().ItemSpacing.x, h), true,
                    ImGuiWindowFlags_NoBackground | ImGuiWindowFlags_NoScrollbar);
  view(a, p);
  ImGui::EndChild();
  ImGui::SameLine();
  ImGui::BeginChild("###pg_right", ImVec2(right, h), true, ImGuiWindowFlags_NoBackground);
  results(a, p);
  ImGui::EndChild();
}

namespace {


bool playground_moving(const App& a) { return a.playground.playing || a.playground.compare.playing || a.playground.compare.pending >= 0; }

void playground_key(App& a, Key k) {  // → one epoch, Space train or pause
  Playground& p = a.playground;
  if (k == Key::Right && !p.playing && p.net && !p.diverged) playground_epoch(p);
  if (k == Key::Space) p.playing = !p.playing;
}

void playground_read_link(App& a, const PageLink& l) {
  if (l.mode != "playground") return;
  apply_playground_settings(a.playground, l.playground);
  if (l.playground.compare > 0 && (!a.playground.compare.runs.preset() || a.playground.compare.runs.preset()->key != std::string(kPresetNames[l.playground.compare])))
    compare_pick(a.playground, l.playground.compare - 1), a.playground.results_tab = 1, a.playground.pane = 2;
}

void playground_write_link(const App& a, PageLink& l) { l.playground = a.playground.settings; }

void playground_state(const App& a, nlohmann::json& j) {
  const Playground& p = a.playground;
  nlohmann::json& g = j["playground"];  // one key at a time: nested initializer lists cost the page kilobytes
  g["epoch"] = p.epoch, g["playing"] = p.playing, g["diverged"] = p.diverged;
  g["message"] = p.message, g["suggestion"] = p.suggestion, g["batch_in_epoch"] = p.run.next;
  g["first_loss"] = p.train_loss.empty() ? 0.f : p.train_loss.front();
  g["train_loss"] = p.train_loss.empty() ? 0.f : p.train_loss.back();
  g["train_accuracy"] = p.train_accuracy, g["test_accuracy"] = p.test_accuracy;
  g["heatmap_version"] = p.heatmap_version, g["heat_scale"] = p.heat_scale;
  g["units_version"] = p.units_version, g["unit_maps"] = p.units_per_layer;
  g["loading"] = p.loading, g["csv_name"] = p.csv_name;
  g["train_points"] = p.train.rows(), g["test_rows"] = p.test.rows(), g["inputs"] = p.train.X.cols(), g["classes"] = p.train.T.cols();
  g["misclassified"] = p.wrong.size(), g["confusion_total"] = p.confusion.sum();
  g["confusion_diagonal"] = p.confusion.size() ? p.confusion.trace() : 0;
  settings_state(playground_settings(), p.settings, g);  // every setting, by the table's name for it
  g["layers"] = p.settings.hidden.size();
  g["shown_w"] = p.shown_w, g["shown_grad"] = p.shown_grad, g["shown_delta"] = p.shown_delta;
  std::vector<float> last;
  if (p.train.rows()) last = {p.train.X(p.train.rows() - 1, 0), p.train.X(p.train.rows() - 1, p.train.X.cols() > 1 ? 1 : 0), p.train.T(p.train.rows() - 1, p.train.T.cols() - 1)};
  g["last_point"] = last;
  g["plot"] = p.hover_plot, g["plot_x"] = p.hover.x, g["plot_y"] = p.hover.y;  // what the pointer reads on a chart
  g["results_tab"] = p.results_tab, g["zero_note"] = p.settings.init == Init::zero, g["scoring_ms"] = p.scoring_ms, g["scoring"] = p.scoring;
  g["rows_per_part"] = p.rows_per_part, g["curve_points"] = p.train_loss.size();
  compare_state(p, g);
  cnn_state(p, a.lang, g);
}

}  // namespace

// Its code (training, the data sets, the charts) arrives when it is first opened. Its functions' names are its
// own (playground_...), as web/split-labs.py finds them by name.
extern const Lab kPlaygroundLab{"playground", kPlaygroundTitle, kPlaygroundShortTitle, true, playground_frame, playground_moving, playground_key, playground_read_link, playground_write_link, playground_state};

}  // namespace kobai
