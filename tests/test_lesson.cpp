// The built-in lessons, with the numbers the book and the course notes print.
#include "helpers.h"
#include "lesson.h"

using namespace kobai;
using namespace kobai::test;

namespace {

Graph lesson(const char* id) {
  const Lesson* l = find_lesson(id);
  REQUIRE_MESSAGE(l, "no lesson " << id);
  return build(l->expr, l->inputs);
}
double g(const Graph& gr, const char* name) { return grad_of(gr, name)(0, 0); }

}  // namespace

TEST_CASE("there are ten lessons, each with goals in both languages, and each builds") {
  CHECK(builtin_lessons().size() == 10);
  for (const Lesson& l : builtin_lessons()) {
    INFO(l.id);
    CHECK(!l.title_en.empty());
    CHECK(!l.title_ja.empty());
    CHECK(!l.goal_en.empty());
    CHECK(!l.goal_ja.empty());
    CHECK_NOTHROW(build(l.expr, l.inputs));
  }
}

TEST_CASE("apple: 220; gradients 2.2, 110, 200") {
  Graph a = lesson("apple");
  CHECK(format_number(value_of(a)) == "220");
  CHECK(g(a, "apple") == doctest::Approx(2.2).epsilon(1e-14));
  CHECK(g(a, "num") == doctest::Approx(110).epsilon(1e-14));
  CHECK(g(a, "tax") == doctest::Approx(200).epsilon(1e-14));
}

TEST_CASE("apple and orange: 715; gradients 2.2, 110, 3.3, 165, 650") {
  Graph a = lesson("apple_orange");
  CHECK(format_number(value_of(a)) == "715");
  CHECK(g(a, "apple") == doctest::Approx(2.2).epsilon(1e-14));
  CHECK(g(a, "num_a") == doctest::Approx(110).epsilon(1e-14));
  CHECK(g(a, "orange") == doctest::Approx(3.3).epsilon(1e-14));
  CHECK(g(a, "num_o") == doctest::Approx(165).epsilon(1e-14));
  CHECK(g(a, "tax") == doctest::Approx(650).epsilon(1e-14));
}

TEST_CASE("chain rule: y = (x1 + x2)^2, ∂y/∂x1 = 2(x1 + x2)") {
  Graph c = lesson("chain_rule");
  CHECK(value_of(c) == 9);
  CHECK(g(c, "x1") == 6);
  CHECK(g(c, "x2") == 6);
}

TEST_CASE("sigmoid from small nodes: ∂y/∂x = y(1 − y), the sigmoid node's rule") {
  Graph s = lesson("sigmoid_nodes");
  double y = value_of(s);
  CHECK(g(s, "x") == doctest::Approx(y * (1 - y)).epsilon(1e-14));
  CHECK(format_number(g(s, "x")) == "0.196612");
  CHECK(g(s, "x") == doctest::Approx(g(build("y = sigmoid(x)", {{"x", S(1)}}), "x")).epsilon(1e-14));
}

TEST_CASE("ReLU passes at 3 and stops at −2") {
  Graph r = lesson("relu");
  CHECK(g(r, "a") == 1);
  CHECK(g(r, "b") == 0);
}

TEST_CASE("affine on a batch: dX = dout·Wᵀ, dW = Xᵀ·dout, db = the sum of dout's rows") {
  const Lesson* l = find_lesson("affine");
  Graph a = lesson("affine");
  const Mat &X = l->inputs.at("X"), &W = l->inputs.at("W"), &b = l->inputs.at("b"), &T = l->inputs.at("T");
  Mat Y = (X * W).rowwise() + b.row(0);
  Mat dout = (Y - T) / double(X.rows());  // mse's gradient: (Y − T) / N, N = 2 rows
  CHECK((grad_of(a, "X") - dout * W.transpose()).cwiseAbs().maxCoeff() < 1e-12);
  CHECK((grad_of(a, "W") - X.transpose() * dout).cwiseAbs().maxCoeff() < 1e-12);
  CHECK((grad_of(a, "b") - dout.colwise().sum()).cwiseAbs().maxCoeff() < 1e-12);
}

TEST_CASE("softmax with loss: the book's softmax [0.01821127, 0.24519181, 0.73659691]; gradient (y − t)/N") {
  Graph s = lesson("softmax_with_loss");
  Mat d = grad_of(s, "a");
  // row 1 has t = [0, 0, 1]; N = 2
  CHECK(d(0, 0) * 2 == doctest::Approx(0.01821127).epsilon(1e-7));
  CHECK(d(0, 1) * 2 == doctest::Approx(0.24519181).epsilon(1e-7));
  CHECK(d(0, 2) * 2 + 1 == doctest::Approx(0.73659691).epsilon(1e-7));
  double y2 = std::exp(1.0) / (std::exp(1.0) + std::exp(2.0) + std::exp(0.5));
  CHECK(value_of(s) == doctest::Approx((-std::log(0.73659691) - std::log(y2)) / 2).epsilon(1e-8));
}

TEST_CASE("squared error from its parts: the book's 0.0975, the same as mse") {
  const Lesson* l = find_lesson("squared_error");
  Graph e = lesson("squared_error");
  CHECK(value_of(e) == doctest::Approx(0.0975).epsilon(1e-14));
  Graph m = build("L = mse(y, t)", l->inputs);
  CHECK(value_of(m) == doctest::Approx(value_of(e)).epsilon(1e-14));
  CHECK((grad_of(e, "y") - (l->inputs.at("y") - l->inputs.at("t"))).cwiseAbs().maxCoeff() < 1e-15);
}

TEST_CASE("tanh from exp nodes: dy/dx = 1 − y², the tanh node's rule") {
  Graph t = lesson("tanh");
  double y = value_of(t);
  CHECK(y == doctest::Approx(std::tanh(0.5)).epsilon(1e-14));
  CHECK(g(t, "x") == doctest::Approx(1 - y * y).epsilon(1e-12));
  CHECK(format_number(g(t, "x")) == "0.786448");
}

TEST_CASE("a teacher's lesson file: good and bad") {
  Lesson l = parse_lesson(R"({"id": "mine", "title": "Mine", "goal": {"en": "g", "ja": "目標"},
                              "expr": ["y = w * x"], "inputs": {"w": 2, "x": [1, 2]}, "params": ["w"], "lr": 0.1})");
  CHECK(l.id == "mine");
  CHECK(l.title(Lang::ja) == "Mine");
  CHECK(l.goal(Lang::ja) == "目標");
  CHECK(l.inputs.at("x").cols() == 2);
  CHECK(l.params == std::vector<std::string>{"w"});
  CHECK_THROWS_WITH_AS(parse_lesson("{"), doctest::Contains("the lesson is not valid JSON"), InputError);
  CHECK_THROWS_WITH_AS(parse_lesson("[]"), "the lesson must be a JSON object {...}", InputError);
  CHECK_THROWS_WITH_AS(parse_lesson(R"({"title": "t"})"), "the lesson has no \"id\" string", InputError);
  CHECK_THROWS_WITH_AS(parse_lesson(R"({"id": "a", "title": "t", "goal": "g"})"), "the lesson has no \"expr\"", InputError);
  CHECK_THROWS_WITH_AS(parse_lesson(R"({"id": "a", "title": "t", "goal": "g", "expr": 3})"),
                       "the lesson's \"expr\" must be a string or a list of lines", InputError);
  CHECK_THROWS_WITH_AS(parse_lesson(R"({"id": "a", "title": "t", "goal": "g", "expr": "y=x", "inputs": {"x": "one"}})"),
                       "input 'x': expected a number, [a, b, ...] or [[a, b], [c, d]]", InputError);
  CHECK_THROWS_WITH_AS(parse_lesson(R"({"id": "a", "title": 1, "goal": "g", "expr": "y=x"})"),
                       "the lesson's \"title\" must be a string or {\"en\": ..., \"ja\": ...}", InputError);
  CHECK_THROWS_WITH_AS(parse_lesson(R"({"id": "a", "title": "t", "goal": "g", "expr": "y=x", "lr": "fast"})"),
                       "the lesson's \"lr\" must be a number", InputError);
}

TEST_CASE("a lesson file that is not JSON gets kobai's words, with the line and column") {
  auto message = [](const std::string& text) -> std::string {
    try {
      parse_lesson(text);
    } catch (const InputError& e) {
      return e.what();
    }
    return "";
  };
  CHECK(message("{\"id\": \"x\",\n \"title\": \"t\" \"goal\": \"g\"}") ==
        "the lesson is not valid JSON (line 2, column 20): unexpected text");  // the end of "goal"
  CHECK(message("{\"id\": \"x\",\n \"title\": \"t\"") ==
        "the lesson is not valid JSON (line 2, column 14): it ends too early (is a '}', ']' or '\"' missing?)");
  CHECK(message("") == "the lesson is not valid JSON: it is empty");
  CHECK(message("{\"id\": \"x\",\n \"inputs\": {\"x\": 1e400}}") ==
        "the lesson is not valid JSON (line 2, column 22): a number is too large for a double (at most about 1.8e308)");
  CHECK(message("{\"id\": \"x\",\n \"inputs\": {\"x\": -1" + std::string(400, '0') + "}}").find(
            "(line 2, column 419): a number is too large for a double") != std::string::npos);
  for (const char* bad : {"{", "[1, 2", "{\"a\": tru}", "\"\\x\"", "{\"a\" 1}", "\xff", "1e999", "{\"id\": 1e400}"}) {
    std::string m = message(bad);
    INFO(bad << " -> " << m);
    CHECK(m.rfind("the lesson ", 0) == 0);
    CHECK(m.find("json") == std::string::npos);  // no "[json.exception.parse_error.101]"
  }
  std::string long_line = "{\"id\": \"" + std::string(5000, 'x') + "\" \"title\": 1}";
  CHECK(message(long_line).size() < 200);
}

TEST_CASE("a lesson file's keys: unknown ones refused, params and a positive lr together") {
  const std::string head = R"({"id": "a", "title": "t", "goal": "g", "expr": "y = w * x", "inputs": {"w": 1, "x": 2})";
  auto message = [&](const std::string& rest) -> std::string {
    try {
      parse_lesson(head + rest + "}");
    } catch (const InputError& e) {
      return e.what();
    }
    return "";
  };
  CHECK(message(R"(, "param": ["w"])") ==
        "the lesson has an unknown key \"param\" (the keys are: id, title, goal, expr, inputs, params, lr)");
  CHECK(message(R"(, "params": ["w"])") == "the lesson's \"params\" need an \"lr\" (the learning rate, e.g. 0.1)");
  CHECK(message(R"(, "lr": 0.1)") == "the lesson's \"lr\" needs \"params\" (the inputs it trains)");
  CHECK(message(R"(, "params": ["w"], "lr": -0.1)") == "the lesson's \"lr\" must be greater than 0, not -0.1");
  CHECK(message(R"(, "params": ["w"], "lr": 0)") == "the lesson's \"lr\" must be greater than 0, not 0");
  CHECK(message(R"(, "params": ["w"], "lr": 0.1)") == "");
  CHECK_THROWS_WITH_AS(parse_lesson(R"({"id": "a", "title": {"en": "t", "fr": "t"}, "goal": "g", "expr": "y"})"),
                       "the lesson's \"title\" has an unknown key \"fr\" (the keys are en and ja)", InputError);
}

TEST_CASE("each line of a lesson's expr knows the line of the file it is written on") {
  Lesson l = parse_lesson("{\"id\": \"a\", \"title\": \"t\", \"goal\": \"g\",\n \"expr\": [\n  \"u = x * 2\",\n\n  \"y = u\"\n ]}");
  CHECK(l.expr_file_lines == std::vector<int>{3, 5});
  Lesson s = parse_lesson("{\"id\": \"a\", \"title\": \"t\", \"goal\": \"g\",\n\n \"expr\": \"u = x\\ny = u\"}");
  CHECK(s.expr_file_lines == std::vector<int>{3, 3});
  Lesson e = parse_lesson(R"({"id": "a", "title": "t", "goal": "g", "expr": "\u0079 = x"})");  // escapes: unknown
  CHECK(e.expr_file_lines.empty());
}

TEST_CASE("a value typed after --at: its messages are kobai's and bounded") {
  CHECK_THROWS_WITH_AS(parse_value("1e400"), "'1e400' is not a value: a number is too large for a double (at most about "
                                             "1.8e308); write a number, [1, 2] or [[1, 2], [3, 4]]", InputError);
  CHECK_THROWS_WITH_AS(parse_value("[1, 2"), doctest::Contains("'[1, 2' is not a value: it ends too early"), InputError);
  CHECK_THROWS_WITH_AS(parse_value("[1,,2]"), doctest::Contains("'[1,,2]' is not a value: unexpected text at column 4"), InputError);
  std::string big = "[" + std::string(50000, '1') + ",]";
  try {
    parse_value(big);
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()).size() < 300);
  }
  std::string arg(50000, 'a');
  CHECK_THROWS_WITH_AS(parse_assignment(arg), doctest::Contains("…' should be NAME=VALUE, e.g. apple=100"), InputError);
}
