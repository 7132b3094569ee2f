// A recursive-descent parser: one function per level of the grammar in parse.h.
#include "parse.h"

#include <cctype>
#include <cmath>
#include <cstdlib>

namespace kobai {
namespace {

struct Token {
  enum Kind { Number, Name, Op, Newline, End } kind;
  std::string text;
  size_t begin, end;
  int line, column;
};

// Columns count characters, not bytes, so that the caret lands under the right character.
int column_of(const std::string& s, size_t line_start, size_t pos) {
  int col = 1;
  for (size_t i = line_start; i < pos; ++i)
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) ++col;
  return col;
}

std::vector<Token> lex(const std::string& s) {
  std::vector<Token> out;
  int line = 1;
  size_t line_start = 0, i = 0;
  // The column is counted on from the previous token, not from the start of the line: a 100 KB line stays linear.
  size_t col_at = 0;
  int col = 1;
  auto column = [&](size_t pos) {
    if (col_at < line_start) col_at = line_start, col = 1;
    col += column_of(s, col_at, pos) - 1;
    col_at = pos;
    return col;
  };
  auto push = [&](Token::Kind k, size_t b, size_t e) {
    if (k == Token::Name && e - b > kMaxName)
      throw InputError("the name " + quote(s.substr(b, e - b)) + " is too long (" + std::to_string(e - b) +
                       " characters; at most " + std::to_string(kMaxName) + ")", line, column(b));
    out.push_back({k, s.substr(b, e - b), b, e, line, column(b)});
  };
  while (i < s.size()) {
    char c = s[i];
    if (c == '\n') {
      push(Token::Newline, i, i + 1);
      ++i, ++line, line_start = i;
    } else if (c == ' ' || c == '\t' || c == '\r') {
      ++i;
    } else if (c == '#') {
      while (i < s.size() && s[i] != '\n') ++i;
    } else if (std::isdigit(static_cast<unsigned char>(c)) || (c == '.' && i + 1 < s.size() && std::isdigit(static_cast<unsigned char>(s[i + 1])))) {
      size_t b = i;
      while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '.')) ++i;
      if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        size_t j = i + 1;
        if (j < s.size() && (s[j] == '+' || s[j] == '-')) ++j;
        if (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) {
          i = j;
          while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
        }
      }
      push(Token::Number, b, i);
    } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      size_t b = i;
      while (i < s.size() && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '_')) ++i;
      push(Token::Name, b, i);
    } else if (std::string("+-*/@^(),=;").find(c) != std::string::npos) {
      push(Token::Op, i, i + 1);
      ++i;
    } else {
      size_t e = i + 1;
      while (e < s.size() && (static_cast<unsigned char>(s[e]) & 0xC0) == 0x80) ++e;
      throw InputError("unexpected character '" + quote(s.substr(i, e - i)) + "'", line, column(i));
    }
  }
  // The end is shown where the text ends, not on an empty last line: a lesson's lines each end with a newline.
  size_t last = out.size();
  while (last > 0 && out[last - 1].kind == Token::Newline) --last;
  if (last < out.size() && last > 0) {
    const Token& t = out[last - 1];
    out.push_back({Token::End, "", t.end, t.end, t.line, t.column + column_of(s, t.begin, t.end) - 1});
  } else {
    out.push_back({Token::End, "", s.size(), s.size(), line, column(s.size())});
  }
  return out;
}

class Parser {
 public:
  explicit Parser(const std::string& src) : src_(src), toks_(lex(src)) {}

  Program program() {
    Program p;
    p.source = src_;
    for (;;) {
      while (is(Token::Newline) || is_op(";")) ++pos_;
      if (is(Token::End)) break;
      p.statements.push_back(statement());
      if (!is(Token::End) && !is(Token::Newline) && !is_op(";"))
        fail("expected ';' or a new line after the statement, found " + describe(peek()));
    }
    if (p.statements.empty()) throw InputError("the expression is empty: write one, e.g. price = apple * num * tax");
    return p;
  }

 private:
  const std::string& src_;
  std::vector<Token> toks_;
  size_t pos_ = 0;
  int depth_ = 0;      // nesting of parentheses, calls and unary minus
  int paren_ = 0;      // inside parentheses a newline does not end a statement
  int ops_ = 0;        // operators and calls so far: each becomes at least one node of the graph

  // A chain such as x+x+...+x is parsed by a loop, but its tree is as deep as it is long, and building and
  // freeing the tree recurse over it. Refusing more operators than a graph may have nodes (the graph would be
  // refused anyway) bounds that depth by kMaxNodes, which the tests build on every platform's stack.
  void count(const Token& at) {
    if (++ops_ > kMaxNodes)
      throw InputError("the graph is too large (more than " + std::to_string(kMaxNodes) + " nodes)", at.line, at.column);
  }

  const Token& peek() {
    if (paren_ > 0)
      while (toks_[pos_].kind == Token::Newline) ++pos_;
    return toks_[pos_];
  }
  bool is(Token::Kind k) { return peek().kind == k; }
  bool is_op(const char* op) { return peek().kind == Token::Op && peek().text == op; }
  Token next() { Token t = peek(); ++pos_; return t; }
  [[noreturn]] void fail(const std::string& msg) { throw InputError(msg, peek().line, peek().column); }
  static std::string describe(const Token& t) {
    switch (t.kind) {
      case Token::End: return "the end of the input";
      case Token::Newline: return "the end of the line";
      default: return "'" + quote(t.text) + "'";
    }
  }
  void expect(const char* op, const char* what) {
    if (!is_op(op)) fail(std::string("expected ") + what + ", found " + describe(peek()));
    ++pos_;
  }
  struct Deeper {  // counts nesting so that absurd depth is refused instead of overflowing the stack
    Parser& p;
    explicit Deeper(Parser& p_) : p(p_) {
      if (++p.depth_ > kMaxDepth) p.fail("the expression is nested too deeply (more than " + std::to_string(kMaxDepth) + " levels)");
    }
    ~Deeper() { --p.depth_; }
  };

  static double number_value(const Token& n) {
    char* endp = nullptr;
    double v = std::strtod(n.text.c_str(), &endp);
    if (endp != n.text.c_str() + n.text.size()) throw InputError("'" + quote(n.text) + "' is not a number", n.line, n.column);
    if (!std::isfinite(v))
      throw InputError("'" + quote(n.text) + "' is too large for a double (at most about 1.8e308)", n.line, n.column);
    return v;
  }

  std::unique_ptr<Expr> node(Expr::Kind k, const Token& at) {
    auto e = std::make_unique<Expr>();
    e->kind = k;
    e->line = at.line, e->column = at.column, e->begin = at.begin, e->end = at.end;
    return e;
  }
  std::unique_ptr<Expr> binary(char op, std::unique_ptr<Expr> l, std::unique_ptr<Expr> r) {
    auto e = std::make_unique<Expr>();
    e->kind = Expr::Binary, e->op = op;
    e->line = l->line, e->column = l->column, e->begin = l->begin, e->end = r->end;
    e->args.push_back(std::move(l));
    e->args.push_back(std::move(r));
    return e;
  }

  Statement statement() {
    Statement s;
    s.line = peek().line, s.column = peek().column;
    if (is(Token::Name) && toks_[pos_ + 1].kind == Token::Op && toks_[pos_ + 1].text == "=") {
      s.name = next().text;
      ++pos_;  // '='
    }
    s.expr = expr();
    return s;
  }

  std::unique_ptr<Expr> expr() {  // + and -, left to right
    auto e = term();
    while (is_op("+") || is_op("-")) {
      Token t = next();
      count(t);
      char op = t.text[0];
      e = binary(op, std::move(e), term());
    }
    return e;
  }

  std::unique_ptr<Expr> term() {  // * / @, left to right
    auto e = unary();
    while (is_op("*") || is_op("/") || is_op("@")) {
      Token t = next();
      count(t);
      char op = t.text[0];
      e = binary(op, std::move(e), unary());
    }
    return e;
  }

  std::unique_ptr<Expr> unary() {  // -x; a minus before a number is part of the number
    if (!is_op("-")) return power();
    Deeper d(*this);
    Token minus = next();
    auto operand = unary();
    if (operand->kind == Expr::Number) {
      operand->number = -operand->number;
      operand->text = "-" + operand->text;
      operand->line = minus.line, operand->column = minus.column, operand->begin = minus.begin;
      return operand;
    }
    count(minus);
    auto e = node(Expr::Neg, minus);
    e->end = operand->end;
    e->args.push_back(std::move(operand));
    return e;
  }

  std::unique_ptr<Expr> power() {  // x ^ constant
    auto base = primary();
    if (!is_op("^")) return base;
    count(next());
    bool negative = false;
    if (is_op("-")) negative = true, ++pos_;
    if (!is(Token::Number)) fail("the exponent after '^' must be a number, found " + describe(peek()));
    Token t = next();
    auto e = std::make_unique<Expr>();
    e->kind = Expr::Pow;
    e->exponent = number_value(t) * (negative ? -1 : 1);
    e->line = base->line, e->column = base->column, e->begin = base->begin, e->end = t.end;
    e->args.push_back(std::move(base));
    if (is_op("^")) fail("write (x^a)^b with parentheses: '^' does not chain");
    return e;
  }

  std::unique_ptr<Expr> primary() {
    Deeper d(*this);
    const Token& t = peek();
    if (t.kind == Token::Number) {
      Token n = next();
      auto e = node(Expr::Number, n);
      e->number = number_value(n);
      e->text = n.text;
      return e;
    }
    if (t.kind == Token::Name) {
      Token name = next();
      if (!is_op("(")) {
        auto e = node(Expr::Name, name);
        e->text = name.text;
        return e;
      }
      count(name);
      ++pos_, ++paren_;
      auto e = node(Expr::Call, name);
      e->text = name.text;
      if (!is_op(")")) {
        e->args.push_back(expr());
        while (is_op(",")) ++pos_, e->args.push_back(expr());
      }
      if (!is_op(")")) fail("expected ',' or ')' in the call to " + name.text + ", found " + describe(peek()));
      --paren_;  // peek() has already skipped the newlines before ')'
      ++pos_;
      e->end = toks_[pos_ - 1].end;
      return e;
    }
    if (is_op("(")) {
      Token open = next();
      ++paren_;
      auto e = expr();
      if (!is_op(")")) fail("expected ')' to close the '(' at line " + std::to_string(open.line) + ", column " + std::to_string(open.column) + ", found " + describe(peek()));
      --paren_;
      Token close = next();
      e->begin = open.begin, e->end = close.end;  // the label keeps its parentheses
      e->line = open.line, e->column = open.column;
      return e;
    }
    fail("expected a number, a name or '(', found " + describe(t));
  }
};

}  // namespace

Program parse(const std::string& source) {
  if (source.size() > kMaxSource)
    throw InputError("the expression is too long (" + std::to_string(source.size()) + " characters; at most " + std::to_string(kMaxSource) + ")");
  return Parser(source).program();
}

std::string format_error(const InputError& e, const std::string& source, const std::string& place) {
  if (e.line <= 0) return e.what();
  std::string out = (place.empty() ? "line " + std::to_string(e.line) : place) + ", column " + std::to_string(e.column) +
                    ": " + e.what();
  size_t start = 0;
  for (int l = 1; l < e.line && start != std::string::npos; ++l) {
    start = source.find('\n', start);
    if (start != std::string::npos) ++start;
  }
  if (start == std::string::npos || start > source.size()) return out;
  size_t stop = source.find('\n', start);
  std::string text = source.substr(start, stop == std::string::npos ? std::string::npos : stop - start);
  if (!text.empty() && text.back() == '\r') text.pop_back();
  // The column counts characters: find its byte, show a window of the line around it (a line can be 100 KB),
  // and put the caret under the same character inside the window.
  size_t at = 0;
  for (int c = 1; at < text.size(); ++at)
    if ((static_cast<unsigned char>(text[at]) & 0xC0) != 0x80 && c++ == e.column) break;
  size_t begin = quote_window(text, at).first;
  int caret = column_of(text, begin, at) - 1 + (begin > 0 ? 1 : 0);  // the "…" is one character
  out += "\n  " + quote(text, at) + "\n  " + std::string(caret, ' ') + "^";
  return out;
}

}  // namespace kobai
