#include "matrix.h"

#include <cmath>
#include <algorithm>
#include <cstdio>
#include <functional>
#include <limits>

namespace kobai {

Lang parse_lang(const std::string& s) {
  if (s == "en") return Lang::en;
  if (s == "ja") return Lang::ja;
  throw InputError("unknown language '" + quote(s) + "': use en or ja");
}

std::string format_number(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  if (v == 0) return "0";  // also -0
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);  // the book prints 220, 2.2, 0.196612
  return buf;
}

std::string format_shape(const Mat& m) { return std::to_string(m.rows()) + "x" + std::to_string(m.cols()); }

std::string format_matrix(const Mat& m) {
  if (m.size() == 0) return "?";
  if (m.rows() == 1 && m.cols() == 1) return format_number(m(0, 0));
  const Eigen::Index kShow = 6;
  std::string s = "[";
  for (Eigen::Index r = 0; r < m.rows() && r <= kShow; ++r) {
    if (r) s += ", ";
    if (r == kShow) { s += "…"; break; }
    s += "[";
    for (Eigen::Index c = 0; c < m.cols() && c <= kShow; ++c) {
      if (c) s += ", ";
      if (c == kShow) { s += "…"; break; }
      s += format_number(m(r, c));
    }
    s += "]";
  }
  s += "]";
  if (m.rows() > kShow || m.cols() > kShow) s += " (" + format_shape(m) + ")";
  return s;
}

std::string format_dims(const Dims4& d) {
  return std::to_string(d.n) + "x" + std::to_string(d.c) + "x" + std::to_string(d.h) + "x" + std::to_string(d.w);
}

namespace {

// Lists `depth` deep of the numbers num(i) (i the storage index in row n, column (c·H + h)·W + w for 4-D),
// each list of more than `show` items cut after `show` with "…".
std::string nested(const Mat& m, const std::optional<Dims4>& d, const char* sep, Eigen::Index show,
                   const std::function<std::string(double)>& num) {
  auto list = [&](Eigen::Index count, const std::function<std::string(Eigen::Index)>& item) {
    std::string s = "[";
    for (Eigen::Index i = 0; i < count; ++i) {
      if (i) s += sep;
      if (i == show) { s += "…"; break; }
      s += item(i);
    }
    return s + "]";
  };
  if (!d) return list(m.rows(), [&](Eigen::Index r) { return list(m.cols(), [&](Eigen::Index c) { return num(m(r, c)); }); });
  return list(d->n, [&](Eigen::Index n) {
    return list(d->c, [&](Eigen::Index c) {
      return list(d->h, [&](Eigen::Index h) {
        return list(d->w, [&](Eigen::Index w) { return num(m(n, (c * d->h + h) * d->w + w)); });
      });
    });
  });
}

}  // namespace

std::string format_value(const Mat& m, const std::optional<Dims4>& dims) {
  if (!dims) return format_matrix(m);
  const Eigen::Index kShow = m.size() > 36 ? 2 : 6;  // a large 4-D value: two at each of its four levels
  std::string s = nested(m, dims, ", ", kShow, format_number);
  if (dims->n > kShow || dims->c > kShow || dims->h > kShow || dims->w > kShow) s += " (" + format_dims(*dims) + ")";
  return s;
}

std::string value_literal(const Mat& m, bool exact, const std::optional<Dims4>& dims) {
  auto num = [&](double v) {
    if (!exact) return format_number(v);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return std::string(buf);
  };
  if (m.size() == 1 && !dims) return num(m(0, 0));
  return nested(m, dims, exact ? "," : ", ", std::numeric_limits<Eigen::Index>::max(), num);
}

bool all_finite(const Mat& m) { return m.allFinite(); }

std::pair<size_t, size_t> quote_window(const std::string& text, size_t at, size_t max) {
  auto is_cont = [&](size_t i) { return i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80; };
  size_t begin = 0, end = text.size();
  if (end > max) {
    at = std::min(at, text.size());
    begin = at > max / 2 ? at - max / 2 : 0;
    end = std::min(text.size(), begin + max);
    if (end == text.size()) begin = end > max ? end - max : 0;
    while (begin > 0 && is_cont(begin)) --begin;
    while (end < text.size() && is_cont(end)) ++end;
  }
  return {begin, end};
}

void drop_last_character(std::string& text) {
  while (!text.empty() && (static_cast<unsigned char>(text.back()) & 0xC0) == 0x80) text.pop_back();  // its continuation bytes
  if (!text.empty()) text.pop_back();                                                                   // its first byte
}

std::string quote(const std::string& text, size_t at, size_t max) {
  auto [begin, end] = quote_window(text, at, max);
  std::string out = begin > 0 ? "…" : "";
  for (size_t i = begin; i < end; ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    out += c < 0x20 || c == 0x7F ? '?' : char(c);
  }
  if (end < text.size()) out += "…";
  return out;
}

}  // namespace kobai
