// The expression language: what parses, what it means, and the message every mistake gets.
#include "helpers.h"

using namespace kobai;
using namespace kobai::test;

TEST_CASE("precedence and associativity") {
  CHECK(value_of(build("y = 10 - 4 - 3", {})) == 3);
  CHECK(value_of(build("y = 2 * 3 + 4", {})) == 10);
  CHECK(value_of(build("y = 2 + 3 * 4", {})) == 14);
  CHECK(value_of(build("y = 12 / 3 / 2", {})) == 2);
  CHECK(value_of(build("y = -2^2", {})) == -4);
  CHECK(value_of(build("y = (-2)^2", {})) == 4);
  CHECK(value_of(build("y = 2^-1", {})) == 0.5);
  CHECK(value_of(build("y = 3e-1 * 10", {})) == doctest::Approx(3));
  CHECK(value_of(build("y = -x", {{"x", S(2)}})) == -2);
}

TEST_CASE("statements, names, comments and multi-line groups") {
  Graph g = build("u = w*x + b; y = sigmoid(u)\n# a comment\nL = 0.5*(y - t)^2",
                  {{"w", S(2)}, {"x", S(1)}, {"b", S(-1)}, {"t", S(1)}});
  CHECK(g.nodes[g.output].name == "L");
  CHECK(g.find("u") >= 0);
  CHECK(g.find("y") >= 0);
  CHECK(g.inputs.size() == 4);
  CHECK(value_of(build("y = (1 +\n 2)", {})) == 3);
  CHECK(value_of(build("y = sum(\n x\n)", {{"x", M({{1, 2}})}})) == 3);
  CHECK(value_of(build("x * 2", {{"x", S(4)}})) == 8);  // a lone expression
}

TEST_CASE("1/x is the reciprocal node; other quotients divide") {
  Graph g = build("y = 1 / c", {{"c", S(4)}});
  CHECK(std::string(g.nodes[g.output].op->name) == "recip");
  Graph h = build("y = 2 / c", {{"c", S(4)}});
  CHECK(std::string(h.nodes[h.output].op->name) == "div");
}

TEST_CASE("unnamed nodes are named by their source text") {
  Graph g = build("price = apple * num * tax", {{"apple", S(100)}, {"num", S(2)}, {"tax", S(1.1)}});
  CHECK(g.find("apple*num") >= 0);
}

TEST_CASE("labels leave out comments, even ones with bytes that are not UTF-8") {
  // Found by the fuzzer: a comment inside parentheses became part of a node's name.
  Graph g = build("y = (1 + # one\xff\n x) * 2", {{"x", S(3)}});
  CHECK(g.find("(1+x)") >= 0);
}

TEST_CASE("parse errors give the line, the column and a caret") {
  CHECK(error_of("price = (apple * num") ==
        "line 1, column 21: expected ')' to close the '(' at line 1, column 9, found the end of the input\n"
        "  price = (apple * num\n"
        "                      ^");
  CHECK(error_of("a = 1\nb = a $ 2") == "line 2, column 7: unexpected character '$'\n  b = a $ 2\n        ^");
  CHECK(error_of("y = x ^ z", {{"x", S(1)}}).rfind("line 1, column 9: the exponent after '^' must be a number", 0) == 0);
  CHECK(error_of("y = x ^ 2 ^ 3", {{"x", S(1)}}).find("'^' does not chain") != std::string::npos);
  CHECK(error_of("y = * 2").rfind("line 1, column 5: expected a number, a name or '(', found '*'", 0) == 0);
  CHECK(error_of("y = 2 3").rfind("line 1, column 7: expected ';' or a new line after the statement, found '3'", 0) == 0);
  CHECK(error_of("y = f(1,").find("expected a number, a name or '('") != std::string::npos);
  CHECK(error_of("y = sum(x y)", {{"x", S(1)}, {"y", S(1)}}).find("expected ',' or ')' in the call to sum") != std::string::npos);
  CHECK(error_of("y = 1.2.3").find("'1.2.3' is not a number") != std::string::npos);
  CHECK(error_of("y = x × 2").find("unexpected character '×'") != std::string::npos);
}

TEST_CASE("empty, too deep and too long input are refused before any work") {
  CHECK(error_of("") == "the expression is empty: write one, e.g. price = apple * num * tax");
  CHECK(error_of(" \n ; \n# only a comment") == "the expression is empty: write one, e.g. price = apple * num * tax");
  std::string deep = std::string(300, '(') + "1" + std::string(300, ')');
  CHECK(error_of(deep).find("nested too deeply (more than 200 levels)") != std::string::npos);
  std::string minus = "y = " + std::string(1000, '-') + "x";
  CHECK(error_of(minus, {{"x", S(1)}}).find("nested too deeply") != std::string::npos);
  std::string huge(kMaxSource + 1, '1');
  CHECK(error_of(huge).find("too long") != std::string::npos);
}
