// kobai engine: lessons and values in JSON.
//
// A lesson is one JSON file a teacher can copy (engine/lessons/*.json are the built-in ones):
//   {
//     "id": "apple",
//     "title": {"en": "Buying apples", "ja": "りんごの買い物"},
//     "goal":  {"en": "...", "ja": "..."},
//     "expr":  "price = apple * num * tax",          (or a list of lines)
//     "inputs": {"apple": 100, "num": 2, "tax": 1.1}, (numbers, [a, b] rows or [[a, b], [c, d]] matrices)
//     "params": ["W"], "lr": 0.1                       (optional: adds the update phase)
//   }
#pragma once

#include "graph.h"

#include <string>
#include <vector>

namespace kobai {

struct Lesson {
  std::string id;
  std::string title_en, title_ja, goal_en, goal_ja;
  std::string expr;
  InputValues inputs;
  std::vector<std::string> params;
  double lr = 0;
  std::vector<int> expr_file_lines;  // per line of expr: the line of the lesson file it is written on (when known)
  const std::string& title(Lang l) const { return l == Lang::ja ? title_ja : title_en; }
  const std::string& goal(Lang l) const { return l == Lang::ja ? goal_ja : goal_en; }
};

// Throws InputError saying which field is wrong; unknown keys are refused, "params" and "lr" (> 0) come together.
Lesson parse_lesson(const std::string& json_text);
const std::vector<Lesson>& builtin_lessons();       // the files in engine/lessons, in order
const Lesson* find_lesson(const std::string& id);   // nullptr when unknown
std::string lesson_ids();                           // "apple, apple_orange, … (22 in all)": the first eight

// The lessons fall into parts, as the course's days do: each part is a run of the files, from its first lesson.
struct LessonPart {
  const char* first_id;  // the part's first lesson; it runs to the next part's
  const char* title_en;
  const char* title_ja;
  const char* title(Lang l) const { return l == Lang::ja ? title_ja : title_en; }
};
const std::vector<LessonPart>& lesson_parts();
int lesson_part(const std::string& id);  // the part the lesson is in, -1 when unknown

// A value as typed after --at name=: 1.1, [1, 2, 3] (a 1x3 row), [[1, 2], [3, 4]], or four lists deep a 4-D value
// (N, C, H, W): [[[[1, 2], [3, 4]]]] is one example of one 2x2 channel. Throws InputError.
Value parse_value(const std::string& text);
// One NAME=VALUE argument.
std::pair<std::string, Value> parse_assignment(const std::string& arg);

}  // namespace kobai
