// kobai engine: the question bank: the quiz's multiple-choice concept questions as data files a teacher can read,
// print and write (engine/questions/*.json are the course's, one per subject; docs/questions.md is the format).
//
//   {"kobai": "questions",
//    "topic": "concepts",                          (the quiz topic that asks them: concepts, concepts2 or concepts3)
//    "title": {"en": "Models", "ja": "モデル"},
//    "questions": [{"id": "d1-models-1",
//                   "source": "seed 000: 1.1.1 プロローグ1",   (where the course teaches it)
//                   "prompt": {"en": "...", "ja": "..."},
//                   "choices": [{"en": "...", "ja": "..."},  (the right one)
//                               {"en": "...", "ja": "...", "why": {"en": "...", "ja": "..."}}],  (wrong: why)
//                   "answer": 0,
//                   "hint": {"en": "...", "ja": "..."}}]}
//   A text is {"en": ..., "ja": ...} or one string for both languages.
//
//   parse_bank      one file, checked: a mistake names its key with its line and column
//   builtin_bank    the course's bank: compiled into the command; the page fetches it with the labs' code
#pragma once

#include "quiz.h"

#include <string>
#include <vector>

namespace kobai {

struct BankQuestion {
  std::string id;
  std::string source;        // the seed file and section (every built-in question has one; a teacher's may not)
  Topic topic = Topic::concepts;
  Text prompt, hint;
  std::vector<Text> choices;
  std::vector<Text> why;     // per choice: why it is wrong ("" for the right one)
  int answer = 0;
};

struct Bank {
  std::string name;          // the file's title, in English (a teacher's bank's, in messages and sheets)
  std::vector<BankQuestion> questions;
  std::vector<Topic> topics() const;  // the topics it has questions for, in all_topics()' order
};

bool is_concept_topic(Topic t);                  // concepts, concepts2, concepts3: asked from a bank
bool is_bank_text(const std::string& text);      // its content says it is a bank: "kobai": "questions"
Bank parse_bank(const std::string& text);        // throws InputError
void add_to_bank(Bank& bank, const Bank& more);  // throws InputError when an id repeats

const Bank& builtin_bank();       // empty in the page until set_builtin_bank
void set_builtin_bank(Bank bank);
Bank parse_bank_list(const std::string& text);   // the page's kobai.questions.json: a list of bank files

}  // namespace kobai
