// Quiz progress: counting, keeping it across reloads, refusing a damaged store, the teacher's CSV.
#include "helpers.h"
#include "progress.h"

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

TEST_CASE("a damaged store is refused with a message") {
  CHECK_THROWS_WITH_AS(progress_from_json("{garbage"), "the saved progress is not valid JSON", InputError);
  CHECK_THROWS_WITH_AS(progress_from_json("{\"version\": 2}"), "the saved progress has an unknown version", InputError);
  CHECK_THROWS_WITH_AS(progress_from_json("{\"version\": 1, \"right\": 1}"), doctest::Contains("the saved progress is damaged"), InputError);
  CHECK_THROWS_WITH_AS(progress_from_json(R"({"version": 1, "right": 5, "answered": 2, "streak": 0, "best_streak": 0, "topics": {}, "log": [], "mistakes": []})"),
                       "the saved progress has impossible counts", InputError);
}

TEST_CASE("the CSV a teacher downloads: one row per answer, quoted") {
  Progress p;
  p.record({"step", "a \"quoted\" question, with a comma", "2.2", "2.2", true, 0});
  CHECK(progress_csv(p) ==
        "topic,question,answer given,correct answer,right,time\r\n"
        "\"step\",\"a \"\"quoted\"\" question, with a comma\",\"2.2\",\"2.2\",yes,1970-01-01T00:00:00Z\r\n");
}
