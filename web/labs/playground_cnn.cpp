// kobai page: the playground's CNN. The network is the engine's (Net with a conv stage, engine/train.h); this
// file draws what a CNN adds to the MLP's panels: its layers and their shapes, the filters as images, the
// feature maps of one test example at every layer, and one filter's update written out.
#include "labs/playground_cnn.h"

#include "heatmap.h"
#include "ui.h"
#include "widgets/image_grid.h"

#include <nlohmann/json.hpp>
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace kobai {
namespace {

using ui::button;
using ui::remember;
using ui::T;

const Words kChain{"The network, layer by layer (an image's shape C x H x W):", "ネットワークの層（画像の形 C x H x W）:"};
const Words kFilters{"Filters of the Convolution layer: %d of %dx%d (blue +, orange −)", "畳み込み層のフィルター: %dx%d が %d 個（青 +、橙 −）"};
const Words kFilterN{"filter %d: %dx%d", "フィルター %d: %dx%d"};
const Words kExample{"test example %d of %d: true %d, predicted %d", "テストデータ %d / %d: 正解 %d、予測 %d"};
const Words kPickExample{"example", "データ"};
const Words kPrevious{"◀", "◀"};
const Words kNext{"▶", "▶"};
const Words kMapsConv{"Its feature maps after %s: %d of %dx%d", "%s の後の特徴マップ: %dx%d が %d 個"};
const Words kMapsPool{"After Pooling (the largest of each %dx%d window): %d of %dx%d", "Pooling（%dx%d の窓ごとの最大値）の後: %dx%d が %d 個"};
const Words kMapN{"map %d: %dx%d, largest %.3f", "マップ %d: %dx%d、最大 %.3f"};
const Words kFilterUpdate{"The last mini-batch's update of filter 1 (weight (%d, %d), whose gradient is largest):",
                          "直前のミニバッチでのフィルター 1 の更新（勾配が最大の重み (%d, %d)）:"};
const Words kOtherRule{"%s moved it by %+.6f (%s); plain SGD would give W − η·∂L/∂W = %.6f",
                       "%s による変化は %+.6f（%s）。素の SGD なら W − η·∂L/∂W = %.6f"};

// The example's maps at layer l are drawn with one scale for the layer: maps compare with each other.
float largest(const MatT<float>& m) { return std::max(1e-6f, m.cwiseAbs().maxCoeff()); }

// The layers as the engine built them, with each image's shape: "1x8x8 → Convolution 16 of 3x3, stride 1, pad 1
// → 16x8x8 → Relu → Pooling 2x2, stride 2 → 16x4x4 → flatten 256 → Affine 100 → Relu → Affine 10 → SoftmaxWithLoss".
// The layers' names are the book's classes in both languages; stride and pad its parameters' names.
std::string chain(const Playground& p, Lang lang) {
  const bool ja = lang == Lang::ja;
  const Net<float>& net = *p.net;
  const NetConfig& c = net.config();
  auto shape = [](const Dims4& d) { return std::to_string(d.c) + "x" + std::to_string(d.h) + "x" + std::to_string(d.w); };
  auto num = [](int v) { return std::to_string(v); };
  const LayerList<float>& list = net.layer_list();
  std::string s = shape(Dims4{1, c.channels, c.height, c.width});
  for (const auto& m : net.stage_maps()) {  // the conv stages: Convolution → activation, then (Pooling)
    const ConvStage& st = c.conv[size_t(m.stage)];
    if (m.pooled) {
      s += " → Pooling " + num(st.pool) + "x" + num(st.pool) + ", stride " + num(st.pool_stride);
    } else {
      const std::string filters = ja ? num(st.size) + "x" + num(st.size) + " が " + num(st.filters) + " 個"
                                     : num(st.filters) + " of " + num(st.size) + "x" + num(st.size);
      s += " → Convolution " + filters + ", stride " + num(st.stride) + ", pad " + num(st.pad);
      if (c.activation != Activation::linear) s += " → " + std::string(list[1]->name());  // the layer after the first Convolution
    }
    s += " → " + shape(m.dims);
  }
  bool affine_part = false;  // from the first Affine on: the layers as they are (batch norm, dropout too)
  for (const auto& layer : list) {
    const std::string name = layer->name();
    if (name == "Affine" && !affine_part) s += (ja ? " → 平坦化 " : " → flatten ") + num(int(net.affine(0).W.rows())), affine_part = true;
    if (!affine_part) continue;
    s += " → " + name;
    if (name == "Affine") s += " " + num(int(static_cast<const Affine<float>&>(*layer).W.cols()));
  }
  return s + " → " + net.loss_layer().name();
}

}  // namespace

void cnn_images(Playground& p) {
  if (!p.net || p.net->conv_stages() == 0) return;
  const Convolution<float>& conv = p.net->conv(0);
  const int fn = int(conv.W.rows()), f = conv.win.h, per = f * f;  // one channel: a filter is f x f
  std::vector<unsigned> px(size_t(fn) * size_t(per));
  for (int k = 0; k < fn; ++k) {  // each filter scaled by its largest weight, as the MLP's units are
    float m = std::max(1e-6f, conv.W.row(k).cwiseAbs().maxCoeff());
    for (int i = 0; i < per; ++i) px[size_t(i / f) * size_t(fn * f) + size_t(k * f + i % f)] = diverging(conv.W(k, i) / m);
  }
  p.filters_texture = upload_image(p.filters_texture, fn * f, f, px);
  if (p.test.rows() == 0) return;
  p.example = std::clamp(p.example, 0, p.test.rows() - 1);
  const MatT<float> x = p.test.X.row(p.example);
  const int side = conv.in.h;
  px.assign(size_t(side) * size_t(side), 0u);
  for (int i = 0; i < side * side; ++i) px[size_t(i)] = ink(x(0, i));
  p.example_texture = upload_image(p.example_texture, side, side, px);
  std::vector<MatT<float>> maps = p.net->feature_maps(x);
  auto shapes = p.net->stage_maps();
  if (p.maps_textures.size() < maps.size()) p.maps_textures.resize(maps.size(), 0u);  // kept, to be drawn into again
  for (size_t l = 0; l < maps.size(); ++l) {
    const Dims4 d = shapes[l].dims;
    const int n = d.h * d.w;
    const float m = largest(maps[l]);
    px.assign(size_t(d.c) * size_t(n), 0u);
    for (int c = 0; c < d.c; ++c)
      for (int i = 0; i < n; ++i) px[size_t(i / d.w) * size_t(d.c * d.w) + size_t(c * d.w + i % d.w)] = diverging(maps[l](0, c * n + i) / m);
    p.maps_textures[l] = upload_image(p.maps_textures[l], d.c * d.w, d.h, px);
  }
  ++p.cnn_version;
}

void cnn_view(App& a, Playground& p) {
  if (!p.net || p.net->conv_stages() == 0) return;
  char buf[200];
  ImGui::PushTextWrapPos(0);
  ui::quiet_paragraph(T(kChain, a));
  ImGui::TextUnformatted(chain(p, a.lang).c_str());
  ImGui::PopTextWrapPos();
  remember(a, "pg_cnn_layers");
  ImGui::Spacing();
  const Convolution<float>& conv = p.net->conv(0);
  const int fn = int(conv.W.rows()), f = conv.win.h;
  if (a.lang == Lang::ja) std::snprintf(buf, sizeof buf, T(kFilters, a), f, f, fn);
  else std::snprintf(buf, sizeof buf, T(kFilters, a), fn, f, f);
  ui::quiet_paragraph(buf);
  ImGui::BeginGroup();
  image_grid(a, "pg_filter_large", p.filters_texture, fn * f, f, f, 0, fn, 30 * a.scale, [](int) {}, [&](int k) {
    ImGui::Text(T(kFilterN, a), k + 1, f, f);
    for (int r = 0; r < std::min(f, 5); ++r) {  // its weights, up to 5x5
      std::string line;
      for (int c = 0; c < std::min(f, 5); ++c) {
        char w[16];
        std::snprintf(w, sizeof w, "%+.3f ", conv.W(k, r * f + c));
        line += w;
      }
      ImGui::TextUnformatted(line.c_str());
    }
  });
  ImGui::EndGroup();
  remember(a, "pg_filter_images");
  if (p.test.rows() == 0) return;
  ImGui::Spacing();
  // The example: ◀ ▶ and a slider over the test set; its maps follow at once.
  int picked = p.example;
  if (ui::flow_button(a, "pg_example_prev", kPrevious, p.example > 0)) --picked;
  if (ui::flow_button(a, "pg_example_next", kNext, p.example + 1 < p.test.rows())) ++picked;
  ImGui::SameLine();
  ImGui::SetNextItemWidth(std::max(60 * a.scale, std::min(200 * a.scale, ImGui::GetContentRegionAvail().x - 80 * a.scale)));
  int shown = picked + 1;
  if (ImGui::SliderInt((std::string(T(kPickExample, a)) + "###pg_example").c_str(), &shown, 1, p.test.rows())) picked = shown - 1;
  remember(a, "pg_example");
  if (picked != p.example) p.example = picked, cnn_images(p);
  Eigen::Index truth = 0;
  p.test.T.row(p.example).maxCoeff(&truth);
  int predicted = size_t(p.example) < p.predicted.size() ? p.predicted[size_t(p.example)] : -1;
  std::snprintf(buf, sizeof buf, T(kExample, a), p.example + 1, p.test.rows(), int(truth), predicted);
  const int side = conv.in.h;
  ImGui::Image((ImTextureID)(intptr_t)p.example_texture, ImVec2(48 * a.scale, 48 * a.scale));
  ImGui::SameLine();
  ImGui::PushTextWrapPos(0);
  ImGui::TextUnformatted(buf);
  ImGui::PopTextWrapPos();
  remember(a, "pg_example_text");
  std::vector<MatT<float>> maps;  // for the tooltips' numbers: one example, cheap
  auto shapes = p.net->stage_maps();
  const std::string after_conv = p.settings.activation == Activation::linear ? "Convolution" : "Convolution → " + std::string(p.net->layer_list()[1]->name());
  for (size_t l = 0; l < shapes.size() && l < p.maps_textures.size(); ++l) {
    const Dims4 d = shapes[l].dims;
    const ConvStage& st = p.net->config().conv[size_t(shapes[l].stage)];
    if (!shapes[l].pooled) {
      if (a.lang == Lang::ja) std::snprintf(buf, sizeof buf, T(kMapsConv, a), after_conv.c_str(), d.h, d.w, d.c);
      else std::snprintf(buf, sizeof buf, T(kMapsConv, a), after_conv.c_str(), d.c, d.h, d.w);
    } else if (a.lang == Lang::ja) {
      std::snprintf(buf, sizeof buf, T(kMapsPool, a), st.pool, st.pool, d.h, d.w, d.c);
    } else {
      std::snprintf(buf, sizeof buf, T(kMapsPool, a), st.pool, st.pool, d.c, d.h, d.w);
    }
    ui::quiet_paragraph(buf);
    const std::string id = "pg_maps" + std::to_string(l);
    ImGui::BeginGroup();
    image_grid(a, "pg_map_large", p.maps_textures[l], d.c * d.w, d.h, d.w, 0, d.c, (d.w > side / 2 ? 30 : 22) * a.scale, [](int) {}, [&](int c) {
      if (maps.empty()) maps = p.net->feature_maps(p.test.X.row(p.example));
      const int n = d.h * d.w;
      ImGui::Text(T(kMapN, a), c + 1, d.h, d.w, double(maps[l].block(0, c * n, 1, n).maxCoeff()));
    });
    ImGui::EndGroup();
    remember(a, id.c_str());
  }
  ImGui::Spacing();
}

void cnn_batch(Playground& p, const MatT<float>& before) {
  const Convolution<float>& conv = p.net->conv(0);
  const Eigen::Index n = conv.W.cols();
  p.filter_before.clear(), p.filter_grad.clear(), p.filter_after.clear();
  for (Eigen::Index i = 0; i < n; ++i)  // the first filter: row 0 of W (FN x C·FH·FW)
    p.filter_before.push_back(before(0, i)), p.filter_grad.push_back(conv.dW(0, i)), p.filter_after.push_back(conv.W(0, i));
  Eigen::Index at = 0;
  conv.dW.row(0).cwiseAbs().maxCoeff(&at);
  p.filter_weight = int(at);
}

void cnn_update(App& a, Playground& p) {
  if (p.filter_weight < 0 || size_t(p.filter_weight) >= p.filter_after.size() || !p.net || p.net->conv_stages() == 0) return;
  const int f = p.net->conv(0).win.w, j = p.filter_weight;
  const float w = p.filter_before[size_t(j)], g = p.filter_grad[size_t(j)], after = p.filter_after[size_t(j)];
  const double lr = p.settings.lr;
  char buf[300];
  ImGui::Spacing();
  ImGui::PushTextWrapPos(0);
  std::snprintf(buf, sizeof buf, T(kFilterUpdate, a), j / f + 1, j % f + 1);
  ui::quiet_paragraph(buf);
  if (p.settings.optimizer == OptimizerKind::sgd) {  // the rule itself, with the numbers the engine used, a line each
    ImGui::TextUnformatted("W ← W − η·∂L/∂W");
    std::snprintf(buf, sizeof buf, "  = %.6f − %s × (%+.6f)", double(w), format_number(lr).c_str(), double(g));
    ImGui::TextUnformatted(buf);
    std::snprintf(buf, sizeof buf, "  = %.6f", double(after));
    ImGui::TextUnformatted(buf);
  } else {
    std::snprintf(buf, sizeof buf, "∂L/∂W = %+.6f, W: %.6f → %.6f", double(g), double(w), double(after));
    ImGui::TextUnformatted(buf);
    std::snprintf(buf, sizeof buf, T(kOtherRule, a), name_of(p.settings.optimizer), double(after - w), rule_of(p.settings.optimizer), w - lr * double(g));
    ImGui::TextUnformatted(buf);
  }
  ImGui::PopTextWrapPos();
  for (size_t i = 0; i < std::min<size_t>(3, p.filter_after.size()); ++i)  // as the MLP's: its first weights
    ImGui::Text("W %+.4f   ∇ %+.4f   ΔW %+.5f", double(p.filter_before[i]), double(p.filter_grad[i]), double(p.filter_after[i] - p.filter_before[i]));
  remember(a, "pg_filter_update");
}

void cnn_state(const Playground& p, Lang lang, nlohmann::json& g) {
  nlohmann::json& c = g["cnn"];  // one key at a time (playground_state says why)
  c["version"] = p.cnn_version, c["example"] = p.example, c["refused"] = p.refused;
  c["filter_before"] = p.filter_before, c["filter_grad"] = p.filter_grad, c["filter_after"] = p.filter_after, c["filter_weight"] = p.filter_weight;
  if (!p.net || p.net->conv_stages() == 0) return;
  const Convolution<float>& conv = p.net->conv(0);
  c["filters_count"] = conv.W.rows();
  c["filter_shape"] = std::vector<int>{conv.in.c, conv.win.h, conv.win.w};
  std::vector<std::vector<int>> maps;
  std::vector<bool> pooled;
  for (const auto& m : p.net->stage_maps()) maps.push_back({m.dims.c, m.dims.h, m.dims.w}), pooled.push_back(m.pooled);
  c["maps"] = maps, c["pooled"] = pooled;
  c["layers"] = chain(p, lang);
}

}  // namespace kobai
