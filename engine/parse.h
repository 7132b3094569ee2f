// kobai engine: the expression language.
//
//   program    statements separated by newlines or ';'   u = w*x + b; y = sigmoid(u); L = 0.5*(y - t)^2
//   statement  NAME = expr  |  NAME[index] = expr  |  expr  |  for NAME in A..B { statements }
//              the last statement is the output
//   expr       + - (left to right)  below  * / @  below  unary -  below  ^ (a constant exponent)
//   primary    number | name | name[index] | name(args) | sum(NAME[A..B]) | (expr)     '#' starts a comment
//   args       expr, ... then name=number, ...                                          conv(X, W, b, stride=2)
//   index      a loop's counter (t), the counter plus or minus a whole number (t-1), or a whole number (0)
//
// A loop is unrolled here: for t in 1..3 { h[t] = h[t-1] * w } is h[1] = h[0] * w; h[2] = h[1] * w; ... with the
// indices as numbers in the names, exactly as if written out by hand; sum(L[1..3]) is L[1] + L[2] + L[3]. What an
// indexed name is (a node, an input such as h[0], or row 2 of an input matrix x) is the builder's to say.
// parse() checks the grammar only; names and shapes are the graph builder's job (graph.h).
#pragma once

#include "matrix.h"

#include <memory>
#include <string>
#include <vector>

namespace kobai {

struct Expr {
  enum Kind { Number, Name, Neg, Binary, Call, Pow } kind;
  std::string text;     // Number: the literal as typed; Name: the name; Call: the function
  double number = 0;    // Number
  char op = 0;          // Binary: + - * / @
  double exponent = 0;  // Pow
  std::vector<std::unique_ptr<Expr>> args;
  int line = 1, column = 1;     // where it starts, 1-based
  size_t begin = 0, end = 0;    // its source text, for naming unnamed nodes
  std::string label;            // the name of an unnamed node when not its source text: inside a loop, the text
                                // with the step's indices (x[2]@W, not x[t]@W)
  std::string arg_name;         // an argument written name=value in a call (stride=2)
};

struct Statement {
  std::string name;  // empty for a lone expression; h[3] for h[t] in a loop's step t = 3
  int line = 1, column = 1;
  std::unique_ptr<Expr> expr;
  std::string step;  // in a loop: which step, for messages ("t = 3")
  int loop = -1;     // in a loop: which of the program's outermost loops (0, 1, ...): its counter is the time
  int time = 0;      // ... and that counter's value in this step
  std::string counter;
};

constexpr int kMaxLoopSteps = 64;  // steps of one loop

struct Program {
  std::string source;
  std::vector<Statement> statements;
  // The source without spaces and comments, and per source byte how many kept bytes come before it: what unnamed
  // nodes' labels are cut from (label_text).
  std::string kept;
  std::vector<size_t> kept_before;
};

Program parse(const std::string& source);  // throws InputError with line and column

// A label of at most about kMaxName characters: `count` kept bytes from `begin`, or of a longer run its two ends.
std::string label_text(const std::string& kept, size_t begin, size_t count);
std::string elide(const std::string& s);  // s, or its two ends around "…" when longer than kMaxName

// "line 1, column 7: msg" followed by the offending line (a window of it, when it is long) and a caret under the
// column. place, when given, replaces "line 1" (a lesson file says where in the file the line is).
std::string format_error(const InputError& e, const std::string& source, const std::string& place = "");

}  // namespace kobai
