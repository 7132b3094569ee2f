// Quizzes: reading answers, marking them, and questions whose answers are checked independently.
#include "helpers.h"
#include "quiz.h"

#include <set>

using namespace kobai;
using namespace kobai::test;

TEST_CASE("answers: numbers, fractions, small arithmetic, matrices") {
  CHECK(read_answer("2.2").value == S(2.2));
  CHECK(read_answer(" -1/4 ").value == S(-0.25));
  CHECK(read_answer("1.1*2").value(0, 0) == doctest::Approx(2.2));
  CHECK(read_answer("3e-1").value(0, 0) == doctest::Approx(0.3));
  CHECK(read_answer("(1 + 2) / 3").value == S(1));
  CHECK(read_answer("[[1, 2], [3, -1/2]]").value == M({{1, 2}, {3, -0.5}}));
  CHECK(read_answer("[1, 2*3, 4]").value == M({{1, 6, 4}}));
  CHECK(read_shape("3x4").value == M({{3, 4}}));
  CHECK(read_shape("3 × 4").value == M({{3, 4}}));
  CHECK(read_shape("(3, 4)").value == M({{3, 4}}));
}

TEST_CASE("an answer that cannot be read says what, and is not counted wrong") {
  CHECK(read_answer("").problem == "the answer is empty");
  CHECK(read_answer("x").problem == "'x' is a name; an answer is made of numbers only");
  CHECK(read_answer("1/").problem.find("could not read '1/'") == 0);
  CHECK(read_answer("2..2").problem.find("could not read") == 0);
  CHECK(read_answer("[[1, 2], [3]]").problem == "row 2 has 1 entries, row 1 has 2");
  CHECK(read_answer("[1, 2").problem == "a '[' is not closed by ']'");
  CHECK(read_answer("[[1, 2], [3, a]]").problem == "row 2, entry 2: 'a' is a name; an answer is made of numbers only");
  CHECK(read_shape("three by four").problem == "write a shape as rows x columns, e.g. 3x4");
  CHECK(mark("abc", S(1)).verdict == Verdict::Unreadable);
}

TEST_CASE("marking: relative 1e-3, absolute 1e-6 near zero, shapes must match") {
  CHECK(mark("2.2", S(2.2000000000000002)).verdict == Verdict::Right);
  CHECK(mark("2.201", S(2.2)).verdict == Verdict::Right);   // 4.5e-4 relative
  CHECK(mark("2.21", S(2.2)).verdict == Verdict::Wrong);    // 4.5e-3 relative
  CHECK(mark("0", S(5e-7)).verdict == Verdict::Right);
  CHECK(mark("0", S(5e-3)).verdict == Verdict::Wrong);
  CHECK(mark("1/3", S(0.3333)).verdict == Verdict::Right);
  Marked m = mark("[1, 2]", M({{1}, {2}}));
  CHECK(m.verdict == Verdict::Wrong);
  CHECK(m.message == "expected a 2x1 value, got 1x2");
}

TEST_CASE("the same seed gives the same questions; another seed others") {
  QuizOptions o;
  o.seed = 42, o.count = 30;
  std::string a = quiz_json(generate_quiz(o), Lang::en), b = quiz_json(generate_quiz(o), Lang::en);
  CHECK(a == b);
  o.seed = 43;
  CHECK(quiz_json(generate_quiz(o), Lang::en) != a);
  // A fixed seed's first question, as the CLI and the page (a different C++ library) must both print it.
  o.seed = 7, o.count = 1;
  CHECK(generate_quiz(o)[0].prompt.en == "y = x * x + a * x with x = 0.9, a = -1.9. x is used more than once: what is ∂y/∂x?");
}

TEST_CASE("a sheet does not repeat a question") {
  QuizOptions o;
  o.seed = 3, o.count = 6, o.topics = {Topic::concepts};
  std::set<std::string> prompts;
  for (const Question& q : generate_quiz(o)) prompts.insert(q.prompt.en);
  CHECK(prompts.size() == 6);
}

TEST_CASE("every generated answer checks out independently") {
  for (int difficulty = 1; difficulty <= 3; ++difficulty)
    for (uint64_t seed = 1; seed <= 20; ++seed) {
      QuizOptions o;
      o.seed = seed, o.count = 24, o.difficulty = difficulty;
      std::set<Topic> seen;
      for (const Question& q : generate_quiz(o)) {
        seen.insert(q.topic);
        INFO("seed " << seed << ": " << q.prompt.en);
        switch (q.kind) {
          case AnswerKind::Number: {
            // the central-difference gradient of the stored graph, not the engine's backprop
            Graph g = build(q.expr, q.inputs);
            for (const GradCheck& c : gradient_check(g))
              if (c.input == q.wrt) {
                CHECK(mark(format_matrix(c.numerical), q.value).verdict == Verdict::Right);
                CHECK(c.rel_error < 1e-6);
              }
            CHECK(mark(format_number(q.value(0, 0)), q.value).verdict == Verdict::Right);
            break;
          }
          case AnswerKind::Shape: {
            // build the affine layer at those shapes (a batch of 2 stands for any) and read off the gradient's shape
            const std::string& p = q.prompt.en;
            int n = std::stoi(p.substr(p.find("X is ") + 5)), d = std::stoi(p.substr(p.find("x", p.find("X is ")) + 1));
            int m = std::stoi(p.substr(p.find("b is 1x") + 7));
            Graph g = build("L = sum(affine(X, W, b))", {{"X", Mat::Ones(std::min(n, 256), d)}, {"W", Mat::Ones(d, m)}, {"b", Mat::Ones(1, m)}});
            std::string which = p.substr(p.find("shape of ∂L/∂") + std::string("shape of ∂L/∂").size(), 1);
            Mat grad = grad_of(g, which);
            CHECK(q.value(0, 1) == grad.cols());
            CHECK((which == "X" ? n : int(grad.rows())) == int(q.value(0, 0)));
            break;
          }
          case AnswerKind::Choice:
            REQUIRE(q.choices.size() == 4);
            CHECK(std::set<std::string>(q.choices.begin(), q.choices.end()).size() == 4);
            CHECK(q.correct >= 0);
            CHECK(q.correct < 4);
            break;
        }
        CHECK(!q.prompt.ja.empty());
        CHECK(!q.hint.en.empty());
      }
      if (difficulty == 2 && seed == 1) CHECK(seen.size() == all_topics().size());
    }
}

TEST_CASE("the right choice for the local derivatives is the book's rule") {
  QuizOptions o;
  o.topics = {Topic::local}, o.count = 60;
  int sigmoid = 0;
  for (const Question& q : generate_quiz(o))
    if (q.prompt.en.find("σ(x)") != std::string::npos) {
      ++sigmoid;
      CHECK(q.choices[q.correct] == "y(1 − y)");
    }
  CHECK(sigmoid > 0);
}

TEST_CASE("quiz options: bad values are refused with a message") {
  QuizOptions o;
  o.count = 0;
  CHECK_THROWS_WITH_AS(generate_quiz(o), "the number of questions must be from 1 to 500, not 0", InputError);
  o.count = 5, o.difficulty = 7;
  CHECK_THROWS_WITH_AS(generate_quiz(o), "the difficulty must be 1, 2 or 3, not 7", InputError);
  CHECK_THROWS_WITH_AS(parse_topic("calculus"), "unknown topic 'calculus'; the topics are: local, step, graph, fanin, shapes, concepts", InputError);
}

TEST_CASE("one seed range everywhere: 0 to 2^53 - 1, refused past it with the range named") {
  CHECK(parse_seed("0", "--seed") == 0);
  CHECK(parse_seed("9007199254740991", "--seed") == kMaxSeed);
  CHECK(parse_seed("00000000000000000000007", "--seed") == 7);  // leading zeros do not make it too large
  CHECK(parse_seed("000", "--seed") == 0);
  for (const char* bad : {"9007199254740992", "18446744073709551616", "-1", "", "1e3", "abc"}) {
    CHECK_THROWS_WITH_AS(parse_seed(bad, "the link's quiz"), doctest::Contains("the link's quiz must be a whole number from 0 to 9007199254740991"), InputError);
  }
}
