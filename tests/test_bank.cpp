// The question bank: the course's concept questions as data, a teacher's file checked as a lesson is, and sheets
// that do not ask a question twice.
#include "helpers.h"
#include "bank.h"
#include "quiz.h"

#include <map>
#include <regex>
#include <set>

using namespace kobai;

namespace {

// A teacher's small bank: n questions, each with one right choice and two wrong ones.
std::string teacher_bank(int n, const std::string& topic = "concepts") {
  std::string qs;
  for (int i = 1; i <= n; ++i)
    qs += std::string(i > 1 ? ",\n" : "") + "    {\"id\": \"t-" + std::to_string(i) + "\", \"prompt\": \"Question " + std::to_string(i) +
          "?\",\n     \"choices\": [{\"en\": \"wrong a\", \"ja\": \"誤り a\", \"why\": \"because a\"}, \"right\", " +
          "{\"en\": \"wrong b\", \"ja\": \"誤り b\", \"why\": {\"en\": \"because b\", \"ja\": \"b だから\"}}],\n     \"answer\": 1}";
  return "{\n  \"kobai\": \"questions\",\n  \"topic\": \"" + topic + "\",\n  \"title\": \"My class\",\n  \"questions\": [\n" + qs + "\n  ]\n}\n";
}

std::string error_of(const std::string& text) {
  try {
    parse_bank(text);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("the course's bank: at least 80 questions over the three days, each with its source, hint and reasons") {
  const Bank& b = builtin_bank();
  std::map<Topic, int> per_topic;
  const std::regex source(R"(seed 00[0-4]: .+)");
  for (const BankQuestion& q : b.questions) {
    INFO(q.id);
    ++per_topic[q.topic];
    CHECK(std::regex_match(q.source, source));  // the seed file and its section, so a teacher can find it
    CHECK(!q.hint.en.empty());
    CHECK(!q.hint.ja.empty());
    CHECK(q.prompt.en != q.prompt.ja);  // both languages written, not one copied
    for (size_t c = 0; c < q.choices.size(); ++c) CHECK((int(c) == q.answer) == q.why[c].en.empty());
    CHECK(q.choices.size() >= 3);
    for (const Text* t : {&q.prompt, &q.hint}) CHECK(t->en.find('|') == std::string::npos);  // "|" parts a choice's languages
    for (const Text& t : q.choices) CHECK((t.en + t.ja).find('|') == std::string::npos);
  }
  CHECK(b.questions.size() >= 80);
  CHECK(per_topic[Topic::concepts] >= 30);
  CHECK(per_topic[Topic::concepts2] >= 25);
  CHECK(per_topic[Topic::concepts3] >= 20);
  // The six questions the bank began with are still asked.
  std::set<std::string> prompts;
  for (const BankQuestion& q : b.questions) prompts.insert(q.prompt.en);
  const std::string right_answers[] = {"the weights W and the biases b", "10"};
  for (const std::string& a : right_answers)
    CHECK(std::any_of(b.questions.begin(), b.questions.end(), [&](const BankQuestion& q) { return q.choices[size_t(q.answer)].en.find(a) != std::string::npos; }));
}

TEST_CASE("a concept question shows its choices shuffled, the right one marked, and why each wrong one is wrong") {
  Bank mine = parse_bank(teacher_bank(1));
  QuizOptions o;
  o.bank = &mine, o.count = 1;
  std::set<int> places;
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    o.seed = seed;
    Question q = generate_quiz(o)[0];
    places.insert(q.correct);
    CHECK(q.choice(size_t(q.correct), Lang::en) == "right");
    CHECK(q.choice(size_t(q.correct), Lang::ja) == "right");  // one string: both languages
    // The working names each wrong choice by the letter it is shown under, with its reason.
    std::string expect_en, expect_ja;
    for (size_t c = 0; c < 3; ++c) {
      if (int(c) == q.correct) continue;
      const std::string letter(1, char('A' + c));
      const bool a = q.choice(c, Lang::en) == "wrong a";
      expect_en += (expect_en.empty() ? "" : "\n") + letter + ") " + q.choice(c, Lang::en) + ": " + (a ? "because a" : "because b");
      expect_ja += (expect_ja.empty() ? "" : "\n") + letter + ") " + q.choice(c, Lang::ja) + ": " + (a ? "because a" : "b だから");
    }
    CHECK(q.working.en == expect_en);
    CHECK(q.working.ja == expect_ja);
    CHECK(q.id == "t-1");
  }
  CHECK(places.size() == 3);  // the right answer is not always in one place
}

TEST_CASE("no question twice in a sheet while the bank has others: 500 sheets") {
  for (uint64_t seed = 1; seed <= 500; ++seed) {
    QuizOptions o;
    o.seed = seed, o.count = 20;
    o.topics = seed % 2 ? std::vector<Topic>{} : std::vector<Topic>{Topic::concepts, Topic::concepts2, Topic::concepts3};
    std::set<std::string> prompts;
    for (const Question& q : generate_quiz(o)) {
      INFO("seed " << seed << ": " << q.prompt.en);
      CHECK(prompts.insert(q.prompt.en).second);
    }
  }
  // A bank of 5 in a sheet of 5 asks each once; a sheet of 7 must repeat two, and asks all five.
  Bank mine = parse_bank(teacher_bank(5));
  QuizOptions o;
  o.bank = &mine, o.count = 5, o.seed = 9;
  std::set<std::string> ids;
  for (const Question& q : generate_quiz(o)) ids.insert(q.id);
  CHECK(ids.size() == 5);
  o.count = 7;
  ids.clear();
  for (const Question& q : generate_quiz(o)) ids.insert(q.id);
  CHECK(ids.size() == 5);
}

TEST_CASE("a teacher's bank: its topics unless others are named, and the same sheet from the same seed") {
  Bank mine = parse_bank(teacher_bank(4, "concepts2"));
  CHECK(mine.name == "My class");
  CHECK(mine.topics() == std::vector<Topic>{Topic::concepts2});
  QuizOptions o;
  o.bank = &mine, o.count = 4, o.seed = 3;
  for (const Question& q : generate_quiz(o)) CHECK(q.id.rfind("t-", 0) == 0);
  CHECK(quiz_json(generate_quiz(o), Lang::ja) == quiz_json(generate_quiz(o), Lang::ja));
  o.topics = {Topic::concepts2, Topic::local};
  std::set<Topic> seen;
  o.count = 30;
  for (const Question& q : generate_quiz(o)) seen.insert(q.topic);
  CHECK(seen == std::set<Topic>{Topic::concepts2, Topic::local});
  o.topics = {Topic::concepts3};
  CHECK_THROWS_WITH_AS(generate_quiz(o), "the question bank 'My class' has no questions of topic concepts3", InputError);
}

TEST_CASE("a bank file's mistakes are named with their key, line and column") {
  const std::string good = teacher_bank(2);
  CHECK(parse_bank(good).questions.size() == 2);
  auto with = [&](const std::string& from, const std::string& to) {
    std::string t = good;
    size_t at = t.find(from);
    REQUIRE(at != std::string::npos);
    return t.replace(at, from.size(), to);
  };
  // The file, as a teacher would write it: the line and column of the key at fault.
  CHECK(error_of(with("\"title\"", "\"titel\"")) ==
        "line 4, column 3: the question bank has an unknown key \"titel\" (the keys are: kobai, topic, title, questions)");
  CHECK(error_of(with("\"answer\": 1}", "\"answer\": 1, \"anser\": 2}")) ==
        "line 8, column 19: question 1 has an unknown key \"anser\" (the keys are: id, source, prompt, choices, answer, hint)");
  CHECK(error_of(with("\"answer\": 1}", "\"answer\": 3}")) ==
        "line 8, column 6: question 1 (t-1): \"answer\" must be the right choice's place in the list, 0 to 2 (0 is the first)");
  CHECK(error_of(with(", \"why\": \"because a\"", "")) ==
        "line 7, column 18: question 1 (t-1)'s choice 1 is wrong: give its \"why\", the reason a student should not choose it");
  CHECK(error_of(with("\"right\"", "{\"en\": \"right\", \"ja\": \"正しい\", \"why\": \"no\"}")) ==
        "line 7, column 100: question 1 (t-1)'s choice 2 is the answer, so it has no \"why\" (a wrong choice says why it is wrong)");
  CHECK(error_of(with("\"concepts\"", "\"day4\"")) ==
        "line 3, column 3: the bank's \"topic\" must be one of concepts, concepts2, concepts3 (day 1's, day 2's or day 3's concept questions), not 'day4'");
  CHECK(error_of(with("\"t-2\"", "\"t-1\"")) == "line 9, column 6: question 2: the id 't-1' is already used by an earlier question");
  CHECK(error_of(with("\"prompt\": \"Question 2?\"", "\"prompt\": {\"en\": \"Question 2?\"}")) ==
        "line 9, column 19: question 2 (t-2)'s prompt must be a string or {\"en\": \"...\", \"ja\": \"...\"}");
  CHECK(error_of(with("questions\",\n  \"topic", "lesson\",\n  \"topic")) ==
        "line 2, column 3: a question bank starts {\"kobai\": \"questions\", ...}: that is how kobai knows the file");
  CHECK(error_of(good.substr(0, good.size() - 4)).rfind("the question bank is not valid JSON (line ", 0) == 0);
  CHECK(error_of("[]") == "the question bank must be a JSON object {\"kobai\": \"questions\", ...}");
  CHECK(error_of(with("\"answer\": 1}", "\"answer\": 1.5}")).find("\"answer\" must be the right choice's place") != std::string::npos);
  // Absurd sizes are refused with the limit.
  std::string huge = with("\"Question 1?\"", "\"" + std::string(2001, 'x') + "\"");
  CHECK(error_of(huge) == "line 6, column 19: question 1 (t-1)'s prompt is 2001 bytes long; a text is at most 2000");
  CHECK(is_bank_text(good));
  CHECK(!is_bank_text("{\"id\": \"x\", \"expr\": \"y = x\"}"));
  CHECK(!is_bank_text("not json"));
}
