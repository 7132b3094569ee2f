// Convolutions' questions (issue 13): the output size O = (H + 2P − F)/S + 1 and whether the windows fit, a
// convolution layer's parameters, one output of a small convolution by hand, where max pooling sends the gradient,
// the shape of im2col's matrix. Beside day 1's in quiz.cpp, day 2's and day 3's. Every answer is what conv.h does
// (window_out, conv_forward, conv_backward, maxpool_forward/backward, im2col); the working writes it out with its
// numbers. The tests redo each from the formula, by hand.
#include "quiz_make.h"

#include "conv.h"

#include <algorithm>
#include <stdexcept>
#include <tuple>

namespace kobai::quizgen {
namespace {

std::string N(int v) { return std::to_string(v); }
std::string num(double v) {  // a number inside a formula: negatives in brackets
  std::string s = format_number(v);
  return v < 0 ? "(" + s + ")" : s;
}
std::string by(int a, int b) { return N(a) + "x" + N(b); }                 // "7x7"
std::string at(int r, int c) { return "[" + N(r) + ", " + N(c) + "]"; }    // rows and columns from 1
std::string span(int a, int b) { return N(a) + "–" + N(b); }               // "1–3"
int pick(QuizRng& r, std::initializer_list<int> from) { return from.begin()[r.below(int(from.size()))]; }

// One channel of one example: an H x W grid as the 1 x H·W row conv.h reads (row by row), and back.
Mat as_row(const Mat& grid) {
  Mat row(1, grid.size());
  for (Eigen::Index i = 0; i < grid.rows(); ++i)
    for (Eigen::Index j = 0; j < grid.cols(); ++j) row(0, i * grid.cols() + j) = grid(i, j);
  return row;
}
Mat as_grid(const Mat& row, int h, int w) {
  Mat grid(h, w);
  for (int i = 0; i < h; ++i)
    for (int j = 0; j < w; ++j) grid(i, j) = row(0, i * w + j);
  return grid;
}
Mat digits(QuizRng& r, int rows, int cols, int lo, int hi) {  // whole numbers lo .. hi
  Mat m(rows, cols);
  for (Eigen::Index i = 0; i < m.size(); ++i) m(i) = lo + r.below(hi - lo + 1);
  return m;
}

const char* kCounted = " (rows and columns counted from 1)";
const char* kCountedJa = "（行・列は 1 から数える）";

// --- the output size: O = (H + 2P − F)/S + 1 for each side, or the windows do not fit -------------------------------

// One side's O written out: "(7 + 2·1 − 3)/2 + 1 = 6/2 + 1 = 3 + 1 = 4".
std::string size_working(int size, int f, int pad, int stride, int out) {
  int sp = size + 2 * pad - f;
  std::string s = "(" + N(size) + " + 2·" + N(pad) + " − " + N(f) + ")/" + N(stride) + " + 1 = " + N(sp) + "/" + N(stride) + " + 1";
  if (stride != 1) s += " = " + N(sp / stride) + " + 1";
  return s + " = " + N(out);
}
// The engine's words for a side that does not fit, in Japanese: its arithmetic ("(8 + 2·0 − 3)/2 = 5/2") kept.
std::string problem_ja(const std::string& problem, int size, bool height) {
  std::string arithmetic = problem.substr(0, problem.find(" is not a whole number"));
  return arithmetic + " は整数にならない: ウィンドウが" + (height ? "高さ" : "幅") + " (" + N(size) + ") にちょうど収まらない";
}

Question outsize_question(QuizRng& r, int difficulty) {
  bool aim_fit = r.below(difficulty == 1 ? 4 : 3) != 0;  // about a third do not fit (a quarter at 1)
  for (;;) {
    int H, W, FH, FW, P, S;
    if (difficulty == 1) {
      H = W = 4 + r.below(5), FH = FW = pick(r, {2, 3}), P = r.below(2), S = 1 + r.below(2);
    } else if (difficulty == 2) {
      H = W = pick(r, {5, 6, 7, 8, 9, 10, 12, 14, 15, 16, 28, 32}), FH = FW = pick(r, {2, 3, 4, 5}), P = r.below(3), S = 1 + r.below(3);
    } else {
      H = pick(r, {7, 9, 10, 12, 14, 15, 16, 28, 32}), W = pick(r, {7, 9, 10, 12, 14, 15, 16, 28, 32});
      FH = pick(r, {1, 2, 3, 5, 7}), FW = r.below(2) ? FH : pick(r, {1, 2, 3, 5, 7}), P = r.below(4), S = 1 + r.below(4);
    }
    if (FH > H || FW > W || P >= std::min(FH, FW)) continue;  // no window larger than the input, none all padding
    std::string problem_h = out_size_problem(H, FH, P, S, "height"), problem_w = out_size_problem(W, FW, P, S, "width");
    // The engine's judgement: window_out refuses with these words exactly when either is not "".
    bool fits = problem_h.empty() && problem_w.empty();
    if (fits != aim_fit) continue;
    Dims4 out = fits ? window_out(Dims4{1, 1, H, W}, Window{FH, FW, S, P}, 1) : Dims4{};
    Question q;
    q.topic = Topic::outsize;
    q.detail = fits ? "" : "invalid";
    q.inputs = {{"H", one(H)}, {"W", one(W)}, {"FH", one(FH)}, {"FW", one(FW)}, {"P", one(P)}, {"S", one(S)}};
    // Wrong turns a student takes, as sizes: rounding down (as PyTorch does) or up, forgetting the padding, the
    // + 1 or the stride, padding one side only, the input's own size. Floor division: every span here is >= 0.
    auto both = [&](auto side) { return std::pair<int, int>{side(H, FH), side(W, FW)}; };
    std::vector<std::pair<int, int>> floor_ceil = {
        both([&](int n, int f) { return (n + 2 * P - f) / S + 1; }), both([&](int n, int f) { return (n + 2 * P - f + S - 1) / S + 1; })};
    std::vector<std::pair<int, int>> slips = {
        both([&](int n, int f) { return (n + 2 * P - f) / S; }), both([&](int n, int f) { return (n - f) / S + 1; }),
        both([&](int n, int f) { return n + 2 * P - f + 1; }),   both([&](int n, int f) { return (n + P - f) / S + 1; }),
        both([&](int n, int) { return n; }),                     both([&](int n, int f) { return (n + 2 * P - f) / S + 2; }),
        both([&](int n, int f) { return (n + 2 * P - f) / S + 3; })};
    std::string does_not_fit = "The windows do not fit: (H + 2P − F)/S is not a whole number|ウィンドウがちょうど収まらない: (H + 2P − F)/S が整数にならない";
    std::vector<std::string> options = {fits ? by(out.h, out.w) : does_not_fit};
    if (fits) options.push_back(does_not_fit);
    else slips.insert(slips.begin(), floor_ceil.begin(), floor_ceil.end());
    for (auto [oh, ow] : slips) {
      std::string o = by(oh, ow);
      if (options.size() < 4 && oh >= 1 && ow >= 1 && std::find(options.begin(), options.end(), o) == options.end()) options.push_back(o);
    }
    shuffle_choices(r, q, options);
    std::string given = "input H x W = " + by(H, W) + ", filter FH x FW = " + by(FH, FW) + ", padding P = " + N(P) + ", stride S = " + N(S);
    std::string given_ja = "入力 H x W = " + by(H, W) + "、フィルター FH x FW = " + by(FH, FW) + "、パディング P = " + N(P) + "、ストライド S = " + N(S);
    q.prompt = words("A convolution: " + given + ". What is the output's size OH x OW?", "畳み込み: " + given_ja + "。出力サイズ OH x OW は?");
    q.hint = words("O = (H + 2P − F)/S + 1, for the height and for the width. In the book the windows must fit exactly: when (H + 2P − F)/S "
                   "is not a whole number the layer cannot be built (libraries such as PyTorch round down instead, leaving the last rows or "
                   "columns out).",
                   "O = (H + 2P − F)/S + 1（高さと幅のそれぞれ）。本ではウィンドウがちょうど収まる必要があり、(H + 2P − F)/S が整数にならない"
                   "ときその層は作れない（PyTorch などのライブラリは切り捨て、最後の行や列を使わない）。");
    std::string w, w_ja;
    if (fits && H == W && FH == FW) {
      std::string o = "O = (H + 2P − F)/S + 1 = " + size_working(H, FH, P, S, out.h);
      w = o + ", for the height and the width: " + by(out.h, out.w) + ".", w_ja = o + "（高さも幅も）: " + by(out.h, out.w) + "。";
    } else {
      for (bool height : {true, false}) {
        const std::string& problem = height ? problem_h : problem_w;
        std::string name = height ? "OH" : "OW", side = height ? "H" : "W", f = height ? "FH" : "FW";
        int n = height ? H : W, fn = height ? FH : FW;
        std::string head = name + " = (" + side + " + 2P − " + f + ")/S + 1";
        std::string line = problem.empty() ? head + " = " + size_working(n, fn, P, S, height ? out.h : out.w) : name + ": " + problem;
        std::string line_ja = problem.empty() ? line : name + ": " + problem_ja(problem, n, height);
        w += line + "\n", w_ja += line_ja + "\n";
      }
      w += fits ? "OH x OW = " + by(out.h, out.w) + "." : "The windows do not fit: this layer cannot be built.";
      w_ja += fits ? "OH x OW = " + by(out.h, out.w) + "。" : "ウィンドウがちょうど収まらない: この層は作れない。";
    }
    q.working = words(w, w_ja);
    return q;
  }
}

// --- a convolution layer's parameters: FN filters of C x FH x FW, one bias each ----------------------------------

Question convparams_question(QuizRng& r, int difficulty) {
  for (;;) {
    int C, FN, F, H, P = 0, S = 1;
    if (difficulty == 1) {
      C = 1, FN = pick(r, {1, 2, 3, 4, 5, 6, 8, 10}), F = pick(r, {2, 3}), H = pick(r, {4, 5, 6, 8});
    } else if (difficulty == 2) {
      C = pick(r, {1, 3}), FN = pick(r, {4, 6, 8, 10, 16, 20, 30}), F = pick(r, {3, 5}), H = pick(r, {8, 10, 16, 28, 32});
      P = r.below(3), S = 1 + r.below(2);
    } else {
      C = pick(r, {3, 16, 20, 32, 64}), FN = pick(r, {16, 32, 50, 64, 128}), F = pick(r, {1, 3, 5, 7}), H = pick(r, {7, 14, 28, 32, 56});
      P = F / 2, S = 1 + r.below(2);
    }
    if (F > H || !out_size_problem(H, F, P, S, "height").empty()) continue;  // a layer that can be built
    // The parameters are what training updates: conv_backward's ∂L/∂W and ∂L/∂b, here on a window-sized input.
    Window win{F, F, 1, 0};
    Dims4 d{1, C, F, F};
    ConvGradsT<Mat> g = conv_backward(Mat(Mat::Ones(1, FN)), Mat(Mat::Zero(1, d.per_example())), d, Mat(Mat::Zero(FN, C * F * F)), win);
    Question q;
    q.topic = Topic::convparams;
    q.value = one(double(g.dW.size() + g.db.size()));
    q.kind = AnswerKind::Number;
    q.expr = "n = FN * C * FH * FW + FN";  // the count in the language, for anyone checking the answer
    q.inputs = {{"FN", one(FN)}, {"C", one(C)}, {"FH", one(F)}, {"FW", one(F)}};
    std::string input = "C x H x W = " + N(C) + "x" + by(H, H);
    q.prompt = words("A convolution layer takes an input of " + input + " and has FN = " + N(FN) + " filters of " + by(F, F) + " (stride " + N(S) +
                         ", padding " + N(P) + "), each with one bias. How many parameters does it learn?",
                     "畳み込み層: 入力 " + input + "、" + by(F, F) + " のフィルターが FN = " + N(FN) + " 個（ストライド " + N(S) + "、パディング " + N(P) +
                         "）、フィルターごとにバイアスが 1 つ。学習するパラメータの数は?");
    q.hint = words("W is FN x C x FH x FW (each filter reaches through every input channel) and b has one per filter: FN·C·FH·FW + FN. The "
                   "input's height and width, the stride and the padding do not change it.",
                   "W は FN x C x FH x FW（各フィルターは入力のすべてのチャンネルにわたる）、b はフィルターごとに 1 つ: FN·C·FH·FW + FN。"
                   "入力の高さと幅、ストライド、パディングには依らない。");
    std::string w = "FN·C·FH·FW + FN = " + N(FN) + "·" + N(C) + "·" + N(F) + "·" + N(F) + " + " + N(FN) + " = " + format_number(double(g.dW.size())) +
                    " + " + N(FN) + " = " + format_number(q.value(0, 0));
    q.working = words(w + ".", w + "。");
    return q;
  }
}

// --- one output of a small convolution by hand: the window times the filter, summed, plus the bias -----------------

Question convvalue_question(QuizRng& r, int difficulty) {
  int size = difficulty == 1 ? 4 : difficulty == 2 ? pick(r, {4, 5}) : 5;
  int P = 0, S = 1;
  if (difficulty >= 3) std::tie(P, S) = std::vector<std::pair<int, int>>{{1, 1}, {0, 2}, {1, 2}}[size_t(r.below(3))];
  Mat X = digits(r, size, size, 0, difficulty == 1 ? 3 : 9), K;
  do K = difficulty == 1 ? digits(r, 3, 3, 0, 2) : difficulty == 2 ? digits(r, 3, 3, -1, 2) : digits(r, 3, 3, -2, 3);
  while (K.isZero());
  double b = difficulty == 1 || (difficulty == 2 && r.below(2)) ? 0 : r.nice(1, 5);
  Dims4 d{1, 1, size, size};
  Window win{3, 3, S, P};
  Dims4 o = window_out(d, win, 1);
  int oh = r.below(o.h), ow = r.below(o.w), cell = oh * o.w + ow;
  Mat y = conv_forward(as_row(X), d, as_row(K), one(b), win);
  Mat window = as_grid(im2col(as_row(X), d, win).row(cell), 3, 3);  // the padding's zeros included
  Question q;
  q.topic = Topic::convvalue;
  q.value = one(y(0, cell));
  q.kind = AnswerKind::Number;
  q.expr = "y = sum(patch * W) + b";  // the window, element by element times the filter W, summed
  q.inputs = {{"patch", window}, {"W", K}, {"b", one(b)}};
  std::string bias = b != 0 ? ", bias b = " + format_number(b) : "";
  std::string bias_ja = b != 0 ? "、バイアス b = " + format_number(b) : "";
  std::string setting = ", padding P = " + N(P) + ", stride S = " + N(S);
  std::string setting_ja = "、パディング P = " + N(P) + "、ストライド S = " + N(S);
  std::string Y = "Y" + at(oh + 1, ow + 1);
  q.prompt = words("A convolution of X = " + format_matrix(X) + " with the filter W = " + format_matrix(K) + bias + setting + ". What is the output " + Y +
                       kCounted + "?",
                   "畳み込み: X = " + format_matrix(X) + "、フィルター W = " + format_matrix(K) + bias_ja + setting_ja + "。出力 " + Y + " は?" + kCountedJa);
  q.hint = words("Each output is one window of the input (S apart, the padding's zeros around it) multiplied element by element by the "
                 "filter and summed, plus the bias: the window of Y[i, j] starts at row (i − 1)·S + 1 − P and column (j − 1)·S + 1 − P of X.",
                 "出力の 1 つは、入力のウィンドウ（S ずつずれる。周りにパディングの 0）とフィルターの要素ごとの積の和にバイアスを足したもの: "
                 "Y[i, j] のウィンドウは X の (i − 1)·S + 1 − P 行、(j − 1)·S + 1 − P 列から始まる。");
  int top = oh * S - P + 1, left = ow * S - P + 1;  // from 1; 0 and size + 1 are the padding
  bool padded = top < 1 || left < 1 || top + 2 > size || left + 2 > size;
  std::string products;
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) products += (i || j ? " + " : "") + num(window(i, j)) + "·" + num(K(i, j));
  double dot = window.cwiseProduct(K).sum();
  std::string sum = products + " = " + format_number(dot) + (b != 0 ? "\n" + format_number(dot) + " + b = " + format_number(dot) + " + " + num(b) + " = " + format_number(q.value(0, 0)) : "");
  std::string where = "rows " + span(top, top + 2) + ", columns " + span(left, left + 2) + " of X";
  std::string where_ja = "X の " + span(top, top + 2) + " 行、" + span(left, left + 2) + " 列";
  q.working = words(Y + "'s window is " + where + (padded ? " (outside X: the padding, 0)" : "") + ", times W element by element, summed:\n" + sum + ".",
                    Y + " のウィンドウは " + where_ja + (padded ? "（X の外はパディングの 0）" : "") + "。W と要素ごとに掛けて足す:\n" + sum + "。");
  return q;
}

// --- max pooling's backward: each output's gradient goes to where its window's largest was -----------------------

Question poolgrad_question(QuizRng& r, int difficulty) {
  // 1: which position one output's gradient goes to (a choice); 2: ∂L/∂X at one position; 3: the whole ∂L/∂X,
  // half the time with windows that overlap (stride 1), where a position largest in two windows gets both.
  int S = difficulty == 3 && r.below(2) ? 1 : 2;
  Dims4 d{1, 1, 4, 4};
  Window win{2, 2, S, 0};
  Dims4 o = window_out(d, win, 1);
  for (;;) {
    Mat X = digits(r, 4, 4, 0, 9);
    std::vector<int> arg;
    Mat y = maxpool_forward(as_row(X), d, win, &arg);
    // Each window's largest alone (the engine takes the first of a tie; a question should not hang on that).
    bool tie = false;
    for (int k = 0; k < o.h * o.w; ++k)
      for (int i = 0; i < 2; ++i)
        for (int j = 0; j < 2; ++j) {
          int yy = (k / o.w) * S + i, xx = (k % o.w) * S + j;
          tie = tie || (yy * 4 + xx != arg[size_t(k)] && X(yy, xx) == y(0, k));
        }
    if (tie) continue;
    Mat dY = difficulty == 3 ? digits(r, o.h, o.w, -5, 5) : digits(r, o.h, o.w, 1, 9);
    if ((dY.array() == 0).any()) continue;
    Mat dX = as_grid(maxpool_backward(as_row(dY), d, win, arg), 4, 4);
    std::vector<int> wins(16, 0);  // how many windows each position is the largest of
    for (int a : arg) ++wins[size_t(a)];
    if (S == 1 && *std::max_element(wins.begin(), wins.end()) < 2) continue;  // overlap that shows
    Question q;
    q.topic = Topic::poolgrad;
    q.inputs = {{"X", X}, {"dY", dY}};
    std::string setup = "Max pooling with 2x2 windows, stride " + N(S) + ", of X = " + format_matrix(X) + " gave Y (" + by(o.h, o.w) +
                        "). In the backward pass ∂L/∂Y = " + format_matrix(dY) + " arrives. ";
    std::string setup_ja = "X = " + format_matrix(X) + " を 2x2 のウィンドウ、ストライド " + N(S) + " で Max プーリングして Y（" + by(o.h, o.w) +
                           "）を得た。逆伝播で ∂L/∂Y = " + format_matrix(dY) + " が届いた。";
    q.hint = words("Max pooling passes each window's largest value on, so its backward pass sends ∂L/∂Y of that window to the largest's "
                   "position alone; the others get 0. A position largest in several windows gets the sum.",
                   "Max プーリングは各ウィンドウの最大値だけを先へ渡すので、逆伝播ではそのウィンドウの ∂L/∂Y を最大値の位置だけに送り、"
                   "ほかは 0。複数のウィンドウで最大の位置には、その和が届く。");
    // A window's line of the working: "Y[1, 2]: the largest of rows 1–2, columns 3–4 is 8, at X[1, 4], which receives 3"
    auto line = [&](int k, bool ja) {
      int i = k / o.w, j = k % o.w, a = arg[size_t(k)], top = i * S + 1, left = j * S + 1;
      std::string pos = "X" + at(a / 4 + 1, a % 4 + 1), g = "∂L/∂Y" + at(i + 1, j + 1) + " = " + format_number(dY(i, j));
      return ja ? "Y" + at(i + 1, j + 1) + ": " + span(top, top + 1) + " 行、" + span(left, left + 1) + " 列の最大は " + format_number(y(0, k)) + "（" + pos +
                      "）。そこへ " + g + " が届く"
                : "Y" + at(i + 1, j + 1) + ": the largest of rows " + span(top, top + 1) + ", columns " + span(left, left + 1) + " is " +
                      format_number(y(0, k)) + ", at " + pos + ", which receives " + g;
    };
    if (difficulty == 1) {
      int k = r.below(o.h * o.w), i = k / o.w, j = k % o.w;
      // One output's gradient alone, sent back by the engine: where it lands is the answer.
      Mat one_hot = Mat::Zero(1, o.h * o.w);
      one_hot(0, k) = dY(i, j);
      Mat lands = maxpool_backward(one_hot, d, win, arg);
      Eigen::Index to = 0;
      lands.row(0).cwiseAbs().maxCoeff(&to);
      std::vector<std::string> options = {"X" + at(int(to) / 4 + 1, int(to) % 4 + 1)};
      std::vector<std::string> others;
      for (int a = 0; a < 2; ++a)
        for (int b = 0; b < 2; ++b)
          if ((i * S + a) * 4 + j * S + b != to) others.push_back("X" + at(i * S + a + 1, j * S + b + 1));
      others.erase(others.begin() + r.below(3));
      options.insert(options.end(), others.begin(), others.end());
      options.push_back("All four positions of its window, a quarter each|そのウィンドウの 4 つの位置すべてに 1/4 ずつ");
      q.detail = "position";
      q.inputs["i"] = one(i + 1), q.inputs["j"] = one(j + 1);
      shuffle_choices(r, q, options);
      std::string G = "∂L/∂Y" + at(i + 1, j + 1);
      q.prompt = words(setup + "Where does " + G + " go" + kCounted + "?", setup_ja + G + " はどこへ行く?" + kCountedJa);
      q.working = words(line(k, false) + "; the other three positions of the window get 0.", line(k, true) + "。ウィンドウのほかの 3 つの位置は 0。");
      return q;
    }
    q.kind = AnswerKind::Number;
    if (difficulty == 2) {
      // Half the time a window's largest, half the time not (its answer 0).
      bool largest = r.below(2);
      int p = 0;
      do p = r.below(16);
      while ((wins[size_t(p)] > 0) != largest);
      int pr = p / 4, pc = p % 4, k = (pr / 2) * o.w + pc / 2;
      q.detail = "one";
      q.value = one(dX(pr, pc));
      q.inputs["i"] = one(pr + 1), q.inputs["j"] = one(pc + 1);
      std::string G = "∂L/∂X" + at(pr + 1, pc + 1);
      q.prompt = words(setup + "What is " + G + kCounted + "?", setup_ja + G + " は?" + kCountedJa);
      std::string end = G + " = " + format_number(dX(pr, pc));
      q.working = largest ? words(line(k, false) + ".\n" + end + ".", line(k, true) + "。\n" + end + "。")
                          : words(line(k, false) + "; X" + at(pr + 1, pc + 1) + " is not the largest of its window.\n" + end + ".",
                                  line(k, true) + "。X" + at(pr + 1, pc + 1) + " はウィンドウの最大ではない。\n" + end + "。");
      return q;
    }
    q.detail = "all";
    q.value = dX;
    q.prompt = words(setup + "What is ∂L/∂X (4x4)?", setup_ja + "∂L/∂X（4x4）は?");
    std::string w, w_ja;
    for (int k = 0; k < o.h * o.w; ++k) w += line(k, false) + "\n", w_ja += line(k, true) + "\n";
    std::string sums, sums_ja;  // positions largest in several windows: their gradients added
    for (int p = 0; p < 16; ++p) {
      if (wins[size_t(p)] < 2) continue;
      std::string terms;
      for (int k = 0; k < o.h * o.w; ++k)
        if (arg[size_t(k)] == p) terms += (terms.empty() ? "" : " + ") + num(dY(k / o.w, k % o.w));
      std::string s = "X" + at(p / 4 + 1, p % 4 + 1) + ": " + terms + " = " + format_number(dX(p / 4, p % 4));
      sums += s + "; ", sums_ja += s + "、";
    }
    if (!sums.empty()) {
      w += "Largest in several windows, the sum: " + sums.substr(0, sums.size() - 2) + ".\n";
      w_ja += "複数のウィンドウで最大のところは和: " + sums_ja.substr(0, sums_ja.size() - std::string("、").size()) + "。\n";
    }
    w += "Every other position gets 0: ∂L/∂X = " + format_matrix(dX) + ".";
    w_ja += "ほかの位置は 0: ∂L/∂X = " + format_matrix(dX) + "。";
    q.working = words(w, w_ja);
    return q;
  }
}

// --- im2col's matrix: a row per window of every example, a column per number in a window -------------------------

Question im2colshape_question(QuizRng& r, int difficulty) {
  for (;;) {
    int n, C, H, W, FH, FW, P = 0, S = 1;
    if (difficulty == 1) {
      n = 1, C = 1, H = W = 4 + r.below(5), FH = FW = pick(r, {2, 3});
    } else if (difficulty == 2) {
      n = pick(r, {1, 2, 4, 10}), C = pick(r, {1, 3}), H = W = pick(r, {5, 6, 7, 8, 10, 28}), FH = FW = pick(r, {2, 3, 5});
      P = r.below(2), S = 1 + r.below(2);
    } else {
      n = pick(r, {2, 8, 10, 20, 32, 100}), C = pick(r, {1, 3, 16, 32}), H = pick(r, {7, 8, 14, 28, 32}), W = r.below(2) ? H : pick(r, {7, 8, 14, 28, 32});
      FH = pick(r, {1, 3, 5, 7}), FW = r.below(2) ? FH : pick(r, {1, 3, 5}), P = r.below(3), S = 1 + r.below(3);
    }
    if (FH > H || FW > W || P >= std::min(FH, FW)) continue;
    Dims4 d{n, C, H, W};
    Window win{FH, FW, S, P};
    if (!out_size_problem(H, FH, P, S, "height").empty() || !out_size_problem(W, FW, P, S, "width").empty()) continue;
    Dims4 o = window_out(d, win, C);
    // The answer is the shape of im2col's own result, so it stays small enough to make (a few MB at most).
    if (double(n) * o.h * o.w * C * FH * FW > 1e6 || double(n) * C * H * W > 1e6) continue;
    Mat col = im2col(Mat(Mat::Zero(n, d.per_example())), d, win);
    Question q;
    q.topic = Topic::im2colshape;
    q.kind = AnswerKind::Shape;
    q.value = Mat(1, 2);
    q.value << double(col.rows()), double(col.cols());
    q.inputs = {{"N", one(n)}, {"C", one(C)}, {"H", one(H)}, {"W", one(W)}, {"FH", one(FH)}, {"FW", one(FW)}, {"P", one(P)}, {"S", one(S)}};
    std::string given = "N x C x H x W = " + N(n) + "x" + N(C) + "x" + by(H, W) + ", filters FH x FW = " + by(FH, FW) + ", stride " + N(S) + ", padding " + N(P);
    std::string given_ja = "入力 N x C x H x W = " + N(n) + "x" + N(C) + "x" + by(H, W) + "、フィルター FH x FW = " + by(FH, FW) + "、ストライド " + N(S) +
                           "、パディング " + N(P);
    q.prompt = words("The book's im2col lays each window of the input out as a row. Input " + given +
                         ". What is the shape of im2col's matrix? (rows x columns)",
                     "本の im2col は入力のウィンドウを 1 つずつ行として並べる。" + given_ja + "。im2col の行列の形は?（行 x 列）");
    q.hint = words("A row for each window of each example: N·OH·OW rows, with OH = (H + 2P − FH)/S + 1. A column for each number in a window, "
                   "through all the channels: C·FH·FW. The convolution is then one product with the filters as columns, (C·FH·FW) x FN.",
                   "各データの各ウィンドウが 1 行: N·OH·OW 行（OH = (H + 2P − FH)/S + 1）。ウィンドウの中の数 1 つ（全チャンネル分）が 1 列: "
                   "C·FH·FW 列。畳み込みは、フィルターを列に並べた (C·FH·FW) x FN との 1 回の積になる。");
    std::string oh = "OH = " + size_working(H, FH, P, S, o.h), ow = H == W && FH == FW ? "OW = " + N(o.w) : "OW = " + size_working(W, FW, P, S, o.w);
    std::string rows = "N·OH·OW = " + N(n) + "·" + N(o.h) + "·" + N(o.w) + " = " + format_number(q.value(0, 0));
    std::string cols = "C·FH·FW = " + N(C) + "·" + N(FH) + "·" + N(FW) + " = " + format_number(q.value(0, 1));
    q.working = words(oh + ", " + ow + "\nrows " + rows + ", columns " + cols + "\nrows x columns = " + q.answer_text() + ".",
                      oh + "、" + ow + "\n行 " + rows + "、列 " + cols + "\n行 x 列 = " + q.answer_text() + "。");
    return q;
  }
}

}  // namespace

Question cnn_question(Topic t, QuizRng& r, int difficulty) {
  switch (t) {
    case Topic::outsize: return outsize_question(r, difficulty);
    case Topic::convparams: return convparams_question(r, difficulty);
    case Topic::convvalue: return convvalue_question(r, difficulty);
    case Topic::poolgrad: return poolgrad_question(r, difficulty);
    case Topic::im2colshape: return im2colshape_question(r, difficulty);
    default: throw std::logic_error("cnn_question: not one of the convolutions' topics");
  }
}

}  // namespace kobai::quizgen
