// Quiz progress: counting, keeping it across reloads, refusing a damaged store, the teacher's CSV.
#include "helpers.h"
#include "progress.h"

#include <nlohmann/json.hpp>

using namespace kobai;

TEST_CASE("progress counts score, streak and accuracy per topic, and keeps mistakes") {
  Progress p;
  p.record({"step", "q1", "2.2", "2.2", true, 0});
  p.record({"step", "q2", "1", "3", false, 0});
  p.record({"local", "q3", "A", "A", true, 0});
  p.record({"local", "q4", "B", "B", true, 0});
  CHECK(p.right == 3);
  CHECK(p.answered == 4);
  CHECK(p.streak == 2);
  CHECK(p.best_streak == 2);
  CHECK(p.topics["step"] == std::make_pair(1, 2));
  CHECK(p.topics["local"] == std::make_pair(2, 2));
  REQUIRE(p.mistakes.size() == 1);
  CHECK(p.mistakes[0].question == "q2");
}

TEST_CASE("progress survives a round trip through its saved form") {
  Progress p;
  p.record({"fanin", "y = x * x, \"x\" = 3", "6", "6", true, 1700000000});
  p.record({"shapes", "dW?", "3x3", "2x4", false, 1700000060});
  Progress q = progress_from_json(progress_json(p));
  CHECK(progress_json(q) == progress_json(p));
}

// A real saved store (3 right of 4 answered, best streak 2) with one field replaced by the given JSON, or removed.
static std::string saved(const std::string& key = "", const std::string& value = "") {
  Progress p;
  p.record({"fanin", "q1", "2", "2", true, 0});
  p.record({"fanin", "q2", "1", "3", false, 0});
  p.record({"local", "q3", "A", "A", true, 0});
  p.record({"local", "q4", "B", "B", true, 0});
  nlohmann::json j = nlohmann::json::parse(progress_json(p));
  if (value.empty() && !key.empty()) j.erase(key);
  else if (!key.empty()) j[key] = nlohmann::json::parse(value);
  return j.dump();
}

TEST_CASE("a damaged store is refused in kobai's own words, never a JSON library's") {
  CHECK_NOTHROW(progress_from_json(saved()));
  CHECK_THROWS_WITH_AS(progress_from_json("{garbage"), "the saved progress is not valid JSON", InputError);
  CHECK_THROWS_WITH_AS(progress_from_json("[1, 2]"), "the saved progress is not a JSON object {...}", InputError);
  CHECK_THROWS_WITH_AS(progress_from_json("{}"), "the saved progress has no \"version\"", InputError);
  CHECK_THROWS_WITH_AS(progress_from_json("{\"version\": 2}"), "the saved progress has an unknown version (2)", InputError);
  CHECK_THROWS_WITH_AS(progress_from_json("{\"version\": \"one\"}"), "the saved progress has an unknown version (\"one\")", InputError);
  CHECK_THROWS_WITH_AS(progress_from_json("{\"version\": 1, \"right\": 1}"), "the saved progress has no \"answered\"", InputError);
  for (const char* key : {"right", "answered", "streak", "best_streak", "topics", "log", "mistakes"})
    CHECK_THROWS_WITH_AS(progress_from_json(saved(key)), (std::string("the saved progress has no \"") + key + "\"").c_str(), InputError);
}

TEST_CASE("impossible counts are refused: every count whole, none negative, right within answered, topics within the totals") {
  CHECK_THROWS_WITH_AS(progress_from_json(saved("right", "-1")),
                       "the saved progress's \"right\" must be a whole number from 0 to 1000000000, not -1", InputError);
  CHECK_THROWS_WITH_AS(progress_from_json(saved("answered", "2.5")), doctest::Contains("\"answered\" must be a whole number"), InputError);
  CHECK_THROWS_WITH_AS(progress_from_json(saved("answered", "1e10")), doctest::Contains("\"answered\" must be a whole number"), InputError);
  CHECK_THROWS_WITH_AS(progress_from_json(saved("streak", "\"2\"")), doctest::Contains("\"streak\" must be a whole number"), InputError);
  CHECK_THROWS_WITH_AS(progress_from_json(saved("streak", "null")), doctest::Contains("not null"), InputError);
  CHECK(progress_from_json(saved("answered", "4.0")).answered == 4);  // JSON's 4.0 is whole
  CHECK_THROWS_WITH_AS(progress_from_json(saved("right", "5")), "the saved progress's \"right\" (5) is more than its \"answered\" (4)", InputError);
  CHECK_THROWS_WITH_AS(progress_from_json(saved("streak", "3")), "the saved progress's \"streak\" (3) is more than its \"best_streak\" (2)", InputError);
  CHECK_THROWS_WITH_AS(progress_from_json(saved("best_streak", "4")), "the saved progress's \"best_streak\" (4) is more than its \"right\" (3)", InputError);
  // The store: a topic of 1e9 right out of −3 answered showed as −33333333333%.
  CHECK_THROWS_WITH_AS(progress_from_json(saved("topics", "{\"fanin\": [1e9, -3]}")),
                       "the saved progress's \"topics.fanin[1]\" must be a whole number from 0 to 1000000000, not -3", InputError);
  CHECK_THROWS_WITH_AS(progress_from_json(saved("topics", "{\"fanin\": [3, 2]}")), doctest::Contains("\"topics.fanin[0]\" (3) is more than"), InputError);
  CHECK_THROWS_WITH_AS(progress_from_json(saved("topics", "{\"fanin\": [1, 3], \"local\": [1, 2]}")),
                       "the saved progress's \"topics (answered)\" (5) is more than its \"answered\" (4)", InputError);
  CHECK_THROWS_WITH_AS(progress_from_json(saved("topics", "{\"fanin\": [2, 2], \"local\": [2, 2]}")),
                       "the saved progress's \"topics (right)\" (4) is more than its \"right\" (3)", InputError);
  CHECK_THROWS_WITH_AS(progress_from_json(saved("topics", "{\"fanin\": 7}")), "the saved progress's topic 'fanin' must be [right, answered], two whole numbers", InputError);
  CHECK_THROWS_WITH_AS(progress_from_json(saved("topics", "[]")), "the saved progress's \"topics\" must be an object {\"topic\": [right, answered]}", InputError);
  CHECK_THROWS_WITH_AS(progress_from_json(saved("log", "[{\"topic\": 1}]")), doctest::Contains("\"log\" entry 1 is not an answer"), InputError);
  CHECK_THROWS_WITH_AS(progress_from_json(saved("mistakes", "{}")), "the saved progress's \"mistakes\" must be a list", InputError);
}

TEST_CASE("a damaged store's message quotes at most about 80 characters of it, in the student's language") {
  std::string huge = "\"" + std::string(100000, 'x') + "\"";
  try {
    progress_from_json(saved("right", huge));
    FAIL("accepted");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()).size() < 200);
  }
  CHECK_THROWS_WITH_AS(progress_from_json("{}", Lang::ja), "保存された記録に「version」がない", InputError);
  CHECK_THROWS_WITH_AS(progress_from_json(saved("right", "5"), Lang::ja), "保存された記録の「right」(5) が「answered」(4) より多い", InputError);
}

TEST_CASE("the CSV a teacher downloads: one row per answer, quoted, with the student's name and the sheet") {
  Progress p;
  p.record({"step", "a \"quoted\" question, with a comma", "2.2", "2.2", true, 0, "seed 7, difficulty 2, 10 questions"});
  p.record({"walkthrough", "walkthrough: y (∂(x·w)/∂x = w)", "3", "2", false, 60});
  CHECK(progress_csv(p, "Sato, Hana") ==
        "name,sheet,topic,question,answer given,correct answer,right,time\r\n"
        "\"Sato, Hana\",\"seed 7, difficulty 2, 10 questions\",\"step\",\"a \"\"quoted\"\" question, with a comma\",\"2.2\",\"2.2\",yes,1970-01-01T00:00:00Z\r\n"
        "\"Sato, Hana\",\"\",\"walkthrough\",\"walkthrough: y (∂(x·w)/∂x = w)\",\"3\",\"2\",no,1970-01-01T00:01:00Z\r\n");
  // The sheet is kept in the store; a store saved before sheets were recorded still loads.
  Progress back = progress_from_json(progress_json(p));
  CHECK(back.log[0].sheet == "seed 7, difficulty 2, 10 questions");
  CHECK(back.log[1].sheet.empty());
  std::string old = progress_json(p);
  old.erase(old.find(",\"sheet\":\"seed 7, difficulty 2, 10 questions\""), std::string(",\"sheet\":\"seed 7, difficulty 2, 10 questions\"").size());
  CHECK(progress_from_json(old).log[0].sheet.empty());
}

TEST_CASE("a store nested 300,000 deep is refused with a message, not a stack overflow") {
  // localStorage may hold 4 MB: enough for a list two million levels deep where a count or the version goes.
  // 300,000 is already far past any stack a recursive printer would need.
  std::string deep = std::string(300000, '[') + std::string(300000, ']');
  std::string text = saved("right", "12345");  // then spliced as text: dumping it would recurse here too
  text.replace(text.find("12345"), 5, deep);
  CHECK_THROWS_WITH_AS(progress_from_json(text),
                       doctest::Contains("\"right\" must be a whole number from 0 to 1000000000, not a list"), InputError);
  CHECK_THROWS_WITH_AS(progress_from_json("{\"version\": " + deep + "}", Lang::ja),
                       doctest::Contains("(リスト)"), InputError);
}
