// kobai engine: values, languages and the one error type a user can meet.
//
//   Mat            every value is a matrix; a scalar is 1x1
//   Dims4, Value   a 4-D value (N, C, H, W), as the book's images are: stored as a matrix of N rows, each example's
//                  C·H·W numbers in channel, row, column order; Value is a matrix that may say it is one (an input)
//   Lang, Words    the two languages the page speaks, and a phrase in both
//   format_*       numbers for people (220, not 220.00000000000003); stored values stay exact
//   InputError     bad input: what is wrong and where (line, column)
//   quote          a piece of user text for a message, bounded
#pragma once

#include <Eigen/Core>
#include <stdexcept>
#include <optional>
#include <string>
#include <utility>

namespace kobai {

using Mat = Eigen::MatrixXd;

struct Dims4 {
  int n = 1, c = 1, h = 1, w = 1;
  int per_example() const { return c * h * w; }
  bool operator==(const Dims4& o) const { return n == o.n && c == o.c && h == o.h && w == o.w; }
  bool operator!=(const Dims4& o) const { return !(*this == o); }
};
std::string format_dims(const Dims4& d);  // "1x3x28x28"

// A matrix, and its 4-D shape when it is one (then it has dims->n rows of dims->per_example() columns).
struct Value : Mat {
  std::optional<Dims4> dims;
  Value() = default;
  Value(const Mat& m, std::optional<Dims4> d = std::nullopt) : Mat(m), dims(d) {}
  template <class E> Value(const Eigen::MatrixBase<E>& e) : Mat(e) {}
};

// Walkthrough limits: refused with a message before any work is done.
constexpr int kMaxDim = 256;       // rows or columns of any value; N, C, H or W of a 4-D one
constexpr int kMaxNodes = 5000;    // nodes in one graph
constexpr int kMaxOperators = 2000; // operators and calls in one statement (its tree's depth, which is recursed over)
constexpr int kMaxDepth = 200;     // nesting of parentheses and calls
constexpr size_t kMaxSource = 100000;  // characters of expression text
constexpr size_t kMaxName = 64;        // characters of a name (an input, a statement)

enum class Lang { en, ja };
struct Words {
  const char* en;
  const char* ja;
  const char* operator()(Lang l) const { return l == Lang::ja ? ja : en; }
};
Lang parse_lang(const std::string& s);  // "en" or "ja"; anything else is an InputError

// Bad input. line/column are 1-based; 0 means "not tied to a place in the text".
struct InputError : std::runtime_error {
  int line = 0, column = 0;
  explicit InputError(const std::string& msg, int line_ = 0, int column_ = 0)
      : std::runtime_error(msg), line(line_), column(column_) {}
};

std::string format_number(double v);      // 6 significant digits, no trailing zeros: 220, 2.2, 0.196612
std::string format_matrix(const Mat& m);  // 1x1 as a number, else [[a, b], [c, d]], elided past 6x6
std::string format_shape(const Mat& m);   // "2x3"
// A value as it is typed: 1.5, [[1, 2], [3, 4]], a 4-D value four lists deep; exact: every digit a double needs, no
// spaces (for links).
std::string value_literal(const Mat& m, bool exact, const std::optional<Dims4>& dims = std::nullopt);
inline std::string value_literal(const Value& v, bool exact) { return value_literal(v, exact, v.dims); }
// 4-D: [[[[1, 2], [3, 4]]]] with each level elided past 6 as format_matrix does (past 2 when it has more than 36
// numbers), and the shape when elided.
std::string format_value(const Mat& m, const std::optional<Dims4>& dims);
bool all_finite(const Mat& m);

// User text inside a message: at most about `max` characters, cut around byte offset `at` (the place the message
// points at) with "…" where text was left out, never inside a UTF-8 character; control characters (a NUL, a
// newline) are shown as '?'. A message never echoes a whole 100 KB input.
std::string quote(const std::string& text, size_t at = 0, size_t max = 80);
// The bytes [begin, end) of text that quote shows.
std::pair<size_t, size_t> quote_window(const std::string& text, size_t at = 0, size_t max = 80);
// Removes text's last character, all of its UTF-8 bytes (a label shortened to fit, "2×1×6×6" → "2×1×6×").
void drop_last_character(std::string& text);

}  // namespace kobai
