// A recursive-descent parser: one function per level of the grammar in parse.h.
#include "parse.h"

#include <algorithm>
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
      while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) ||
                              (s[i] == '.' && !(i + 1 < s.size() && s[i + 1] == '.'))))  // 1..4 is 1, '..', 4
        ++i;
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
    } else if (c == '.' && i + 1 < s.size() && s[i + 1] == '.') {
      push(Token::Op, i, i + 2);
      i += 2;
    } else if (std::string("+-*/@^(),=;[]{}").find(c) != std::string::npos) {
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
    strip_source();
    for (;;) {
      while (is(Token::Newline) || is_op(";")) ++pos_;
      if (is(Token::End)) break;
      statement(p.statements);
      if (!is(Token::End) && !is(Token::Newline) && !is_op(";"))
        fail("expected ';' or a new line after the statement, found " + describe(peek()));
    }
    if (p.statements.empty()) throw InputError("the expression is empty: write one, e.g. price = apple * num * tax");
    p.kept = std::move(kept_), p.kept_before = std::move(kept_before_);  // the builder labels nodes from them
    return p;
  }

 private:
  const std::string& src_;
  std::vector<Token> toks_;
  size_t pos_ = 0;
  int depth_ = 0;      // nesting of parentheses, calls and unary minus
  int paren_ = 0;      // inside parentheses a newline does not end a statement
  int ops_ = 0;        // operators and calls so far: each becomes at least one node of the graph
  int statement_ops_ = 0;  // ... in the statement being read
  // Loops: the counters of the loops around the statement being read, with this step's values; and where the
  // indices written with a counter stand in the source, with the numbers they are in this step (for labels).
  std::vector<std::pair<std::string, int>> counters_;
  int loops_ = 0;  // outermost loops begun
  struct Rewrite { size_t begin, end; std::string text; };
  std::vector<Rewrite> rewrites_;
  std::string kept_;                 // Program::kept and kept_before, while they are made
  std::vector<size_t> kept_before_;

  // A chain such as x+x+...+x is parsed by a loop, but its tree is as deep as it is long, and building and
  // freeing the tree recurse over it. Refusing more operators in a statement than kMaxOperators bounds that depth
  // (the tests build it on every platform's stack, the page's included); refusing more in the program than a graph
  // may have nodes (the graph would be refused anyway) bounds the work.
  void count(const Token& at) {
    if (++ops_ > kMaxNodes)
      throw InputError("the graph is too large (more than " + std::to_string(kMaxNodes) + " nodes)", at.line, at.column);
    if (++statement_ops_ > kMaxOperators)
      throw InputError("this statement has more than " + std::to_string(kMaxOperators) +
                       " operators: split it into statements (a graph may have up to " + std::to_string(kMaxNodes) + " nodes)",
                       at.line, at.column);
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

  bool op_at(size_t i, const char* op) const { return i < toks_.size() && toks_[i].kind == Token::Op && toks_[i].text == op; }

  void statement(std::vector<Statement>& out) {
    if (is(Token::Name) && peek().text == "for" && pos_ + 2 < toks_.size() && toks_[pos_ + 1].kind == Token::Name &&
        toks_[pos_ + 2].kind == Token::Name && toks_[pos_ + 2].text == "in")
      return loop(out);
    Statement s;
    s.line = peek().line, s.column = peek().column;
    statement_ops_ = 0;
    if (is(Token::Name)) {
      // NAME = or NAME[index] =: the index ends at the first ']'
      size_t k = pos_ + 1;
      if (op_at(k, "["))
        while (k < toks_.size() && !op_at(k, "]") && toks_[k].kind != Token::Newline && toks_[k].kind != Token::End) ++k;
      if (op_at(k + (op_at(pos_ + 1, "[") ? 1 : 0), "=")) {
        s.name = next().text;
        if (is_op("[")) s.name += "[" + std::to_string(index()) + "]";
        ++pos_;  // '='
      }
    }
    s.expr = expr();
    if (!counters_.empty()) {
      label_tree(*s.expr);
      for (const auto& c : counters_) s.step += (s.step.empty() ? "" : ", ") + c.first + " = " + std::to_string(c.second);
      s.loop = loops_ - 1, s.counter = counters_.front().first, s.time = counters_.front().second;
    }
    out.push_back(std::move(s));
  }

  // for NAME in A..B { statements }: the body read once per step, the counter at that step's value.
  void loop(std::vector<Statement>& out) {
    Deeper d(*this);
    ++pos_;  // for
    Token counter = next();
    for (const auto& c : counters_)
      if (c.first == counter.text)
        throw InputError("'" + counter.text + "' already counts the loop around this one: give this loop's counter another name",
                         counter.line, counter.column);
    ++pos_;  // in
    Token from_at = peek();
    int from = whole("a loop's bounds are whole numbers, as in for t in 1..4");
    expect("..", "'..' between the loop's bounds, as in for t in 1..4");
    int to = whole("a loop's bounds are whole numbers, as in for t in 1..4");
    if (to < from)
      throw InputError("the loop runs from " + std::to_string(from) + " down to " + std::to_string(to) +
                       ": write the smaller bound first", from_at.line, from_at.column);
    if (long long steps = (long long)to - from + 1; steps > kMaxLoopSteps)
      throw InputError("the loop has " + std::to_string(steps) + " steps; at most " + std::to_string(kMaxLoopSteps),
                       from_at.line, from_at.column);
    Token open = peek();
    expect("{", "'{' to open the loop's body");
    if (counters_.empty()) ++loops_;
    size_t body = pos_;
    for (int v = from; v <= to; ++v) {
      pos_ = body;
      counters_.push_back({counter.text, v});
      size_t mark = rewrites_.size();
      for (;;) {
        while (is(Token::Newline) || is_op(";")) ++pos_;
        if (is_op("}")) break;
        if (is(Token::End))
          fail("expected '}' to close the loop's '{' at line " + std::to_string(open.line) + ", column " + std::to_string(open.column));
        statement(out);
        if (is(Token::End))
          fail("expected '}' to close the loop's '{' at line " + std::to_string(open.line) + ", column " + std::to_string(open.column));
        if (!is(Token::Newline) && !is_op(";") && !is_op("}"))
          fail("expected ';', a new line or '}' after the statement, found " + describe(peek()));
      }
      rewrites_.resize(mark);
      counters_.pop_back();
    }
    ++pos_;  // '}'
  }

  // A whole number, with an optional minus: a loop's bound, an index.
  int whole(const std::string& what) {
    bool negative = is_op("-");
    if (negative) ++pos_;
    const Token& t = peek();
    if (t.kind != Token::Number || t.text.find_first_not_of("0123456789") != std::string::npos || t.text.size() > 6)
      fail(what + "; found " + describe(t));
    ++pos_;
    return (negative ? -1 : 1) * std::stoi(t.text);
  }

  // [index] after a name: a counter, a counter ± a whole number, or a whole number; its value in this step.
  int index() {
    const char* kinds = "an index is a loop's counter (h[t]), the counter plus or minus a whole number (h[t-1]) or a "
                        "whole number (h[0])";
    ++pos_;  // '['
    size_t begin = peek().begin;
    int v = 0;
    bool counted = false;
    if (is(Token::Name)) {
      Token c = next();
      auto it = std::find_if(counters_.rbegin(), counters_.rend(), [&](const auto& k) { return k.first == c.text; });
      if (it == counters_.rend())
        throw InputError("'" + quote(c.text) + "' is not the counter of a loop around here; " + kinds, c.line, c.column);
      v = it->second, counted = true;
      if (is_op("+") || is_op("-")) {
        bool minus = next().text == "-";
        v += (minus ? -1 : 1) * whole(kinds);
      }
    } else {
      v = whole(kinds);
    }
    size_t end = toks_[pos_ - 1].end;
    if (is_op(".."))
      fail("a range such as L[1..4] can only be summed: sum(L[1..4])");
    if (!is_op("]")) fail(std::string("expected ']' after the index: ") + kinds + "; found " + describe(peek()));
    if (v < 0) fail("this index is " + std::to_string(v) + " here: indices are whole numbers from 0");
    ++pos_;
    if (counted) rewrites_.push_back({begin, end, std::to_string(v)});
    return v;
  }

  // sum(NAME[A..B]): NAME[A] + ... + NAME[B], each sum along the way labelled as written out.
  std::unique_ptr<Expr> range_sum(const Token& call) {
    Token name = next();
    ++pos_;  // '['
    int from = whole("a range's bounds are whole numbers, as in sum(L[1..4])");
    expect("..", "'..' in the range, as in sum(L[1..4])");
    int to = whole("a range's bounds are whole numbers, as in sum(L[1..4])");
    if (to < from) fail("the range runs from " + std::to_string(from) + " down to " + std::to_string(to) + ": write the smaller bound first");
    if (from < 0) fail("indices are whole numbers from 0");
    expect("]", "']' to close the range");
    if (!is_op(")")) fail("sum(L[1..4]) takes the range alone; found " + describe(peek()));
    --paren_;
    Token close = next();
    std::unique_ptr<Expr> e;
    std::string shown;
    for (int k = from; k <= to; ++k) {
      auto n = node(Expr::Name, name);
      n->text = name.text + "[" + std::to_string(k) + "]";
      n->end = close.end;
      shown += (k == from ? "" : "+") + n->text;
      if (!e) {
        e = std::move(n);
        continue;
      }
      count(call);
      e = binary('+', std::move(e), std::move(n));
      e->label = shown;
    }
    e->begin = call.begin, e->end = close.end, e->line = call.line, e->column = call.column;
    e->label.clear();  // the whole sum: its own text, sum(L[1..4])
    if (!counters_.empty()) e->label = cut(kept(call.begin, close.end));
    return e;
  }

  // Labels inside a loop: the source text with the step's indices (x[2]@W), cut as the builder cuts the others.
  void strip_source() {
    kept_before_.assign(src_.size() + 1, 0);
    bool comment = false;
    for (size_t i = 0; i < src_.size(); ++i) {
      char c = src_[i];
      comment = c == '#' || (comment && c != '\n');
      kept_before_[i] = kept_.size();
      if (!comment && c != ' ' && c != '\t' && c != '\n' && c != '\r') kept_ += c;
    }
    kept_before_[src_.size()] = kept_.size();
  }
  std::string kept(size_t b, size_t e) const {
    std::string out;
    size_t at = b;
    for (const Rewrite& r : rewrites_) {  // in the order read: along the source within one step
      if (r.begin < at || r.end > e) continue;
      out += kept_.substr(kept_before_[at], kept_before_[r.begin] - kept_before_[at]) + r.text;
      at = r.end;
    }
    return out + kept_.substr(kept_before_[at], kept_before_[e] - kept_before_[at]);
  }
  static std::string cut(const std::string& s) { return label_text(s, 0, s.size()); }
  void label_tree(Expr& e) {
    if (e.label.empty() && e.kind != Expr::Name && e.kind != Expr::Number) e.label = cut(kept(e.begin, e.end));
    for (auto& a : e.args) label_tree(*a);
  }

  std::unique_ptr<Expr> argument() {  // expr, or name=expr (the builder says which names a function takes)
    if (!is(Token::Name) || !op_at(pos_ + 1, "=")) return expr();
    Token name = next();
    ++pos_;
    auto e = expr();
    e->arg_name = name.text;
    return e;
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
        for (const auto& c : counters_)
          if (c.first == name.text)
            throw InputError("'" + name.text + "' is the loop's counter: it can only be an index, as in h[" + name.text + "]",
                             name.line, name.column);
        auto e = node(Expr::Name, name);
        e->text = name.text;
        if (is_op("[")) {
          e->text += "[" + std::to_string(index()) + "]";
          e->end = toks_[pos_ - 1].end;
        }
        return e;
      }
      ++pos_, ++paren_;
      if (name.text == "sum" && is(Token::Name) && op_at(pos_ + 1, "[")) {  // sum(L[1..4])?
        size_t k = pos_ + 2;
        while (k < toks_.size() && !op_at(k, "]") && !op_at(k, "..") && toks_[k].kind != Token::End) ++k;
        if (op_at(k, "..")) return range_sum(name);
      }
      count(name);
      auto e = node(Expr::Call, name);
      e->text = name.text;
      if (!is_op(")")) {
        e->args.push_back(argument());
        while (is_op(",")) ++pos_, e->args.push_back(argument());
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

std::string elide(const std::string& s) {
  const size_t half = kMaxName / 2;
  if (s.size() <= kMaxName) return s;
  auto is_cont = [&](size_t i) { return (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80; };
  size_t head = half, tail = s.size() - half;
  while (head > 0 && is_cont(head)) --head;
  while (tail < s.size() && is_cont(tail)) ++tail;
  return s.substr(0, head) + "…" + s.substr(tail);
}

// The label of x+x+...+x is as long as the chain: each label costs its own length only, cut from text stripped once.
std::string label_text(const std::string& kept, size_t begin, size_t count) {
  if (count <= kMaxName) return kept.substr(begin, count);
  return elide(kept.substr(begin, kMaxName) + kept.substr(begin + count - kMaxName, kMaxName));
}

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
