// kobai page: the shapes lab. The student types the input shape and the layers (one a line); the engine's shape
// sheet (engine/shapes.h, the same as `kobai shapes`) gives every layer's output shape, the formula with its
// numbers, the parameters and the total. The sheet follows every key typed: text that cannot be read says where
// and why under its field, and the last sheet stays, faded; a layer that does not fit is refused in its row.
#include "labs/shapes_lab.h"

#include "app.h"
#include "labs/labs.h"
#include "ui.h"

#include <imgui.h>
#include <misc/cpp/imgui_stdlib.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>

namespace kobai {
namespace {

using ui::remember;
using ui::T;

const Words kInput{"Input C x H x W", "入力 C x H x W"};
const Words kInputNote{"or H x W (one channel), or a length", "H x W（1 チャンネル）や長さだけでもよい"};
const Words kLayers{"Layers, one a line (or separated by ;)", "層（1 行に 1 つ。; で区切ってもよい）"};
const Words kPreset{"The book's SimpleConvNet", "本の SimpleConvNet"};
const Words kSyntax{"Layers and their arguments (whole numbers; by position or by name):", "使える層と引数（整数。順番どおりか、名前=値で）:"};
const Words kLayer{"layer", "層"};
const Words kIn{"input", "入力"};
const Words kOut{"output", "出力"};
const Words kParams{"parameters", "パラメータ数"};
const Words kFormula{"formula", "計算式"};
const Words kTotal{"Total parameters: ", "パラメータの合計: "};
const Words kAt{"line {line}, column {column}: ", "{line} 行 {column} 文字目: "};
const Words kOld{"The table is for the last text that could be read.", "表は最後に読めたときのもの。"};
const Words kRefused{"Stops here: ", "ここで止まる: "};
const Words kNoLayers{"No layers yet: type one, such as conv(30, 5, 5).", "層がまだない。conv(30, 5, 5) のように書く。"};
const Words kVector{"a vector", "ベクトル"};
const ImVec4 kRed(0.8f, 0.1f, 0.1f, 1);
const char* const kUsages[] = {"conv(FN, FH, FW, stride=1, pad=0)", "pool(PH, PW, stride=PH, pad=0)", "avgpool(PH, PW, stride=PH, pad=0)",
                               "relu", "flatten", "affine(M)"};

// The texts read again, once per change. Cheap: at most 32 layers of arithmetic.
void remake(ShapesLab& l) {
  l.stale = false;
  l.error.clear(), l.error_field.clear(), l.error_line = l.error_column = 0;
  SheetShape input;
  std::vector<LayerSpec> layers;
  try {
    l.error_field = "input";
    input = parse_shape_input(l.settings.input);
    l.error_field = "layers";
    layers = parse_layers(l.settings.layers);
  } catch (const InputError& e) {
    l.error = e.what(), l.error_line = e.line, l.error_column = e.column;
    l.sheet_current = false;
    return;
  }
  l.error_field.clear();
  l.sheet = shape_sheet(input, layers);
  l.sheet_current = true;
}

// A text without its line breaks, for a table's cell (an argument list may run over lines).
std::string one_line(const std::string& t) {
  std::string out;
  for (char c : t) {
    const bool space = c == ' ' || c == '\n' || c == '\r' || c == '\t';
    if (!space) out += c;
    else if (!out.empty() && out.back() != ' ') out += ' ';
  }
  return out;
}

std::string where(const App& a, int line, int column) {
  if (line <= 0) return "";
  return ui::fill(T(kAt, a), {{"{line}", std::to_string(line)}, {"{column}", std::to_string(column)}});
}

void error_text(App& a, const std::string& text, const char* name) {
  ImGui::PushStyleColor(ImGuiCol_Text, kRed);
  ui::paragraph(text);
  ImGui::PopStyleColor();
  remember(a, name);
}

// The input field, the preset, the layers' text and what the layers may be.
bool editor(App& a, ShapesLab& l) {
  bool changed = false;
  ImGui::TextUnformatted(T(kInput, a));
  ImGui::SetNextItemWidth(std::min(200 * a.scale, ImGui::GetContentRegionAvail().x));
  if (ImGui::InputText("###shapes_input", &l.settings.input)) changed = true;
  remember(a, "shapes_input");
  ui::quiet_paragraph(T(kInputNote, a));
  if (l.error_field == "input") error_text(a, where(a, 0, 0) + l.error, "shapes_error");
  ImGui::Spacing();
  ImGui::TextUnformatted(T(kLayers, a));
  int lines = 1;
  for (char c : l.settings.layers) lines += c == '\n';
  const float line_h = ImGui::GetTextLineHeight();
  const float h = float(std::clamp(lines + 1, 4, 12)) * line_h + 2 * ImGui::GetStyle().FramePadding.y;
  if (ImGui::InputTextMultiline("###shapes_layers", &l.settings.layers, ImVec2(-1, h))) changed = true;
  remember(a, "shapes_layers");
  if (l.error_field == "layers") error_text(a, where(a, l.error_line, l.error_column) + l.error, "shapes_error");
  if (ui::button(a, "shapes_preset", kPreset)) {
    l.settings = ShapesSettings{};
    changed = true;
  }
  return changed;
}

// What the layers may be: under the editor on a wide window, under the sheet on a phone (the sheet comes first).
void syntax(const App& a) {
  ImGui::Spacing();
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  ui::paragraph(T(kSyntax, a));
  for (const char* u : kUsages) ImGui::BulletText("%s", u);
  ImGui::PopStyleColor();
}

std::string shape_text(const App& a, const SheetShape& s) {
  return s.flat ? std::string(T(kVector, a)) + " " + s.text() : s.text();
}

// The refused layer's row: its number, its text and the arithmetic, in red, where its output would be.
void refused_row(App& a, const ShapeSheet& s) {
  ImGui::PushStyleColor(ImGuiCol_Text, kRed);
  ui::paragraph(std::string(T(kRefused, a)) + s.refused);
  ImGui::PopStyleColor();
  remember(a, "shapes_refused");
}

// Wide: a table, a row per layer. Narrow: a block per layer, the formulas under it with the whole width.
void sheet_view(App& a, const ShapesLab& l) {
  const ShapeSheet& s = l.sheet;
  if (!l.sheet_current) {
    ui::quiet_paragraph(T(kOld, a));
    ImGui::PushStyleVar(ImGuiStyleVar_Alpha, 0.45f);
  }
  ImGui::BeginGroup();
  ImGui::Text("%s %s", T(kIn, a), shape_text(a, s.input).c_str());
  if (s.rows.empty() && s.ok()) ui::quiet_paragraph(T(kNoLayers, a));
  if (a.narrow) {
    for (const SheetRow& r : s.rows) {
      ImGui::Separator();
      ImGui::Text("%d  %s", r.index, one_line(r.layer.text).c_str());
      ImGui::Text("→ %s   %s %s", shape_text(a, r.output).c_str(), T(kParams, a), thousands(r.params).c_str());
      ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
      if (!r.formula.empty()) ui::paragraph(r.formula);
      if (!r.params_formula.empty()) ui::paragraph(r.params_formula);
      ImGui::PopStyleColor();
    }
    if (!s.ok()) ImGui::Separator(), refused_row(a, s);
  } else if (ImGui::BeginTable("###shapes_rows", 6, ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp)) {
    ImGui::TableSetupColumn("#", ImGuiTableColumnFlags_WidthFixed);
    ImGui::TableSetupColumn(T(kLayer, a), ImGuiTableColumnFlags_WidthStretch, 1.2f);
    ImGui::TableSetupColumn(T(kIn, a), ImGuiTableColumnFlags_WidthFixed);
    ImGui::TableSetupColumn(T(kOut, a), ImGuiTableColumnFlags_WidthFixed);
    ImGui::TableSetupColumn(T(kParams, a), ImGuiTableColumnFlags_WidthFixed);
    ImGui::TableSetupColumn(T(kFormula, a), ImGuiTableColumnFlags_WidthStretch, 2.4f);
    ImGui::TableHeadersRow();
    for (const SheetRow& r : s.rows) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn(), ImGui::Text("%d", r.index);
      ImGui::TableNextColumn(), ImGui::TextWrapped("%s", one_line(r.layer.text).c_str());
      ImGui::TableNextColumn(), ImGui::TextUnformatted(r.input.text().c_str());
      ImGui::TableNextColumn(), ImGui::TextUnformatted(r.output.text().c_str());
      ImGui::TableNextColumn(), ImGui::TextUnformatted(thousands(r.params).c_str());
      ImGui::TableNextColumn(), ImGui::TextWrapped("%s", r.formula.c_str());
      if (!r.params_formula.empty()) ImGui::TextWrapped("%s", r.params_formula.c_str());
    }
    ImGui::EndTable();
    if (!s.ok()) refused_row(a, s);  // under the last row that fits: the whole width for the arithmetic
  }
  if (s.ok()) {  // a sheet that stops at a refused layer has no total
    ImGui::Spacing();
    ImGui::Text("%s%s", T(kTotal, a), s.total_formula.c_str());
  }
  ImGui::EndGroup();
  remember(a, "shapes_table");
  if (!l.sheet_current) ImGui::PopStyleVar();
}

}  // namespace

void shapes_frame(App& a, float) {
  ShapesLab& l = a.shapes;
  if (l.stale) remake(l);
  ImGui::BeginChild("###shapes", ImVec2(0, 0), false, ImGuiWindowFlags_NoBackground);
  bool changed = false;
  if (a.narrow) {
    changed = editor(a, l);
    ImGui::Spacing();
    sheet_view(a, l);
    syntax(a);
  } else {
    const float left = std::min(360 * a.scale, ImGui::GetContentRegionAvail().x * 0.34f), h = ImGui::GetContentRegionAvail().y;
    ImGui::BeginChild("###shapes_left", ImVec2(left, h), true, ImGuiWindowFlags_NoBackground);
    changed = editor(a, l);
    syntax(a);
    ImGui::EndChild();
    ImGui::SameLine();
    ImGui::BeginChild("###shapes_right", ImVec2(0, h), true, ImGuiWindowFlags_NoBackground);
    sheet_view(a, l);
    ImGui::EndChild();
  }
  ImGui::EndChild();
  if (changed) l.stale = true, a.changed = true;  // the link follows the texts
}

namespace {

bool shapes_moving(const App&) { return false; }
void shapes_key(App&, Key) {}
void shapes_read_link(App& a, const PageLink& k) {
  if (k.mode != "shapes") return;
  a.shapes.settings = k.shapes;
  a.shapes.stale = true;
}
void shapes_write_link(const App& a, PageLink& k) { k.shapes = a.shapes.settings; }

nlohmann::json dims(const SheetShape& s) { return s.dims(); }

void shapes_state(const App& a, nlohmann::json& j) {
  const ShapesLab& l = a.shapes;
  nlohmann::json& g = j["shapes"];  // one key at a time: nested initializer lists cost the page kilobytes
  g["input"] = l.settings.input, g["layers"] = l.settings.layers;
  g["error"] = l.error, g["error_field"] = l.error_field, g["error_line"] = l.error_line, g["error_column"] = l.error_column;
  g["current"] = l.sheet_current;
  const ShapeSheet& s = l.sheet;
  g["refused"] = s.refused, g["refused_layer"] = s.refused_layer;
  g["total"] = s.total, g["total_formula"] = s.total_formula;
  nlohmann::json& rows = g["rows"];
  rows = nlohmann::json::array();
  for (const SheetRow& r : s.rows) {
    nlohmann::json one;
    one["index"] = r.index, one["layer"] = one_line(r.layer.text), one["kind"] = sheet_layer_name(r.layer.kind);
    one["input"] = dims(r.input), one["output"] = dims(r.output);
    one["formula"] = r.formula, one["parameters"] = r.params, one["parameters_formula"] = r.params_formula;
    rows.push_back(one);
  }
}

}  // namespace

// Its code (the sheet's parser and arithmetic) arrives when it is first opened; its functions' names are its own
// (shapes_...), as web/split-labs.py finds them by name.
extern const Lab kShapesLab{"shapes", kShapesTitle, kShapesShortTitle, true, shapes_frame, shapes_moving, shapes_key, shapes_read_link,
                            shapes_write_link, shapes_state};

}  // namespace kobai
