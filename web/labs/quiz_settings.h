// kobai page: the quiz lab's settings and their table (settings.h): which topics, how hard, how many questions.
// With the seed they make the question set, as `kobai quiz --seed N --topics ... --difficulty D --count C` does;
// a link carries them as quiz.* beside quiz=N when they differ from the defaults, so a shared link opens the same
// set. Pure: the link decoder uses it, and the native tests go through it.
#pragma once

#include "quiz.h"
#include "settings.h"

#include <vector>

namespace kobai {

NameList topic_names();  // all_topics()' names, in their order: "local, backward, ..."

struct QuizSettings {
  std::vector<int> topics = default_topic_indices();  // indices into all_topics(), in order
  int difficulty = 2;                             // 1 (small integers, small graphs) .. 3
  int count = 10;
  static std::vector<int> default_topic_indices();  // the topics a sheet that names none asks (day 1's)
  QuizOptions options(uint64_t seed) const;  // for generate_quiz: the default topics chosen are the command's default
  bool operator==(const QuizSettings& o) const { return topics == o.topics && difficulty == o.difficulty && count == o.count; }
};

using QuizSetting = Setting<QuizSettings>;
// Keys: quiz.topics (names, comma-separated), quiz.difficulty, quiz.count.
const std::vector<QuizSetting>& quiz_settings();

}  // namespace kobai
