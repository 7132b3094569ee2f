// The expression language: what parses, what it means, and the message every mistake gets.
#include "helpers.h"
#include "link.h"

#include <cmath>

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

namespace {

// x op x op ... op x with n operators.
std::string chain(const std::string& term, const std::string& op, int n) {
  std::string s = "y = " + term;
  for (int i = 0; i < n; ++i) s += op + term;
  return s;
}

// The character a message's caret points at: the caret line's column, read off the quoted line above it.
std::string under_caret(const std::string& message) {
  size_t caret_line = message.rfind('\n'), shown_line = message.rfind('\n', caret_line - 1);
  std::string shown = message.substr(shown_line + 3, caret_line - shown_line - 3);  // after "\n  "
  size_t k = message.size() - caret_line - 4;                                       // spaces before '^'
  size_t i = 0;
  for (size_t c = 0; c < k; ++c)  // k characters, each one or more bytes
    for (++i; i < shown.size() && (static_cast<unsigned char>(shown[i]) & 0xC0) == 0x80;) ++i;
  size_t e = i + 1;
  while (e < shown.size() && (static_cast<unsigned char>(shown[e]) & 0xC0) == 0x80) ++e;
  return shown.substr(i, e - i);
}

}  // namespace

TEST_CASE("a statement as long as one may be is built and freed on this platform's stack") {
  // The tree of a chain is as deep as the chain is long; these run natively, under ASan and as WebAssembly.
  CHECK(value_of(build(chain("x", " + ", kMaxOperators), {{"x", S(1)}})) == kMaxOperators + 1);
  CHECK(value_of(build(chain("x", "*", kMaxOperators), {{"x", S(1)}})) == 1);
  CHECK(value_of(build(chain("x", "-", kMaxOperators), {{"x", S(1)}})) == 1 - kMaxOperators);
  CHECK(value_of(build(chain("x", "/", kMaxOperators), {{"x", S(2)}})) == doctest::Approx(std::pow(2.0, 1 - kMaxOperators)));
  CHECK(value_of(build(chain("1", "+", kMaxOperators), {})) == kMaxOperators + 1);  // a constant node per term
  Graph g = build(chain("x", "+", kMaxOperators), {{"x", S(1)}});
  CHECK(grad_of(g, "x")(0, 0) == kMaxOperators + 1);
}

TEST_CASE("a longer statement is refused at the operator that makes it too long, however long it is") {
  for (const char* op : {"+", "*", "-", "/", "@"}) {
    for (int n : {kMaxOperators + 1, 20000, 49000}) {
      INFO(op << " " << n);
      std::string src = chain("x", op, n);
      std::string msg = error_of(src, {{"x", S(1)}});
      // the 2001st operator, at column 4 + 2·2001: "y = " and then "x+" pairs
      CHECK(msg.rfind("line 1, column " + std::to_string(4 + 2 * (kMaxOperators + 1)) + ": this statement has more than " +
                          std::to_string(kMaxOperators) + " operators: split it into statements (a graph may have up to " +
                          std::to_string(kMaxNodes) + " nodes)", 0) == 0);
      CHECK(msg.size() < 400);
      CHECK(under_caret(msg) == op);
    }
  }
  CHECK(error_of(chain("12.5", "*", 15000)).find("this statement has more than") != std::string::npos);
  CHECK(error_of(chain("sigmoid(x)", "+", 5000), {{"x", S(1)}}).find("this statement has more than") != std::string::npos);
  std::string groups = "y = " + std::string(150, '(') + chain("x", "+", 20000).substr(4) + std::string(150, ')');
  CHECK(error_of(groups, {{"x", S(1)}}).find("this statement has more than") != std::string::npos);
}

TEST_CASE("a graph may have 5000 nodes, written as statements; the one past them is refused where it is made") {
  std::string src = "a1 = x * x";  // x and a1: two nodes, then one a statement
  for (int i = 2; i < kMaxNodes; ++i) src += "; a" + std::to_string(i) + " = a" + std::to_string(i - 1) + " * x";
  Graph g = build(src, {{"x", S(1)}});
  CHECK(g.nodes.size() == size_t(kMaxNodes));
  CHECK(grad_of(g, "x")(0, 0) == kMaxNodes);
  std::string msg = error_of(src + "; b = a1 * x", {{"x", S(1)}});
  CHECK(msg.find("the graph is too large (more than " + std::to_string(kMaxNodes) + " nodes)") != std::string::npos);
}

TEST_CASE("a link to the page with a 20,000-term chain gets the same message, short") {
  for (const char* op : {"+", "*"}) {
    PageLink l = decode_link("#expr=" + percent_encode(chain("x", op, 20000)) + "&in.x=1");
    InputValues in(l.inputs.begin(), l.inputs.end());
    std::string m = error_of(l.expr, in);
    // the operator after the kMaxOperators-th: "y = " and then "x+" pairs
    CHECK(m.rfind("line 1, column " + std::to_string(4 + 2 * (kMaxOperators + 1)) + ": this statement has more than " +
                      std::to_string(kMaxOperators) + " operators", 0) == 0);
    CHECK(m.size() < 300);
  }
}

TEST_CASE("a long line is shown as a window around the column, the caret under the right character") {
  std::string tail = std::string(3000, ' ') + "x";
  std::string mid = "y = " + std::string(3000, ' ') + "x $ x" + tail;
  std::string m = error_of(mid);
  CHECK(m.rfind("line 1, column 3007: unexpected character '$'", 0) == 0);
  CHECK(m.size() < 300);
  CHECK(under_caret(m) == "$");
  std::string late = "a = 1\ny = " + chain("x", "+", 500).substr(4) + " +";  // the end of a long line 2
  m = error_of(late, {{"x", S(1)}});
  CHECK(m.rfind("line 2, column 1008: expected a number, a name or '(', found the end of the input", 0) == 0);
  CHECK(under_caret(m).empty());  // one past the last character
  CHECK(m.find("…") != std::string::npos);
  std::string wide = "y = " + std::string(200, ' ') + "2 × 2 # ä" + std::string(200, ' ');  // multi-byte characters
  CHECK(under_caret(error_of(wide)) == "×");
  CHECK(under_caret(error_of("y = 2 × 2 # ä")) == "×");  // short lines are shown whole
  CHECK(error_of("y = 2 × 2 # ä") == "line 1, column 7: unexpected character '×'\n  y = 2 × 2 # ä\n        ^");
}

TEST_CASE("long names, numbers and labels stay bounded in messages and in the graph") {
  std::string name(kMaxName + 1, 'a');
  std::string m = error_of("y = " + name);
  CHECK(m.find("is too long (65 characters; at most 64)") != std::string::npos);
  CHECK(m.size() < 400);
  std::string fn(5000, 'f');
  m = error_of("y = " + fn + "(x)", {{"x", S(1)}});
  CHECK(m.find("is too long") != std::string::npos);
  CHECK(m.size() < 400);
  std::string number = "y = " + std::string(400, '1') + " * x";
  m = error_of(number, {{"x", S(1)}});
  CHECK(m.find("is too large for a double (at most about 1.8e308)") != std::string::npos);
  CHECK(m.size() < 400);
  CHECK(error_of("y = x^1e999", {{"x", S(1)}}).find("is too large for a double") != std::string::npos);
  CHECK(error_of("y = x^1.2.3", {{"x", S(1)}}).find("'1.2.3' is not a number") != std::string::npos);
  m = error_of("y = 1" + std::string(5000, '.') + "5");  // '..' is a range's (sum(L[1..4])): not after a number here
  CHECK(m.find("column 6: expected ';' or a new line after the statement, found '..'") != std::string::npos);
  CHECK(m.size() < 400);
  // A chain's nodes are labelled by their source text: each keeps only the two ends of a long one.
  Graph g = build(chain("1.2345678", "+", 600).substr(4), {});  // a lone expression: the output keeps its label
  for (const Node& n : g.nodes) CHECK(n.name.size() <= kMaxName + 3);
  CHECK(g.nodes[g.output].name.rfind("1.2345678+1.2345678", 0) == 0);
  CHECK(g.nodes[g.output].name.find("…") != std::string::npos);
  Graph c = build("y = 0.000000000000000000000000000000000000000000000000000000000000000000000000000001 * x", {{"x", S(1)}});
  CHECK(c.nodes[0].name.size() <= kMaxName + 3);
  CHECK(c.nodes[0].value(0, 0) > 0);  // the label is cut, not the number
}

TEST_CASE("a long unnamed node's label keeps its own two ends, not the end of the whole source") {
  std::string sum = "(x";
  for (int i = 0; i < 40; ++i) sum += " + x";
  Graph g = build("b = " + sum + ") * 3; c = b + 1  # the end of the source", {{"x", S(1)}});
  int n = -1;
  for (size_t i = 0; i < g.nodes.size(); ++i)
    if (g.nodes[i].name.find("…") != std::string::npos) n = int(i);
  REQUIRE(n >= 0);
  const std::string& label = g.nodes[size_t(n)].name;
  CHECK(label.rfind("(x+x+", 0) == 0);
  CHECK(label.substr(label.size() - 4) == "x+x)");  // the parenthesised sum's own end, not "b+1"
}
