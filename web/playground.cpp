// kobai page: the training playground. Left: data, network, training settings; centre: the decision boundary
// (a shader evaluates the network at every pixel) with the points; right: loss curves, accuracy, and the
// size of the weights and gradients per layer (where vanishing gradients show).
#include "playground.h"

#include "app.h"
#include "heatmap.h"
#include "link.h"
#include "ui.h"

#include <emscripten/emscripten.h>
#include <imgui.h>

#include <cmath>

namespace kobai {
namespace {

using ui::button;
using ui::remember;
using ui::T;

const Words kData{"Data", "データ"};
const Words kNoise{"noise", "ノイズ"};
const Words kPoints{"points", "点の数"};
const Words kTestPercent{"test %", "テスト %"};
const Words kNetwork{"Network", "ネットワーク"};
const Words kHiddenLayers{"hidden layers", "中間層の数"};
const Words kUnits{"units, layer %d", "第 %d 層のユニット"};
const Words kActivation{"activation", "活性化関数"};
const Words kInit{"initial weights", "重みの初期値"};
const Words kLoss{"loss", "損失関数"};
const Words kTraining{"Training", "学習"};
const Words kOptimizer{"optimizer", "最適化手法"};
const Words kLearningRate{"learning rate η", "学習率 η"};
const Words kBatch{"batch size", "バッチサイズ"};
const Words kReplacement{"sample with replacement", "復元抽出"};
const Words kBatchNorm{"batch normalisation", "バッチ正規化"};
const Words kDropout{"dropout", "ドロップアウト"};
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
const Words kLastUpdate{"The last mini-batch's update (layer 1, first weights):", "直前のミニバッチでの更新（第 1 層の最初の重み）:"};
const Words kMagnitudes{"Per layer: mean |W| and mean |∂L/∂W|", "層ごと: |W| の平均と |∂L/∂W| の平均"};

template <class E>
bool combo(const char* id, const Words& label, E* value, int count, const char* (*name)(E), App& a) {
  int v = int(*value);
  bool changed = false;
  ImGui::SetNextItemWidth(150 * a.scale);
  if (ImGui::BeginCombo((std::string(label(a.lang)) + "###" + id).c_str(), name(E(v)))) {
    for (int i = 0; i < count; ++i)
      if (ImGui::Selectable(name(E(i)), i == v)) *value = E(i), changed = true;
    ImGui::EndCombo();
  }
  remember(a, id);
  return changed;
}

void settings(App& a, Playground& p) {
  bool rebuild = false, new_optimizer = false;
  ImGui::TextUnformatted(T(kData, a));
  ImGui::Separator();
  rebuild |= combo("pg_data", kData, &p.data, 6, name_of, a);
  ImGui::SetNextItemWidth(150 * a.scale);
  rebuild |= ImGui::SliderFloat((std::string(T(kNoise, a)) + "###pg_noise").c_str(), &p.noise, 0, 1, "%.2f");
  ImGui::SetNextItemWidth(150 * a.scale);
  rebuild |= ImGui::SliderInt((std::string(T(kPoints, a)) + "###pg_points").c_str(), &p.points, 50, 1000);
  ImGui::SetNextItemWidth(150 * a.scale);
  rebuild |= ImGui::SliderInt((std::string(T(kTestPercent, a)) + "###pg_test").c_str(), &p.test_percent, 10, 90);
  ImGui::Spacing();
  ImGui::TextUnformatted(T(kNetwork, a));
  ImGui::Separator();
  ImGui::SetNextItemWidth(150 * a.scale);
  rebuild |= ImGui::SliderInt((std::string(T(kHiddenLayers, a)) + "###pg_layers").c_str(), &p.layers, 0, 8);
  for (int l = 0; l < p.layers; ++l) {
    char label[64];
    std::snprintf(label, sizeof label, T(kUnits, a), l + 1);
    ImGui::SetNextItemWidth(150 * a.scale);
    rebuild |= ImGui::SliderInt((std::string(label) + "###pg_units" + std::to_string(l)).c_str(), &p.units[l], 1, 64);
  }
  rebuild |= combo("pg_activation", kActivation, &p.activation, 4, name_of, a);
  rebuild |= combo("pg_init", kInit, &p.init, 3, name_of, a);
  rebuild |= combo("pg_loss", kLoss, &p.loss, 2, name_of, a);
  rebuild |= ImGui::Checkbox((std::string(T(kBatchNorm, a)) + "###pg_bn").c_str(), &p.batchnorm);
  ImGui::SetNextItemWidth(150 * a.scale);
  rebuild |= ImGui::SliderFloat((std::string(T(kDropout, a)) + "###pg_dropout").c_str(), &p.dropout, 0, 0.9f, "%.2f");
  ImGui::SetNextItemWidth(150 * a.scale);
  rebuild |= ImGui::SliderFloat("L1###pg_l1", &p.l1, 0, 0.01f, "%.4f");
  ImGui::SetNextItemWidth(150 * a.scale);
  rebuild |= ImGui::SliderFloat("L2###pg_l2", &p.l2, 0, 0.1f, "%.3f");
  ImGui::Spacing();
  ImGui::TextUnformatted(T(kTraining, a));
  ImGui::Separator();
  new_optimizer |= combo("pg_optimizer", kOptimizer, &p.opt.kind, 6, name_of, a);
  ImGui::SetNextItemWidth(150 * a.scale);
  double lr = p.opt.lr;
  if (ImGui::InputDouble((std::string(T(kLearningRate, a)) + "###pg_lr").c_str(), &lr, 0, 0, "%g", ImGuiInputTextFlags_EnterReturnsTrue)) {
    p.opt.lr = std::isfinite(lr) && lr > 0 ? lr : p.opt.lr;
    new_optimizer = true;
  }
  remember(a, "pg_lr");
  ImGui::SetNextItemWidth(150 * a.scale);
  p.settings_changed |= ImGui::SliderInt((std::string(T(kBatch, a)) + "###pg_batch").c_str(), &p.batch, 1, std::max(1, p.train.rows()));
  p.settings_changed |= ImGui::Checkbox((std::string(T(kReplacement, a)) + "###pg_replacement").c_str(), &p.replacement);
  p.settings_changed |= rebuild || new_optimizer;
  if (rebuild) playground_rebuild(p);
  else if (new_optimizer) p.optimizer = std::make_unique<Optimizer<float>>(p.opt);  // a new rule, the same weights
}

void view(App& a, Playground& p) {
  ImVec2 origin = ImGui::GetCursorScreenPos(), avail = ImGui::GetContentRegionAvail();
  float side = std::max(50.f, std::min(avail.x, avail.y));
  if (p.net && (p.redraw || !p.texture)) {
    std::string error;
    p.texture = heatmap_render(p.net->folded(), p.activation, p.net->config().outputs == 2, int(side), int(side), 6.f, &error);
    if (!error.empty()) p.message = error;
    p.redraw = false;
    ++p.heatmap_version;
  }
  ImGui::SetCursorScreenPos(ImVec2(origin.x + (avail.x - side) / 2, origin.y));
  ImVec2 o = ImGui::GetCursorScreenPos();
  if (p.texture) ImGui::Image((ImTextureID)(intptr_t)p.texture, ImVec2(side, side));
  else ImGui::Dummy(ImVec2(side, side));
  remember(a, "pg_view");
  if (ImGui::IsItemClicked(ImGuiMouseButton_Left) && !is_regression(p.data) && p.train.rows() < 5000) {  // a point of the chosen class
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

void results(App& a, Playground& p) {
  char buf[160];
  std::snprintf(buf, sizeof buf, T(kEpoch, a), p.epoch);
  ImGui::TextUnformatted(buf);
  remember(a, "pg_epoch");
  if (!p.train_loss.empty()) {
    std::snprintf(buf, sizeof buf, T(kLosses, a), p.train_loss.back(), p.test_loss.back());
    ImGui::TextUnformatted(buf);
    ImVec2 plot(ImGui::GetContentRegionAvail().x, 70 * a.scale);  // PlotLines takes no "fill" width of −1
    ImGui::PlotLines("###pg_train_curve", p.train_loss.data(), int(p.train_loss.size()), 0, "train", 0, FLT_MAX, plot);
    ImGui::PlotLines("###pg_test_curve", p.test_loss.data(), int(p.test_loss.size()), 0, "test", 0, FLT_MAX, plot);
    if (!is_regression(p.data)) {
      std::snprintf(buf, sizeof buf, T(kAccuracy, a), 100 * p.train_accuracy, 100 * p.test_accuracy);
      ImGui::TextUnformatted(buf);
    }
  }
  if (!p.message.empty()) {
    ImGui::PushTextWrapPos(0);
    ImGui::TextColored(ImVec4(0.8f, 0.15f, 0.1f, 1), "%s", p.message.c_str());
    ImGui::PopTextWrapPos();
    remember(a, "pg_message");
  }
  if (p.diverged && button(a, "pg_restore", kRestore)) {
    p.net->restore(p.last_good);
    p.diverged = false, p.message.clear(), p.redraw = true;
  }
  if (!p.shown_w.empty()) {
    ImGui::Spacing();
    ImGui::PushTextWrapPos(0);
    ImGui::TextDisabled("%s", T(kLastUpdate, a));
    ImGui::TextUnformatted(rule_of(p.opt.kind));
    ImGui::PopTextWrapPos();
    for (size_t i = 0; i < p.shown_w.size(); ++i)
      ImGui::Text("W %+.4f   ∇ %+.4f   ΔW %+.5f", p.shown_w[i], p.shown_grad[i], p.shown_delta[i]);
    remember(a, "pg_update");
  }
  if (p.net) {
    ImGui::Spacing();
    ImGui::TextDisabled("%s", T(kMagnitudes, a));
    auto grads = p.net->grads();
    for (int l = 0; l < p.net->layers(); ++l) {
      const auto& W = p.net->weight(l);
      const auto& g = *grads[size_t(l) * (p.batchnorm && l + 1 < p.net->layers() ? 4 : 2)];
      ImGui::Text("%d: %.3g   %.3g", l + 1, W.cwiseAbs().mean(), g.size() ? g.cwiseAbs().mean() : 0.f);
    }
  }
}

}  // namespace

void playground_rebuild(Playground& p) {
  try {
    Dataset<float> all = make_2d<float>(p.data, p.points, p.noise, uint64_t(p.seed), p.loss == LossKind::softmax);
    int n_test = all.rows() * p.test_percent / 100, n_train = all.rows() - n_test;
    p.train = {all.X.topRows(n_train), all.T.topRows(n_train)};
    p.test = {all.X.bottomRows(n_test), all.T.bottomRows(n_test)};
    NetConfig c;
    c.inputs = 2, c.outputs = int(all.T.cols());
    c.hidden.assign(p.units, p.units + p.layers);
    c.activation = p.activation, c.init = p.init, c.loss = p.loss;
    c.l1 = p.l1, c.l2 = p.l2, c.dropout = p.dropout, c.batchnorm = p.batchnorm, c.seed = uint64_t(p.seed);
    p.net = std::make_unique<Net<float>>(c);
    p.optimizer = std::make_unique<Optimizer<float>>(p.opt);
    p.rng = Rng{uint64_t(p.seed)};
    p.epoch = 0, p.train_loss.clear(), p.test_loss.clear();
    p.diverged = false, p.message.clear(), p.redraw = true;
    p.train_accuracy = p.net->accuracy(p.train.X, p.train.T), p.test_accuracy = p.net->accuracy(p.test.X, p.test.T);
  } catch (const InputError& e) {
    p.message = e.what();
    p.playing = false;
  }
}

PlaygroundLink playground_link(const Playground& p) {
  PlaygroundLink l;
  l.on = true;
  l.data = p.data, l.noise = p.noise, l.points = p.points, l.test_percent = p.test_percent, l.seed = p.seed;
  l.hidden.assign(p.units, p.units + p.layers);
  l.activation = p.activation, l.init = p.init, l.loss = p.loss, l.optimizer = p.opt.kind, l.lr = p.opt.lr;
  l.batch = p.batch, l.replacement = p.replacement, l.batchnorm = p.batchnorm, l.l1 = p.l1, l.l2 = p.l2, l.dropout = p.dropout;
  return l;
}

void apply_playground_link(Playground& p, const PlaygroundLink& l) {
  p.data = l.data, p.noise = float(l.noise), p.points = l.points, p.test_percent = l.test_percent, p.seed = l.seed;
  p.layers = int(l.hidden.size());
  for (size_t i = 0; i < l.hidden.size(); ++i) p.units[i] = l.hidden[i];
  p.activation = l.activation, p.init = l.init, p.loss = l.loss, p.opt.kind = l.optimizer, p.opt.lr = l.lr;
  p.batch = l.batch, p.replacement = l.replacement, p.batchnorm = l.batchnorm;
  p.l1 = float(l.l1), p.l2 = float(l.l2), p.dropout = float(l.dropout);
  p.playing = false;
  playground_rebuild(p);
}

void playground_epoch(Playground& p) {
  if (!p.net || p.diverged) return;
  p.last_good = p.net->snapshot();
  EpochResult r = train_epoch(*p.net, *p.optimizer, p.train, p.batch, p.replacement, p.rng);
  if (r.diverged) {  // stop, say why, keep the last good weights at hand
    p.diverged = true, p.playing = false, p.message = r.message;
    return;
  }
  ++p.epoch;
  p.train_loss.push_back(float(p.net->loss(p.train.X, p.train.T)));
  p.test_loss.push_back(float(p.test.rows() ? p.net->loss(p.test.X, p.test.T) : 0));
  if (p.train_loss.size() > 2000) p.train_loss.erase(p.train_loss.begin()), p.test_loss.erase(p.test_loss.begin());
  p.train_accuracy = p.net->accuracy(p.train.X, p.train.T), p.test_accuracy = p.net->accuracy(p.test.X, p.test.T);
  p.redraw = true;
}

void playground_frame(App& a, float) {
  Playground& p = a.playground;
  if (p.settings_changed) p.settings_changed = false, a.changed = true;  // the link follows the settings
  if (!p.net && p.message.empty()) playground_rebuild(p);
  if (p.playing) {  // time-sliced: about 8 ms of training per frame keeps the page at 30 fps and more
    double t0 = emscripten_get_now();
    do playground_epoch(p);
    while (p.playing && emscripten_get_now() - t0 < 8);
  }
  if (button(a, "pg_play", p.playing ? kPauseTrain : kPlayTrain, p.net && !p.diverged)) p.playing = !p.playing;
  ImGui::SameLine();
  if (button(a, "pg_step", kOneEpoch, p.net && !p.diverged && !p.playing)) playground_epoch(p);
  ImGui::SameLine();
  if (button(a, "pg_batch_step", kOneBatch, p.net && !p.diverged && !p.playing)) {  // one update, shown in the results
    MatT<float> before = p.net->weight(0);
    double loss = train_batch(*p.net, *p.optimizer, p.train, p.batch, p.rng);
    if (!std::isfinite(loss)) {
      p.diverged = true, p.message = "training diverged: the loss became NaN or inf. Try a smaller learning rate.";
    } else {
      const MatT<float>& g = *p.net->grads()[0];
      p.shown_w.clear(), p.shown_grad.clear(), p.shown_delta.clear();
      for (Eigen::Index i = 0; i < std::min<Eigen::Index>(3, before.size()); ++i) {
        p.shown_w.push_back(before(i)), p.shown_grad.push_back(g(i)), p.shown_delta.push_back(p.net->weight(0)(i) - before(i));
      }
      p.redraw = true;
    }
  }
  ImGui::SameLine();
  if (button(a, "pg_reset", kResetNet)) playground_rebuild(p), p.playing = false;
  ImGui::SameLine();
  ImGui::TextUnformatted(T(kClickAdds, a));
  ImGui::SameLine();
  ImGui::RadioButton((std::string(T(kBlue, a)) + "###pg_click_blue").c_str(), &p.click_class, 1);
  remember(a, "pg_click_blue");
  ImGui::SameLine();
  ImGui::RadioButton((std::string(T(kOrange, a)) + "###pg_click_orange").c_str(), &p.click_class, 0);
  remember(a, "pg_click_orange");
  float left = 290 * a.scale, right = 340 * a.scale, h = ImGui::GetContentRegionAvail().y;
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

}  // namespace kobai
