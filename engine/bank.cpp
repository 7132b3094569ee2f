// The question bank: concept questions as data, checked as lessons are.
#include "bank.h"

#include "json_text.h"

#include <algorithm>
#include <iterator>

namespace kobai {

// Generated at build time from engine/questions/*.json (see CMakeLists.txt); none in the page, which fetches them.
extern const char* const kBankSources[];
extern const int kBankSourceCount;

namespace {

using json = nlohmann::json;

constexpr int kMaxQuestions = 1000;
constexpr size_t kMaxTextBytes = 2000;
constexpr int kMaxChoices = 6;

const Topic kConceptTopics[] = {Topic::concepts, Topic::concepts2, Topic::concepts3};

struct Reader {  // messages that say where: "line 12, column 7: question 3 (d1-x): ..."
  const std::string& text;
  std::string at(const std::vector<std::string>& path) const { return key_place(text, path); }
};

Text read_text(const Reader& r, const json& j, const std::vector<std::string>& path, const std::string& what) {
  auto check = [&](const std::string& s) {
    if (s.empty()) throw InputError(r.at(path) + what + " is empty");
    if (s.size() > kMaxTextBytes)
      throw InputError(r.at(path) + what + " is " + std::to_string(s.size()) + " bytes long; a text is at most " + std::to_string(kMaxTextBytes));
    return s;
  };
  if (j.is_string()) {
    std::string s = check(j.get<std::string>());
    return {s, s};
  }
  if (j.is_object()) {
    for (auto& [k, v] : j.items())
      if (k != "en" && k != "ja") {
        std::vector<std::string> p = path;
        p.push_back(k);
        throw InputError(r.at(p) + what + " has an unknown key \"" + quote(k) + "\" (the keys are en and ja)");
      }
    if (j.contains("en") && j.contains("ja") && j["en"].is_string() && j["ja"].is_string())
      return {check(j["en"].get<std::string>()), check(j["ja"].get<std::string>())};
  }
  throw InputError(r.at(path) + what + " must be a string or {\"en\": \"...\", \"ja\": \"...\"}");
}

Topic read_topic(const Reader& r, const json& j) {
  std::string names;
  if (j.is_string())
    for (Topic t : kConceptTopics) {
      if (j.get<std::string>() == topic_name(t)) return t;
    }
  for (Topic t : kConceptTopics) names += (names.empty() ? "" : ", ") + std::string(topic_name(t));
  throw InputError(r.at({"topic"}) + "the bank's \"topic\" must be one of " + names + " (day 1's, day 2's or day 3's concept questions)" +
                   (j.is_string() ? ", not '" + quote(j.get<std::string>()) + "'" : ""));
}

BankQuestion read_question(const Reader& r, const json& q, size_t index, Topic topic) {
  const std::string n = std::to_string(index);
  std::string what = "question " + std::to_string(index + 1);
  auto path = [&](std::vector<std::string> more) {
    std::vector<std::string> p = {"questions", n};
    p.insert(p.end(), more.begin(), more.end());
    return p;
  };
  if (!q.is_object()) throw InputError(r.at(path({})) + what + " must be an object {\"id\": ..., \"prompt\": ..., ...}");
  static const char* const kKeys[] = {"id", "source", "prompt", "choices", "answer", "hint"};
  for (auto& [k, v] : q.items())
    if (std::find(std::begin(kKeys), std::end(kKeys), k) == std::end(kKeys))
      throw InputError(r.at(path({k})) + what + " has an unknown key \"" + quote(k) + "\" (the keys are: id, source, prompt, choices, answer, hint)");
  BankQuestion b;
  b.topic = topic;
  if (!q.contains("id") || !q["id"].is_string() || q["id"].get<std::string>().empty())
    throw InputError(r.at(path({"id"})) + what + " has no \"id\" (a name of its own, e.g. \"my-1\")");
  b.id = q["id"].get<std::string>();
  what += " (" + quote(b.id) + ")";
  if (q.contains("source")) {
    if (!q["source"].is_string()) throw InputError(r.at(path({"source"})) + what + ": \"source\" must be a string");
    b.source = q["source"].get<std::string>();
  }
  for (const char* key : {"prompt", "choices", "answer"})
    if (!q.contains(key)) throw InputError(r.at(path({})) + what + " has no \"" + key + "\"");
  b.prompt = read_text(r, q["prompt"], path({"prompt"}), what + "'s prompt");
  const json& cs = q["choices"];
  if (!cs.is_array() || cs.size() < 2 || cs.size() > size_t(kMaxChoices))
    throw InputError(r.at(path({"choices"})) + what + ": \"choices\" must be a list of 2 to " + std::to_string(kMaxChoices) + " options" +
                     (cs.is_array() ? ", not " + std::to_string(cs.size()) : ""));
  if (!q["answer"].is_number_integer() || q["answer"].get<long long>() < 0 || q["answer"].get<long long>() >= (long long)cs.size())
    throw InputError(r.at(path({"answer"})) + what + ": \"answer\" must be the right choice's place in the list, 0 to " +
                     std::to_string(cs.size() - 1) + " (0 is the first)");
  b.answer = int(q["answer"].get<long long>());
  for (size_t c = 0; c < cs.size(); ++c) {
    const std::string cn = std::to_string(c);
    const std::string choice = what + "'s choice " + std::to_string(c + 1);
    const json& o = cs[c];
    json plain = o;  // its words, without "why"
    if (o.is_object() && o.contains("why")) plain.erase("why");
    b.choices.push_back(read_text(r, plain, path({"choices", cn}), choice));
    bool right = int(c) == b.answer;
    bool has_why = o.is_object() && o.contains("why");
    if (right && has_why)
      throw InputError(r.at(path({"choices", cn, "why"})) + choice + " is the answer, so it has no \"why\" (a wrong choice says why it is wrong)");
    if (!right && !has_why)
      throw InputError(r.at(path({"choices", cn})) + choice + " is wrong: give its \"why\", the reason a student should not choose it");
    b.why.push_back(right ? Text{} : read_text(r, o["why"], path({"choices", cn, "why"}), choice + "'s why"));
  }
  for (size_t c = 0; c < b.choices.size(); ++c)
    for (size_t d = 0; d < c; ++d)
      if (b.choices[c].en == b.choices[d].en && b.choices[c].ja == b.choices[d].ja)
        throw InputError(r.at(path({"choices", std::to_string(c)})) + what + "'s choices " + std::to_string(d + 1) + " and " +
                         std::to_string(c + 1) + " are the same");
  if (q.contains("hint")) b.hint = read_text(r, q["hint"], path({"hint"}), what + "'s hint");
  return b;
}

}  // namespace

bool is_concept_topic(Topic t) { return std::find(std::begin(kConceptTopics), std::end(kConceptTopics), t) != std::end(kConceptTopics); }

std::vector<Topic> Bank::topics() const {
  std::vector<Topic> out;
  for (const TopicInfo& t : all_topics())
    if (std::any_of(questions.begin(), questions.end(), [&](const BankQuestion& q) { return q.topic == t.topic; })) out.push_back(t.topic);
  return out;
}

bool is_bank_text(const std::string& text) {
  json j = json::parse(text, nullptr, false);
  return j.is_object() && j.contains("kobai") && j["kobai"] == "questions";
}

Bank parse_bank(const std::string& text) {
  json j = parse_json(text, "the question bank", "valid JSON", "");
  Reader r{text};
  if (!j.is_object()) throw InputError("the question bank must be a JSON object {\"kobai\": \"questions\", ...}");
  static const char* const kKeys[] = {"kobai", "topic", "title", "questions"};
  for (auto& [k, v] : j.items())
    if (std::find(std::begin(kKeys), std::end(kKeys), k) == std::end(kKeys))
      throw InputError(r.at({k}) + "the question bank has an unknown key \"" + quote(k) + "\" (the keys are: kobai, topic, title, questions)");
  if (!j.contains("kobai") || j["kobai"] != "questions")
    throw InputError(r.at({"kobai"}) + "a question bank starts {\"kobai\": \"questions\", ...}: that is how kobai knows the file");
  Bank b;
  if (j.contains("title")) b.name = read_text(r, j["title"], {"title"}, "the bank's title").en;
  Topic topic = j.contains("topic") ? read_topic(r, j["topic"]) : Topic::concepts;
  if (!j.contains("questions") || !j["questions"].is_array() || j["questions"].empty())
    throw InputError(r.at({"questions"}) + "the question bank needs \"questions\": a list of at least one question");
  const json& qs = j["questions"];
  if (qs.size() > size_t(kMaxQuestions))
    throw InputError(r.at({"questions"}) + "the question bank has " + std::to_string(qs.size()) + " questions; at most " +
                     std::to_string(kMaxQuestions));
  for (size_t i = 0; i < qs.size(); ++i) {
    BankQuestion q = read_question(r, qs[i], i, topic);
    for (const BankQuestion& other : b.questions)
      if (other.id == q.id) throw InputError(r.at({"questions", std::to_string(i), "id"}) + "question " + std::to_string(i + 1) +
                                             ": the id '" + quote(q.id) + "' is already used by an earlier question");
    b.questions.push_back(std::move(q));
  }
  return b;
}

void add_to_bank(Bank& bank, const Bank& more) {
  for (const BankQuestion& q : more.questions) {
    for (const BankQuestion& other : bank.questions)
      if (other.id == q.id) throw InputError("the question id '" + quote(q.id) + "' is in two bank files");
    bank.questions.push_back(q);
  }
}

namespace {
Bank the_bank;               // the page's, until set_builtin_bank; the command's, read from kBankSources once
bool the_bank_read = false;  // (set_builtin_bank does not reach the parser: the page keeps it in the labs' code)
}  // namespace

const Bank& builtin_bank() {
  if (!the_bank_read) {
    the_bank_read = true;
    the_bank.name = "kobai";
    for (int i = 0; i < kBankSourceCount; ++i) add_to_bank(the_bank, parse_bank(kBankSources[i]));
  }
  return the_bank;
}

void set_builtin_bank(Bank bank) {
  the_bank = std::move(bank);
  the_bank_read = true;
}

Bank parse_bank_list(const std::string& text) {
  json j = parse_json(text, "the question bank list", "valid JSON", "");
  if (!j.is_array()) throw InputError("the question bank list must be a JSON list of bank files");
  Bank all;
  all.name = "kobai";
  for (const json& file : j) add_to_bank(all, parse_bank(file.dump()));
  return all;
}

}  // namespace kobai
