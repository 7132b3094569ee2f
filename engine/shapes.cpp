// kobai engine: the shape sheet (shapes.h). A small reader for the layers' text, then one pass over the layers
// that carries the shape along; the window sizes are conv.h's, so the sheet says what the kernels will do.
#include "shapes.h"

#include <algorithm>
#include <cctype>
#include <iterator>
#include <tuple>

namespace kobai {
namespace {

using std::to_string;

const char* const kLayerNames[] = {"conv", "pool", "avgpool", "relu", "flatten", "affine"};
const char* const kLayerList = "conv, pool, avgpool, relu, flatten, affine";

// A layer's arguments, in order: the first `required` must be given; the rest have defaults (pools: stride = PH).
struct Params {
  std::vector<const char*> names;
  int required;
  const char* usage;
};
Params params_of(SheetLayer k) {
  switch (k) {
    case SheetLayer::conv: return {{"FN", "FH", "FW", "stride", "pad"}, 3, "conv(FN, FH, FW, stride=1, pad=0)"};
    case SheetLayer::pool: return {{"PH", "PW", "stride", "pad"}, 2, "pool(PH, PW, stride=PH, pad=0)"};
    case SheetLayer::avgpool: return {{"PH", "PW", "stride", "pad"}, 2, "avgpool(PH, PW, stride=PH, pad=0)"};
    case SheetLayer::affine: return {{"M"}, 1, "affine(M)"};
    case SheetLayer::relu: return {{}, 0, "relu"};
    case SheetLayer::flatten: return {{}, 0, "flatten"};
  }
  return {{}, 0, ""};
}
// What each argument is, for a message that asks for it.
const char* meaning(const std::string& name) {
  if (name == "FN") return "the number of filters";
  if (name == "FH") return "the filter's height";
  if (name == "FW") return "the filter's width";
  if (name == "PH") return "the window's height";
  if (name == "PW") return "the window's width";
  if (name == "M") return "the number of outputs";
  return "";
}

bool same_name(const std::string& a, const char* b) {
  if (a.size() != std::char_traits<char>::length(b)) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::tolower((unsigned char)a[i]) != std::tolower((unsigned char)b[i])) return false;
  return true;
}

// Walks the text byte by byte, knowing the line and the column (in characters) of where it is.
struct Scanner {
  const std::string& s;
  size_t i = 0;
  int line = 1, column = 1;
  bool end() const { return i >= s.size(); }
  char peek() const { return end() ? '\0' : s[i]; }
  void next() {
    if (end()) return;
    const unsigned char b = (unsigned char)s[i++];
    if (b == '\n') ++line, column = 1;
    else if ((b & 0xC0) != 0x80) ++column;  // a UTF-8 continuation byte is part of the character before
  }
  void spaces(bool newlines) {
    while (!end() && (peek() == ' ' || peek() == '\t' || peek() == '\r' || (newlines && peek() == '\n'))) next();
  }
  [[noreturn]] void fail(const std::string& msg) const { throw InputError(msg, line, column); }
  // What is here, for a message: "'x'" or "the end".
  std::string here() const {
    if (end()) return "the end";
    if (peek() == '\n') return "the end of the line";
    size_t n = 1;
    while (i + n < s.size() && n < 20 && (std::isalnum((unsigned char)s[i + n]) || s[i + n] == '_') && (std::isalnum((unsigned char)s[i]) || s[i] == '_')) ++n;
    return "'" + quote(s.substr(i, n)) + "'";
  }
};

bool name_char(char c) { return std::isalnum((unsigned char)c) || c == '_'; }

// A whole number from lo to hi, or a message that names the argument and its range.
int whole(const std::string& token, const std::string& what, int lo, int hi, int line, int column) {
  const bool digits = !token.empty() && std::all_of(token.begin(), token.end(), [](char c) { return c >= '0' && c <= '9'; });
  const long long v = digits && token.size() <= 9 ? std::stoll(token) : -1;
  if (v < lo || v > hi)
    throw InputError(what + " takes a whole number from " + to_string(lo) + " to " + thousands(hi) + ", not '" + quote(token, 0, 20) + "'",
                     line, column);
  return int(v);
}

struct Arg {
  std::string name;   // empty: by position
  std::string value;  // as typed
  int line, column;   // of the argument
  int value_line, value_column;  // of its value
};

LayerSpec bind_args(SheetLayer kind, const std::vector<Arg>& args, const Scanner& start) {
  const Params p = params_of(kind);
  const std::string layer = sheet_layer_name(kind);
  std::vector<const Arg*> given(p.names.size(), nullptr);
  size_t position = 0;
  bool named_seen = false;
  for (const Arg& a : args) {
    size_t at = 0;
    if (a.name.empty()) {
      if (named_seen)
        throw InputError("in " + layer + ", an argument by position comes after one by name: write it by name, or before them (" + p.usage + ")",
                         a.line, a.column);
      if (p.names.empty()) throw InputError(layer + " takes no arguments", a.line, a.column);
      if (position >= p.names.size())
        throw InputError(layer + " takes at most " + to_string(p.names.size()) + (p.names.size() == 1 ? " argument: " : " arguments: ") + p.usage,
                         a.line, a.column);
      at = position++;
    } else {
      named_seen = true;
      at = p.names.size();
      for (size_t k = 0; k < p.names.size(); ++k)
        if (same_name(a.name, p.names[k])) at = k;
      if (at == p.names.size()) {
        std::string list;
        for (const char* n : p.names) list += (list.empty() ? "" : ", ") + std::string(n);
        throw InputError(p.names.empty() ? layer + " takes no arguments"
                                         : layer + " has no argument '" + quote(a.name, 0, 20) + "'; its arguments are " + list + ": " + p.usage,
                         a.line, a.column);
      }
    }
    if (given[at]) throw InputError(layer + "'s " + p.names[at] + " is given twice", a.line, a.column);
    given[at] = &a;
  }
  // Each value, by the argument's name and range.
  auto value = [&](size_t k, int lo, int fallback) {
    if (k >= given.size() || !given[k]) return fallback;
    const Arg& a = *given[k];
    return whole(a.value, layer + "'s " + p.names[k], lo, kMaxSheetSize, a.value_line, a.value_column);
  };
  LayerSpec l;
  l.kind = kind;
  switch (kind) {
    case SheetLayer::conv:
      l.units = value(0, 1, 0), l.window.h = value(1, 1, 0), l.window.w = value(2, 1, 0);
      l.window.stride = value(3, 1, 1), l.window.pad = value(4, 0, 0);
      break;
    case SheetLayer::pool: case SheetLayer::avgpool:
      l.window.h = value(0, 1, 0), l.window.w = value(1, 1, 0);
      l.window.stride = value(2, 1, l.window.h), l.window.pad = value(3, 0, 0);
      break;
    case SheetLayer::affine: l.units = value(0, 1, 0); break;
    case SheetLayer::relu: case SheetLayer::flatten: break;
  }
  for (int k = 0; k < p.required; ++k)  // after the values: a bad one is named before a missing one
    if (!given[size_t(k)])
      throw InputError(layer + " needs " + p.names[size_t(k)] + " (" + meaning(p.names[size_t(k)]) + "): " + p.usage, start.line, start.column);
  return l;
}

// name(args): the arguments, each a number or NAME=number.
std::vector<Arg> arguments(Scanner& sc, const std::string& layer) {
  std::vector<Arg> args;
  const int open_line = sc.line, open_column = sc.column;
  sc.next();  // (
  sc.spaces(true);
  if (sc.peek() == ')') return sc.next(), args;
  for (;;) {
    sc.spaces(true);
    Arg a{"", "", sc.line, sc.column, sc.line, sc.column};
    const size_t begin = sc.i;
    while (!sc.end() && name_char(sc.peek())) sc.next();
    std::string word = sc.s.substr(begin, sc.i - begin);
    sc.spaces(false);
    if (sc.peek() == '=') {
      if (word.empty() || !std::isalpha((unsigned char)word[0])) sc.fail("expected an argument's name before '='");
      a.name = word;
      sc.next();
      sc.spaces(true);
      const size_t vbegin = sc.i;
      a.value_line = sc.line, a.value_column = sc.column;
      while (!sc.end() && sc.peek() != ',' && sc.peek() != ')' && sc.peek() != ';' && sc.peek() != '\n' && sc.peek() != ' ' && sc.peek() != '\t') sc.next();
      a.value = sc.s.substr(vbegin, sc.i - vbegin);
      if (a.value.empty()) sc.fail("expected a whole number after " + quote(word, 0, 20) + "=, not " + sc.here());
    } else {
      // A number by position: everything up to the next ',' or ')' (so that "5.5" or "-1" is named whole in the message).
      while (!sc.end() && sc.peek() != ',' && sc.peek() != ')' && sc.peek() != ';' && sc.peek() != '\n' && sc.peek() != ' ' && sc.peek() != '\t') sc.next();
      a.value = sc.s.substr(begin, sc.i - begin);
      while (!a.value.empty() && (a.value.back() == ' ' || a.value.back() == '\t' || a.value.back() == '\r')) a.value.pop_back();
      if (a.value.empty()) sc.fail("expected a whole number or NAME=number, not " + sc.here());
    }
    args.push_back(a);
    sc.spaces(true);
    if (sc.peek() == ',') {
      sc.next();
      continue;
    }
    if (sc.peek() == ')') return sc.next(), args;
    if (sc.end())
      throw InputError("the '(' of " + layer + " is not closed: expected ')'", open_line, open_column);
    sc.fail("expected ',' or ')' after an argument, not " + sc.here());
  }
}

std::string dims_count(const SheetShape& s) {  // "30·12·12"
  return to_string(s.c) + "·" + to_string(s.h) + "·" + to_string(s.w);
}

}  // namespace

const char* sheet_layer_name(SheetLayer k) { return kLayerNames[int(k)]; }

std::string thousands(long long v) {
  std::string digits = to_string(v < 0 ? -v : v), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return (v < 0 ? "-" : "") + out;
}

std::string SheetShape::text() const { return flat ? to_string(size) : to_string(c) + "x" + to_string(h) + "x" + to_string(w); }
std::vector<int> SheetShape::dims() const { return flat ? std::vector<int>{size} : std::vector<int>{c, h, w}; }
bool SheetShape::operator==(const SheetShape& o) const {
  return flat == o.flat && (flat ? size == o.size : c == o.c && h == o.h && w == o.w);
}

SheetShape parse_shape_input(const std::string& text) {
  if (text.size() > 100) throw InputError("the input shape is too long (" + to_string(text.size()) + " characters): CxHxW, such as 1x28x28");
  Scanner sc{text};
  std::vector<std::pair<std::string, Scanner>> parts;
  sc.spaces(true);
  for (;;) {
    Scanner at = sc;
    const size_t begin = sc.i;
    while (!sc.end() && !(sc.peek() == 'x' || sc.peek() == 'X' || sc.peek() == ' ' || sc.peek() == '\t' ||
                          sc.s.compare(sc.i, 2, "×") == 0))
      sc.next();
    parts.push_back({text.substr(begin, sc.i - begin), at});
    sc.spaces(true);
    if (sc.end()) break;
    if (sc.peek() == 'x' || sc.peek() == 'X') sc.next();
    else if (sc.s.compare(sc.i, 2, "×") == 0) sc.next(), sc.next();
    else sc.fail("the input shape is CxHxW, HxW or a length (1x28x28, 28x28, 784); expected 'x', not " + sc.here());
    sc.spaces(true);
    if (parts.size() == 3) sc.fail("the input shape has at most three sizes, CxHxW (1x28x28), not more");
  }
  if (parts.size() == 1 && parts[0].first.empty())
    throw InputError("the input shape is empty: write CxHxW (1x28x28), HxW (28x28) or a length (784)", 1, 1);
  static const char* names3[] = {"channels C", "height H", "width W"};
  static const char* names2[] = {"height H", "width W"};
  std::vector<int> v;
  for (size_t k = 0; k < parts.size(); ++k) {
    const std::string what = parts.size() == 3 ? names3[k] : parts.size() == 2 ? names2[k] : "length";
    v.push_back(whole(parts[k].first, "the input's " + what, 1, kMaxSheetSize, parts[k].second.line, parts[k].second.column));
  }
  SheetShape s;
  if (v.size() == 1) s.flat = true, s.size = v[0];
  else if (v.size() == 2) s.c = 1, s.h = v[0], s.w = v[1];
  else s.c = v[0], s.h = v[1], s.w = v[2];
  const long long count = (long long)s.c * s.h * s.w;
  if (!s.flat && count > kMaxSheetCount)
    throw InputError("the input " + s.text() + " has " + dims_count(s) + " = " + thousands(count) + " values, more than " +
                     thousands(kMaxSheetCount) + " (the largest count kobai keeps, an int's)", 1, 1);
  return s;
}

std::vector<LayerSpec> parse_layers(const std::string& text) {
  if (text.size() > kMaxSheetText)
    throw InputError("the layers' text is too long (" + thousands((long long)text.size()) + " characters; at most " +
                     thousands((long long)kMaxSheetText) + ")");
  std::vector<LayerSpec> layers;
  Scanner sc{text};
  for (;;) {
    while (!sc.end() && (sc.peek() == ';' || sc.peek() == ' ' || sc.peek() == '\t' || sc.peek() == '\r' || sc.peek() == '\n')) sc.next();
    if (sc.end()) break;
    const Scanner start = sc;
    if (!std::isalpha((unsigned char)sc.peek())) sc.fail(std::string("expected a layer (") + kLayerList + "), not " + sc.here());
    while (!sc.end() && name_char(sc.peek())) sc.next();
    const std::string name = text.substr(start.i, sc.i - start.i);
    size_t stop = sc.i;
    int kind = -1;
    for (int k = 0; k < int(std::size(kLayerNames)); ++k)
      if (same_name(name, kLayerNames[k])) kind = k;
    if (kind < 0) throw InputError("unknown layer '" + quote(name, 0, 30) + "'; the layers are " + kLayerList, start.line, start.column);
    if (int(layers.size()) == kMaxSheetLayers)
      throw InputError("more than " + to_string(kMaxSheetLayers) + " layers: a sheet holds at most " + to_string(kMaxSheetLayers), start.line, start.column);
    sc.spaces(false);
    std::vector<Arg> args;
    if (sc.peek() == '(') args = arguments(sc, name), stop = sc.i;
    const bool called = stop > start.i && text[stop - 1] == ')';
    sc.spaces(false);
    if (!sc.end() && sc.peek() != ';' && sc.peek() != '\n') {
      const Params p = params_of(SheetLayer(kind));
      if (!called && p.required) sc.fail(std::string("expected '(' after ") + kLayerNames[kind] + ": " + p.usage);
      sc.fail(std::string("expected ';' or a new line after ") + (called ? "the layer" : kLayerNames[kind]) + ", not " + sc.here());
    }
    LayerSpec l = bind_args(SheetLayer(kind), args, start);
    l.text = text.substr(start.i, stop - start.i);
    l.line = start.line, l.column = start.column;
    layers.push_back(l);
  }
  return layers;
}

ShapeSheet shape_sheet(const SheetShape& input, const std::vector<LayerSpec>& layers) {
  ShapeSheet sheet;
  sheet.input = input;
  SheetShape now = input;
  for (size_t i = 0; i < layers.size(); ++i) {
    const LayerSpec& l = layers[i];
    SheetRow row;
    row.index = int(i) + 1, row.layer = l, row.input = now;
    auto refuse = [&](const std::string& why) {
      sheet.refused = "layer " + to_string(i + 1) + " '" + quote(l.text, 0, 60) + "': " + why;
      sheet.refused_layer = int(i) + 1, sheet.refused_line = l.line, sheet.refused_column = l.column;
      return sheet;
    };
    const std::string after = i ? " (after layer " + to_string(i) + ")" : " (the input)";
    const Window& w = l.window;
    switch (l.kind) {
      case SheetLayer::conv: case SheetLayer::pool: case SheetLayer::avgpool: {
        const char* what = l.kind == SheetLayer::conv ? "a convolution" : "pooling";
        if (now.flat) return refuse(std::string(what) + " needs C x H x W, but its input is a vector of " + to_string(now.size) + after);
        for (auto [size, f, dim] : {std::tuple{now.h, w.h, "height"}, std::tuple{now.w, w.w, "width"}})
          if (std::string problem = out_size_problem(size, f, w.pad, w.stride, dim); !problem.empty()) return refuse(problem);
        const int oh = out_size(now.h, w.h, w.pad, w.stride), ow = out_size(now.w, w.w, w.pad, w.stride);
        auto numbers = [&](int size, int f, int o) {
          return "(" + to_string(size) + " + 2·" + to_string(w.pad) + " − " + to_string(f) + ")/" + to_string(w.stride) + " + 1 = " + to_string(o);
        };
        if (now.h == now.w && w.h == w.w) row.formula = "O = (H + 2P − F)/S + 1 = " + numbers(now.h, w.h, oh);
        else
          row.formula = "OH = (H + 2P − FH)/S + 1 = " + numbers(now.h, w.h, oh) + ";  OW = (W + 2P − FW)/S + 1 = " + numbers(now.w, w.w, ow);
        row.output.c = l.kind == SheetLayer::conv ? l.units : now.c, row.output.h = oh, row.output.w = ow;
        if (l.kind == SheetLayer::conv) {
          row.params = (long long)l.units * now.c * w.h * w.w + l.units;
          row.params_formula = "FN·C·FH·FW + FN = " + to_string(l.units) + "·" + to_string(now.c) + "·" + to_string(w.h) + "·" + to_string(w.w) +
                               " + " + to_string(l.units) + " = " + thousands(row.params);
        }
        const long long count = (long long)row.output.c * oh * ow;
        if (count > kMaxSheetCount)
          return refuse("its output " + row.output.text() + " has " + dims_count(row.output) + " = " + thousands(count) + " values, more than " +
                        thousands(kMaxSheetCount) + " (the largest count kobai keeps, an int's)");
        break;
      }
      case SheetLayer::relu:
        row.output = now, row.formula = "max(0, x)";
        break;
      case SheetLayer::flatten:
        row.output = now;
        if (!now.flat) {
          row.output.flat = true, row.output.size = now.c * now.h * now.w;
          row.formula = "C·H·W = " + dims_count(now) + " = " + thousands(row.output.size);
        }
        break;
      case SheetLayer::affine: {
        const int in = now.flat ? now.size : now.c * now.h * now.w;  // the input keeps C·H·W within an int
        row.output.flat = true, row.output.size = l.units;
        row.formula = (now.flat ? to_string(in) : "C·H·W = " + dims_count(now) + " = " + thousands(in)) + " → M = " + to_string(l.units);
        row.params = (long long)in * l.units + l.units;
        row.params_formula = "in·M + M = " + to_string(in) + "·" + to_string(l.units) + " + " + to_string(l.units) + " = " + thousands(row.params);
        break;
      }
    }
    if (row.params > kMaxSheetCount)
      return refuse(row.params_formula + " parameters, more than " + thousands(kMaxSheetCount) + " (the largest count kobai keeps, an int's)");
    if (sheet.total + row.params > kMaxSheetCount)
      return refuse("the parameters so far come to " + thousands(sheet.total + row.params) + ", more than " + thousands(kMaxSheetCount) +
                    " (the largest count kobai keeps, an int's)");
    sheet.total += row.params;
    now = row.output;
    sheet.rows.push_back(row);
  }
  std::string terms;
  int with = 0;
  for (const SheetRow& r : sheet.rows)
    if (r.params) terms += (with++ ? " + " : "") + thousands(r.params);
  sheet.total_formula = with > 1 ? terms + " = " + thousands(sheet.total) : thousands(sheet.total);
  return sheet;
}

}  // namespace kobai
