// kobai engine: chain-rule quizzes.
//
//   read_answer / mark   a student's answer: a number, a fraction, a small arithmetic expression or a matrix
//                        (2.2, -1/4, 1.1*2, 3e-1, [[1, 2], [3, 4]]); what cannot be read is not counted wrong
//   Topic                the kinds of question, listed once (name, English and Japanese title, on by default):
//                        day 1's chain rule by default; when chosen, day 2's optimizers, initial weights,
//                        parameter counts and saddle points, and day 3's sequences (BPTT, gates, the LSTM's cell
//                        state, the parameters of RNN, LSTM and GRU cells), and convolutions' (the output size and
//                        whether the windows fit, a layer's parameters, one output by hand, max pooling's gradient,
//                        im2col's shape)
//   generate_quiz        questions from a seed, the same on every platform (its own generator, no std::
//                        distributions), every numeric answer computed by the engine; the concept questions
//                        come from a bank (bank.h), none twice in a sheet while the bank has others
//   quiz_markdown/json   a teacher's sheet and answer key
#pragma once

#include "graph.h"

#include <cstdint>
#include <string>
#include <vector>

namespace kobai {

// --- answers ------------------------------------------------------------------------------------------------

struct Reading {
  bool ok = false;
  Mat value;
  std::string problem;  // when !ok: what could not be read, and where
};
Reading read_answer(const std::string& text);
Reading read_shape(const std::string& text);  // "2x3", "2×3", "(2, 3)" -> a 1x2 value [rows, cols]

enum class Verdict { Right, Wrong, Unreadable };
struct Marked {
  Verdict verdict;
  std::string message;  // for Wrong: what differs (a shape); for Unreadable: what could not be read
};
bool close_enough(double given, double expected);  // relative 1e-3, or absolute 1e-6 near zero
Marked mark(const std::string& text, const Mat& expected);

// --- questions ----------------------------------------------------------------------------------------------

enum class Topic { local, step, graph, fanin, shapes, concepts, concepts2, concepts3, update, init, params, saddle, bptt, gate, cell, rnnparams,
                   outsize, convparams, convvalue, poolgrad, im2colshape };
struct TopicInfo {
  Topic topic;
  const char* name;  // as typed after --topics
  Words title;
  bool by_default;   // in a sheet that names no topics (day 1's): a link or sheet made before day 2's and
                     // day 3's topics came asks what it asked then
};
const std::vector<TopicInfo>& all_topics();
std::vector<Topic> default_topics();
Topic parse_topic(const std::string& name);  // throws InputError listing the topics
const char* topic_name(Topic t);             // "local", "step", ...

enum class AnswerKind { Choice, Number, Shape };

struct Text {  // a question's own words in both languages (generated, so owned, unlike Words)
  std::string en, ja;
  const std::string& operator()(Lang l) const { return l == Lang::ja ? ja : en; }
};

struct Question {
  Topic topic;
  AnswerKind kind;
  Text prompt;                        // the question (formulas are the same in both languages)
  std::vector<std::string> choices;   // Choice: the options, shown as A, B, C, D
  int correct = 0;                    // Choice: the index of the right option
  Mat value;                          // Number: the answer; Shape: [rows, cols]
  Text hint;                          // the local rule to recall
  // Number questions keep the graph they were computed from, so anyone can check the answer.
  std::string expr;
  InputValues inputs;
  std::string wrt;                    // the input the answer is the gradient with respect to ("": expr's value)
  std::string detail;                 // what else redoes it: update, the optimizer ("adam"); saddle, "noise" or "";
                                      // rnnparams, the cell ("lstm"); gate, the gate ("f"); outsize, "invalid" or "";
                                      // poolgrad, what is asked ("position", "one", "all")
  Text working;                       // the working with its numbers, shown once answered ("" where the hint is enough);
                                      // a bank's question: why each wrong choice is wrong
  std::string id, source;             // a bank's question: its id, and where the course teaches it
  std::vector<Text> why;              // a bank's question: why each choice is wrong, in the order shown ("" for the right one)
  std::string answer_text() const;    // "2.2", "B", "3x4"
  std::string choice(size_t i, Lang l) const;  // option i in the student's language
};

// A seed, the same range everywhere (the command's --seed, the page's #quiz= and the quiz panel): 0 to 2^53 − 1,
// the whole numbers that survive JavaScript's numbers in kobai.state().
constexpr uint64_t kMaxSeed = 9007199254740991ULL;
uint64_t parse_seed(const std::string& text, const std::string& what);  // what: "--seed"; throws InputError

struct Bank;  // bank.h

struct QuizOptions {
  uint64_t seed = 1;
  int count = 10;
  std::vector<Topic> topics;  // empty: default_topics(), or a teacher's bank's topics
  int difficulty = 2;         // 1 (small integers, small graphs) .. 3 (decimals, larger graphs)
  const Bank* bank = nullptr; // a teacher's concept questions instead of the built-in bank's
  std::vector<Topic> asked_topics() const;  // topics, else the bank's, else default_topics()
};

std::vector<Question> generate_quiz(const QuizOptions& o);  // throws InputError on absurd options
// A sheet's heading: "kobai quiz" (its topics reach past the chain rule: shapes, optimizers, RNNs ...).
inline const char* sheet_title(Lang l) { return l == Lang::ja ? "kobai 小テスト" : "kobai quiz"; }
std::string quiz_markdown(const std::vector<Question>& qs, const QuizOptions& o, Lang l);
std::string quiz_json(const std::vector<Question>& qs, Lang l);
std::string quiz_html(const std::vector<Question>& qs, const QuizOptions& o, Lang l);  // to print: sheet, then the key

}  // namespace kobai
