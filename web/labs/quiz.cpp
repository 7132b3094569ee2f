// kobai page, the quiz lab: the question bank (a seeded set, as `kobai quiz --seed N` prints it) and the
// student's progress in localStorage; also quiz mode in the walkthrough, which asks for each backward step.
#include "labs/labs.h"
#include "bank.h"
#include "json_text.h"
#include "lesson.h"
#include "platform.h"
#include "ui.h"

#include <imgui.h>
#include <misc/cpp/imgui_stdlib.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstring>

namespace kobai {
namespace {

using ui::button;
using ui::remember;
using ui::T;

const Words kTitle{"Quiz", "クイズ"};
const Words kOpenQuestions{"Open a question file…", "問題ファイルを開く…"};
const Words kTeacherBank{"Concept questions from {file}: {n} ({title})", "確認テストの問題: {file} の {n} 問 ({title})"};
const Words kKobaiBank{"Use kobai's questions", "kobai の問題に戻す"};
const Words kFileRefusedQuiz{"This file could not be opened, and nothing was changed: ", "このファイルは開けなかった（何も変えていない）: "};
const Words kOptions{"Topics, seed, difficulty", "出題範囲・シード・難易度"};
const Words kNewQuiz{"New quiz", "新しいクイズ"};
const Words kSeed{"seed", "シード"};
const Words kCount{"questions", "問題数"};
const Words kDifficulty{"difficulty", "難易度"};
const Words kQuestionOf{"Question %d of %d", "問題 %d / %d"};
const Words kCheck{"Check", "答え合わせ"};
const Words kHint{"Hint", "ヒント"};
const Words kReveal{"Reveal", "答えを見る"};
const Words kNext{"Next", "次へ"};
const Words kRight{"Right!", "正解!"};
const Words kWrong{"Not quite. Try again, ask for a hint, or reveal.", "惜しい。もう一度、ヒント、または答えを見る。"};
const Words kUnreadable{"Could not read the answer (not counted): ", "答えを読み取れなかった（採点しない）: "};
const Words kAnswerIs{"The answer: ", "答え: "};
const Words kWalkthroughTopic{"The walkthrough's quiz mode", "計算グラフのクイズモード"};
const Words kScore{"Score %d / %d · streak %d (best %d)", "得点 %d / %d · 連続正解 %d（最高 %d）"};
const Words kExport{"Export CSV", "CSV を書き出す"};
const Words kName{"your name", "名前"};
const Words kPrint{"Print this set…", "この問題を印刷…"};
// A question file travels in the quiz's link while it packs small: the whole link then stays under 2,000 characters,
// which chat apps and mail keep.
constexpr size_t kMaxBankLink = 1500;
const Words kBankTooLong{"{file} packs to {n} characters, more than a link should carry ({max}): links to this quiz ask kobai's "
                         "questions. Share the file instead; a student drops it on the page.",
                         "{file} はリンクに入れると {n} 文字になり、リンクに載せられる量（{max} 文字）を超える: このクイズのリンクでは "
                         "kobai の問題が出る。ファイルを配り、学生はそれをページにドロップすること。"};
const Words kBadBankLink{"The link's question file could not be read, so kobai's questions are asked: ",
                         "リンクの問題ファイルを読めなかったので、kobai の問題を出す: "};
const Words kResetProgress{"Reset progress…", "記録をリセット…"};
const Words kConfirmReset{"Erase every answer and the score? This cannot be undone.", "すべての解答と得点を消去しますか? 元に戻せません。"};
const Words kYesErase{"Erase", "消去する"};
const Words kCancel{"Cancel", "キャンセル"};
const Words kMistakes{"Mistakes to review", "見直す問題"};
const Words kDone{"The set is done. Start a new quiz, or change the seed.", "このセットは終わり。新しいクイズを始めるか、シードを変えよう。"};
const Words kQuizMode{"Quiz mode", "クイズモード"};
const Words kAskLocal{"ask the local derivative", "局所的な微分を問う"};
const Words kYourTurn{"Your turn: before this backward step is shown, type what it will send back.",
                      "あなたの番: この逆伝播ステップを見る前に、戻される値を入力しよう。"};
const Words kLocalNote{"(local derivative ∂out/∂input, element by element)", "（局所的な微分 ∂出力/∂入力、要素ごと）"};
const Words kDamaged{"Your saved quiz progress was damaged and could not be read ({why}). It was kept aside under "
                     "kobai.progress.damaged; a new record starts now.",
                     "保存されたクイズの記録が壊れていて読めなかった（{why}）。kobai.progress.damaged に退避し、新しい記録を始める。"};
const Words kTooLarge{"the saved progress is {n} characters long; the page reads at most {max}",
                      "保存された記録が {n} 文字あり、ページが読むのは {max} 文字まで"};
const Words kSeedRange{"the seed must be a whole number from 0 to {max}, not '{text}'", "シードは 0 から {max} までの整数のはず（'{text}' ではなく）"};

void save_progress(App& a) { platform::save_pref("kobai.progress", progress_json(a.progress)); }

void record(App& a, const std::string& topic, const std::string& question, const std::string& given, const std::string& correct, bool right,
            const std::string& sheet = "") {
  a.progress.record({topic, question, given, correct, right, platform::now_seconds(), sheet});
  save_progress(a);
}

// The set a question was asked in, for the teacher's CSV: what `kobai quiz` would be given to make it again.
std::string sheet_text(const QuizPanel& q) {
  const QuizOptions& o = q.options;
  std::string topics;
  for (Topic t : o.asked_topics()) topics += (topics.empty() ? "" : ",") + std::string(topic_name(t));
  return "seed " + std::to_string(o.seed) + ", difficulty " + std::to_string(o.difficulty) + ", " + std::to_string(o.count) +
         " questions, topics " + topics + (q.bank ? ", questions from " + q.bank_file : "");
}

// --- the question bank ----------------------------------------------------------------------------------------

void check_quiz(App& a) {
  QuizPanel& q = a.quiz;
  if (q.index >= int(q.questions.size())) return;
  const Question& question = q.questions[q.index];
  bool right = false;
  std::string given;
  switch (question.kind) {
    case AnswerKind::Choice:
      if (q.choice < 0) return;
      given = std::string(1, char('A' + q.choice));
      right = q.choice == question.correct;
      break;
    case AnswerKind::Shape: {
      given = q.answer;
      Reading r = read_shape(q.answer);
      if (!r.ok) {
        q.feedback = QuizPanel::Unreadable, q.message = r.problem;
        return;
      }
      right = r.value == question.value;
      break;
    }
    case AnswerKind::Number: {
      given = q.answer;
      Marked m = mark(q.answer, question.value);
      if (m.verdict == Verdict::Unreadable) {
        q.feedback = QuizPanel::Unreadable, q.message = m.message;
        return;
      }
      right = m.verdict == Verdict::Right;
      q.message = m.message;
      break;
    }
  }
  q.feedback = right ? QuizPanel::Right : QuizPanel::Wrong;
  if (!q.counted) {  // the first readable answer counts; retries are for learning
    q.counted = true;
    record(a, topic_name(question.topic), question.prompt(a.lang), given, question.answer_text(), right, sheet_text(q));
  }
}

void next_question(App& a) {
  QuizPanel& q = a.quiz;
  if (q.index < int(q.questions.size())) ++q.index;
  q.answer.clear(), q.choice = -1, q.feedback = QuizPanel::None, q.message.clear();
  q.hint = q.counted = false;
  q.focus = true;
  a.changed = true;
}

void reveal_quiz(App& a) {
  QuizPanel& q = a.quiz;
  if (q.index >= int(q.questions.size())) return;
  const Question& question = q.questions[q.index];
  if (!q.counted) {  // revealing before answering counts as a miss, so the score stays honest
    q.counted = true;
    record(a, topic_name(question.topic), question.prompt(a.lang), "", question.answer_text(), false, sheet_text(q));
  }
  q.feedback = QuizPanel::Revealed;
}

// --- quiz mode in the walkthrough ---------------------------------------------------------------------------------

struct Expected {
  std::vector<std::string> labels;
  std::vector<Mat> values;
  std::string rule;
};

// What the next (backward) step will send back: found by doing it and undoing it, which restores the state
// exactly. With "ask the local derivative", element-wise ops are asked ∂out/∂input instead.
Expected expected_step(App& a) {
  Walk& w = *a.walk;
  Expected e;
  const Graph& g = w.graph();
  int n = w.plan()[w.position()].node;
  const Node& node = g.nodes[n];
  bool local = a.walkthrough.ask_local && (node.op->shape == ShapeRule::Same || node.op->shape == ShapeRule::Elementwise);
  Args args = g.args(n, w.state().value);
  Mat out = node.op->forward(args);
  w.step();
  for (const Line& ln : w.current()->lines) {
    if (local) {
      int slot = int(std::find(node.in.begin(), node.in.end(), ln.target) - node.in.begin());
      e.labels.push_back(derivative(g, n, ln.target));
      e.values.push_back(node.op->backward(slot, args, out, Mat::Ones(out.rows(), out.cols())));
    } else {
      e.labels.push_back(ln.lhs);
      e.values.push_back(ln.result);
    }
  }
  w.back();
  e.rule = local_rule(g, n);
  return e;
}

// The expected answers for the question being asked: worked out once per question, not once per frame.
const Expected& expected_for(App& a) {
  static Expected cached;
  static int version = -1, position = -1, iteration = -1;
  static bool local = false;
  const Walk& w = *a.walk;
  if (version != a.walk_version || position != w.position() || iteration != w.iteration() || local != a.walkthrough.ask_local) {
    cached = expected_step(a);
    version = a.walk_version, position = w.position(), iteration = w.iteration(), local = a.walkthrough.ask_local;
  }
  return cached;
}

void check_step(App& a) {
  StepQuiz& s = a.step_quiz;
  const Expected& e = expected_for(a);
  s.answers.resize(e.values.size());
  bool right = true;
  std::string given, correct;
  for (size_t i = 0; i < e.values.size(); ++i) {
    Marked m = mark(s.answers[i], e.values[i]);
    if (m.verdict == Verdict::Unreadable) {
      s.feedback = QuizPanel::Unreadable, s.message = e.labels[i] + ": " + m.message;
      return;
    }
    right = right && m.verdict == Verdict::Right;
    given += (i ? "; " : "") + s.answers[i];
    correct += (i ? "; " : "") + format_matrix(e.values[i]);
  }
  s.feedback = right ? QuizPanel::Right : QuizPanel::Wrong;
  if (!s.counted) {
    s.counted = true;
    const Graph& g = a.walk->graph();
    std::string q = "walkthrough: " + g.nodes[a.walk->plan()[a.walk->position()].node].name + " (" + e.rule + ")";
    record(a, "walkthrough", q, given, correct, right);
  }
  if (right) {  // right: the step is shown, with its formula and numbers
    s.cleared = a.walk->position();
    step(a);
  }
}

}  // namespace

// --- the panel's public side --------------------------------------------------------------------------------------

void open_quiz(App& a, uint64_t seed) {
  QuizPanel& q = a.quiz;
  q.seed_text = std::to_string(seed), q.seed_error.clear();
  q.options = q.settings.options(seed);
  q.options.bank = q.bank.get();
  q.made = q.settings;
  try {
    q.questions = generate_quiz(q.options);
  } catch (const InputError& e) {
    q.message = e.what();
    return;
  }
  q.index = -1;
  next_question(a);
}

// A store is bounded when read: a log of 5000 answers is well under a megabyte, localStorage holds about five.
constexpr size_t kMaxProgressChars = 4 << 20;

void load_progress(App& a) {
  size_t length = 0;
  a.quiz.name = platform::load_pref("kobai.name", 100);
  std::string saved = platform::load_pref("kobai.progress", kMaxProgressChars, &length);
  if (length == 0) return;
  std::string why;
  if (length > kMaxProgressChars) {
    why = ui::fill(T(kTooLarge, a), {{"{n}", std::to_string(length)}, {"{max}", std::to_string(kMaxProgressChars)}});
  } else {
    try {
      a.progress = progress_from_json(saved, a.lang);
      return;
    } catch (const InputError& e) {
      why = e.what();
    }
  }
  platform::copy_pref("kobai.progress", "kobai.progress.damaged");  // kept whole, not silently overwritten
  add_notice(a, ui::fill(T(kDamaged, a), {{"{why}", why}}));
}

void reset_progress(App& a) {
  a.progress = Progress();
  save_progress(a);
}

bool ui::step_blocked(App& a) {
  StepQuiz& s = a.step_quiz;
  const Walk& w = *a.walk;
  bool same_walk = s.asking_version == a.walk_version;
  if (!a.walkthrough.quiz || w.at_end() || w.plan()[w.position()].kind != StepKind::Backward || (same_walk && s.cleared == w.position())) return false;
  if (s.asking != w.position() || !same_walk) {  // a new question
    s.asking = w.position(), s.asking_version = a.walk_version, s.cleared = -1;
    s.answers.assign(w.graph().nodes[w.plan()[w.position()].node].in.size(), "");
    s.feedback = QuizPanel::None, s.message.clear();
    s.hint = s.counted = false, s.focus = 0;
    a.playing = false;
    a.changed = true;
  }
  return true;
}

void ui::step_quiz_panel(App& a) {
  StepQuiz& s = a.step_quiz;
  Walk& w = *a.walk;
  if (!a.walkthrough.quiz || s.asking != w.position() || s.cleared == w.position() || w.at_end()) return;
  const Expected& e = expected_for(a);
  s.answers.resize(e.labels.size());
  const Graph& g = w.graph();
  int n = w.plan()[w.position()].node;
  ImGui::PushTextWrapPos(0);
  ImGui::TextColored(ImVec4(0.1f, 0.35f, 0.75f, 1), "%s", T(kYourTurn, a));
  ImGui::Text("%s (%s):  %s = %s", g.nodes[n].name.c_str(), g.nodes[n].op->symbol, derivative(g, g.output, n).c_str(),
              format_matrix(w.state().grad[n]).c_str());
  if (a.walkthrough.ask_local) ui::quiet_paragraph(T(kLocalNote, a));
  ImGui::PopTextWrapPos();
  int enter = -1;
  for (size_t i = 0; i < e.labels.size(); ++i) {
    ImGui::TextUnformatted((e.labels[i] + " =").c_str());
    ImGui::SetNextItemWidth(-1);
    if (s.focus == int(i)) ImGui::SetKeyboardFocusHere(), s.focus = -1;
    if (ImGui::InputText(("###step_answer_" + std::to_string(i)).c_str(), &s.answers[i], ImGuiInputTextFlags_EnterReturnsTrue)) enter = int(i);
    remember(a, ("step_answer_" + std::to_string(i)).c_str());
  }
  if (button(a, "step_check", kCheck) || enter >= 0) {
    check_step(a);
    if (s.feedback != QuizPanel::Right && enter >= 0) s.focus = enter;  // keep typing where the student was
  }
  if (ui::flow_button(a, "step_hint", kHint)) s.hint = true;
  if (ui::flow_button(a, "step_reveal", kReveal)) {
    if (!s.counted) {
      s.counted = true;
      record(a, "walkthrough", "walkthrough: " + g.nodes[n].name + " (" + e.rule + ")", "", "", false);
    }
    s.cleared = w.position();
    step(a);
    return;
  }
  ImGui::PushTextWrapPos(0);
  if (s.hint) ui::quiet_paragraph(e.rule);
  if (s.feedback == QuizPanel::Wrong) ImGui::TextColored(ImVec4(0.8f, 0.15f, 0.1f, 1), "%s", T(kWrong, a));
  if (s.feedback == QuizPanel::Unreadable) ui::coloured_paragraph(ImVec4(0.7f, 0.4f, 0, 1), T(kUnreadable, a) + s.message);
  ImGui::PopTextWrapPos();
  ImGui::Separator();
}

void ui::quiz_mode_switch(App& a) {
  auto flow_checkbox = [](const char* label) {
    ui::flow(ImGui::GetFrameHeight() + ImGui::GetStyle().ItemInnerSpacing.x + ImGui::CalcTextSize(label, std::strstr(label, "###")).x);
  };
  std::string label = std::string(T(kQuizMode, a)) + "###quiz_mode";
  flow_checkbox(label.c_str());
  if (ImGui::Checkbox((std::string(T(kQuizMode, a)) + "###quiz_mode").c_str(), &a.walkthrough.quiz)) a.step_quiz.asking = a.step_quiz.cleared = -1, a.changed = true;  // the link follows
  remember(a, "quiz_mode");
  if (a.walkthrough.quiz) {
    std::string local = std::string(T(kAskLocal, a)) + "###ask_local";
    flow_checkbox(local.c_str());
    if (ImGui::Checkbox(local.c_str(), &a.walkthrough.ask_local)) a.changed = true;
    remember(a, "ask_local");
  }
}

namespace {

void quiz_key(App& a, Key k) {  // A-D pick a choice, Enter checks or goes on
  QuizPanel& q = a.quiz;
  if (k != Key::Enter && (k < Key::ChoiceA || k > Key::ChoiceD)) return;
  if (q.index >= int(q.questions.size())) return;
  const Question& question = q.questions[q.index];
  if (k == Key::Enter) {
    if (q.feedback == QuizPanel::Right || q.feedback == QuizPanel::Revealed) next_question(a);
    else check_quiz(a);
    return;
  }
  if (question.kind != AnswerKind::Choice) return;
  q.choice = int(k) - int(Key::ChoiceA);
  check_quiz(a);
}

void quiz_frame(App& a, float) {
  QuizPanel& q = a.quiz;
  if (q.questions.empty() && q.message.empty()) open_quiz(a, 1);  // the first visit: the set of seed 1
  // One column of readable width, in the middle of a wide window.
  float avail = ImGui::GetContentRegionAvail().x, column = std::min(avail, 760 * a.scale);
  ImGui::SetCursorPosX(ImGui::GetCursorPosX() + (avail - column) / 2);
  ImGui::BeginChild("###quiz_panel", ImVec2(column, ImGui::GetContentRegionAvail().y), false, ImGuiWindowFlags_NoBackground);
  // Options: which topics, how hard, which seed (the same seed as `kobai quiz --seed N`). On a phone they fold
  // away under the question's way.
  bool options = !a.narrow;
  if (a.narrow) {
    options = ImGui::CollapsingHeader((std::string(T(kOptions, a)) + "###quiz_options").c_str());
    remember(a, "quiz_options");
  }
  if (options) {
    // A teacher's own questions: opened (or dropped on the page) as a file, asked in place of kobai's.
    if (q.bank) {
      ImGui::PushTextWrapPos(0);
      const size_t n = q.bank->questions.size();
      const std::string count = std::to_string(n) + (a.lang == Lang::ja ? "" : n == 1 ? " question" : " questions");
      ImGui::TextUnformatted(ui::fill(T(kTeacherBank, a), {{"{file}", quote(q.bank_file)}, {"{n}", count},
                                                            {"{title}", q.bank->name}}).c_str());
      ImGui::PopTextWrapPos();
      remember(a, "quiz_bank");
      if (button(a, "quiz_kobai_bank", kKobaiBank)) {
        q.bank.reset(), q.bank_file.clear();
        q.settings.topics = QuizSettings::default_topic_indices();
        open_quiz(a, q.options.seed);
      }
      ImGui::SameLine();
    }
    if (ui::flow_button(a, "open_questions", kOpenQuestions)) platform::read_text("", -1);  // recognised by its content
    // The set on screen as `kobai quiz --format html` prints it: the sheet with room to write, then the key.
    if (ui::flow_button(a, "quiz_print", kPrint, !q.questions.empty())) platform::open_page(quiz_html(q.questions, q.options, a.lang));
    for (size_t i = 0; i < all_topics().size(); ++i) {
      if (i % 2 && !a.narrow) ImGui::SameLine(ImGui::GetContentRegionAvail().x * 0.5f);  // two columns, where there is room
      std::vector<int>& chosen = q.settings.topics;
      auto at = std::find(chosen.begin(), chosen.end(), int(i));
      bool on = at != chosen.end();
      if (ImGui::Checkbox((std::string(all_topics()[i].title(a.lang)) + "###topic_" + all_topics()[i].name).c_str(), &on)) {
        if (on) chosen.insert(std::upper_bound(chosen.begin(), chosen.end(), int(i)), int(i));
        else chosen.erase(at);
      }
      remember(a, (std::string("topic_") + all_topics()[i].name).c_str());
    }
    ImGui::SetNextItemWidth(150 * a.scale);  // text, read by parse_seed: the command's range, 0 to 2^53 − 1
    ImGui::InputText((std::string(T(kSeed, a)) + "###quiz_seed").c_str(), &q.seed_text, ImGuiInputTextFlags_CharsDecimal);
    remember(a, "quiz_seed");
    auto labelled = [&](float field, const Words& label) {  // a field and its label, kept on one line
      ui::flow(field + ImGui::GetStyle().ItemInnerSpacing.x + ImGui::CalcTextSize(T(label, a)).x);
      ImGui::SetNextItemWidth(field);
    };
    labelled(80 * a.scale, kDifficulty);
    ImGui::SliderInt((std::string(T(kDifficulty, a)) + "###quiz_difficulty").c_str(), &q.settings.difficulty, 1, 3);
    remember(a, "quiz_difficulty");
    float step_buttons = 2 * (ImGui::GetFrameHeight() + ImGui::GetStyle().ItemInnerSpacing.x);
    labelled(80 * a.scale + step_buttons, kCount);
    ImGui::InputInt((std::string(T(kCount, a)) + "###quiz_count").c_str(), &q.settings.count);
    remember(a, "quiz_count");
    q.settings.count = std::clamp(q.settings.count, 1, 500);
    if (ui::flow_button(a, "new_quiz", kNewQuiz)) {
      try {
        open_quiz(a, parse_seed(q.seed_text, "the seed"));  // the command's range, said in the student's language
      } catch (const InputError&) {
        q.seed_error = ui::fill(T(kSeedRange, a), {{"{max}", std::to_string(kMaxSeed)}, {"{text}", quote(q.seed_text)}});
      }
    }
    if (!q.seed_error.empty()) {
      ui::coloured_paragraph(ImVec4(0.8f, 0.15f, 0.1f, 1), q.seed_error);
      remember(a, "quiz_seed_error");
    }
  }
  ImGui::Separator();

  // The question.
  ImGui::PushTextWrapPos(0);
  if (q.questions.empty()) {
    ui::quiet_paragraph(T(kNewQuiz, a));
  } else if (q.index >= int(q.questions.size())) {
    ImGui::TextUnformatted(T(kDone, a));
  } else {
    const Question& question = q.questions[q.index];
    char head[96];
    std::snprintf(head, sizeof head, T(kQuestionOf, a), q.index + 1, int(q.questions.size()));
    for (const TopicInfo& t : all_topics())
      if (t.topic == question.topic) ImGui::TextDisabled("%s · %s", head, t.title(a.lang));
    ui::paragraph(question.prompt(a.lang));
    remember(a, "quiz_prompt");
    if (question.kind == AnswerKind::Choice) {
      for (size_t c = 0; c < question.choices.size(); ++c) {
        std::string text = std::string(1, char('A' + c)) + ") " + question.choice(c, a.lang);
        if (ui::wrapped_selectable(a, ("choice_" + std::to_string(c)).c_str(), text, q.choice == int(c))) q.choice = int(c), check_quiz(a);
      }
    } else {
      ImGui::SetNextItemWidth(-1);
      if (q.focus) ImGui::SetKeyboardFocusHere(), q.focus = false;
      bool enter = ImGui::InputText("###quiz_answer", &q.answer, ImGuiInputTextFlags_EnterReturnsTrue);
      remember(a, "quiz_answer");
      // Enter held down repeats (Dear ImGui's key repeat, sooner on a slow frame): it checks again, but only a
      // new press moves on, so the working shown under a right answer is not skipped.
      auto fresh = [](ImGuiKey k) { return ImGui::IsKeyPressed(ImGui::GetKeyIndex(k), false); };
      bool pressed = fresh(ImGuiKey_Enter) || fresh(ImGuiKey_KeyPadEnter);
      if (enter) {
        if (q.feedback == QuizPanel::Right || q.feedback == QuizPanel::Revealed) {
          if (pressed) next_question(a);
        } else {
          check_quiz(a), q.focus = true;  // keep typing after a wrong answer
        }
      }
    }
    if (button(a, "quiz_check", kCheck)) check_quiz(a);
    if (ui::flow_button(a, "quiz_hint", kHint)) q.hint = true;
    if (ui::flow_button(a, "quiz_reveal", kReveal)) reveal_quiz(a);
    if (ui::flow_button(a, "quiz_next", kNext)) next_question(a);
    if (q.hint) ui::quiet_paragraph(question.hint(a.lang));
    switch (q.feedback) {
      case QuizPanel::Right:
        ImGui::TextColored(ImVec4(0.1f, 0.55f, 0.2f, 1), "%s %s", T(kRight, a), question.answer_text().c_str());
        if (!question.working(a.lang).empty()) ImGui::Spacing(), ui::quiet_paragraph(question.working(a.lang));
        break;
      case QuizPanel::Wrong:
        ui::coloured_paragraph(ImVec4(0.8f, 0.15f, 0.1f, 1), T(kWrong, a) + (" " + q.message));
        if (q.choice >= 0 && size_t(q.choice) < question.why.size() && !question.why[size_t(q.choice)](a.lang).empty()) {
          ui::quiet_paragraph(std::string(1, char('A' + q.choice)) + ") " + question.why[size_t(q.choice)](a.lang));  // why that one is not it
          remember(a, "quiz_why");
        }
        break;
      case QuizPanel::Unreadable: ui::coloured_paragraph(ImVec4(0.7f, 0.4f, 0, 1), T(kUnreadable, a) + q.message); break;
      case QuizPanel::Revealed: {
        std::string ans = question.answer_text();
        if (question.kind == AnswerKind::Choice) ans += ") " + question.choice(size_t(question.correct), a.lang);
        ImGui::Text("%s%s", T(kAnswerIs, a), ans.c_str());
        ui::quiet_paragraph(question.hint(a.lang));
        if (!question.working(a.lang).empty()) ImGui::Spacing(), ui::quiet_paragraph(question.working(a.lang));
        break;
      }
      case QuizPanel::None: break;
    }
    if (q.feedback != QuizPanel::None) remember(a, "quiz_feedback");
  }
  ImGui::PopTextWrapPos();
  ImGui::Separator();

  // Progress: score, streak, accuracy per topic, mistakes; export and reset.
  const Progress& p = a.progress;
  ImGui::Text(T(kScore, a), p.right, p.answered, p.streak, p.best_streak);
  remember(a, "score");
  for (const auto& [topic, rt] : p.topics) {  // by the topic's title ("Where max pooling's gradient goes"), not its key
    std::string title = topic == "walkthrough" ? T(kWalkthroughTopic, a) : topic;
    for (const TopicInfo& t : all_topics())
      if (topic == t.name) title = T(t.title, a);
    char buf[240];
    std::snprintf(buf, sizeof buf, "%s: %d / %d (%.0f%%)", title.c_str(), rt.first, rt.second, rt.second ? 100.0 * rt.first / rt.second : 0.0);
    ImGui::Indent();
    ui::quiet_paragraph(buf);
    ImGui::Unindent();
  }
  // The student's name goes in every row of the CSV, so a teacher can put a class's files together.
  ImGui::SetNextItemWidth(std::min(240 * a.scale, ImGui::GetContentRegionAvail().x * 0.6f));
  if (ImGui::InputText((std::string(T(kName, a)) + "###quiz_name").c_str(), &q.name)) {
    if (q.name.size() > 100) q.name.resize(100);
    platform::save_pref("kobai.name", q.name);
  }
  remember(a, "quiz_name");
  if (button(a, "export", kExport, !p.log.empty())) platform::download("kobai-progress.csv", progress_csv(p, q.name), "text/csv");
  if (ui::flow_button(a, "reset_progress", kResetProgress, p.answered > 0)) ImGui::OpenPopup("###confirm_reset");
  if (ImGui::BeginPopupModal((std::string(T(kResetProgress, a)) + "###confirm_reset").c_str(), nullptr, ImGuiWindowFlags_AlwaysAutoResize)) {
    ImGui::TextUnformatted(T(kConfirmReset, a));
    if (button(a, "confirm_erase", kYesErase)) reset_progress(a), ImGui::CloseCurrentPopup();
    ImGui::SameLine();
    if (button(a, "cancel_erase", kCancel)) ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
  }
  if (!p.mistakes.empty() && ImGui::CollapsingHeader((std::string(T(kMistakes, a)) + "###mistakes").c_str())) {
    ImGui::PushTextWrapPos(0);
    for (auto it = p.mistakes.rbegin(); it != p.mistakes.rend() && it - p.mistakes.rbegin() < 20; ++it) {
      ImGui::BulletText("%s", it->question.c_str());
      ImGui::TextDisabled("   %s%s", T(kAnswerIs, a), it->correct.c_str());
    }
    ImGui::PopTextWrapPos();
  }
  ImGui::EndChild();
}

bool quiz_moving(const App&) { return false; }
// A link's set: its seed and settings. The same set as on screen keeps the student's place in it.
void quiz_read_link(App& a, const PageLink& l) {
  if (!l.quiz) return;
  QuizPanel& q = a.quiz;
  if (!l.quiz_bank.empty() && l.quiz_bank != q.bank_packed) {  // a teacher's questions, packed: boot.js unpacks them
    q.pending_bank = l;
    platform::unpack(platform::Packed::Questions, l.quiz_bank);
    return;
  }
  if (l.quiz_bank.empty() && q.bank) q.bank.reset(), q.bank_file.clear(), q.bank_text.clear(), q.bank_packed.clear();
  q.settings = l.quiz_set;
  if (q.options.seed != *l.quiz || !(q.made == l.quiz_set) || q.options.bank != q.bank.get()) open_quiz(a, *l.quiz);
}
void quiz_write_link(const App& a, PageLink& l) {
  if (a.quiz.questions.empty()) return;
  l.quiz = a.quiz.options.seed;
  l.quiz_set = a.quiz.made;  // the set on screen, not options changed since and not yet made
  if (a.quiz.bank && a.quiz.bank_packed.size() <= kMaxBankLink) l.quiz_bank = a.quiz.bank_packed;
}

void quiz_state(const App& a, nlohmann::json& j) {
  const QuizPanel& q = a.quiz;
  nlohmann::json& qj = j["quiz"];
  qj["open"] = a.lab == find_lab("quiz"), qj["seed"] = q.options.seed, qj["index"] = q.index, qj["count"] = q.questions.size();
  qj["prompt"] = q.index >= 0 && q.index < int(q.questions.size()) ? q.questions[size_t(q.index)].prompt(a.lang) : "";
  qj["feedback"] = int(q.feedback), qj["message"] = q.message, qj["seed_error"] = q.seed_error;
  qj["bank"] = q.bank ? q.bank_file : "";
  const bool wrong_choice = q.feedback == QuizPanel::Wrong && q.index >= 0 && q.index < int(q.questions.size()) && q.choice >= 0 &&
                            size_t(q.choice) < q.questions[size_t(q.index)].why.size();
  qj["why"] = wrong_choice ? q.questions[size_t(q.index)].why[size_t(q.choice)](a.lang) : "";  // shown under a wrong choice
  qj["id"] = q.index >= 0 && q.index < int(q.questions.size()) ? q.questions[size_t(q.index)].id : "";
  // the working, once it is on screen (after a right answer or a reveal)
  bool shown = q.feedback == QuizPanel::Right || q.feedback == QuizPanel::Revealed;
  qj["working"] = shown && q.index >= 0 && q.index < int(q.questions.size()) ? q.questions[size_t(q.index)].working(a.lang) : "";
  settings_state(quiz_settings(), q.made, qj["settings"]);
}

}  // namespace

bool open_bank_file(App& a, const std::string& name, const std::string& text, const std::string& packed) {
  QuizPanel& q = a.quiz;
  try {
    auto bank = std::make_shared<Bank>(parse_bank(text));
    if (bank->name.empty()) bank->name = name;
    q.bank = std::move(bank), q.bank_file = name, q.bank_text = text, q.bank_packed = packed;
    if (packed.empty()) platform::pack(platform::Packed::Questions, text);
  } catch (const InputError& e) {
    const std::string m = e.what();
    add_notice(a, packed.empty() ? T(kFileRefusedQuiz, a) + in_file(name, m) : T(kBadBankLink, a) + m);
    return false;
  }
  q.settings.topics.clear();
  for (Topic t : q.bank->topics())
    for (size_t i = 0; i < all_topics().size(); ++i)
      if (all_topics()[i].topic == t) q.settings.topics.push_back(int(i));
  q.settings.count = std::min(q.settings.count, int(q.bank->questions.size()));  // each question once
  show_lab(a, find_lab("quiz"));
  open_quiz(a, q.options.seed);
  return true;
}

void bank_file_packed(App& a, const std::string& text, const std::string& packed) {
  QuizPanel& q = a.quiz;
  if (!q.bank || text != q.bank_text) return;  // another file has been opened since
  q.bank_packed = packed;
  a.changed = true;  // the link now carries the questions, when they fit
  if (packed.size() > kMaxBankLink)
    add_notice(a, ui::fill(T(kBankTooLong, a), {{"{file}", quote(q.bank_file)}, {"{n}", std::to_string(packed.size())},
                                                 {"{max}", std::to_string(kMaxBankLink)}}));
}

// (Both stay with the first frame: they are small, and reach the quiz's code only through its entries.)
void bank_file_unpacked(App& a, const std::string& packed, const std::string& text, const std::string& error) {
  QuizPanel& q = a.quiz;
  if (!q.pending_bank || q.pending_bank->quiz_bank != packed) return;  // a newer link waits for its own
  PageLink l = *q.pending_bank;
  q.pending_bank.reset();
  if (!error.empty()) add_notice(a, T(kBadBankLink, a) + error);
  if (!error.empty() || !open_bank_file(a, "link", text, packed)) l.quiz_bank.clear();  // kobai's questions instead
  quiz_read_link(a, l);
  a.changed = true;
}

// Its code (the question makers, this panel) comes later: the walkthrough, where a student starts, does without
// it. What the walkthrough's quiz mode needs (marking, progress) stays in the first frame.
extern const Lab kQuizLab{"quiz", kTitle, kTitle, true, quiz_frame, quiz_moving, quiz_key, quiz_read_link, quiz_write_link, quiz_state};

}  // namespace kobai
