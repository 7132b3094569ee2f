#include "lesson.h"

#include "json_text.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstring>
#include <functional>
#include <iterator>

namespace kobai {

// Generated at build time from engine/lessons/*.json (see CMakeLists.txt).
extern const char* const kLessonSources[];
extern const int kLessonSourceCount;

namespace {

using json = nlohmann::json;

// A 4-D value (N, C, H, W): lists four deep, every list at one level as long as the first.
Value value4_from_json(const json& j, const std::string& what) {
  auto bad = [&](const std::string& why) { return InputError(what + ": " + why); };
  Dims4 d{int(j.size()), int(j[0].size()), 0, 0};
  if (d.c > 0 && j[0][0].is_array()) d.h = int(j[0][0].size());
  if (d.h > 0 && j[0][0][0].is_array()) d.w = int(j[0][0][0].size());
  for (int v : {d.n, d.c, d.h, d.w})
    if (v > kMaxDim) throw bad("too large (" + format_dims(d) + "; N, C, H and W are at most " + std::to_string(kMaxDim) + ")");
  if (size_t(d.n) * d.per_example() > size_t(kMaxDim) * kMaxDim)
    throw bad("too large (" + format_dims(d) + ": " + std::to_string(size_t(d.n) * d.per_example()) + " numbers; at most " +
              std::to_string(kMaxDim * kMaxDim) + ")");
  Mat m(d.n, d.per_example());
  const char* level[] = {"example", "channel", "row", "column"};
  int sizes[] = {d.n, d.c, d.h, d.w};
  // where: "example 1, channel 2, row 3" so far; check that j is a list of sizes[depth] items, then go in.
  std::function<void(const json&, int, int, std::string)> walk = [&](const json& x, int depth, int at, std::string where) {
    const std::string here = where.empty() ? "the value" : where;
    if (depth == 4) {
      if (!x.is_number()) throw bad(where + " is not a number");
      m(at / d.per_example(), at % d.per_example()) = x.get<double>();
      return;
    }
    if (!x.is_array()) throw bad(here + " is not a list (a 4-D value is lists four deep: examples, channels, rows, columns)");
    if (int(x.size()) != sizes[depth] || x.empty())
      throw bad(here + " has " + std::to_string(x.size()) + " " + level[depth] + (x.size() == 1 ? "" : "s") + ", the first has " +
                std::to_string(sizes[depth]));
    int stride = 1;
    for (int k = depth + 1; k < 4; ++k) stride *= sizes[k];
    for (size_t i = 0; i < x.size(); ++i)
      walk(x[i], depth + 1, at + int(i) * stride, (where.empty() ? "" : where + ", ") + level[depth] + " " + std::to_string(i + 1));
  };
  walk(j, 0, 0, "");
  return Value(m, d);
}

Value value_from_json(const json& j, const std::string& what) {
  auto bad = [&](const std::string& why) { return InputError(what + ": " + why); };
  if (j.is_number()) return Mat::Constant(1, 1, j.get<double>());
  if (!j.is_array() || j.empty()) throw bad("expected a number, [a, b, ...], [[a, b], [c, d]] or a 4-D value [[[[a, b]]]]");
  bool nested = j[0].is_array();
  if (nested && !j[0].empty() && j[0][0].is_array()) {
    if (!j[0][0].empty() && j[0][0][0].is_array()) return value4_from_json(j, what);
    throw bad("lists three deep: write a matrix [[a, b], [c, d]] or a 4-D value (N, C, H, W) four deep, [[[[a, b], [c, d]]]]");
  }
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

// at(path): where a key is written ("line L, column C: "), for messages.
std::string text_field(const json& j, const char* key, const char* lang, const std::function<std::string(std::vector<std::string>)>& at) {
  if (!j.contains(key)) throw InputError(std::string("the lesson has no \"") + key + "\"");
  const json& f = j[key];
  if (f.is_string()) return f.get<std::string>();
  if (f.is_object())
    for (auto& [k, v] : f.items())
      if (k != "en" && k != "ja")
        throw InputError(at({key, k}) + "the lesson's \"" + key + "\" has an unknown key \"" + quote(k) + "\" (the keys are en and ja)");
  if (f.is_object() && f.contains(lang) && f[lang].is_string()) return f[lang].get<std::string>();
  throw InputError(at({key}) + "the lesson's \"" + key + "\" must be a string or {\"en\": ..., \"ja\": ...}");
}

}  // namespace

Value parse_value(const std::string& text) {
  json j = parse_json(text, "'" + quote(text) + "'", "a value", "; write a number, [1, 2], [[1, 2], [3, 4]] or [[[[1, 2]]]]");
  return value_from_json(j, "'" + quote(text) + "'");
}

std::pair<std::string, Value> parse_assignment(const std::string& arg) {
  size_t eq = arg.find('=');
  if (eq == std::string::npos || eq == 0) throw InputError("'" + quote(arg) + "' should be NAME=VALUE, e.g. apple=100");
  return {arg.substr(0, eq), parse_value(arg.substr(eq + 1))};
}

namespace {

// The line of the file on which each line of "expr" is written, found by looking for the strings as JSON writes
// them after the key "expr". Empty when they are written some other way (escapes the search does not know).
std::vector<int> expr_file_lines(const std::string& text, const json& expr) {
  std::vector<std::string> parts;
  if (expr.is_string()) parts.push_back(expr.dump(-1, ' ', false, json::error_handler_t::replace));
  else for (const json& l : expr) parts.push_back(l.dump(-1, ' ', false, json::error_handler_t::replace));
  for (size_t key = text.find("\"expr\""); key != std::string::npos; key = text.find("\"expr\"", key + 1)) {
    size_t colon = text.find_first_not_of(" \t\r\n", key + 6);
    if (colon == std::string::npos || text[colon] != ':') continue;
    size_t at = colon + 1, counted = 0;
    int line = 1;
    auto line_at = [&](size_t pos) {  // counted on from the last call: one pass over the file
      line += int(std::count(text.begin() + counted, text.begin() + pos, '\n'));
      counted = pos;
      return line;
    };
    std::vector<int> lines;
    for (const std::string& part : parts) {
      at = text.find_first_not_of(" \t\r\n,[", at);
      if (at == std::string::npos || text.compare(at, part.size(), part) != 0) break;
      lines.push_back(line_at(at));
      at += part.size();
    }
    if (lines.size() != parts.size()) continue;
    if (expr.is_string()) {  // "a\nb": every line of the expression is on the file line of the string
      const std::string& e = expr.get_ref<const std::string&>();
      int first = lines[0];  // a copy: assign() may free what a reference would point into
      lines.assign(1 + std::count(e.begin(), e.end(), '\n'), first);
    }
    return lines;
  }
  return {};
}

}  // namespace

Lesson parse_lesson(const std::string& text) {
  json j = parse_json(text, "the lesson", "valid JSON", "");
  if (!j.is_object()) throw InputError("the lesson must be a JSON object {...}");
  auto at = [&](std::vector<std::string> path) { return key_place(text, path); };
  static const char* const kKeys[] = {"id", "title", "goal", "expr", "inputs", "params", "lr", "data"};
  for (auto& [k, v] : j.items())
    if (std::find(std::begin(kKeys), std::end(kKeys), k) == std::end(kKeys))
      throw InputError(at({k}) + "the lesson has an unknown key \"" + quote(k) + "\" (the keys are: id, title, goal, expr, inputs, params, lr, data)");
  Lesson l;
  if (!j.contains("id") || !j["id"].is_string()) throw InputError(at({"id"}) + "the lesson has no \"id\" string");
  l.id = j["id"].get<std::string>();
  l.title_en = text_field(j, "title", "en", at), l.title_ja = text_field(j, "title", "ja", at);
  l.goal_en = text_field(j, "goal", "en", at), l.goal_ja = text_field(j, "goal", "ja", at);
  if (!j.contains("expr")) throw InputError("the lesson has no \"expr\"");
  if (j["expr"].is_string()) {
    l.expr = j["expr"].get<std::string>();
  } else if (j["expr"].is_array()) {
    for (const json& line : j["expr"]) {
      if (!line.is_string()) throw InputError(at({"expr"}) + "the lesson's \"expr\" list must hold strings (one line each)");
      l.expr += line.get<std::string>() + "\n";
    }
  } else {
    throw InputError(at({"expr"}) + "the lesson's \"expr\" must be a string or a list of lines");
  }
  l.expr_file_lines = expr_file_lines(text, j["expr"]);
  if (j.contains("inputs")) {
    if (!j["inputs"].is_object()) throw InputError(at({"inputs"}) + "the lesson's \"inputs\" must be an object {\"name\": value}");
    for (auto& [name, v] : j["inputs"].items()) l.inputs[name] = value_from_json(v, at({"inputs", name}) + "input '" + quote(name) + "'");
  }
  if (j.contains("params")) {
    if (!j["params"].is_array()) throw InputError(at({"params"}) + "the lesson's \"params\" must be a list of input names");
    for (const json& p : j["params"]) {
      if (!p.is_string()) throw InputError(at({"params"}) + "the lesson's \"params\" must be a list of input names");
      l.params.push_back(p.get<std::string>());
    }
    if (!j.contains("lr")) throw InputError(at({"params"}) + "the lesson's \"params\" need an \"lr\" (the learning rate, e.g. 0.1)");
  }
  if (j.contains("data")) {
    if (!j["data"].is_array()) throw InputError(at({"data"}) + "the lesson's \"data\" must be a list of input names");
    for (const json& d : j["data"]) {
      if (!d.is_string()) throw InputError(at({"data"}) + "the lesson's \"data\" must be a list of input names");
      l.data.push_back(d.get<std::string>());
      if (std::find(l.params.begin(), l.params.end(), l.data.back()) != l.params.end())
        throw InputError(at({"data"}) + "'" + quote(l.data.back()) + "' is in both \"params\" and \"data\": data is not trained");
    }
  }
  if (j.contains("lr")) {
    if (!j["lr"].is_number()) throw InputError(at({"lr"}) + "the lesson's \"lr\" must be a number");
    l.lr = j["lr"].get<double>();
    if (!(l.lr > 0)) throw InputError(at({"lr"}) + "the lesson's \"lr\" must be greater than 0, not " + format_number(l.lr));
    if (!j.contains("params")) throw InputError(at({"lr"}) + "the lesson's \"lr\" needs \"params\" (the inputs it trains)");
  }
  return l;
}

Graph build_lesson(const Lesson& l, const InputValues& inputs) {
  Graph g = build(l.expr, inputs);
  mark_data(g, l.data);
  return g;
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

const std::vector<LessonPart>& lesson_parts() {
  static const std::vector<LessonPart> parts = {
      {"apple", "Backprop, learning (ch. 4–5)", "誤差逆伝播法と学習（4・5 章）"},
      {"rnn_add", "Sequences: RNN, LSTM, attention", "系列: RNN・LSTM・Attention"},
      {"conv", "Convolutions (chapter 7)", "畳み込み（7 章）"},
  };
  return parts;
}

int lesson_part(const std::string& id) {
  int part = -1;
  for (const Lesson& l : builtin_lessons()) {
    for (size_t p = 0; p < lesson_parts().size(); ++p)
      if (l.id == lesson_parts()[p].first_id) part = static_cast<int>(p);
    if (l.id == id) return part;
  }
  return -1;
}

std::string lesson_ids() {  // the first eight and how many: a message stays short however many lessons there are
  const auto& all = builtin_lessons();
  std::string s;
  for (size_t i = 0; i < all.size() && i < 8; ++i) s += (i ? ", " : "") + all[i].id;
  if (all.size() > 8) s += ", … (" + std::to_string(all.size()) + " in all)";
  return s;
}

}  // namespace kobai
