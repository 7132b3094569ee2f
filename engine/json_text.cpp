// Reading JSON text a teacher wrote, with messages in kobai's words that say where.
#include "json_text.h"

#include <cstdlib>
#include <cstring>

namespace kobai {

using json = nlohmann::json;

// The line and column of a byte of the text: lines from 1, columns in characters (UTF-8), from 1.
std::pair<int, int> line_column(const std::string& text, size_t pos) {
  int line = 1, column = 1;
  for (size_t i = 0; i < pos; ++i)
    if (text[i] == '\n') ++line, column = 1;
    else column += (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80;
  return {line, column};
}

std::string place_text(const std::pair<int, int>& p) {
  return "line " + std::to_string(p.first) + ", column " + std::to_string(p.second);
}

// JSON text, or an InputError in kobai's words: what is wrong, and where (line and column, when there are lines).
// The library's own message is not for users: only the error's place and kind are used. (Its exceptions carry
// both; a second parse with a handler of our own would put another copy of the parser in the page.)
json parse_json(const std::string& text, const std::string& what, const char* noun, const char* hint) {
  size_t read = 0;  // bytes read when the error was found
  int id = 0;       // the library's error number: 406 is a number too large for a double
  try {
    return json::parse(text);
  } catch (const json::parse_error& e) {
    read = e.byte, id = e.id;
  } catch (const json::out_of_range& e) {  // its message names the number as typed: its first occurrence is it
    std::string m = e.what();
    size_t a = m.find('\''), b = m.rfind('\''), at = a < b ? text.find(m.substr(a + 1, b - a - 1)) : std::string::npos;
    read = at == std::string::npos ? 0 : at + (b - a - 1), id = e.id;  // as if read up to its last character
  }
  bool ended = read >= text.size() && id != 406;
  size_t pos = ended ? text.size() : read > 0 ? read - 1 : 0;  // the last byte read: the culprit's end
  const auto [line, column] = line_column(text, pos);
  bool lines = text.find('\n') != std::string::npos;
  std::string where = lines ? " (" + place_text({line, column}) + ")" : "";
  std::string near = text.size() > 40 ? ", near '" + quote(text, pos, 40) + "'" : "";
  std::string why;
  if (id == 406) why = "a number is too large for a double (at most about 1.8e308)" + near;
  else if (text.find_first_not_of(" \t\r\n") == std::string::npos) why = "it is empty";
  else if (ended) why = "it ends too early (is a '}', ']' or '\"' missing?)";
  else why = "unexpected text" + (near.empty() && !lines ? " at column " + std::to_string(column) : near);
  throw InputError(what + " is not " + noun + where + ": " + why + hint);
}

// The text is valid JSON (it has parsed). A walk of the characters with a depth count, not a recursion: a deeply
// nested value costs no stack.
std::string key_place(const std::string& t, const std::vector<std::string>& path) {
  if (t.find('\n') == std::string::npos) return "";  // one line: the key's name says enough (as parse_json's places)
  size_t i = 0;
  auto ws = [&] { while (i < t.size() && (t[i] == ' ' || t[i] == '\t' || t[i] == '\r' || t[i] == '\n')) ++i; };
  auto skip_string = [&] {  // at its opening quote; after its closing one
    for (++i; i < t.size() && t[i] != '"'; ++i)
      if (t[i] == '\\') ++i;
    ++i;
  };
  auto skip_value = [&] {
    ws();
    int depth = 0;
    do {
      if (i >= t.size()) return;
      const char c = t[i];
      if (c == '"') { skip_string(); continue; }
      if (c == '{' || c == '[') ++depth;
      else if (c == '}' || c == ']') --depth;
      else if (depth == 0) {  // a number, true, false or null
        while (i < t.size() && !std::strchr(",}] \t\r\n", t[i])) ++i;
        return;
      }
      ++i;
    } while (depth > 0);
  };
  for (size_t k = 0; k < path.size(); ++k) {
    ws();
    if (i < t.size() && t[i] == '[') {  // a list: skip to item path[k]
      const size_t item = std::strtoul(path[k].c_str(), nullptr, 10);
      ++i;
      for (size_t n = 0; n < item; ++n) {
        skip_value();
        ws();
        if (i >= t.size() || t[i] != ',') return "";
        ++i;
      }
      ws();
      if (k + 1 == path.size()) return i < t.size() && t[i] != ']' ? place_text(line_column(t, i)) + ": " : "";
      continue;
    }
    if (i >= t.size() || t[i] != '{') return "";
    ++i;
    for (;;) {
      ws();
      if (i >= t.size() || t[i] != '"') return "";
      const size_t key_at = i;
      skip_string();
      const json key = json::parse(t.begin() + key_at, t.begin() + i, nullptr, false);
      ws();
      ++i;  // the colon
      if (key.is_string() && key.get_ref<const std::string&>() == path[k]) {
        if (k + 1 < path.size()) break;  // go into its value
        return place_text(line_column(t, key_at)) + ": ";
      }
      skip_value();
      ws();
      if (i >= t.size() || t[i] != ',') return "";
      ++i;
    }
  }
  return "";
}

std::string in_file(const std::string& file, const std::string& message) {
  return quote(file) + (message.rfind("line ", 0) == 0 ? ", " : ": ") + message;
}

}  // namespace kobai
