// kobai page: the activations lab. The book's Figures 6-10 to 6-14: 1000 inputs of 100 features through hidden
// layers of 100 units; a histogram of each layer's activations, side by side, and below them each layer's ∂L/∂W.
// Sigmoid with weights of std 1 piles the activations at 0 and 1 (the gradients vanish), std 0.01 at 0.5 (every
// unit says the same); Xavier spreads them, He does for ReLU; batch normalisation spreads them whatever the scale.
// The experiment is the engine's (engine/activations.h), the same as `kobai activations`.
#include "labs/activations_lab.h"

#include "app.h"
#include "labs/labs.h"
#include "ui.h"
#include "widgets/enum_combo.h"
#include "widgets/plot.h"

#include <imgui.h>
#include <nlohmann/json.hpp>

#include <cstdio>

namespace kobai {
namespace {

using ui::remember;
using ui::T;

const Words kRun{"Run again", "もう一度"};
const Words kActivationsRow{"Activations of each layer", "各層のアクティベーション"};
const Words kGradientsRow{"∂L/∂W of each layer (a backward pass from L = mean of the last layer's outputs)",
                          "各層の ∂L/∂W（最後の層の出力の平均 L からの逆伝播）"};
const Words kTabActivations{"Activations", "アクティベーション"};
const Words kTabGradients{"Gradients", "勾配"};
const Words kLayer{"layer", "層"};
const Words kValue{"value", "値"};
const Words kCount{"count", "個数"};
const Words kMeanStd{"mean %.3g, std %.3g", "平均 %.3g, 標準偏差 %.3g"};
const Words kNote{"1000 inputs of 100 features from a standard normal, 100 units in each layer, as in the book.",
                  "標準正規分布から 100 特徴 × 1000 個の入力、各層 100 ユニット（本と同じ設定）。"};
const ImU32 kActivationInk = IM_COL32(25, 90, 200, 255), kGradientInk = IM_COL32(215, 70, 20, 255);

void run(ActivationsLab& l) {
  l.stale = false, l.ran = l.settings;
  try {
    l.layers = run_activations(l.settings.config());
    l.message.clear();
  } catch (const InputError& e) {  // a setting out of range (a link checks them first): said, the last run stays
    l.message = e.what();
  }
}

// One setting's control by its kind, named act_<name>; true when the student changed it.
bool control(App& a, ActivationsSettings& s, const ActivationsSetting& t) {
  if (t.shown && !t.shown(s)) return false;
  const std::string id = std::string("act_") + t.name, label = std::string(t.label(a.lang)) + "###" + id;
  ui::flow(150 * a.scale + ImGui::CalcTextSize(t.label(a.lang)).x + ImGui::GetStyle().ItemInnerSpacing.x);
  ImGui::SetNextItemWidth(150 * a.scale);
  bool changed = false;
  double v = t.kind == SettingKind::wholes || t.kind == SettingKind::names ? 0 : t.get(s);
  switch (t.kind) {
    case SettingKind::choice: {
      int now = int(v);
      if (enum_combo(label.c_str(), &now, t.choices.names, t.choices.count)) t.set(s, now), changed = true;
      break;
    }
    case SettingKind::flag: {
      bool on = v != 0;
      if (ImGui::Checkbox(label.c_str(), &on)) t.set(s, on), changed = true;
      break;
    }
    case SettingKind::whole: {
      int now = int(v);
      if (t.in_box ? ImGui::InputInt(label.c_str(), &now) : ImGui::SliderInt(label.c_str(), &now, int(t.lo), int(t.hi))) {
        if (t.valid(now)) t.set(s, now), changed = true;
      }
      break;
    }
    case SettingKind::number: {
      float now = float(v);
      if (ImGui::SliderFloat(label.c_str(), &now, float(t.lo), float(t.slider_hi ? t.slider_hi : t.hi), t.format,
                             ImGuiSliderFlags_Logarithmic) && t.valid(now))
        t.set(s, now), changed = true;
      break;
    }
    case SettingKind::wholes: case SettingKind::names: break;  // none in this table
  }
  remember(a, id.c_str());
  return changed;
}

// A row of histograms, one per layer, all on the same axes: layers compare at a glance.
void histograms(App& a, ActivationsLab& l, bool gradients) {
  const int n = int(l.layers.size());
  if (!n) return;
  const float avail = ImGui::GetContentRegionAvail().x, gap = ImGui::GetStyle().ItemSpacing.x;
  const int per_row = a.narrow ? 1 : std::min(n, std::max(1, int((avail + gap) / (220 * a.scale + gap))));
  const float width = (avail - gap * float(per_row - 1)) / float(per_row);
  for (int i = 0; i < n; ++i) {
    const Histogram& h = gradients ? l.layers[size_t(i)].gradients : l.layers[size_t(i)].activations;
    std::vector<float> counts(h.counts.begin(), h.counts.end());
    const double bin = h.edges.size() > 1 ? h.edges[1] - h.edges[0] : 1;
    if (i % per_row) ImGui::SameLine();
    ImGui::BeginGroup();
    char title[96];
    std::snprintf(title, sizeof title, "%s %d", T(kLayer, a), i + 1);
    ImGui::TextUnformatted(title);
    char stats[96];
    std::snprintf(stats, sizeof stats, T(kMeanStd, a), h.mean, h.std);
    ui::quiet_paragraph(stats);
    PlotSpec spec;
    spec.size = ImVec2(width, (a.narrow ? 150 : 130) * a.scale);
    spec.y_lo = 0;
    spec.x_name = T(kValue, a);
    PlotSeries s{T(kCount, a), counts.data(), int(counts.size()), h.edges.front() + bin / 2, bin,
                 gradients ? kGradientInk : kActivationInk, true};
    const std::string name = std::string(gradients ? "act_grad_" : "act_hist_") + std::to_string(i + 1);
    plot::Readout r;
    if (Plot(("###" + name).c_str(), spec, &s, 1, &r)) l.hover_plot = name, l.hover_x = r.x;
    remember(a, name.c_str());
    ImGui::EndGroup();
  }
}

}  // namespace

void activations_frame(App& a, float) {
  ActivationsLab& l = a.activations;
  ImGui::BeginChild("###activations", ImVec2(0, 0), false, ImGuiWindowFlags_NoBackground);
  bool changed = false;
  bool first = true;
  for (const ActivationsSetting& t : activations_settings()) {
    if (!first && !(t.shown && !t.shown(l.settings))) ImGui::SameLine();
    first = false;
    changed |= control(a, l.settings, t);
  }
  if (ui::flow_button(a, "act_run", kRun)) l.stale = true;
  if (changed) l.stale = true, a.changed = true;  // the link follows the settings
  if (l.stale) run(l);  // 30 ms or so as WebAssembly: once per change, not per frame
  ui::quiet_paragraph(T(kNote, a));  // wrapped, Japanese too
  if (!l.message.empty()) {
    ImGui::PushTextWrapPos(0);
    ui::coloured_paragraph(ImVec4(0.8f, 0.1f, 0.1f, 1), l.message);
    ImGui::PopTextWrapPos();
    remember(a, "act_message");
  }
  ImGui::Separator();
  if (a.narrow) {
    ui::tab_row(a, {{"act_tab_activations", &kTabActivations}, {"act_tab_gradients", &kTabGradients}}, &l.pane);
    histograms(a, l, l.pane == 1);
  } else {
    ImGui::TextUnformatted(T(kActivationsRow, a));
    histograms(a, l, false);
    ImGui::Spacing();
    ImGui::PushTextWrapPos(0);
    ImGui::TextUnformatted(T(kGradientsRow, a));
    ImGui::PopTextWrapPos();
    histograms(a, l, true);
  }
  ImGui::EndChild();
}

namespace {

bool activations_moving(const App&) { return false; }
void activations_key(App& a, Key k) {
  if (k == Key::Space) a.activations.stale = true;  // run again (a new draw needs a new seed: the seed setting)
}
void activations_read_link(App& a, const PageLink& l) {
  if (l.mode != "activations") return;
  a.activations.settings = l.activations;
  a.activations.stale = true;
}
void activations_write_link(const App& a, PageLink& l) { l.activations = a.activations.settings; }
void activations_state(const App& a, nlohmann::json& j) {
  const ActivationsLab& l = a.activations;
  nlohmann::json& g = j["activations"];
  settings_state(activations_settings(), l.ran, g);
  g["message"] = l.message, g["plot"] = l.hover_plot, g["plot_x"] = l.hover_x;
  nlohmann::json& layers = g["layers"];
  layers = nlohmann::json::array();
  for (const LayerStats& s : l.layers) {
    nlohmann::json one;
    one["activations"]["mean"] = s.activations.mean, one["activations"]["std"] = s.activations.std;
    one["activations"]["counts"] = s.activations.counts, one["activations"]["edges"] = s.activations.edges;
    one["gradients"]["mean"] = s.gradients.mean, one["gradients"]["std"] = s.gradients.std;
    one["gradients"]["counts"] = s.gradients.counts;
    layers.push_back(one);
  }
}

}  // namespace

// Its code (the experiment, the layers) arrives when it is first opened; its functions' names are its own
// (activations_...), as web/split-labs.py finds them by name.
extern const Lab kActivationsLab{"activations", kActivationsTitle, kActivationsShortTitle, true, activations_frame,
                                 activations_moving, activations_key, activations_read_link, activations_write_link,
                                 activations_state};

}  // namespace kobai
