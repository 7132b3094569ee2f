// kobai page: the step view (step_view.h).
#include "widgets/step_view.h"

#include "app.h"
#include "report.h"
#include "ui.h"
#include "widgets/graph_view.h"
#include "widgets/window_view.h"
#include "windows.h"

#include <imgui.h>

namespace kobai {
namespace {

const Words kExplanation{"This step", "このステップ"};
const Words kStart{"Ready: press Step (→) to begin the forward pass", "準備完了: 「進む」(→) で順伝播を始めよう"};
const Words kDone{"Done: the whole walkthrough is shown. Reset (Home) to start again.",
                  "完了: すべてのステップを表示した。リセット (Home) で最初から。"};
const ImU32 kValueInk = IM_COL32(25, 90, 200, 255);  // as the graph view's
const ImU32 kGradInk = IM_COL32(215, 70, 20, 255);

}  // namespace

void step_view(App& a) {
  const Walk& w = *a.walk;
  ui::step_quiz_panel(a);
  ImGui::TextUnformatted(ui::T(kExplanation, a));
  ImGui::Separator();
  ImGui::PushTextWrapPos(0);
  if (w.position() == 0) {
    ui::paragraph(ui::T(kStart, a));
  } else {
    std::string text = explain(w, w.position() - 1, a.lang);
    ui::paragraph(text.substr(0, text.find('\n')));
    const Step& st = *w.current();
    for (const Line& ln : st.lines) {
      ImGui::Spacing();
      ImGui::PushStyleColor(ImGuiCol_Text, st.phase == Phase::Forward ? kValueInk : kGradInk);
      ui::paragraph(ln.lhs + " " + ln.assign + " " + ln.symbolic);  // wrapped at spaces: never inside 0.00249
      ImGui::PopStyleColor();
      std::string res = format_value(ln.result, w.graph().nodes[size_t(ln.target)].dims);
      if (ln.numeric != ln.symbolic) ui::paragraph("  = " + ln.numeric);
      if (res != ln.numeric) ui::paragraph("  = " + res);
    }
    // A conv or pooling step, window by window: that view's code comes with the ops' (app.h: walk_needs_code).
    if ((st.kind == StepKind::Forward || st.kind == StepKind::Backward) && window_count(w.graph(), st.node)) window_view(a);
    if (st.kind == StepKind::Backward) {
      const OpDef* op = w.graph().nodes[size_t(st.node)].op;
      ImGui::Spacing();
      ui::quiet_paragraph(local_rule(w.graph(), st.node));
      ui::paragraph(op->note(a.lang));
    }
    for (const Words& warn : st.warnings) ImGui::TextColored(ImVec4(0.8f, 0.1f, 0.1f, 1), "! %s", warn(a.lang));
    if (w.at_end()) {
      ImGui::Spacing();
      ui::quiet_paragraph(ui::T(kDone, a));
    }
  }
  ImGui::PopTextWrapPos();
  ui::remember(a, "explanation");
}

void step_summary(App& a) {
  const Walk& w = *a.walk;
  ImGui::PushTextWrapPos(0);
  if (w.position() == 0) {
    ui::paragraph(ui::T(kStart, a));
  } else {
    const Step& st = *w.current();
    std::string text = explain(w, w.position() - 1, a.lang);
    ui::paragraph(text.substr(0, text.find('\n')));
    if (!st.lines.empty()) {  // the step's last line, with its result: what the student looks for
      const Line& ln = st.lines.back();
      ImGui::PushStyleColor(ImGuiCol_Text, st.phase == Phase::Forward ? kValueInk : kGradInk);
      ui::paragraph(ln.lhs + " = " + compact(ln.result));
      ImGui::PopStyleColor();
    }
  }
  ImGui::PopTextWrapPos();
  ui::remember(a, "step_summary");
}

}  // namespace kobai
