// kobai page: a student's quiz progress, as kept in localStorage and exported for a teacher. Pure: tested natively.
#pragma once

#include "matrix.h"

#include <map>
#include <string>
#include <vector>

namespace kobai {

struct Attempt {
  std::string topic, question, given, correct;
  bool right = false;
  double time = 0;    // seconds since 1970
  std::string sheet;  // the set it was asked in: "seed 7, difficulty 2, 10 questions, topics local, step" ("" in
                      // the walkthrough, and in stores saved before sheets were recorded)
};

struct Progress {
  int right = 0, answered = 0, streak = 0, best_streak = 0;
  std::map<std::string, std::pair<int, int>> topics;  // topic -> (right, answered)
  std::vector<Attempt> log;                            // every first answer, in order (the CSV)
  std::vector<Attempt> mistakes;                       // wrong ones, to review
  void record(const Attempt& a);
};

std::string progress_json(const Progress& p);
Progress progress_from_json(const std::string& text);  // throws InputError saying what is wrong (in English)
Progress progress_from_json(const std::string& text, Lang lang);  // ... in the student's language
// name,sheet,topic,question,answer given,correct answer,right,time: name is what the student typed (every row, so a
// teacher can join many students' files into one table).
std::string progress_csv(const Progress& p, const std::string& name = "");

}  // namespace kobai
