#include "labs/quiz_settings.h"

namespace kobai {

NameList topic_names() {
  static const std::vector<const char*> names = [] {
    std::vector<const char*> n;
    for (const TopicInfo& t : all_topics()) n.push_back(t.name);
    return n;
  }();
  return {names.data(), int(names.size())};
}

std::vector<int> QuizSettings::default_topic_indices() {
  std::vector<int> chosen;
  for (int i = 0; i < int(all_topics().size()); ++i)
    if (all_topics()[size_t(i)].by_default) chosen.push_back(i);
  return chosen;
}

QuizOptions QuizSettings::options(uint64_t seed) const {
  QuizOptions o;
  o.seed = seed, o.difficulty = difficulty, o.count = count;
  if (topics != default_topic_indices())  // the default ones: none named, as the command's default
    for (int i : topics) o.topics.push_back(all_topics()[size_t(i)].topic);
  return o;
}

const std::vector<QuizSetting>& quiz_settings() {
  using Q = QuizSettings;
  using namespace setting;
  static const std::vector<QuizSetting> table = {
      names<&Q::topics>("quiz.topics", "topics", {"topics", "出題範囲"}, topic_names()),
      whole<&Q::difficulty>("quiz.difficulty", "difficulty", {"difficulty", "難易度"}, 1, 3),
      whole<&Q::count>("quiz.count", "count", {"questions", "問題数"}, 1, 500),
  };
  return table;
}

}  // namespace kobai
