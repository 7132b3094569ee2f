#include "lesson.h"

#include <nlohmann/json.hpp>

namespace kobai {

// Generated at build time from engine/lessons/*.json (see CMakeLists.txt).
extern const char* const kLessonSources[];
extern const int kLessonSourceCount;

namespace {

using json = nlohmann::json;

Mat value_from_json(const json& j, const std::string& what) {
  auto bad = [&](const std::string& why) { return InputError(what + ": " + why); };
  if (j.is_number()) return Mat::Constant(1, 1, j.get<double>());
  if (!j.is_array() || j.empty()) throw bad("expected a number, [a, b, ...] or [[a, b], [c, d]]");
  bool nested = j[0].is_array();
  size_t rows = nested ? j.size() : 1, cols = nested ? j[0].size() : j.size();
  if (rows > size_t(kMaxDim) || cols > size_t(kMaxDim))
    throw bad("too large (" + std::to_string(rows) + "x" + std::to_string(cols) + "; at most " +
              std::to_string(kMaxDim) + "x" + std::to_string(kMaxDim) + ")");
  if (cols == 0) throw bad("a row is empty");
  Mat m(rows, cols);
  for (size_t r = 0; r < rows; ++r) {
    const json& row = nested ? j[r] : j;
    if (!row.is_array()) throw bad("row " + std::to_string(r + 1) + " is not a list");
    if (row.size() != cols)
      throw bad("row " + std::to_string(r + 1) + " has " + std::to_string(row.size()) + " numbers, row 1 has " + std::to_string(cols));
    for (size_t c = 0; c < cols; ++c) {
      if (!row[c].is_number())
        throw bad("row " + std::to_string(r + 1) + ", column " + std::to_string(c + 1) + " is not a number");
      m(r, c) = row[c].get<double>();
    }
  }
  return m;
}

std::string text_field(const json& j, const char* key, const char* lang) {
  if (!j.contains(key)) throw InputError(std::string("the lesson has no \"") + key + "\"");
  const json& f = j[key];
  if (f.is_string()) return f.get<std::string>();
  if (f.is_object() && f.contains(lang) && f[lang].is_string()) return f[lang].get<std::string>();
  throw InputError(std::string("the lesson's \"") + key + "\" must be a string or {\"en\": ..., \"ja\": ...}");
}

}  // namespace

Mat parse_value(const std::string& text) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded()) throw InputError("'" + text + "' is not a value: write a number, [1, 2] or [[1, 2], [3, 4]]");
  return value_from_json(j, "'" + text + "'");
}

std::pair<std::string, Mat> parse_assignment(const std::string& arg) {
  size_t eq = arg.find('=');
  if (eq == std::string::npos || eq == 0) throw InputError("'" + arg + "' should be NAME=VALUE, e.g. apple=100");
  return {arg.substr(0, eq), parse_value(arg.substr(eq + 1))};
}

Lesson parse_lesson(const std::string& text) {
  json j;
  try {
    j = json::parse(text);
  } catch (const json::parse_error& e) {
    throw InputError(std::string("the lesson is not valid JSON: ") + e.what());
  }
  if (!j.is_object()) throw InputError("the lesson must be a JSON object {...}");
  Lesson l;
  if (!j.contains("id") || !j["id"].is_string()) throw InputError("the lesson has no \"id\" string");
  l.id = j["id"].get<std::string>();
  l.title_en = text_field(j, "title", "en"), l.title_ja = text_field(j, "title", "ja");
  l.goal_en = text_field(j, "goal", "en"), l.goal_ja = text_field(j, "goal", "ja");
  if (!j.contains("expr")) throw InputError("the lesson has no \"expr\"");
  if (j["expr"].is_string()) {
    l.expr = j["expr"].get<std::string>();
  } else if (j["expr"].is_array()) {
    for (const json& line : j["expr"]) {
      if (!line.is_string()) throw InputError("the lesson's \"expr\" list must hold strings (one line each)");
      l.expr += line.get<std::string>() + "\n";
    }
  } else {
    throw InputError("the lesson's \"expr\" must be a string or a list of lines");
  }
  if (j.contains("inputs")) {
    if (!j["inputs"].is_object()) throw InputError("the lesson's \"inputs\" must be an object {\"name\": value}");
    for (auto& [name, v] : j["inputs"].items()) l.inputs[name] = value_from_json(v, "input '" + name + "'");
  }
  if (j.contains("params")) {
    if (!j["params"].is_array()) throw InputError("the lesson's \"params\" must be a list of input names");
    for (const json& p : j["params"]) {
      if (!p.is_string()) throw InputError("the lesson's \"params\" must be a list of input names");
      l.params.push_back(p.get<std::string>());
    }
  }
  if (j.contains("lr")) {
    if (!j["lr"].is_number()) throw InputError("the lesson's \"lr\" must be a number");
    l.lr = j["lr"].get<double>();
  }
  return l;
}

const std::vector<Lesson>& builtin_lessons() {
  static const std::vector<Lesson> lessons = [] {
    std::vector<Lesson> out;
    for (int i = 0; i < kLessonSourceCount; ++i) out.push_back(parse_lesson(kLessonSources[i]));
    return out;
  }();
  return lessons;
}

const Lesson* find_lesson(const std::string& id) {
  for (const Lesson& l : builtin_lessons())
    if (l.id == id) return &l;
  return nullptr;
}

std::string lesson_ids() {
  std::string s;
  for (const Lesson& l : builtin_lessons()) s += (s.empty() ? "" : ", ") + l.id;
  return s;
}

}  // namespace kobai
