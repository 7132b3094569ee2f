#include "progress.h"

#include <nlohmann/json.hpp>

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
  return {{"topic", a.topic}, {"question", a.question}, {"given", a.given}, {"correct", a.correct}, {"right", a.right}, {"time", a.time}};
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

Progress progress_from_json(const std::string& text) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) throw InputError("the saved progress is not valid JSON");
  try {
    if (j.at("version").get<int>() != 1) throw InputError("the saved progress has an unknown version");
    Progress p;
    p.right = j.at("right").get<int>(), p.answered = j.at("answered").get<int>();
    p.streak = j.at("streak").get<int>(), p.best_streak = j.at("best_streak").get<int>();
    if (p.right < 0 || p.answered < p.right || p.streak < 0) throw InputError("the saved progress has impossible counts");
    for (auto& [name, rt] : j.at("topics").items()) p.topics[name] = {rt.at(0).get<int>(), rt.at(1).get<int>()};
    auto attempts = [](const json& list) {
      std::vector<Attempt> out;
      for (const json& a : list)
        out.push_back({a.at("topic").get<std::string>(), a.at("question").get<std::string>(), a.at("given").get<std::string>(),
                       a.at("correct").get<std::string>(), a.at("right").get<bool>(), a.at("time").get<double>()});
      return out;
    };
    p.log = attempts(j.at("log"));
    p.mistakes = attempts(j.at("mistakes"));
    return p;
  } catch (const json::exception& e) {
    throw InputError(std::string("the saved progress is damaged: ") + e.what());
  }
}

std::string progress_csv(const Progress& p) {
  auto field = [](const std::string& s) {  // RFC 4180: quote, and double the quotes inside
    std::string out = "\"";
    for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
  };
  std::string csv = "topic,question,answer given,correct answer,right,time\r\n";
  for (const Attempt& a : p.log) {
    char when[32] = "";
    std::time_t t = std::time_t(a.time);
    if (std::tm* tm = std::gmtime(&t)) std::strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", tm);
    csv += field(a.topic) + "," + field(a.question) + "," + field(a.given) + "," + field(a.correct) + "," + (a.right ? "yes" : "no") + "," + when + "\r\n";
  }
  return csv;
}

}  // namespace kobai
