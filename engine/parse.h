// kobai engine: the expression language.
//
//   program    statements separated by newlines or ';'   u = w*x + b; y = sigmoid(u); L = 0.5*(y - t)^2
//   statement  NAME = expr  |  expr                       the last statement is the output
//   expr       + - (left to right)  below  * / @  below  unary -  below  ^ (a constant exponent)
//   primary    number | name | name(args) | (expr)       '#' starts a comment
//
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
};

struct Statement {
  std::string name;  // empty for a lone expression
  int line = 1, column = 1;
  std::unique_ptr<Expr> expr;
};

struct Program {
  std::string source;
  std::vector<Statement> statements;
};

Program parse(const std::string& source);  // throws InputError with line and column

// "line 1, column 7: msg" followed by the offending line (a window of it, when it is long) and a caret under the
// column. place, when given, replaces "line 1" (a lesson file says where in the file the line is).
std::string format_error(const InputError& e, const std::string& source, const std::string& place = "");

}  // namespace kobai
