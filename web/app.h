// kobai page: the app's state and the functions that change it. The frame (app.cpp) draws from this state
// with Dear ImGui and changes it only through these functions, which the scripting API (main.cpp) uses too.
//
//   load_lesson / load_expression   a new graph; on bad input the message is kept and the old graph stays
//   apply_link / link               the URL hash: restore a shared state, or describe the current one
//   step / back / reset / ...       the walk's controls
//   frame                           draws one frame: the top bar, then the lab shown (labs/labs.h); says
//                                   whether another is wanted soon (playback, training, the gradient check)
#pragma once

#include "check.h"
#include "layout.h"
#include "lesson.h"
#include "link.h"
#include "labs/activations_lab.h"
#include "labs/paths.h"
#include "labs/rnn_lab.h"
#include "labs/shapes_lab.h"
#include "labs/playground.h"
#include "progress.h"
#include "quiz.h"
#include "walk.h"
#include "widgets/graph_view.h"

#include <map>
#include <set>
#include <memory>
#include <optional>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

namespace kobai {

// The shortcut keys. main.cpp queues each press as it happens (Dear ImGui 1.86 would miss a key pressed and
// released between two frames); the frame handles the queue.
enum class Key { Right, Left, Home, End, Space, N, L, F, E, Enter, ChoiceA, ChoiceB, ChoiceC, ChoiceD, Lesson1, Lesson2, Lesson3, Lesson4, Lesson5, Lesson6, Lesson7, Lesson8, Lesson9, Lesson10 };

// The quiz lab: a seeded set of questions, one at a time.
struct QuizPanel {
  QuizSettings settings;  // topics, difficulty, count: the table's (labs/quiz_settings.h)
  QuizOptions options;    // ... and the seed, as the set on screen was made
  QuizSettings made;      // the settings it was made with
  std::string seed_text = "1";  // the seed field, as typed
  std::string seed_error;       // why the typed seed was refused
  std::vector<Question> questions;
  int index = 0;
  std::string answer;   // as typed
  int choice = -1;      // a multiple-choice pick
  enum Feedback { None, Right, Wrong, Unreadable, Revealed } feedback = None;
  std::string message;
  bool hint = false, counted = false, focus = false;
  std::shared_ptr<const Bank> bank;  // a teacher's questions, opened from a file: asked instead of kobai's
  std::string bank_file;             // ... that file's name
  std::string bank_text, bank_packed;  // ... its text, and that text packed for links ("" until boot.js has)
  std::optional<PageLink> pending_bank;  // a quiz link whose question file boot.js is still unpacking
  std::string name;                  // the student's name, for the CSV (localStorage "kobai.name")
};

// Quiz mode in the walkthrough: before a backward step shows its gradients, the student types them.
struct StepQuiz {
  int asking = -1;                 // the position of the step being asked, or -1
  int asking_version = -1;         // ... in which walk (App::walk_version)
  int cleared = -1;                // the position the student has answered or revealed
  std::vector<std::string> answers;
  QuizPanel::Feedback feedback = QuizPanel::None;
  std::string message;
  bool hint = false, counted = false;
  int focus = -1;                  // the answer field to give the keyboard to (Enter leaves a field in ImGui 1.86)
};

struct App {
  Lang lang = Lang::en;
  int lab = 0;          // the lab shown: an index into labs() (labs/labs.h)
  float dpr = 1;        // device pixels per CSS pixel
  float scale = 1;      // the interface's size in device pixels per CSS pixel: dpr, larger when presenting
  bool present = false; // a projector: larger text and nodes, thicker lines (link: present=1)
  bool touch = false;   // a touch screen: controls at least 40 CSS pixels, no hover
  bool narrow = false;  // the window is too narrow for side-by-side panels: they become tabs
  int pane = 1;         // on a narrow window, the walkthrough's tab: 0 lessons, 1 graph, 2 this step
  bool show_lessons = true;  // the walkthrough's lessons panel (a projector may hide it for room)

  // What is loaded.
  std::string lesson_id;  // empty for a typed expression
  // A teacher's lesson, from a file opened or dropped, or from a #lessonfile= link: the lesson, and its text packed
  // for links (deflate, then base64url; boot.js packs and unpacks with the browser's CompressionStream). The walk
  // is this lesson's while lesson_from_file.
  std::optional<Lesson> file_lesson;
  std::string file_lesson_text;     // the file as given
  std::string file_lesson_packed;   // "" until boot.js has packed it
  bool lesson_from_file = false;
  std::string pending_lessonfile;   // a link whose lesson boot.js is still unpacking: that link, applied when it is in
  std::string lessons_unfolded_for = "-";  // the lesson whose part the lessons panel last unfolded
  std::string expr;       // as shown in the editor (statements joined with "; ")
  std::vector<std::pair<std::string, std::string>> inputs;  // name, value as typed
  std::unique_ptr<Walk> walk;
  int walk_version = 0;   // counts graphs installed: what was worked out for one walk is not reused for another
  Layout layout;
  std::vector<bool> folded;  // per time step of the graph (Graph::steps): shown as one box
  std::string time_chart;    // the carried value whose gradient through time is charted (h, c)
  std::pair<int, int> window{-1, 0};  // a conv or pooling step opened window by window: (its position, the window)
  int auto_opened = -1;      // the step whose cell the walk opened (follow_cells folds it again)
  std::tuple<int, int, int> followed{-1, -1, -1};  // the walk (version, iteration, position) follow_cells last saw
  GraphView view;
  std::unique_ptr<GradientCheck> check;  // the gradient-check panel's, advanced a little each frame
  int check_iteration = 0;               // ... of the parameters' values at this iteration of the walk
  // The graph has an op whose code comes with the later labs' (convolution, pooling, im2col): until it is in, the walk
  // stays at step 0 (walk_waits) and the walkthrough shows that code loading; a link's place waits here.
  bool walk_needs_code = false;
  std::optional<std::pair<int, int>> pending_walk;  // (iteration, step)

  // Messages.
  std::string error;                 // the editor's last rebuild failed: what and where
  int error_line = 0, error_column = 0;
  std::string notice;                // a banner: a corrupt link, a corrupt preference (lines, bounded: quote())

  // Playback.
  bool playing = false;
  WalkthroughSettings walkthrough;   // speed, quiz mode (labs/walkthrough_settings.h)
  double play_clock = 0;
  bool focus_editor = false;

  // Bookkeeping for the page.
  bool changed = true;                            // the walk or the language changed: hash, live region
  std::map<std::string, Box> rects;               // named controls in CSS pixels, for tests that click them
  std::set<std::string> cut;                      // ... those partly scrolled out of their panel
  long frames = 0;                                // frames drawn
  std::vector<Key> keys;                          // shortcut presses since the last frame

  // Quizzes and the student's progress (localStorage "kobai.progress").
  QuizPanel quiz;
  StepQuiz step_quiz;
  Progress progress;

  // The training playground (labs/playground.cpp).
  Playground playground;
  ActivationsLab activations;
  Paths paths;  // the optimizer-paths lab (labs/paths.cpp)
  RnnLab rnn;   // the binary-addition lab (labs/rnn_lab.cpp)
  ShapesLab shapes;  // the shape sheet (labs/shapes_lab.cpp)

  // Labs whose code comes later (Lab::later_code): a link for one waits here until its code is in.
  std::optional<PageLink> pending_link;
  bool lab_code_in = false;  // the later code has arrived
};

bool load_lesson(App& a, const std::string& id, const std::vector<std::pair<std::string, Value>>& overrides = {});
bool load_lesson(App& a, const Lesson& l, const std::vector<std::pair<std::string, Value>>& overrides = {});
const Lesson* current_lesson(const App& a);  // the built-in or file lesson shown, or nullptr for a typed expression
// A teacher's file, opened or dropped (recognised by its content): a question bank goes to the quiz, a lesson to
// the walkthrough. false when it is neither (a CSV: the playground's). What is wrong with it goes to a notice.
bool open_teacher_file(App& a, const std::string& name, const std::string& text);
// labs/quiz.cpp: a question file the quiz asks, and its text packed for a link (quiz.bank=) or unpacked from one.
// packed: the text as a link carried it (from a link), or "" (a file: packed here for the link). false when refused.
bool open_bank_file(App& a, const std::string& name, const std::string& text, const std::string& packed = "");
void bank_file_packed(App& a, const std::string& text, const std::string& packed);
void bank_file_unpacked(App& a, const std::string& packed, const std::string& text, const std::string& error);
void lesson_file_unpacked(App& a, const std::string& packed, const std::string& text, const std::string& error);
void lesson_file_packed(App& a, const std::string& text, const std::string& packed);
bool load_expression(App& a, const std::string& text, const std::vector<std::pair<std::string, Value>>& inputs);
bool rebuild_from_editor(App& a);
constexpr size_t kOpenSteps = 4;                  // a loop of more steps starts with its cells folded
constexpr size_t kOpenCellNodes = 16;             // ... as does one whose steps have more nodes each
void relayout(App& a);                            // after a cell is folded or opened
void fold_cell(App& a, int step, bool folded);
void follow_cells(App& a);                        // the walk's current cell open (each frame)                 // the editor's text and input fields
void apply_link(App& a, const std::string& hash); // a broken link: a notice, and the default lesson
void add_notice(App& a, const std::string& text); // the banner under the top bar: notices gather until dismissed

// The inputs an expression has (its names), those of them `given` lacks, and the given names it has not.
// Throws the parser's InputError. The command refuses both kinds (--at); the page says so too.
struct InputMatch {
  std::vector<std::string> names, missing, unknown;
};
InputMatch match_inputs(const std::string& text, const std::vector<std::pair<std::string, Value>>& given);
std::string join_names(const std::vector<std::string>& names);  // a, b (each bounded by quote()), or "none"
std::string link(const App& a);
void set_lang(App& a, Lang l);
void show_lab(App& a, int index);  // switches the lab shown (its code fetched first if it comes later)

bool walk_waits(const App& a);  // the graph's ops' code has not arrived yet: the walk cannot step
bool step(App& a);
bool back(App& a);
void reset(App& a);
void run_phase(App& a);
bool next_iteration(App& a);

void open_quiz(App& a, uint64_t seed);  // a new question set; the quiz lab shows it
void load_progress(App& a);   // a damaged store: a notice, and its text kept aside, never silently lost
void reset_progress(App& a);

void setup_style(const App& a);  // Dear ImGui's style at the app's scale, and for touch
bool frame(App& a, float dt);  // true while anything moves: playback, training, the gradient check

}  // namespace kobai
