#include "link.h"

#include "lesson.h"
#include "walk.h"
#include "quiz.h"

#include <algorithm>
#include <cctype>

namespace kobai {
namespace {

int parse_count(const std::string& key, const std::string& v, int most) {
  bool digits = !v.empty() && v.size() <= 6 && std::all_of(v.begin(), v.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
  if (!digits || std::stoi(v) > most)
    throw InputError("the link's " + key + " must be a whole number from 0 to " + std::to_string(most) + ", not '" + quote(v) + "'");
  return std::stoi(v);
}

// A table's settings that differ from their defaults: "&wt.quiz=1".
template <class S>
std::string changed(const std::vector<Setting<S>>& table, const S& now) {
  const S defaults;
  std::string s;
  for (const Setting<S>& t : table)
    if (std::string v = write_setting(t, now); v != write_setting(t, defaults)) s += std::string("&") + t.key + "=" + percent_encode(v);
  return s;
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
      throw InputError("the link has a broken %-escape at character " + std::to_string(i + 1) + ": '" + quote(s, i) + "'");
    out += char(std::stoi(s.substr(i + 1, 2), nullptr, 16));
    i += 2;
  }
  return out;
}

std::string encode_link_first(const PageLink& l) {
  std::string s = !l.lesson_file.empty() ? "lessonfile=" + l.lesson_file
                  : l.lesson.empty()       ? "expr=" + percent_encode(l.expr)
                                           : "lesson=" + percent_encode(l.lesson);
  for (const auto& [name, v] : l.inputs) s += "&in." + percent_encode(name) + "=" + percent_encode(value_literal(v, true));
  if (l.iteration) s += "&iter=" + std::to_string(l.iteration);
  s += "&step=" + std::to_string(l.step);
  if (!l.lang.empty()) s += "&lang=" + l.lang;
  if (l.quiz) s += "&quiz=" + std::to_string(*l.quiz) + changed(quiz_settings(), l.quiz_set) + (l.quiz_bank.empty() ? "" : "&quiz.bank=" + l.quiz_bank);
  if (!l.mode.empty()) s += "&mode=" + percent_encode(l.mode);
  if (l.present) s += "&present=1";
  if (l.mode.empty() || l.mode == "walkthrough") s += changed(walkthrough_settings(), l.walkthrough);
  if (l.mode == "shapes" && !(l.shapes == ShapesSettings{}))  // texts, read before the lab's code is in
    s += "&sh.input=" + percent_encode(l.shapes.input) + "&sh.layers=" + percent_encode(l.shapes.layers);
  for (const auto& [key, v] : l.later) s += "&" + percent_encode(key) + "=" + percent_encode(v);
  return s;
}

std::string encode_later_keys(const PageLink& l) {
  std::string s;
  if (l.mode == "activations") s += changed(activations_settings(), l.activations);
  if (l.mode == "rnn") s += changed(rnn_settings(), l.rnn);
  if (l.mode == "playground")
    for (const PlaygroundSetting& p : playground_settings()) s += std::string("&") + p.key + "=" + percent_encode(write_setting(p, l.playground));
  if (l.mode == "paths") {
    if (!l.paths.expr.empty()) s += "&op.expr=" + percent_encode(l.paths.expr);
    s += changed(path_settings(), l.paths);
  }
  return s;
}

std::string encode_link(const PageLink& l) { return encode_link_first(l) + encode_later_keys(l); }

bool is_later_key(const std::string& key) {
  for (const char* prefix : {"pg.", "op.", "act.", "rnn."})
    if (key.rfind(prefix, 0) == 0) return true;
  return false;
}

void read_later_keys(PageLink& l) {
  for (const auto& [key, v] : l.later) {
    try {
      if (const PlaygroundSetting* p = find_playground_setting(key)) read_setting(*p, l.playground, v);
      else if (key == "op.expr") l.paths.expr = v;  // a typed f: the lab parses it, and says what is wrong
      else if (const PathSetting* o = find_setting(path_settings(), key)) read_setting(*o, l.paths, v);
      else if (const ActivationsSetting* c = find_setting(activations_settings(), key)) read_setting(*c, l.activations, v);
      else if (const RnnSetting* r = find_setting(rnn_settings(), key)) read_setting(*r, l.rnn, v);
      else throw InputError("the link has an unknown key '" + quote(key) + "'");
    } catch (const InputError& e) {
      l.problems.push_back(e.what());
    }
  }
  l.later.clear();
}

// A teacher's file packed (deflate-raw, base64url): only letters, digits, - and _. The page unpacks it.
static std::string packed_text(const std::string& v, const char* what, const std::string& key) {
  static const char* const kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const size_t bad = v.find_first_not_of(kAlphabet);
  if (v.empty() || bad != std::string::npos)
    throw InputError(std::string("the link's ") + what + " is damaged: '" + key + "' holds " +
                     (v.empty() ? std::string("nothing") : "a character that packed text does not have (letters, digits, - and _ only), at character " +
                                                            std::to_string(bad + 1)));
  return v;
}

// The link's keys but the later labs' (kept as text in l.later); has_expr: whether it names an expression.
static PageLink read_first(const std::string& hash, bool& has_expr) {
  std::string h = !hash.empty() && hash[0] == '#' ? hash.substr(1) : hash;
  if (h.size() > kMaxSource) throw InputError("the link is too long (" + std::to_string(h.size()) + " characters)");
  PageLink l;
  has_expr = false;
  size_t start = 0;
  while (start <= h.size()) {
    size_t amp = h.find('&', start);
    std::string part = h.substr(start, amp == std::string::npos ? std::string::npos : amp - start);
    start = amp == std::string::npos ? h.size() + 1 : amp + 1;
    if (part.empty()) continue;
    size_t eq = part.find('=');
    if (eq == std::string::npos) throw InputError("the link's part '" + quote(part) + "' has no '='");
    std::string key = percent_decode(part.substr(0, eq)), v = percent_decode(part.substr(eq + 1));
    if (key == "lesson") l.lesson = v;
    else if (key == "lessonfile") l.lesson_file = packed_text(v, "lesson file", key);
    else if (key == "expr") l.expr = v, has_expr = true;
    else if (key.rfind("in.", 0) == 0 && key.size() > 3) {
      try {
        l.inputs.push_back({key.substr(3), parse_value(v)});
      } catch (const InputError& e) {
        throw InputError("the link's value for " + quote(key.substr(3)) + " is wrong: " + e.what());
      }
    } else {
      try {  // a setting: a bad value is refused alone, the rest of the link applies
        if (key == "step") l.step = parse_count(key, v, 999999);  // checked against the plan when it is built
        else if (key == "iter") l.iteration = parse_count(key, v, kMaxIterations);
        else if (key == "quiz") l.quiz = parse_seed(v, "the link's quiz seed");
        else if (key == "quiz.bank") l.quiz_bank = packed_text(v, "question file", key);
        else if (key == "lang") l.lang = v == "en" || v == "ja" ? v : throw InputError("the link's language must be en or ja, not '" + quote(v) + "'");
        else if (key == "mode") l.mode = v;  // a lab's id: the page checks it against its list of labs
        else if (key == "present") l.present = read_whole(key, v, 0, 1);
        else if (key == "sh.input") l.shapes.input = v;  // texts: the shapes lab reads them, and says what is wrong
        else if (key == "sh.layers") l.shapes.layers = v;
        else if (is_later_key(key)) l.later.push_back({key, v});
        else if (const WalkthroughSetting* w = find_setting(walkthrough_settings(), key)) read_setting(*w, l.walkthrough, v);
        else if (const QuizSetting* q = find_setting(quiz_settings(), key)) read_setting(*q, l.quiz_set, v);
        else throw InputError("the link has an unknown key '" + quote(key) + "'");
      } catch (const InputError& e) {
        l.problems.push_back(e.what());
      }
    }
  }
  return l;
}

// The graph the link names: the first lesson when it names none but sets something.
static void check_graph(PageLink& l, bool has_expr) {
  if (!l.lesson_file.empty()) {  // the lesson is in the link: the page unpacks and checks it
    if (!l.lesson.empty() || has_expr) throw InputError(std::string("the link names a lesson file and also ") + (has_expr ? "an expression" : "a lesson"));
    return;
  }
  if (l.lesson.empty() && !has_expr && (l.quiz || !l.mode.empty() || l.present || !l.lang.empty() || !l.problems.empty() || !l.later.empty())) l.lesson = builtin_lessons().front().id;  // no graph named
  if (l.lesson.empty() && !has_expr) throw InputError("the link names neither a lesson nor an expression");
  if (!l.lesson.empty() && has_expr) throw InputError("the link names both a lesson and an expression");
  if (!l.lesson.empty() && !find_lesson(l.lesson))
    throw InputError("the link names an unknown lesson '" + quote(l.lesson) + "'; the lessons are: " + lesson_ids());
}

PageLink decode_link_first(const std::string& hash) {
  bool has_expr;
  PageLink l = read_first(hash, has_expr);
  check_graph(l, has_expr);
  return l;
}

PageLink decode_link(const std::string& hash) {
  bool has_expr;
  PageLink l = read_first(hash, has_expr);
  read_later_keys(l);
  check_graph(l, has_expr);
  return l;
}

}  // namespace kobai
