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
  double time = 0;  // seconds since 1970
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
std::string progress_csv(const Progress& p);           // topic,question,answer given,correct answer,right,time

}  // namespace kobai
