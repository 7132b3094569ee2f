#include "link.h"

#include "lesson.h"

#include <cctype>

namespace kobai {
namespace {

int parse_count(const std::string& key, const std::string& v) {
  if (v.empty() || v.size() > 6 || !std::all_of(v.begin(), v.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
    throw InputError("the link's " + key + " must be a whole number from 0 to 999999, not '" + v + "'");
  return std::stoi(v);
}

}  // namespace

std::string percent_encode(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || c == ',' || c == '*' || c == '(' || c == ')') {
      out += char(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::string percent_decode(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i] == '+' ? ' ' : s[i];
      continue;
    }
    if (i + 2 >= s.size() || !std::isxdigit(static_cast<unsigned char>(s[i + 1])) || !std::isxdigit(static_cast<unsigned char>(s[i + 2])))
      throw InputError("the link has a broken %-escape at character " + std::to_string(i + 1));
    out += char(std::stoi(s.substr(i + 1, 2), nullptr, 16));
    i += 2;
  }
  return out;
}

std::string encode_link(const PageLink& l) {
  std::string s = l.lesson.empty() ? "expr=" + percent_encode(l.expr) : "lesson=" + percent_encode(l.lesson);
  for (const auto& [name, v] : l.inputs) s += "&in." + percent_encode(name) + "=" + percent_encode(value_literal(v, true));
  if (l.iteration) s += "&iter=" + std::to_string(l.iteration);
  s += "&step=" + std::to_string(l.step);
  if (!l.lang.empty()) s += "&lang=" + l.lang;
  if (l.quiz) s += "&quiz=" + std::to_string(l.quiz);
  return s;
}

PageLink decode_link(const std::string& hash) {
  std::string h = !hash.empty() && hash[0] == '#' ? hash.substr(1) : hash;
  if (h.size() > kMaxSource) throw InputError("the link is too long (" + std::to_string(h.size()) + " characters)");
  PageLink l;
  bool has_expr = false;
  size_t start = 0;
  while (start <= h.size()) {
    size_t amp = h.find('&', start);
    std::string part = h.substr(start, amp == std::string::npos ? std::string::npos : amp - start);
    start = amp == std::string::npos ? h.size() + 1 : amp + 1;
    if (part.empty()) continue;
    size_t eq = part.find('=');
    if (eq == std::string::npos) throw InputError("the link's part '" + part + "' has no '='");
    std::string key = percent_decode(part.substr(0, eq)), v = percent_decode(part.substr(eq + 1));
    if (key == "lesson") l.lesson = v;
    else if (key == "expr") l.expr = v, has_expr = true;
    else if (key == "step") l.step = parse_count(key, v);
    else if (key == "iter") l.iteration = parse_count(key, v);
    else if (key == "quiz") {
      if (v.empty() || v.size() > 18 || v.find_first_not_of("0123456789") != std::string::npos || v == "0")
        throw InputError("the link's quiz must be a seed from 1 to 999999999999999999, not '" + v + "'");
      l.quiz = std::stoull(v);
    }
    else if (key == "lang") l.lang = v == "en" || v == "ja" ? v : throw InputError("the link's language must be en or ja, not '" + v + "'");
    else if (key.rfind("in.", 0) == 0 && key.size() > 3) {
      try {
        l.inputs.push_back({key.substr(3), parse_value(v)});
      } catch (const InputError& e) {
        throw InputError("the link's value for " + key.substr(3) + " is wrong: " + e.what());
      }
    } else throw InputError("the link has an unknown key '" + key + "'");
  }
  if (l.lesson.empty() && !has_expr && l.quiz) l.lesson = builtin_lessons().front().id;  // a quiz alone
  if (l.lesson.empty() && !has_expr) throw InputError("the link names neither a lesson nor an expression");
  if (!l.lesson.empty() && has_expr) throw InputError("the link names both a lesson and an expression");
  if (!l.lesson.empty() && !find_lesson(l.lesson)) throw InputError("the link names an unknown lesson '" + l.lesson + "'");
  return l;
}

}  // namespace kobai
