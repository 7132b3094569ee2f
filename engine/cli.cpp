// The `kobai` command: the engine's walkthrough, evaluation and gradient check, and optimizer paths, in a terminal.
// Exit codes: 0 success, 2 bad input (message on stderr), 1 internal error.
#include "activations.h"
#include "compare.h"
#include "lesson.h"
#include "bank.h"
#include "json_text.h"
#include "quiz.h"
#include "report.h"
#include "seq.h"
#include "shapes.h"
#include "surface.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

using namespace kobai;

namespace {

const char* kUsage = R"(kobai: step through backpropagation on a computational graph, one node at a time

usage:
  kobai trace EXPR --at NAME=VALUE ...    every forward and backward step, with the numbers
  kobai eval  EXPR --at NAME=VALUE ...    the output and d(output)/d(input) for every input (--json)
  kobai check EXPR --at NAME=VALUE ...    backprop beside a numerical gradient (勾配確認)
  kobai lessons                           the built-in lessons
  kobai lesson check FILE                 is a teacher's lesson file right? where it is not, the key, line and column
  kobai quiz --seed N --count K           a chain-rule question sheet and its answer key
  kobai activations --act A --init I      activations and gradients per layer (the book's chapter 6.2)
  kobai descend F --optimizer adam        the path an optimizer takes down f(x, y) (--json)
  kobai compare --preset fig6-9           runs side by side on the digits (the book's chapter 6; --csv)
  kobai rnn --preset 2                    an RNN learns binary addition (the course's day 3; --json)
  kobai shapes 'conv(30,5,5); pool(2,2)' --input 1x28x28   each layer's shape and parameters (chapter 7; --json)
  kobai train --cnn --filters 8 --epochs 10   an MLP or a CNN learns the digits, as the playground (--json)
  kobai COMMAND --help                    more on one command

Instead of EXPR: --lesson ID (a built-in lesson) or --lesson-file FILE (a teacher's JSON lesson).
--at overrides a lesson's input values. --lang en|ja chooses the language (default en).

example:
  kobai trace 'price = apple * num * tax' --at apple=100 --at num=2 --at tax=1.1
)";

const char* kExprHelp = R"(
The expression language:
  statements separated by newlines or ';'     u = w*x + b; y = sigmoid(u); L = 0.5*(y - t)^2
  a name on the left names a node; the last statement is the output; names never assigned are inputs
  + - * / (element-wise), @ (matrix product), ^ (a constant exponent), unary -, parentheses, # comments
  functions: relu sigmoid tanh exp log step affine(X, W, b) transpose(X) softmax(a) (each row) sum mean mse(y, t) softmax_with_loss(a, t)
  values: --at x=1.5, a row --at b='[1, 2, 3]', a matrix --at W='[[1, 2, 3], [4, 5, 6]]'
  element-wise ops take equal shapes, a 1x1 against anything, or a 1xn row against an Nxn matrix
  loops, unrolled as if written out:
    for t in 1..4 { h[t] = tanh(x[t] @ Wx + h[t-1] @ Wh + b); L[t] = mse(h[t] @ Wy, d[t]) }; L = sum(L[1..4])
    (x[t] of an input matrix is its row t, from 1; h[0], read before it is assigned, is zeros unless --at 'h[0]=...';
    sum(L[1..4]) is L[1] + L[2] + L[3] + L[4]; at most 64 steps a loop)
)";

const char* kTraceHelp = R"(kobai trace: the whole walkthrough, one step per block

usage: kobai trace (EXPR | --lesson ID | --lesson-file FILE) [--at NAME=VALUE ...] [--iterations N] [--lang en|ja]

Forward: one op node a step, in topological order: formula, the same with numbers, the result.
Backward: seeded with d(out)/d(out) = 1, then each node in reverse order: the gradient arriving times the
node's local derivative, for each input. A value used twice gets a step that sums its gradients; a bias
added to every row of a batch gets a step that sums over the rows. Lessons with parameters add an update
phase: W ← W − η·∂L/∂W; --iterations N walks N rounds of forward, backward and update (up to 1000), then
lists the loss of each and the loss the last update reached.

examples:
  kobai trace 'price = apple * num * tax' --at apple=100 --at num=2 --at tax=1.1
  kobai trace --lesson apple --lang ja
  kobai trace 'y = sigmoid(w*x + b)' --at w=2 --at x=1 --at b=-1
  kobai trace --lesson two_layer_net --iterations 5
)";

const char* kEvalHelp = R"(kobai eval: the output and the gradient of the output with respect to every input

usage: kobai eval (EXPR | --lesson ID | --lesson-file FILE) [--at NAME=VALUE ...] [--json]

--json prints one object:
  {"output": NAME, "value": V, "grads": {INPUT: G, ...}, "nodes": [{"name", "op", "value", "grad"}, ...]}
V and G are numbers for 1x1 values and lists of rows for matrices, at full precision.

example:
  kobai eval 'L = mse(y, t)' --at y='[0.1, 0.6, 0.3]' --at t='[0, 1, 0]' --json
)";

const char* kCheckHelp = R"(kobai check: gradient check (勾配確認)

usage: kobai check (EXPR | --lesson ID | --lesson-file FILE) [--at NAME=VALUE ...] [--lang en|ja]

For every input, the gradient from backpropagation beside a central-difference numerical gradient
(f(x+h) − f(x−h)) / 2h with h = 1e-5, in double precision (the page uses the same), and their relative
error: the largest difference over the entries checked divided by the largest element,
max|backprop − numerical| / max(max|backprop|, max|numerical|).
At most 1e-5 counts as agreement; where the numerical estimate's own rounding noise is larger (a sum of
millions of products), up to that noise, never past 1e-3. The noise is read off the third difference
f(x+2h) − 3f(x+h) + 3f(x) − f(x−h), so each entry costs three evaluations of the graph.
An input with more than 64 entries has 64 of them checked, spread over the matrix, and the output says
which; on a very costly graph fewer, or none (said). At a kink (ReLU at 0, step) the numerical gradient is
not meaningful.

example:
  kobai check 'L = softmax_with_loss(a, t)' --at a='[[0.3, 2.9, 4.0]]' --at t='[[0, 0, 1]]'
)";

const char* kLessonsHelp = R"(kobai lessons: the built-in lessons, with their goals

usage: kobai lessons [--lang en|ja]

A lesson file is JSON; copy one from engine/lessons/ to write your own and load it with --lesson-file:
  {"id": "...", "title": {"en": "...", "ja": "..."}, "goal": {"en": "...", "ja": "..."},
   "expr": "..." or ["line", ...], "inputs": {"x": 1, "W": [[1, 2], [3, 4]]}, "params": ["W"], "lr": 0.1}
Other keys are refused; "params" and "lr" (greater than 0) come together. An error names the line and column
of the file it is on. Every key, with examples: docs/lessons.md; check a file with kobai lesson check FILE.

example:
  kobai lessons --lang ja
)";

const char* kQuizHelp = R"(kobai quiz: a chain-rule question sheet and its answer key, for a class

usage: kobai quiz [--seed N] [--count K] [--topics T,T,...] [--difficulty 1|2|3] [--lang en|ja] [--format md|json|html]
                  [--bank FILE]
       kobai quiz check FILE

The same seed gives the same questions, here and in the page's quiz opened with that seed (#quiz=N), so a
class can work on one set. Topics (listed below): day 1's six are asked by default, the others when named.
Defaults: seed 1, 10 questions, difficulty 2, markdown.
Every numeric answer is computed by the engine. --format json prints [{"kind", "topic", "prompt", "answer", ...}];
--format html a sheet to print on A4 (the browser's Print): the questions with room to write, a name and a score
line, then the answer key with the working from a new page.
The concept questions (topics concepts, concepts2, concepts3: the course's 確認テスト for days 1 to 3) come from
the question bank in engine/questions/; none is asked twice in a sheet while the bank has others. --bank FILE asks
a teacher's own questions instead (the format: docs/questions.md), from that file's topics unless --topics names
more. "kobai quiz check FILE" reads such a file and says what is wrong and where (file, line and column).

examples:
  kobai quiz --seed 7 --count 20 --lang ja > sheet.md
  kobai quiz --seed 4 --bank my_questions.json --count 10 --format html > sheet.html
  kobai quiz --seed 7 --topics step,fanin --difficulty 1 --format json
  kobai quiz --seed 3 --topics update,init,params,saddle --count 12
  kobai quiz --seed 7 --count 20 --lang ja --format html > sheet.html
)";

struct Usage : InputError {
  using InputError::InputError;
};

std::string read_file(const std::string& path, const std::string& noun = "lesson file") {
  std::error_code err;
  if (std::filesystem::is_directory(path, err)) throw InputError("'" + quote(path) + "' is a directory, not a " + noun);
  std::ifstream f(path, std::ios::binary);
  if (!f) throw InputError("cannot read the " + noun + " '" + quote(path) + "'");
  // Read at most one byte past the limit: /dev/zero or a huge file is refused, not read until memory runs out.
  const size_t limit = 20 << 20;
  std::string text(limit + 1, '\0');
  f.read(&text[0], std::streamsize(text.size()));
  text.resize(size_t(f.gcount()));
  if (text.size() > limit)
    throw InputError("'" + quote(path) + "' is larger than a " + noun + " can be (more than 20,971,520 bytes, 20 MiB)");
  return text;
}

Bank read_bank(const std::string& file) {
  try {
    return parse_bank(read_file(file, "question bank"));
  } catch (const InputError& e) {
    throw InputError(in_file(file, e.what()));
  }
}

struct Request {
  std::string command, expr, lesson_id, lesson_file, bank_file, format = "md";
  QuizOptions quiz;
  InputValues at;
  Lang lang = Lang::en;
  bool json = false, help = false, has_expr = false;  // an empty expression is given, and wrong
  int iterations = -1;                                 // trace --iterations N; -1: not given
};

int number(const std::string& v, const char* flag) {  // a whole number, or a message saying so
  if (v.empty() || v.find_first_not_of("0123456789") != std::string::npos)
    throw Usage(std::string(flag) + " takes a whole number, not '" + quote(v) + "'");
  if (v.size() > 9)  // it fits an int, so that the range messages show the number as typed
    throw Usage(std::string(flag) + " takes a whole number below 1000000000, not '" + quote(v) + "'");
  return std::stoi(v);
}

// --- kobai descend ---------------------------------------------------------------------------------------------

// The help's settings part comes from the optimizer table: each optimizer with its flags and defaults, then
// each setting's meaning and range.
std::string descend_help() {
  std::string s = R"(kobai descend: the path an optimizer takes down a surface f(x, y)

usage: kobai descend (F | --surface NAME | --preset NAME) [--optimizer NAME] [SETTINGS] [--from X,Y]
                     [--steps N] [--noise S] [--seed N] [--book] [--json] [--lang en|ja]

F is f in the expression language, using x and y only, e.g. 'x^2/20 + y^2'; its gradient is kobai's backward
pass. Or a built-in surface, with its own start:
)";
  for (const char* const& name : names_of<SurfaceKind>()) {
    const SurfaceDef& d = surface_def(SurfaceKind(&name - names_of<SurfaceKind>().names));
    char line[200];
    std::snprintf(line, sizeof line, "  --surface %-11s %s, from (%s, %s)\n", name, d.expr, format_number(d.start.x).c_str(),
                  format_number(d.start.y).c_str());
    s += line;
  }
  s += "\n--optimizer (default sgd) and the settings each takes, at their defaults:\n";
  for (const char* const& name : names_of<OptimizerKind>()) {
    const OptimizerDef& d = optimizer_def(OptimizerKind(&name - names_of<OptimizerKind>().names));
    std::string flags;
    for (const OptParam& p : d.settings) flags += std::string(" --") + name_of(p.key) + " " + format_number(p.default_value);
    char line[200];
    std::snprintf(line, sizeof line, "  %-9s%s\n", name, flags.c_str());
    s += line;
  }
  s += "\nthe settings:\n";
  for (const char* const& name : names_of<OptSettingKey>()) {
    const OptSetting& o = opt_setting(OptSettingKey(&name - names_of<OptSettingKey>().names));
    char line[200];
    std::snprintf(line, sizeof line, "  --%-9s %s %s, from %s to %s\n", name, o.symbol, o.label.en, format_number(o.min).c_str(),
                  format_number(o.max).c_str());
    s += line;
  }
  s += R"(
--from X,Y   the start (needed with F; a surface has its own)
--steps N    steps to take, 0 to 100000 (default 30): the path has N + 1 points, the start first
--noise S    Gaussian noise of standard deviation S added to each component of the gradient (a stochastic
             gradient, as SGD's mini-batches give); --seed N (default 1) makes it the same every run
--book       the book's optimizer.py: epsilon 1e-7 outside the square root, and Adam's bias correction folded
             into its learning rate, lr_t = lr * sqrt(1 - beta2^t) / (1 - beta1^t). Without it Adam computes
             m-hat and v-hat, and --eps is a setting. (The book has no Adadelta.)
--preset fig6-8   the book's Figure 6-8: its surface, start, 30 steps, --book and the learning rate it gives
             the optimizer (sgd 0.95, momentum 0.1, adagrad 1.5, adam 0.3); other flags override
--json       {"points": [[x, y], ...], "values": [f, ...]}, numbers at full precision, and "message" when the
             path stopped early
A path stops where its point, value or gradient becomes NaN or inf, or the value passes 1e12 in size, and says
at which step and what the value was.

examples:
  kobai descend 'x^2/20 + y^2' --optimizer adam --lr 0.3 --from -7,2 --steps 30 --json
  kobai descend --preset fig6-8 --optimizer momentum
  kobai descend --surface saddle --noise 0.01 --seed 3 --steps 100
)";
  return s;
}

double real(const std::string& v, const std::string& flag) {  // a finite number, or a message saying so
  const char* begin = v.c_str();
  char* end = nullptr;
  double d = std::strtod(begin, &end);
  if (v.empty() || end != begin + v.size() || !std::isfinite(d) || std::isspace((unsigned char)v[0]))
    throw Usage(flag + " takes a number, not '" + quote(v) + "'");
  return d;
}

template <class E>
E enum_named(const std::string& v, const char* flag, const char* what) {  // a name of E's list, or the list
  NameList names = names_of<E>();
  std::string all;
  for (const char* const& n : names) {
    if (v == n) return E(&n - names.names);
    all += (all.empty() ? "" : ", ") + std::string(n);
  }
  throw Usage(std::string(flag) + ": unknown " + what + " '" + quote(v) + "'; the " + what + "s are: " + all);
}


// The value after a flag (argv[i + 1], i moved past it), or a usage error naming the flag.
std::string flag_value(int argc, char** argv, int& i, const char* flag) {
  if (i + 1 >= argc) throw Usage(std::string(flag) + " needs a value");
  return argv[++i];
}

int descend_command(int argc, char** argv) {
  std::string expr, surface, preset, optimizer;
  bool has_expr = false, book = false, json = false, has_from = false;
  std::vector<std::pair<OptSettingKey, double>> given;  // in the order typed; the last of a flag wins
  Vec2 from;
  int steps = -1;
  double noise = 0;
  uint64_t seed = 1;
  Lang lang = Lang::en;
  for (int i = 2; i < argc; ++i) {
    std::string a = argv[i], inline_value;
    bool has_inline = false;
    if (a.rfind("--", 0) == 0 && a.find('=') != std::string::npos)  // --lr=0.3
      inline_value = a.substr(a.find('=') + 1), a = a.substr(0, a.find('=')), has_inline = true;
    auto value = [&]() -> std::string {
      if (has_inline) return inline_value;
      if (i + 1 >= argc) throw Usage(a + " needs a value");
      return argv[++i];
    };
    auto setting_flag = [&]() -> int {
      for (const char* const& n : names_of<OptSettingKey>())
        if (a == std::string("--") + n) return int(&n - names_of<OptSettingKey>().names);
      return -1;
    };
    if (has_inline && (a == "--help" || a == "--json" || a == "--book")) throw Usage(a + " takes no value");
    if (a == "--help" || a == "-h") {
      std::cout << descend_help();
      return 0;
    } else if (a == "--json") json = true;
    else if (a == "--book") book = true;
    else if (a == "--lang") lang = parse_lang(value());
    else if (a == "--optimizer") optimizer = value();
    else if (a == "--surface") surface = value();
    else if (a == "--preset") preset = value();
    else if (a == "--seed") seed = parse_seed(value(), "--seed");
    else if (a == "--steps") {
      steps = number(value(), "--steps");
      if (steps > 100000) throw Usage("--steps must be from 0 to 100000, not " + std::to_string(steps));
    } else if (a == "--noise") {
      noise = real(value(), "--noise");
      if (!(noise >= 0 && noise <= 1e6)) throw Usage("--noise must be from 0 to 1e+06, not " + format_number(noise));
    } else if (a == "--from") {
      std::string v = value();
      size_t comma = v.find(',');
      if (comma == std::string::npos || v.find(',', comma + 1) != std::string::npos)
        throw Usage("--from takes X,Y (two numbers and a comma, e.g. --from -7,2), not '" + quote(v) + "'");
      from = {real(v.substr(0, comma), "--from's x"), real(v.substr(comma + 1), "--from's y")};
      has_from = true;
    } else if (int k = setting_flag(); k >= 0) {
      const OptSetting& o = opt_setting(OptSettingKey(k));
      double d = real(value(), a);
      if (!(d >= o.min && d <= o.max))
        throw Usage(a + " (" + o.label.en + " " + o.symbol + ") must be from " + format_number(o.min) + " to " + format_number(o.max) +
                    ", not " + format_number(d));
      given.push_back({OptSettingKey(k), d});
    } else if (a.rfind("--", 0) == 0) throw Usage("unknown option '" + quote(a) + "' (kobai descend --help lists them)");
    else if (!has_expr) expr = a, has_expr = true;
    else throw Usage("more than one expression given ('" + quote(expr) + "' and '" + quote(a) + "'): quote the expression");
  }

  // The surface and its start: F with --from, a built-in surface, or a preset's.
  int sources = has_expr + !surface.empty() + !preset.empty();
  if (sources == 0) throw Usage("give f(x, y), --surface NAME or --preset NAME");
  if (sources > 1) throw Usage("give only one of: f(x, y), --surface, --preset");
  const PathPreset* p = nullptr;
  if (!preset.empty()) {
    p = find_path_preset(preset);
    if (!p) {
      std::string all;
      for (const PathPreset& q : path_presets()) all += (all.empty() ? "" : ", ") + std::string(q.name);
      throw Usage("--preset: unknown preset '" + quote(preset) + "'; the presets are: " + all);
    }
    surface = name_of(p->surface);
  }
  Vec2 start = from;
  if (has_expr) {
    if (!has_from) throw Usage("give the start with --from X,Y (e.g. --from -7,2)");
  } else {
    const SurfaceDef& d = surface_def(enum_named<SurfaceKind>(surface, "--surface", "surface"));
    expr = d.expr;
    if (!has_from) start = p ? p->start : d.start;
  }
  if (steps < 0) steps = p ? p->steps : 30;

  // The optimizer: its defaults (or the preset's), then the settings typed, each one it takes.
  OptimizerKind kind = optimizer.empty() ? OptimizerKind::sgd : enum_named<OptimizerKind>(optimizer, "--optimizer", "optimizer");
  const OptimizerDef& def = optimizer_def(kind);
  book = book || p;
  if (book && !def.in_book) throw Usage(std::string("--book: the book's optimizer.py has no ") + def.title + "; leave out --book");
  OptConfig c = optimizer_defaults(kind, book);
  if (p) {
    if (optimizer.empty()) {
      std::string all;
      for (const OptConfig& o : p->optimizers) all += (all.empty() ? "" : ", ") + std::string(name_of(o.kind));
      throw Usage("--preset " + preset + " races " + all + ": pick one with --optimizer");
    }
    bool found = false;
    for (const OptConfig& o : p->optimizers)
      if (o.kind == kind) c = o, found = true;
    if (!found) throw Usage("--preset " + preset + " has no " + name_of(kind) + " (see kobai descend --help)");
  }
  for (auto [key, v] : given) {
    std::string flag = std::string("--") + name_of(key), takes;
    bool ok = false;
    for (const OptParam& q : def.settings) {
      if (book && !q.in_book) continue;
      takes += (takes.empty() ? "" : ", ") + std::string("--") + name_of(q.key);
      ok = ok || q.key == key;
    }
    if (!ok) {
      bool book_only = false;
      for (const OptParam& q : def.settings) book_only = book_only || (q.key == key && book);
      throw Usage(flag + " is not a setting of " + name_of(kind) + (book_only ? " with the book's formulas (optimizer.py fixes epsilon at 1e-7)" : "") +
                  "; its settings: " + takes);
    }
    opt_value(c, key) = v;
  }

  DescentConfig dc{c, start, noise, seed};
  Path path = descend(Surface(expr), dc, steps);

  if (json) {
    nlohmann::ordered_json j;
    j["points"] = nlohmann::json::array();
    for (Vec2 q : path.points) j["points"].push_back({q.x, q.y});
    j["values"] = path.values;
    if (!path.message.empty()) j["message"] = path.message;
    std::cout << j.dump() << "\n";
    if (!path.message.empty()) std::cerr << "kobai: " << path.message << "\n";
    return 0;
  }
  std::string settings;
  for (const OptParam& q : def.settings)  // with --book, ε is the book's 1e-7, not a setting
    settings += (settings.empty() ? "" : ", ") + std::string(opt_setting(q.key).symbol) + " = " +
                (book && !q.in_book ? "1e-7 (the book's)" : format_number(opt_value(c, q.key)));
  std::cout << "f(x, y) = " << expr << "\n"
            << def.title << (book && def.in_book ? " (the book's formulas)" : "") << ": " << rule_of(kind, book) << "\n"
            << "    " << def.idea(lang) << "\n"
            << "settings: " << settings << "\n"
            << steps << " steps from " << "(" << format_number(start.x) << ", " << format_number(start.y) << ")"
            << (noise > 0 ? ", gradient noise " + format_number(noise) + " (seed " + std::to_string(seed) + ")" : "") << "\n\n";
  char line[160];
  std::snprintf(line, sizeof line, "%6s %14s %14s %14s\n", "step", "x", "y", "f(x, y)");
  std::cout << line;
  for (size_t i = 0; i < path.points.size(); ++i) {
    std::snprintf(line, sizeof line, "%6zu %14s %14s %14s\n", i, format_number(path.points[i].x).c_str(),
                  format_number(path.points[i].y).c_str(), format_number(path.values[i]).c_str());
    std::cout << line;
  }
  if (!path.message.empty()) std::cout << "\n! stopped: " << path.message << "\n";
  return 0;
}

Request parse_args(int argc, char** argv) {
  Request r;
  if (argc < 2) throw Usage("no command given");
  r.command = argv[1];
  for (int i = 2; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&](const char* flag) { return flag_value(argc, argv, i, flag); };
    if (a == "--help" || a == "-h") r.help = true;
    else if (a == "--json") r.json = true;
    else if (a == "--lang") r.lang = parse_lang(value("--lang"));
    else if (a == "--lesson") r.lesson_id = value("--lesson");
    else if (a == "--lesson-file") r.lesson_file = value("--lesson-file");
    else if (a == "--bank") r.bank_file = value("--bank");
    else if (a == "--seed") r.quiz.seed = parse_seed(value("--seed"), "--seed");
    else if (a == "--count") r.quiz.count = number(value("--count"), "--count");
    else if (a == "--iterations") r.iterations = number(value("--iterations"), "--iterations");
    else if (a == "--difficulty") r.quiz.difficulty = number(value("--difficulty"), "--difficulty");
    else if (a == "--format") {
      r.format = value("--format");
      if (r.format != "md" && r.format != "json" && r.format != "html")
        throw Usage("--format takes md, json or html, not '" + quote(r.format) + "'");
    } else if (a == "--topics") {
      std::string list = value("--topics");
      for (size_t s = 0; s <= list.size();) {
        size_t e = list.find(',', s);
        if (e == std::string::npos) e = list.size();
        if (e > s) r.quiz.topics.push_back(parse_topic(list.substr(s, e - s)));
        s = e + 1;
      }
    } else if (a == "--at") {
      auto [name, v] = parse_assignment(value("--at"));
      r.at[name] = v;
    } else if (a.rfind("--at=", 0) == 0) {
      auto [name, v] = parse_assignment(a.substr(5));
      r.at[name] = v;
    } else if (a.rfind("--", 0) == 0) throw Usage("unknown option '" + quote(a) + "'");
    else if (!r.has_expr) r.expr = a, r.has_expr = true;
    else throw Usage("more than one expression given ('" + quote(r.expr) + "' and '" + quote(a) + "'): quote the expression");
  }
  return r;
}

// The expression, its input values and its update settings, from EXPR, --lesson or --lesson-file.
Lesson resolve(const Request& r) {
  int sources = r.has_expr + !r.lesson_id.empty() + !r.lesson_file.empty();
  if (sources == 0) throw Usage("give an expression, --lesson ID or --lesson-file FILE");
  if (sources > 1) throw Usage("give only one of: an expression, --lesson, --lesson-file");
  Lesson l;
  if (!r.lesson_id.empty()) {
    const Lesson* found = find_lesson(r.lesson_id);
    if (!found) throw InputError("unknown lesson '" + quote(r.lesson_id) + "'; the lessons are: " + lesson_ids());
    l = *found;
  } else if (!r.lesson_file.empty()) {
    try {
      l = parse_lesson(read_file(r.lesson_file));
    } catch (const InputError& e) {
      throw InputError(in_file(r.lesson_file, e.what()));
    }
  } else {
    l.expr = r.expr;
  }
  for (const auto& [name, v] : r.at) l.inputs[name] = v;
  return l;
}

// Where an error in a lesson file's "expr" is: the file and its line, then the line of the expression, whose
// text the message shows with a caret. Empty (plain "line N") for an expression typed on the command line.
std::string place_in_lesson_file(const Request& r, const Lesson& l, const InputError& e) {
  if (r.lesson_file.empty() || e.line <= 0) return "";
  std::string file = quote(r.lesson_file);
  std::string expr_line = "\"expr\" line " + std::to_string(e.line);
  if (e.line > int(l.expr_file_lines.size())) return file + ": " + expr_line;
  return file + ", line " + std::to_string(l.expr_file_lines[e.line - 1]) + ": " + expr_line;
}

// The lesson's graph; an error in its "expr" says where, in the file too.
Graph build_lesson(const Request& r, const Lesson& l) {
  Graph g;
  try {
    g = build(l.expr, l.inputs);
  } catch (const InputError& e) {
    throw InputError(format_error(e, l.expr, place_in_lesson_file(r, l, e)));
  }
  try {
    mark_data(g, l.data);
  } catch (const InputError& e) {  // a lesson's "data": say which file
    throw InputError(r.lesson_file.empty() ? e.what() : quote(r.lesson_file) + ": " + e.what());
  }
  return g;
}

// Its walk; an error in its "params" says which file.
Walk walk_lesson(const Request& r, const Lesson& l, Graph g) {
  try {
    return Walk(std::move(g), l.params, l.lr);
  } catch (const InputError& e) {
    throw InputError(r.lesson_file.empty() ? e.what() : quote(r.lesson_file) + ": " + e.what());
  }
}

// --- kobai lesson check: a teacher's lesson file read as the page and trace read it ----------------------------

const char* kLessonCheckHelp = R"(kobai lesson check: reads a lesson file as the page and the other commands do, and says what is wrong and where

usage: kobai lesson check FILE [--lang en|ja]   (--lang: the title and goal in that language, as a student reads them)

Everything is checked that opening the lesson checks: unknown keys (a typo such as "param" for "params" is an
error), each key's type, the expression (an error names its line in the file), the inputs' shapes against it,
and "params" against the inputs. A right file prints what it holds (exit 0); a wrong one prints one message
with the file, line and column (exit 2). The format, every key with an example: docs/lessons.md.

example:
  kobai lesson check my_lesson.json
)";

// kobai quiz check FILE: a teacher's question bank read as `kobai quiz --bank` and the page read it.
int bank_check_command(int argc, char** argv) {
  if (argc != 4) throw Usage(argc < 4 ? "kobai quiz check needs a FILE" : "kobai quiz check takes one FILE");
  const std::string file = argv[3];
  Bank b = read_bank(file);
  std::string topics;
  for (Topic t : b.topics()) topics += (topics.empty() ? "" : ", ") + std::string(topic_name(t));
  std::cout << quote(file) << ": a question bank kobai can ask\n"
            << "  title:     " << (b.name.empty() ? "(none)" : b.name) << "\n"
            << "  questions: " << b.questions.size() << ", topic " << topics << "\n";
  size_t sourced = size_t(std::count_if(b.questions.begin(), b.questions.end(), [](const BankQuestion& q) { return !q.source.empty(); }));
  std::cout << "  sources:   " << sourced << " of " << b.questions.size() << " questions say where the course teaches them\n";
  return 0;
}

int lesson_command(int argc, char** argv) {
  Request r;
  r.command = "lesson";
  bool one_language = false;  // --lang: the title and goal in that language only (else both titles)
  std::vector<std::string> words;
  for (int i = 2; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--help" || a == "-h") r.help = true;
    else if (a == "--lang") r.lang = parse_lang(flag_value(argc, argv, i, "--lang")), one_language = true;
    else if (a.rfind("--", 0) == 0) throw Usage("unknown option '" + quote(a) + "' for kobai lesson");
    else words.push_back(a);
  }
  if (r.help) {
    std::cout << kLessonCheckHelp;
    return 0;
  }
  if (words.empty() || words[0] != "check")
    throw Usage(words.empty() ? "kobai lesson takes check FILE" : "kobai lesson knows only check, not '" + quote(words[0]) + "'");
  if (words.size() != 2) throw Usage(words.size() < 2 ? "kobai lesson check needs a FILE" : "kobai lesson check takes one FILE");
  r.lesson_file = words[1];
  Lesson l = resolve(r);
  Graph g = build_lesson(r, l);
  const int nodes = int(g.nodes.size());
  std::string inputs;
  for (int n : g.inputs)
    inputs += (inputs.empty() ? "" : ", ") + g.nodes[n].name + " (" +
              (g.nodes[n].dims ? format_dims(*g.nodes[n].dims) : format_shape(g.nodes[n].value)) + ")";
  const std::string output = g.nodes[g.output].name;
  Walk w = walk_lesson(r, l, std::move(g));
  std::cout << quote(r.lesson_file) << ": a lesson kobai can open\n"
            << "  id:      " << l.id << "\n"
            << "  title:   " << (one_language ? l.title(r.lang) : l.title_en + " / " + l.title_ja) << "\n"
            << (one_language ? "  goal:    " + l.goal(r.lang) + "\n" : "")
            << "  inputs:  " << inputs << "\n"
            << "  output:  " << output << ", " << nodes << " nodes, " << w.plan().size() << " steps a pass\n";
  if (!l.params.empty()) {
    std::string ps;
    for (const std::string& p : l.params) ps += (ps.empty() ? "" : ", ") + p;
    std::cout << "  update:  " << ps << " with lr " << format_number(l.lr) << "\n";
  }
  return 0;
}

// --- kobai activations: the book's experiment on initial weights (engine/activations.h) ----------------------

const char* kActivationsHelp = R"(kobai activations: activations and gradients per hidden layer (the book's chapter 6.2, Figures 6-10 to 6-14)

usage: kobai activations [--act relu|sigmoid|tanh|linear] [--init std=S|xavier|he|zero] [--layers N] [--units U]
                         [--samples N] [--features F] [--bins B] [--batchnorm] [--seed N] [--json]

A batch of inputs drawn from a standard normal (--samples rows of --features columns) goes through --layers
hidden layers of --units units: Affine (W drawn with std S, Xavier 1/√n or He √(2/n) for n inputs, or all
zero; b = 0), then BatchNormalization with --batchnorm, then the activation. Then one backward pass from
L = (1/N) Σ (the last layer's outputs), and each layer's ∂L/∂W.
Defaults: sigmoid, std=1, 5 layers of 100 units, 1000 samples of 100 features, 30 bins, seed 1.
Limits (they keep the work bounded, about 4 billion multiply-adds at the most): 1 to 10 layers, 1 to 256
units and features, 1 to 2000 samples, 1 to 200 bins, 0 < S <= 10.
Histograms share their edges across layers: activations over [0, 1] (sigmoid), [-1, 1] (tanh), [0, largest]
(ReLU) or [-largest, largest] (linear); gradients over [-m, m], m the largest |∂L/∂W| of any layer.
--json prints {"layers": [{"activations": {"mean", "std", "edges": [...], "counts": [...]},
"gradients": {...}}, ...]}, one entry per hidden layer, the first first.

examples:
  kobai activations --act sigmoid --init std=1          the activations pile up at 0 and 1 (Figure 6-10)
  kobai activations --act relu --init he --json         the spread kept from layer to layer (Figure 6-14)
  kobai activations --act sigmoid --init std=0.01 --batchnorm
)";

// One row of block characters, one per bin, each as tall as its count against the tallest.
std::string bars(const std::vector<int>& counts) {
  static const char* level[] = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
  int top = std::max(1, *std::max_element(counts.begin(), counts.end()));
  std::string s;
  for (int c : counts) s += c == 0 ? " " : level[std::min(7, int(8.0 * c / top))];
  return s;
}

int run_activations_command(int argc, char** argv) {
  ActivationsConfig c;
  bool json = false;
  for (int i = 2; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&](const char* flag) { return flag_value(argc, argv, i, flag); };
    if (a == "--help" || a == "-h") {
      std::cout << kActivationsHelp;
      return 0;
    } else if (a == "--json") json = true;
    else if (a == "--batchnorm") c.batchnorm = true;
    else if (a == "--layers") c.layers = number(value("--layers"), "--layers");
    else if (a == "--units") c.units = number(value("--units"), "--units");
    else if (a == "--samples") c.samples = number(value("--samples"), "--samples");
    else if (a == "--features") c.features = number(value("--features"), "--features");
    else if (a == "--bins") c.bins = number(value("--bins"), "--bins");
    else if (a == "--seed") c.seed = parse_seed(value("--seed"), "--seed");
    else if (a == "--init") c.init = parse_weight_init(value("--init"), &c.std_dev);
    else if (a == "--act") {
      std::string v = value("--act"), names;
      int found = -1, k = 0;
      for (const char* n : names_of<Activation>()) {
        if (v == n) found = k;
        names += (k++ ? ", " : "") + std::string(n);
      }
      if (found < 0) throw Usage("--act takes " + names + ", not '" + quote(v) + "'");
      c.activation = Activation(found);
    } else throw Usage("unknown option '" + quote(a) + "' for activations");
  }
  std::vector<LayerStats> stats = run_activations(c);
  if (json) {
    auto hist = [](const Histogram& h) {
      return nlohmann::json{{"mean", h.mean}, {"std", h.std}, {"edges", h.edges}, {"counts", h.counts}};
    };
    nlohmann::json layers = nlohmann::json::array();
    for (const LayerStats& l : stats) layers.push_back({{"activations", hist(l.activations)}, {"gradients", hist(l.gradients)}});
    std::cout << nlohmann::json{{"layers", layers}}.dump() << "\n";
    return 0;
  }
  std::string init = c.init == WeightInit::std_dev ? "std=" + format_number(c.std_dev) : name_of(c.init);
  std::cout << c.samples << " samples of " << c.features << " features, " << c.layers << " hidden layers of " << c.units << " units, "
            << name_of(c.activation) << ", weights " << init << (c.batchnorm ? ", batch normalisation" : "") << ", seed " << c.seed << "\n"
            << "gradients from L = (1/N) Σ (the last layer's outputs); " << c.bins << " bins, the same edges for every layer\n";
  auto row = [](const char* what, const Histogram& h) {
    std::string mean = format_number(h.mean), sd = format_number(h.std);
    std::cout << "  " << what << "mean " << mean << std::string(std::max<size_t>(1, 13 - mean.size()), ' ') << "std " << sd
              << std::string(std::max<size_t>(1, 11 - sd.size()), ' ') << format_number(h.edges.front()) << " " << bars(h.counts) << " "
              << format_number(h.edges.back()) << "\n";
  };
  for (size_t l = 0; l < stats.size(); ++l) {
    std::cout << "layer " << l + 1 << "\n";
    row("activations  ", stats[l].activations);
    row("∂L/∂W        ", stats[l].gradients);
  }
  return 0;
}

// --- kobai compare: runs side by side on the digits (engine/compare.h) --------------------------------------

#ifndef KOBAI_DATA_DIR
#define KOBAI_DATA_DIR "build/data"
#endif

std::string compare_help() {
  std::string s = R"(kobai compare: runs side by side, as the playground's Compare (the book's chapter 6)

usage: kobai compare --preset NAME [--epochs N] [--seed N] [--csv] [--data FILE]

Trains each run of the preset for --epochs epochs (default 20, at most 1000) on the UCI handwritten digits
(8x8 images, 1797 rows; not the book's MNIST), shuffled and scaled by --seed (default 1), 20% held out for
testing. Every run starts from the same seed: runs that build the same network start from the same weights.
--csv prints one row per epoch (from 0, untrained) and run, as the page's Export CSV:
  run,label,epoch,train_loss,test_loss,train_accuracy,test_accuracy      (accuracies as fractions)
otherwise the last epoch's figures per run. --data: the digits CSV (default: the one make deps fetched,
)";
  s += KOBAI_DATA_DIR;
  s += "/digits.csv).\n\npresets:\n";
  for (const ComparePreset& p : compare_presets()) {
    s += "  " + std::string(p.key) + std::string(std::max<size_t>(1, 10 - std::strlen(p.key)), ' ') + p.title.en + " (Figure " + p.figure + "):";
    for (const PresetRun& r : p.runs) s += std::string(&r == &p.runs.front() ? " " : " | ") + r.label.en;
    s += "\n";
  }
  s += "\nexamples:\n  kobai compare --preset fig6-9 --epochs 10\n  kobai compare --preset fig6-20 --epochs 100 --csv > overfitting.csv\n";
  return s;
}

int compare_command(int argc, char** argv) {
  std::string preset, data = std::string(KOBAI_DATA_DIR) + "/digits.csv";
  int epochs = 20;
  uint64_t seed = 1;
  bool csv = false;
  for (int i = 2; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&](const char* flag) { return flag_value(argc, argv, i, flag); };
    if (a == "--help" || a == "-h") {
      std::cout << compare_help();
      return 0;
    } else if (a == "--csv") csv = true;
    else if (a == "--preset") preset = value("--preset");
    else if (a == "--epochs") epochs = number(value("--epochs"), "--epochs");
    else if (a == "--seed") seed = parse_seed(value("--seed"), "--seed");
    else if (a == "--data") data = value("--data");
    else throw Usage("unknown option '" + quote(a) + "' for compare");
  }
  if (preset.empty()) throw Usage("compare needs --preset NAME, one of " + preset_keys());
  const ComparePreset* p = find_preset(preset);
  if (!p) throw Usage("no preset is called '" + quote(preset) + "'; the presets: " + preset_keys());
  if (epochs < 1 || epochs > 1000) throw Usage("--epochs must be 1 to 1000, not " + std::to_string(epochs));
  std::ifstream f(data, std::ios::binary);
  if (!f) throw InputError("cannot read the digits at '" + quote(data) + "' (make deps fetches them; or give --data FILE)");
  std::stringstream text;
  text << f.rdbuf();
  Dataset<float> all = parse_csv<float>(text.str());
  auto [train, test] = shuffle_scale_split(all, kCompareTestPercent, seed);
  Comparison c;
  c.set_data(std::move(train), std::move(test), seed);
  c.load(*p);
  while (c.trainable() && c.epochs() < epochs) c.epoch();
  if (csv) {
    std::cout << c.csv();
    return 0;
  }
  std::cout << p->title.en << " (the book's Figure " << p->figure << "), " << epochs << " epochs on the digits, seed " << seed << "\n"
            << p->note.en << "\n";
  for (const CompareRun& r : c.runs()) {
    std::cout << "  " << r.label << std::string(std::max<size_t>(1, 18 - r.label.size()), ' ') << "loss train " << format_number(r.train_loss.back())
              << " test " << format_number(r.test_loss.back()) << ", accuracy train " << format_number(100 * r.train_accuracy.back()) << "% test "
              << format_number(100 * r.test_accuracy.back()) << "%" << (r.diverged ? " (diverged at epoch " + std::to_string(r.epoch + 1) + ")" : "") << "\n";
  }
  return 0;
}

// --- kobai rnn: the course's binary-addition exercise (engine/seq.h) ---------------------------------------

std::string rnn_help() {
  std::string s = R"(kobai rnn: an RNN, LSTM or GRU learns 8-bit binary addition (the course's day 3 exercise)

usage: kobai rnn [--preset 1-7] [--cell rnn|lstm|gru] [--hidden H] [--activation A] [--init normal|xavier|he]
                 [--lr ETA] [--clip C] [--bits T] [--iterations N] [--seed N] [--json]

Each iteration draws a and b below 2^(T-1) (default T = 8: below 128, so the sum fits 8 bits), feeds their bits
lowest first, two inputs per time step, and trains on the sum's bit at each step: y[t] = sigmoid(h[t] @ Wy),
L = sum over t of mse(y[t], d[t]) = ½(y − d)², backpropagation through time with the true gradients, plain SGD,
one sum per iteration. The RNN cell is the course's, h[t] = act(x[t] @ Wx + h[t-1] @ Wh) with no bias; the LSTM
and GRU have a bias per gate (GRU: h[t] = (1 − z) * h[t-1] + z * n).
Every 100 iterations (and at the last) it prints the mean loss of those iterations and the share of 100 fixed
held-out sums whose every bit comes out right.

--cell         rnn (default), lstm or gru
--hidden H     hidden units, 1 to 128 (default 16)
--activation   the RNN cell's: sigmoid (default), tanh, relu or linear
--init         initial weights: normal (standard normal, the course's weight_init_std = 1; default), xavier
               (randn/√n) or he (randn·√(2/n)), n the rows of the matrix
--lr ETA       learning rate, above 0 and at most 10 (default 0.1)
--clip C       clip the gradient's global norm to C (default 0: off)
--bits T       bits per number, one time step each, 2 to 64 (default 8)
--iterations N 1 to 1000000 (default 10000)
--seed N       the initial weights and the sums drawn (default 1); the held-out sums have their own seed
--json         {"settings": {...}, "points": [{"iteration", "loss", "accuracy"}, ...], "reached": N or null,
               "stopped": null or {"iteration", "message"}}; accuracy a fraction
A step whose loss or gradient is NaN or inf is not taken: the run stops there and says so.

--preset N, the notes' runs (seed 002), each an RNN with T = 8 and no clipping; other flags override:
)";
  for (const SeqPreset& p : seq_presets()) {
    char line[300];
    std::snprintf(line, sizeof line, "  %d  %s: --activation %s --init %s --hidden %d --lr %s\n     %s\n     %s\n", p.number, p.title.en,
                  name_of(p.activation), name_of(p.init), p.hidden, format_number(p.lr).c_str(), p.notes.en, measured_text(p, Lang::en).c_str());
    s += line;
    if (*p.why.en) s += std::string("     ") + p.why.en + "\n";
  }
  s += "\nexamples:\n  kobai rnn --preset 2 --iterations 10000 --seed 1 --json\n  kobai rnn --cell lstm --hidden 8 --lr 0.5\n";
  return s;
}

int rnn_command(int argc, char** argv) {
  SeqConfig c;
  const SeqPreset* preset = nullptr;
  int iterations = kSeqPresetIterations;
  bool json = false;
  // A name of E's list for a flag, or the list: "--cell takes rnn, lstm, gru, not 'x'".
  auto pick = [](auto e, const std::string& v, const char* flag) {
    using E = decltype(e);
    std::string all;
    for (const char* const& n : names_of<E>()) {
      if (v == n) return E(&n - names_of<E>().names);
      all += (all.empty() ? "" : ", ") + std::string(n);
    }
    throw Usage(std::string(flag) + " takes " + all + ", not '" + quote(v) + "'");
  };
  std::vector<std::function<void()>> overrides;  // applied after the preset, whatever the order typed
  for (int i = 2; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&](const char* flag) { return flag_value(argc, argv, i, flag); };
    if (a == "--help" || a == "-h") {
      std::cout << rnn_help();
      return 0;
    } else if (a == "--json") json = true;
    else if (a == "--preset") {
      std::string v = value("--preset");
      for (const SeqPreset& p : seq_presets())
        if (v == std::to_string(p.number)) preset = &p;
      if (!preset) throw Usage("--preset takes a number from 1 to " + std::to_string(seq_presets().size()) + " (the notes' runs), not '" + quote(v) + "'");
    } else if (a == "--cell") {
      Cell v = pick(Cell{}, value("--cell"), "--cell");
      overrides.push_back([&c, v] { c.cell = v; });
    } else if (a == "--activation") {
      Activation v = pick(Activation{}, value("--activation"), "--activation");
      overrides.push_back([&c, v] { c.activation = v; });
    } else if (a == "--init") {
      SeqInit v = pick(SeqInit{}, value("--init"), "--init");
      overrides.push_back([&c, v] { c.init = v; });
    } else if (a == "--hidden") {
      int v = number(value("--hidden"), "--hidden");
      if (v < 1 || v > kSeqMaxHidden) throw Usage("--hidden must be from 1 to " + std::to_string(kSeqMaxHidden) + ", not " + std::to_string(v));
      overrides.push_back([&c, v] { c.hidden = v; });
    } else if (a == "--bits") {
      int v = number(value("--bits"), "--bits");
      if (v < 2 || v > kSeqMaxSteps) throw Usage("--bits must be from 2 to " + std::to_string(kSeqMaxSteps) + ", not " + std::to_string(v));
      overrides.push_back([&c, v] { c.steps = v; });
    } else if (a == "--lr") {
      double v = real(value("--lr"), "--lr");
      if (!(v > 0 && v <= kSeqMaxLr)) throw Usage("--lr must be above 0 and at most " + format_number(kSeqMaxLr) + ", not " + format_number(v));
      overrides.push_back([&c, v] { c.lr = v; });
    } else if (a == "--clip") {
      double v = real(value("--clip"), "--clip");
      if (!(v >= 0)) throw Usage("--clip must be 0 (off) or above, not " + format_number(v));
      overrides.push_back([&c, v] { c.clip = v; });
    } else if (a == "--seed") {
      uint64_t v = parse_seed(value("--seed"), "--seed");
      overrides.push_back([&c, v] { c.seed = v; });
    } else if (a == "--iterations") {
      iterations = number(value("--iterations"), "--iterations");
      if (iterations < 1 || iterations > kSeqMaxIterations)
        throw Usage("--iterations must be from 1 to " + std::to_string(kSeqMaxIterations) + ", not " + std::to_string(iterations));
    } else throw Usage("unknown option '" + quote(a) + "' for rnn (kobai rnn --help lists them)");
  }
  if (preset) c = config_of(*preset);
  for (auto& o : overrides) o();
  SeqNet<float> net(c);

  nlohmann::ordered_json points = nlohmann::json::array();
  int reached = 0, stopped = 0;
  double sum = 0;
  int since = 0;
  std::string out;
  char line[200];
  auto report = [&](int it) {
    double loss = sum / since, acc = net.held_out_accuracy();
    if (acc == 1.0 && !reached) reached = it;
    points.push_back({{"iteration", it}, {"loss", loss}, {"accuracy", acc}});
    std::snprintf(line, sizeof line, "%10d %12s %8s%%\n", it, format_number(loss).c_str(), format_number(100 * acc).c_str());
    out += line;
    sum = 0, since = 0;
  };
  for (int it = 1; it <= iterations; ++it) {
    SeqStep s = net.step();
    if (!s.finite) {
      stopped = it;
      break;
    }
    sum += s.loss, ++since;
    if (it % kSeqCheckEvery == 0 || it == iterations) report(it);
  }
  if (stopped && since > 0) report(stopped - 1);
  std::string stop_message = "iteration " + std::to_string(stopped) + "'s loss or gradient was NaN or inf: the step was not taken and the run stopped";

  std::string settings = std::string(name_of(c.cell)) + ", " + std::to_string(c.hidden) + " hidden" +
                         (c.cell == Cell::rnn ? std::string(", ") + name_of(c.activation) : "") + ", weights " + name_of(c.init) +
                         ", η " + format_number(c.lr) + ", clipping " + (c.clip > 0 ? format_number(c.clip) : "off") + ", " +
                         std::to_string(c.steps) + " bits, seed " + std::to_string(c.seed);
  if (json) {
    nlohmann::ordered_json j;
    j["settings"] = {{"cell", name_of(c.cell)}, {"hidden", c.hidden}, {"activation", name_of(c.activation)}, {"init", name_of(c.init)},
                     {"lr", c.lr}, {"clip", c.clip}, {"bits", c.steps}, {"seed", c.seed}, {"iterations", iterations}};
    if (preset) j["settings"]["preset"] = preset->number;
    j["points"] = points;
    j["reached"] = reached ? nlohmann::json(reached) : nlohmann::json(nullptr);
    j["stopped"] = stopped ? nlohmann::json{{"iteration", stopped}, {"message", stop_message}} : nlohmann::json(nullptr);
    std::cout << j.dump() << "\n";
    return 0;
  }
  std::cout << "binary addition: " << settings << "\n";
  if (preset) {
    std::cout << "preset " << preset->number << ": " << preset->title.en << "\n  " << preset->notes.en << "\n";
    SeqConfig as_measured = config_of(*preset);
    if (c.cell == as_measured.cell && c.hidden == as_measured.hidden && c.activation == as_measured.activation && c.init == as_measured.init &&
        c.lr == as_measured.lr && c.clip == as_measured.clip && c.steps == as_measured.steps && c.seed == as_measured.seed)
      std::cout << "  " << measured_text(*preset, Lang::en) << "\n";
    if (*preset->why.en) std::cout << "  " << preset->why.en << "\n";
  }
  std::snprintf(line, sizeof line, "\n%10s %12s %9s\n", "iteration", "mean loss", "held-out");
  std::cout << line << out;
  if (reached) std::cout << "\nall 100 held-out sums right first at iteration " << reached << "\n";
  else std::cout << "\nnot all 100 held-out sums right at any check\n";
  if (stopped) std::cout << "! stopped: " << stop_message << "\n";
  return 0;
}

// --- kobai shapes: the shape sheet (engine/shapes.h) ------------------------------------------------------------

const char* kShapesHelp = R"(kobai shapes: every layer's output shape, formula and parameters (the book's chapter 7)

usage: kobai shapes LAYERS --input CxHxW [--json]

LAYERS are separated by ';' (or new lines); arguments by position or by name, whole numbers:
  conv(FN, FH, FW, stride=1, pad=0)     FN filters of C x FH x FW: FN·C·FH·FW + FN parameters
  pool(PH, PW, stride=PH, pad=0)        max pooling, per channel
  avgpool(PH, PW, stride=PH, pad=0)     average pooling, the same shape
  relu                                  the same shape
  flatten                               C x H x W to a vector of C·H·W (affine does it by itself)
  affine(M)                             M outputs: in·M + M parameters
--input: CxHxW (1x28x28), HxW (one channel: 28x28) or a length (784).
A window's output side is O = (H + 2P − F)/S + 1; a layer where that is not a whole number of at least 1 is
refused with the arithmetic (exit code 2).
Limits: 32 layers, every number up to 4096, counts (values of a shape, parameters) up to 2,147,483,647.
--json prints {"input": [C, H, W], "layers": [{"index", "layer", "kind", "input", "output", "formula",
"parameters", "parameters_formula"}, ...], "total", "total_formula"}; a shape is [C, H, W] or [length].

example (the book's SimpleConvNet):
  kobai shapes 'conv(30,5,5,stride=1,pad=0); pool(2,2,stride=2); affine(100); affine(10)' --input 1x28x28
)";

int shapes_command(int argc, char** argv) {
  std::string layers_text, input_text;
  bool has_layers = false, has_input = false, json = false;
  for (int i = 2; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--help" || a == "-h") {
      std::cout << kShapesHelp;
      return 0;
    } else if (a == "--json") json = true;
    else if (a == "--input") input_text = flag_value(argc, argv, i, "--input"), has_input = true;
    else if (a.rfind("--", 0) == 0) throw Usage("unknown option '" + quote(a) + "' for shapes");
    else if (has_layers) throw Usage("shapes takes one LAYERS text (quote it), not also '" + quote(a) + "'");
    else layers_text = a, has_layers = true;
  }
  if (!has_layers) throw Usage("shapes needs LAYERS, such as 'conv(30,5,5); pool(2,2); affine(10)'");
  if (!has_input) throw Usage("shapes needs --input CxHxW, such as --input 1x28x28");
  SheetShape input;
  std::vector<LayerSpec> layers;
  try {
    input = parse_shape_input(input_text);
  } catch (const InputError& e) {
    throw InputError(format_error(e, input_text, "--input"));
  }
  try {
    layers = parse_layers(layers_text);
  } catch (const InputError& e) {
    throw InputError(format_error(e, layers_text));
  }
  const ShapeSheet s = shape_sheet(input, layers);
  if (!s.ok()) throw InputError(format_error(InputError(s.refused, s.refused_line, s.refused_column), layers_text));
  // A layer's text on one line: an argument list may run over lines.
  auto one_line = [](const std::string& t) {
    std::string out;
    for (char c : t) {
      const bool space = c == ' ' || c == '\n' || c == '\r' || c == '\t';
      if (!space) out += c;
      else if (!out.empty() && out.back() != ' ') out += ' ';
    }
    return out;
  };
  if (json) {
    nlohmann::json rows = nlohmann::json::array();
    for (const SheetRow& r : s.rows)
      rows.push_back({{"index", r.index}, {"layer", one_line(r.layer.text)}, {"kind", sheet_layer_name(r.layer.kind)}, {"input", r.input.dims()},
                      {"output", r.output.dims()}, {"formula", r.formula}, {"parameters", r.params}, {"parameters_formula", r.params_formula}});
    std::cout << nlohmann::json{{"input", s.input.dims()}, {"layers", rows}, {"total", s.total}, {"total_formula", s.total_formula}}.dump() << "\n";
    return 0;
  }
  size_t layer_w = 5, out_w = 6, params_w = 10;  // "layer", "output", "parameters"
  for (const SheetRow& r : s.rows) {
    layer_w = std::max(layer_w, one_line(r.layer.text).size());
    out_w = std::max(out_w, r.output.text().size());
    params_w = std::max(params_w, thousands(r.params).size());
  }
  auto pad = [](const std::string& t, size_t w) { return t + std::string(w > t.size() ? w - t.size() : 0, ' '); };
  auto right = [](const std::string& t, size_t w) { return std::string(w > t.size() ? w - t.size() : 0, ' ') + t; };
  const std::string indent(4 + layer_w + 2 + out_w + 2 + params_w + 2, ' ');
  std::cout << "input " << s.input.text() << "\n\n"
            << " #  " << pad("layer", layer_w) << "  " << pad("output", out_w) << "  " << right("parameters", params_w) << "  formula\n";
  for (const SheetRow& r : s.rows) {
    std::cout << right(std::to_string(r.index), 2) << "  " << pad(one_line(r.layer.text), layer_w) << "  " << pad(r.output.text(), out_w) << "  "
              << right(thousands(r.params), params_w) << "  " << r.formula << "\n";
    if (!r.params_formula.empty()) std::cout << indent << r.params_formula << "\n";
  }
  std::cout << "\ntotal parameters: " << s.total_formula << "\n";
  return 0;
}

// --- kobai train: the playground's digits network, MLP or CNN (engine/train.h) ------------------------------

const char* kTrainHelp = R"(kobai train: an MLP or a CNN learns the handwritten digits, as the playground trains them

usage: kobai train [--cnn] [--filters N] [--filter-size F] [--stride S] [--pad P] [--pool K] [--pool-stride K]
                   [--hidden H,H,...] [--epochs N] [--seed N] [--json] [--data FILE]

The UCI handwritten digits (8x8 images, 1797 rows; not the book's MNIST), shuffled and scaled by --seed (default
1), 20% held out for testing; the playground's settings for them: ReLU with He's initial weights,
Softmax-with-Loss, Adam with η = 0.001, batches of 32.
Without --cnn, the MLP: 64 inputs → the hidden layers (--hidden, default 100) → 10.
With --cnn, a conv stage comes first, as the book's SimpleConvNet: Convolution (--filters N of F x F, moved by
--stride S over the image padded by --pad P; default 16 of 3x3, stride 1, pad 1) → ReLU → max pooling of K x K
windows moved by --pool-stride (default 2 and 2; --pool 0: none) → flatten → the hidden layers → 10.
A conv stage that does not fit the 8x8 images is refused with the arithmetic (exit code 2):
  O = (H + 2P − F)/S + 1 must be a whole number of at least 1, and P less than F.
Limits: 1 to 32 filters, 1 to 8 hidden layers of 1 to 256 units, 1 to 1000 epochs (default 20).
Each epoch prints the losses and accuracies on the training and test rows (from epoch 0, untrained).
--json   {"layers": "...", "parameters": N, "epochs": [{"epoch", "train_loss", "test_loss", "train_accuracy",
         "test_accuracy"}, ...]}, accuracies as fractions
--data   the digits CSV (default: the one make deps fetched, )";

// A conv flag's name and the stage member it sets.
struct ConvFlag {
  const char* flag;
  int ConvStage::*member;
};
const ConvFlag kConvFlags[] = {{"--filters", &ConvStage::filters}, {"--filter-size", &ConvStage::size}, {"--stride", &ConvStage::stride},
                               {"--pad", &ConvStage::pad}, {"--pool", &ConvStage::pool}, {"--pool-stride", &ConvStage::pool_stride}};

int train_command(int argc, char** argv) {
  NetConfig c;
  c.inputs = 64, c.outputs = 10, c.channels = 1, c.height = 8, c.width = 8, c.hidden = {100};
  c.activation = Activation::relu, c.init = Init::he, c.loss = LossKind::softmax;
  ConvStage st = digits_cnn().conv[0];
  bool cnn = false, json = false;
  std::string conv_flag, data = std::string(KOBAI_DATA_DIR) + "/digits.csv";  // the first conv flag given
  int epochs = 20;
  uint64_t seed = 1;
  for (int i = 2; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&](const char* flag) { return flag_value(argc, argv, i, flag); };
    const ConvFlag* conv = nullptr;
    for (const ConvFlag& f : kConvFlags)
      if (a == f.flag) conv = &f;
    if (a == "--help" || a == "-h") {
      std::cout << kTrainHelp << KOBAI_DATA_DIR << "/digits.csv)\n\nexamples:\n  kobai train --epochs 10\n"
                << "  kobai train --cnn --filters 8 --filter-size 5 --pad 2 --epochs 30 --json\n";
      return 0;
    } else if (a == "--cnn") cnn = true;
    else if (a == "--json") json = true;
    else if (conv) {
      st.*conv->member = number(value(conv->flag), conv->flag);
      if (conv_flag.empty()) conv_flag = conv->flag;
    } else if (a == "--hidden") {
      std::string v = value("--hidden");
      c.hidden.clear();
      for (size_t s = 0; s <= v.size();) {
        size_t e = std::min(v.find(',', s), v.size());
        c.hidden.push_back(number(v.substr(s, e - s), "--hidden"));
        s = e + 1;
      }
    } else if (a == "--epochs") epochs = number(value("--epochs"), "--epochs");
    else if (a == "--seed") seed = parse_seed(value("--seed"), "--seed");
    else if (a == "--data") data = value("--data");
    else throw Usage("unknown option '" + quote(a) + "' for train");
  }
  if (!cnn && !conv_flag.empty()) throw Usage(conv_flag + " sets the CNN's conv stage: add --cnn");
  if (epochs < 1 || epochs > 1000) throw Usage("--epochs must be 1 to 1000, not " + std::to_string(epochs));
  c.seed = seed;
  if (cnn) {
    c.conv = {st};
    try {
      check(c);
    } catch (const InputError& e) {  // the flags that set what does not fit, beside the engine's arithmetic
      const std::string why = e.what();
      auto say = [](const char* flag, int v) { return std::string(flag) + " " + std::to_string(v); };
      if (why.find("conv stage") == std::string::npos) throw;
      if (why.find("pooling") != std::string::npos)
        throw InputError(say("--pool", st.pool) + " --pool-stride " + std::to_string(st.pool_stride) + " do not fit the filters' maps: " + why);
      if (why.find(" filters, not") != std::string::npos)
        throw InputError(say("--filters", st.filters) + ": " + why);
      throw InputError(say("--filter-size", st.size) + " " + say("--stride", st.stride) + " " + say("--pad", st.pad) + " do not fit the 8x8 images: " + why);
    }
  }
  std::ifstream f(data, std::ios::binary);
  if (!f) throw InputError("cannot read the digits at '" + quote(data) + "' (make deps fetches them; or give --data FILE)");
  std::stringstream text;
  text << f.rdbuf();
  Dataset<float> all = parse_csv<float>(text.str());
  if (all.X.cols() != 64) throw InputError("'" + quote(data) + "' has " + std::to_string(all.X.cols()) + " features, not the digits' 64");
  auto [train, test] = shuffle_scale_split(all, 20, seed);
  c.outputs = int(train.T.cols());
  Net<float> net(c);
  Optimizer<float> opt(OptConfig{OptimizerKind::adam, 0.001});
  Rng rng{seed};
  // The layers as the engine built them, and the parameters they hold.
  std::string layers;
  for (const auto& l : net.layer_list()) layers += (layers.empty() ? "" : " → ") + std::string(l->name());
  layers += " → " + std::string(net.loss_layer().name());
  long long params = 0;
  for (const MatT<float>* p : net.params()) params += p->size();
  nlohmann::json out;
  out["layers"] = layers, out["parameters"] = params;
  out["epochs"] = nlohmann::json::array();
  if (!json) {
    std::cout << (cnn ? "CNN" : "MLP") << " on the digits (" << train.rows() << " training and " << test.rows() << " test rows, seed " << seed << "): " << layers
              << ", " << params << " parameters\n";
    if (cnn) {
      for (const auto& m : net.stage_maps())
        std::cout << "  " << (m.pooled ? "after Pooling:     " : "after Convolution: ") << m.dims.c << " maps of " << m.dims.h << "x" << m.dims.w << "\n";
    }
  }
  for (int e = 0; e <= epochs; ++e) {
    if (e > 0) {
      EpochResult r = train_epoch(net, opt, train, 32, false, rng);
      if (r.diverged) throw InputError("epoch " + std::to_string(e) + ": " + r.message);
    }
    Net<float>::Score tr = net.evaluate(train.X, train.T), te = net.evaluate(test.X, test.T);
    if (json) {
      nlohmann::json row;
      row["epoch"] = e, row["train_loss"] = tr.loss, row["test_loss"] = te.loss, row["train_accuracy"] = tr.accuracy, row["test_accuracy"] = te.accuracy;
      out["epochs"].push_back(row);
      continue;
    }
    char line[160];
    std::snprintf(line, sizeof line, "epoch %4d  loss train %.4f test %.4f  accuracy train %.1f%% test %.1f%%\n", e, tr.loss, te.loss, 100 * tr.accuracy,
                  100 * te.accuracy);
    std::cout << line;
  }
  if (json) std::cout << out.dump() << "\n";
  return 0;
}

int run(const Request& r) {
  const std::map<std::string, const char*> help = {
      {"trace", kTraceHelp}, {"eval", kEvalHelp}, {"check", kCheckHelp}, {"lessons", kLessonsHelp}, {"quiz", kQuizHelp}};
  if (r.command == "--help" || r.command == "-h" || r.command == "help") {
    std::cout << kUsage << kExprHelp;
    return 0;
  }
  auto h = help.find(r.command);
  if (h == help.end()) throw Usage("unknown command '" + quote(r.command) + "'");
  if (r.help) {
    std::cout << h->second << (r.command == "lessons" || r.command == "quiz" ? "" : kExprHelp);
    if (r.command == "quiz") {  // the topics from the quiz's own table: each listed once
      std::cout << "\ntopics:\n";
      for (const TopicInfo& t : all_topics())
        std::cout << "  " << t.name << std::string(13 - std::string(t.name).size(), ' ') << t.title(Lang::en) << " / " << t.title(Lang::ja)
                  << (t.by_default ? "  (default)" : "") << "\n";
    }
    return 0;
  }
  if (r.command == "lessons") {
    for (const Lesson& l : builtin_lessons())
      std::cout << l.id << "  " << l.title(r.lang) << "\n    " << l.goal(r.lang) << "\n";
    return 0;
  }
  if (!r.bank_file.empty() && r.command != "quiz") throw Usage("--bank is for kobai quiz");
  if (r.command == "quiz") {
    Bank bank;
    QuizOptions o = r.quiz;
    if (!r.bank_file.empty()) bank = read_bank(r.bank_file), o.bank = &bank;
    auto qs = generate_quiz(o);
    std::cout << (r.format == "json"   ? quiz_json(qs, r.lang) + "\n"
                  : r.format == "html" ? quiz_html(qs, o, r.lang)
                                       : quiz_markdown(qs, o, r.lang));
    return 0;
  }
  if (r.iterations >= 0 && r.command != "trace") throw Usage("--iterations is for kobai trace");
  if (r.iterations >= 0 && (r.iterations < 1 || r.iterations > kMaxIterations))
    throw Usage("--iterations takes 1 to " + std::to_string(kMaxIterations) + ", not " + std::to_string(r.iterations));
  Lesson l = resolve(r);
  if (r.iterations > 1 && l.params.empty())
    throw Usage("--iterations needs a lesson that trains (with \"params\" and \"lr\", as two_layer_net): this one has no update phase");
  Graph g = build_lesson(r, l);
  if (r.command == "trace") {
    Walk w = walk_lesson(r, l, std::move(g));
    if (!l.title_en.empty()) std::cout << l.title(r.lang) << "\n" << l.goal(r.lang) << "\n\n";
    std::cout << (r.iterations > 0 ? iterations_text(w, r.iterations, r.lang) : trace_text(w, r.lang));
  } else if (r.command == "eval") {
    std::cout << (r.json ? eval_json(g) + "\n" : eval_text(g, r.lang));
  } else {
    std::cout << check_text(g, r.lang);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    if (argc >= 2 && std::strcmp(argv[1], "activations") == 0) return run_activations_command(argc, argv);
    if (argc >= 2 && std::strcmp(argv[1], "descend") == 0) return descend_command(argc, argv);
    if (argc >= 2 && std::strcmp(argv[1], "compare") == 0) return compare_command(argc, argv);
    if (argc >= 2 && std::strcmp(argv[1], "rnn") == 0) return rnn_command(argc, argv);
    if (argc >= 2 && std::strcmp(argv[1], "shapes") == 0) return shapes_command(argc, argv);
    if (argc >= 2 && std::strcmp(argv[1], "lesson") == 0) return lesson_command(argc, argv);
    if (argc >= 3 && std::strcmp(argv[1], "quiz") == 0 && std::strcmp(argv[2], "check") == 0) return bank_check_command(argc, argv);
    if (argc >= 2 && std::strcmp(argv[1], "train") == 0) return train_command(argc, argv);
    return run(parse_args(argc, argv));
  } catch (const Usage& e) {
    std::cerr << "kobai: " << e.what() << "\n(kobai --help lists the commands)\n";
    return 2;
  } catch (const InputError& e) {
    std::cerr << "kobai: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "kobai: internal error: " << e.what() << "\n";
    return 1;
  }
}
