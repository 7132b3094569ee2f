#include "progress.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <ctime>

namespace kobai {

using json = nlohmann::json;

void Progress::record(const Attempt& a) {
  ++answered;
  auto& t = topics[a.topic];
  ++t.second;
  if (a.right) {
    ++right, ++t.first, ++streak;
    best_streak = std::max(best_streak, streak);
  } else {
    streak = 0;
    mistakes.push_back(a);
    if (mistakes.size() > 200) mistakes.erase(mistakes.begin());
  }
  log.push_back(a);
  if (log.size() > 5000) log.erase(log.begin());  // localStorage is small; the oldest go first
}

static json attempt_json(const Attempt& a) {
  json j = {{"topic", a.topic}, {"question", a.question}, {"given", a.given}, {"correct", a.correct}, {"right", a.right}, {"time", a.time}};
  if (!a.sheet.empty()) j["sheet"] = a.sheet;
  return j;
}

std::string progress_json(const Progress& p) {
  json j;
  j["version"] = 1;
  j["right"] = p.right, j["answered"] = p.answered, j["streak"] = p.streak, j["best_streak"] = p.best_streak;
  j["topics"] = json::object();
  for (const auto& [name, rt] : p.topics) j["topics"][name] = {rt.first, rt.second};
  j["log"] = json::array();
  for (const Attempt& a : p.log) j["log"].push_back(attempt_json(a));
  j["mistakes"] = json::array();
  for (const Attempt& a : p.mistakes) j["mistakes"].push_back(attempt_json(a));
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

namespace {

// A damaged store, said in the student's language: {} in the words is replaced by the arguments in order.
InputError damaged(Lang lang, const Words& w, std::initializer_list<std::string> args = {}) {
  std::string out, fmt = w(lang);
  auto arg = args.begin();
  for (size_t i = 0; i < fmt.size(); ++i) {
    if (fmt.compare(i, 2, "{}") == 0 && arg != args.end()) out += *arg++, ++i;
    else out += fmt[i];
  }
  return InputError(out);
}

const Words kNotJson{"the saved progress is not valid JSON", "保存された記録が JSON として読めない"};
const Words kNotObject{"the saved progress is not a JSON object {...}", "保存された記録が JSON のオブジェクト {...} ではない"};
const Words kNoField{"the saved progress has no \"{}\"", "保存された記録に「{}」がない"};
const Words kVersion{"the saved progress has an unknown version ({})", "保存された記録の版 ({}) が分からない"};
const Words kNotCount{"the saved progress's \"{}\" must be a whole number from 0 to {}, not {}",
                      "保存された記録の「{}」は 0 から {} までの整数のはずが {} になっている"};
const Words kMore{"the saved progress's \"{}\" ({}) is more than its \"{}\" ({})",
                  "保存された記録の「{}」({}) が「{}」({}) より多い"};
const Words kNotTopic{"the saved progress's topic '{}' must be [right, answered], two whole numbers",
                      "保存された記録のトピック '{}' は [正解数, 解答数] の 2 つの整数のはず"};
const Words kNotTopics{"the saved progress's \"topics\" must be an object {\"topic\": [right, answered]}",
                       "保存された記録の「topics」はオブジェクト {\"topic\": [right, answered]} のはず"};
const Words kNotList{"the saved progress's \"{}\" must be a list", "保存された記録の「{}」はリストのはず"};
const Words kNotAttempt{"the saved progress's \"{}\" entry {} is not an answer {topic, question, given, correct, right, time}",
                        "保存された記録の「{}」の {} 番目が解答 {topic, question, given, correct, right, time} になっていない"};

constexpr int kMaxCount = 1000000000;

const json& field(const json& j, const char* key, Lang lang) {
  auto it = j.find(key);
  if (it == j.end()) throw damaged(lang, kNoField, {key});
  return *it;
}

// A stored value as a message shows it: a number or a string as written (bounded), a list or an object by its
// kind only. Printing a hostile list nested two million deep would recurse past the stack.
std::string shown(const json& v, Lang lang) {
  if (v.is_array()) return Words{"a list", "リスト"}(lang);
  if (v.is_object()) return Words{"an object", "オブジェクト"}(lang);
  return quote(v.dump(-1, ' ', false, json::error_handler_t::replace));
}

// A count: a whole number from 0 to kMaxCount (a JSON 3.0 is whole; 1e9 answers is more than anyone gives).
int count(const json& v, const std::string& what, Lang lang) {
  bool whole = v.is_number_integer() || (v.is_number_float() && std::floor(v.get<double>()) == v.get<double>());
  if (!whole || v.get<double>() < 0 || v.get<double>() > kMaxCount)
    throw damaged(lang, kNotCount, {what, std::to_string(kMaxCount), shown(v, lang)});
  return int(v.get<double>());
}

void at_most(int a, const std::string& a_name, int b, const std::string& b_name, Lang lang) {
  if (a > b) throw damaged(lang, kMore, {a_name, std::to_string(a), b_name, std::to_string(b)});
}

std::vector<Attempt> attempts(const json& list, const char* key, Lang lang) {
  if (!list.is_array()) throw damaged(lang, kNotList, {key});
  std::vector<Attempt> out;
  for (const json& a : list) {
    auto text = [&](const char* k) { return a.is_object() && a.contains(k) && a[k].is_string(); };
    if (!text("topic") || !text("question") || !text("given") || !text("correct") || !a.contains("right") || !a["right"].is_boolean() ||
        !a.contains("time") || !a["time"].is_number())
      throw damaged(lang, kNotAttempt, {key, std::to_string(out.size() + 1)});
    if (a.contains("sheet") && !a["sheet"].is_string()) throw damaged(lang, kNotAttempt, {key, std::to_string(out.size() + 1)});
    out.push_back({a["topic"].get<std::string>(), a["question"].get<std::string>(), a["given"].get<std::string>(),
                   a["correct"].get<std::string>(), a["right"].get<bool>(), a["time"].get<double>(),
                   a.contains("sheet") ? a["sheet"].get<std::string>() : ""});
  }
  return out;
}

}  // namespace

Progress progress_from_json(const std::string& text) { return progress_from_json(text, Lang::en); }

// Every count is checked against the others as record() keeps them, so a damaged store never shows as -3 of 1e9.
Progress progress_from_json(const std::string& text, Lang lang) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded()) throw damaged(lang, kNotJson);
  if (!j.is_object()) throw damaged(lang, kNotObject);
  const json& version = field(j, "version", lang);
  if (version != 1) throw damaged(lang, kVersion, {shown(version, lang)});
  Progress p;
  p.right = count(field(j, "right", lang), "right", lang), p.answered = count(field(j, "answered", lang), "answered", lang);
  p.streak = count(field(j, "streak", lang), "streak", lang), p.best_streak = count(field(j, "best_streak", lang), "best_streak", lang);
  at_most(p.right, "right", p.answered, "answered", lang);
  at_most(p.streak, "streak", p.best_streak, "best_streak", lang);
  at_most(p.best_streak, "best_streak", p.right, "right", lang);
  const json& topics = field(j, "topics", lang);
  if (!topics.is_object()) throw damaged(lang, kNotTopics);
  int topic_right = 0, topic_answered = 0;  // each answer counts under one topic: together, within the totals
  for (auto& [name, rt] : topics.items()) {
    if (!rt.is_array() || rt.size() != 2) throw damaged(lang, kNotTopic, {quote(name)});
    std::string what = "topics." + quote(name);
    auto& t = p.topics[name] = {count(rt[0], what + "[0]", lang), count(rt[1], what + "[1]", lang)};
    at_most(t.first, what + "[0]", t.second, what + "[1]", lang);
    topic_right += t.first, topic_answered += t.second;
    at_most(topic_right, "topics (right)", p.right, "right", lang);
    at_most(topic_answered, "topics (answered)", p.answered, "answered", lang);
  }
  p.log = attempts(field(j, "log", lang), "log", lang);
  p.mistakes = attempts(field(j, "mistakes", lang), "mistakes", lang);
  return p;
}

std::string progress_csv(const Progress& p, const std::string& name) {
  auto field = [](const std::string& s) {  // RFC 4180: quote, and double the quotes inside
    std::string out = "\"";
    for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
  };
  std::string csv = "name,sheet,topic,question,answer given,correct answer,right,time\r\n";
  for (const Attempt& a : p.log) {
    char when[32] = "";
    std::time_t t = std::time_t(a.time);
    if (std::tm* tm = std::gmtime(&t)) std::strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", tm);
    csv += field(name) + "," + field(a.sheet) + "," + field(a.topic) + "," + field(a.question) + "," + field(a.given) + "," + field(a.correct) + "," + (a.right ? "yes" : "no") + "," + when + "\r\n";
  }
  return csv;
}

}  // namespace kobai
