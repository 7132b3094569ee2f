// The convolutions' quiz topics (engine/quiz_cnn.cpp): each answer redone here by hand, from the formula and the
// question's own numbers (read from its prompt where a student reads them), never through conv.h.
#include "helpers.h"
#include "quiz.h"

#include <set>

using namespace kobai;
using namespace kobai::test;

namespace {

std::vector<Question> sheet(Topic t, int difficulty, uint64_t seed, int count = 30) {
  QuizOptions o;
  o.topics = {t}, o.difficulty = difficulty, o.seed = seed, o.count = count;
  return generate_quiz(o);
}
int in(const Question& q, const char* name) { return int(q.inputs.at(name)(0, 0)); }
std::string by(int a, int b) { return std::to_string(a) + "x" + std::to_string(b); }
std::string at(int r, int c) { return "[" + std::to_string(r) + ", " + std::to_string(c) + "]"; }

// What follows `key` in `text`: a number, or a matrix [[...]] read as an answer is.
std::string after(const std::string& text, const std::string& key) {
  size_t p = text.find(key);
  REQUIRE(p != std::string::npos);
  return text.substr(p + key.size());
}
int whole_after(const std::string& text, const std::string& key) { return std::stoi(after(text, key)); }
Mat matrix_after(const std::string& text, const std::string& key) {
  std::string rest = after(text, key);
  Reading r = read_answer(rest.substr(0, rest.find("]]") + 2));
  REQUIRE(r.ok);
  return r.value;
}

// The working ends in the answer (numbers and shapes), in both languages.
void ends_in_answer(const Question& q) {
  std::string end = "= " + q.answer_text() + ".";
  REQUIRE(q.working.en.size() > end.size());
  CHECK(q.working.en.substr(q.working.en.size() - end.size()) == end);
  CHECK(q.working.ja.find("= " + q.answer_text() + "。") != std::string::npos);
}

// Four different options, one of them right.
void four_choices(const Question& q) {
  REQUIRE(q.kind == AnswerKind::Choice);
  REQUIRE(q.choices.size() == 4);
  CHECK(std::set<std::string>(q.choices.begin(), q.choices.end()).size() == 4);
  CHECK(q.correct >= 0);
  CHECK(q.correct < 4);
}

// A convolution's output at (i, j) (from 1) by the definition: the zero-padded window times the filter, plus b.
double conv_at(const Mat& X, const Mat& W, double b, int pad, int stride, int i, int j) {
  double sum = b;
  for (int a = 0; a < W.rows(); ++a)
    for (int c = 0; c < W.cols(); ++c) {
      int row = (i - 1) * stride + a - pad, col = (j - 1) * stride + c - pad;
      if (row >= 0 && row < X.rows() && col >= 0 && col < X.cols()) sum += X(row, col) * W(a, c);
    }
  return sum;
}

}  // namespace

TEST_CASE("the convolutions' topics are named, off by default, refused when misspelt") {
  for (const char* name : {"outsize", "convparams", "convvalue", "poolgrad", "im2colshape"}) {
    INFO(name);
    Topic t = parse_topic(name);
    CHECK(std::string(topic_name(t)) == name);
    for (const TopicInfo& i : all_topics())
      if (i.topic == t) {
        CHECK_FALSE(i.by_default);
        CHECK(std::string(i.title.ja) != i.title.en);
      }
  }
  CHECK_THROWS_WITH(parse_topic("conv"), doctest::Contains("rnnparams, outsize, convparams, convvalue, poolgrad, im2colshape"));
}

TEST_CASE("the output size: O = (H + 2P − F)/S + 1 when it is whole, else the windows do not fit, as the right choice says") {
  for (int difficulty = 1; difficulty <= 3; ++difficulty) {
    int fit = 0, misfit = 0;
    for (uint64_t seed = 1; seed <= 6; ++seed)
      for (const Question& q : sheet(Topic::outsize, difficulty, seed)) {
        INFO("difficulty " << difficulty << ": " << q.prompt.en);
        four_choices(q);
        int H = in(q, "H"), W = in(q, "W"), FH = in(q, "FH"), FW = in(q, "FW"), P = in(q, "P"), S = in(q, "S");
        CHECK(q.prompt.en.find("input H x W = " + by(H, W) + ", filter FH x FW = " + by(FH, FW) + ", padding P = " + std::to_string(P) +
                               ", stride S = " + std::to_string(S)) != std::string::npos);
        int span_h = H + 2 * P - FH, span_w = W + 2 * P - FW;
        bool fits = span_h >= 0 && span_w >= 0 && span_h % S == 0 && span_w % S == 0;
        std::string right = q.choice(size_t(q.correct), Lang::en);
        // the "does not fit" choice is always offered, so that a student has to judge
        int offered = 0;
        for (size_t c = 0; c < 4; ++c) offered += q.choice(c, Lang::en).rfind("The windows do not fit", 0) == 0;
        CHECK(offered == 1);
        if (fits) {
          ++fit;
          CHECK(right == by(span_h / S + 1, span_w / S + 1));
          CHECK(q.detail == "");
          CHECK(q.working.en.find("= " + std::to_string(span_h / S + 1)) != std::string::npos);
        } else {
          ++misfit;
          CHECK(right.rfind("The windows do not fit", 0) == 0);
          CHECK(q.choice(size_t(q.correct), Lang::ja).rfind("ウィンドウがちょうど収まらない", 0) == 0);
          CHECK(q.detail == "invalid");
          // the engine's arithmetic for a side that does not fit, in both languages
          std::string side = span_h % S ? "(" + std::to_string(H) + " + 2·" + std::to_string(P) + " − " + std::to_string(FH) + ")/" + std::to_string(S) +
                                              " = " + std::to_string(span_h) + "/" + std::to_string(S)
                                        : "(" + std::to_string(W) + " + 2·" + std::to_string(P) + " − " + std::to_string(FW) + ")/" + std::to_string(S) +
                                              " = " + std::to_string(span_w) + "/" + std::to_string(S);
          CHECK(q.working.en.find(side + " is not a whole number") != std::string::npos);
          CHECK(q.working.ja.find(side + " は整数にならない") != std::string::npos);
          CHECK(q.working.en.find("The windows do not fit: this layer cannot be built.") != std::string::npos);
        }
        CHECK(!q.working.ja.empty());
      }
    CHECK(fit > 0);
    CHECK(misfit > 0);  // at every difficulty some do not fit
  }
  // The book's: 4x4, 3x3, P = 1, S = 1 → 4x4; 7x7, 3x3, P = 0, S = 2 → 3x3; 28x28, 5x5, P = 0, S = 1 → 24x24.
  CHECK((4 + 2 - 3) / 1 + 1 == 4);
  CHECK((7 - 3) / 2 + 1 == 3);
}

TEST_CASE("a convolution layer's parameters: FN·C·FH·FW weights and FN biases, whatever the input's size") {
  std::set<int> channels;
  for (int difficulty = 1; difficulty <= 3; ++difficulty)
    for (const Question& q : sheet(Topic::convparams, difficulty, uint64_t(difficulty) + 3, 20)) {
      INFO(q.prompt.en);
      REQUIRE(q.kind == AnswerKind::Number);
      int FN = in(q, "FN"), C = in(q, "C"), FH = in(q, "FH"), FW = in(q, "FW");
      channels.insert(C);
      CHECK(q.value(0, 0) == double(FN * C * FH * FW + FN));
      CHECK(q.prompt.en.find("input of C x H x W = " + std::to_string(C) + "x") != std::string::npos);
      CHECK(q.prompt.en.find("FN = " + std::to_string(FN) + " filters of " + by(FH, FW)) != std::string::npos);
      CHECK(value_of(build(q.expr, q.inputs)) == q.value(0, 0));  // the expression kept with it says the same
      ends_in_answer(q);
    }
  CHECK(channels.count(1));
  CHECK(channels.size() >= 3);
}

TEST_CASE("one output of a convolution by hand: the window read off the prompt's X, times W, summed, plus b") {
  std::set<std::string> settings;
  int biased = 0;
  for (int difficulty = 1; difficulty <= 3; ++difficulty)
    for (const Question& q : sheet(Topic::convvalue, difficulty, uint64_t(difficulty) * 7, 20)) {
      INFO(q.prompt.en);
      REQUIRE(q.kind == AnswerKind::Number);
      const std::string& p = q.prompt.en;
      Mat X = matrix_after(p, "X = "), W = matrix_after(p, "filter W = ");
      double b = p.find("bias b = ") == std::string::npos ? 0 : std::stod(after(p, "bias b = "));
      int P = whole_after(p, "padding P = "), S = whole_after(p, "stride S = ");
      std::string cell = after(p, "output Y[");
      int i = std::stoi(cell), j = std::stoi(cell.substr(cell.find(", ") + 2));
      settings.insert("P" + std::to_string(P) + "S" + std::to_string(S));
      biased += b != 0;
      CHECK(W.rows() == 3);
      CHECK(W.cols() == 3);
      CHECK((X.rows() == 4 || X.rows() == 5));
      CHECK((X.array() >= 0).all());
      CHECK((X.array() <= 9).all());
      // the cell is inside the output, O = (H + 2P − 3)/S + 1
      int O = (int(X.rows()) + 2 * P - 3) / S + 1;
      CHECK(i >= 1);
      CHECK(i <= O);
      CHECK(j >= 1);
      CHECK(j <= O);
      CHECK(q.value(0, 0) == conv_at(X, W, b, P, S, i, j));
      CHECK(value_of(build(q.expr, q.inputs)) == q.value(0, 0));
      // the nine products are written out
      size_t dots = 0;
      for (size_t at = q.working.en.find("·"); at != std::string::npos; at = q.working.en.find("·", at + 1)) ++dots;
      CHECK(dots == 9);
      ends_in_answer(q);
    }
  CHECK(settings == std::set<std::string>{"P0S1", "P1S1", "P0S2", "P1S2"});
  CHECK(biased > 0);
  // Figure 7-3, by the same hand: [[15, 16], [6, 15]]
  Mat X = M({{1, 2, 3, 0}, {0, 1, 2, 3}, {3, 0, 1, 2}, {2, 3, 0, 1}}), W = M({{2, 0, 1}, {0, 1, 2}, {1, 0, 2}});
  CHECK(conv_at(X, W, 0, 0, 1, 1, 1) == 15);
  CHECK(conv_at(X, W, 0, 0, 1, 1, 2) == 16);
  CHECK(conv_at(X, W, 0, 0, 1, 2, 1) == 6);
  CHECK(conv_at(X, W, 0, 0, 1, 2, 2) == 15);
}

TEST_CASE("max pooling's gradient: each window's ∂L/∂Y goes to its largest alone, summed where windows overlap") {
  std::set<std::string> asked;
  int zero = 0, nonzero = 0, overlapping = 0;
  for (int difficulty = 1; difficulty <= 3; ++difficulty)
    for (const Question& q : sheet(Topic::poolgrad, difficulty, uint64_t(difficulty) * 5, 24)) {
      INFO(q.prompt.en);
      asked.insert(q.detail);
      Mat X = q.inputs.at("X"), dY = q.inputs.at("dY");
      REQUIRE(X.rows() == 4);
      REQUIRE(X.cols() == 4);
      int S = dY.rows() == 2 ? 2 : 1;
      CHECK(q.prompt.en.find("2x2 windows, stride " + std::to_string(S)) != std::string::npos);
      CHECK(matrix_after(q.prompt.en, "of X = ") == X);
      CHECK(matrix_after(q.prompt.en, "∂L/∂Y = ") == dY);
      // By hand: the largest of each window (never tied), which gets that window's gradient.
      Mat dX = Mat::Zero(4, 4);
      std::vector<std::pair<int, int>> largest;
      for (int i = 0; i < dY.rows(); ++i)
        for (int j = 0; j < dY.cols(); ++j) {
          int br = i * S, bc = j * S, ties = 0;
          for (int a = 0; a < 2; ++a)
            for (int c = 0; c < 2; ++c)
              if (X(i * S + a, j * S + c) > X(br, bc)) br = i * S + a, bc = j * S + c;
          for (int a = 0; a < 2; ++a)
            for (int c = 0; c < 2; ++c) ties += X(i * S + a, j * S + c) == X(br, bc);
          CHECK(ties == 1);
          dX(br, bc) += dY(i, j);
          largest.emplace_back(br, bc);
        }
      if (q.detail == "position") {
        four_choices(q);
        int i = in(q, "i"), j = in(q, "j");
        auto [br, bc] = largest[size_t((i - 1) * dY.cols() + (j - 1))];
        CHECK(q.choice(size_t(q.correct), Lang::en) == "X" + at(br + 1, bc + 1));
        CHECK(q.prompt.en.find("Where does ∂L/∂Y" + at(i, j) + " go") != std::string::npos);
      } else if (q.detail == "one") {
        int i = in(q, "i"), j = in(q, "j");
        CHECK(q.prompt.en.find("What is ∂L/∂X" + at(i, j)) != std::string::npos);
        CHECK(q.value(0, 0) == dX(i - 1, j - 1));
        (dX(i - 1, j - 1) == 0 ? zero : nonzero)++;
        ends_in_answer(q);
      } else {
        REQUIRE(q.detail == "all");
        CHECK(q.value == dX);
        std::set<std::pair<int, int>> once(largest.begin(), largest.end());
        overlapping += once.size() < largest.size();  // a position largest in two windows
        ends_in_answer(q);
      }
      CHECK(!q.working.ja.empty());
    }
  CHECK(asked == std::set<std::string>{"position", "one", "all"});
  CHECK(zero > 0);
  CHECK(nonzero > 0);
  CHECK(overlapping > 0);
}

TEST_CASE("im2col's matrix: N·OH·OW rows, C·FH·FW columns") {
  std::set<int> batches;
  for (int difficulty = 1; difficulty <= 3; ++difficulty)
    for (const Question& q : sheet(Topic::im2colshape, difficulty, uint64_t(difficulty) + 20, 20)) {
      INFO(q.prompt.en);
      REQUIRE(q.kind == AnswerKind::Shape);
      int n = in(q, "N"), C = in(q, "C"), H = in(q, "H"), W = in(q, "W"), FH = in(q, "FH"), FW = in(q, "FW"), P = in(q, "P"), S = in(q, "S");
      batches.insert(n);
      CHECK((H + 2 * P - FH) % S == 0);
      CHECK((W + 2 * P - FW) % S == 0);
      int OH = (H + 2 * P - FH) / S + 1, OW = (W + 2 * P - FW) / S + 1;
      CHECK(q.value == M({{double(n * OH * OW), double(C * FH * FW)}}));
      CHECK(q.prompt.en.find("N x C x H x W = " + std::to_string(n) + "x" + std::to_string(C) + "x" + by(H, W)) != std::string::npos);
      CHECK(read_shape(q.answer_text()).value == q.value);
      ends_in_answer(q);
    }
  CHECK(batches.count(1));
  CHECK(batches.size() >= 4);
}

TEST_CASE("the convolutions' sheet: the same seed, the same questions; another seed, others; both languages, with the working") {
  QuizOptions o;
  o.topics = {Topic::outsize, Topic::convparams, Topic::convvalue, Topic::poolgrad, Topic::im2colshape};
  for (int difficulty = 1; difficulty <= 3; ++difficulty) {
    o.difficulty = difficulty, o.count = 30, o.seed = 3;
    std::string a = quiz_json(generate_quiz(o), Lang::ja);
    CHECK(a == quiz_json(generate_quiz(o), Lang::ja));
    std::set<Topic> seen;
    std::set<std::string> prompts;
    for (uint64_t seed = 1; seed <= 8; ++seed) {
      o.seed = seed, o.count = 10;
      for (const Question& q : generate_quiz(o)) {
        seen.insert(q.topic);
        prompts.insert(q.prompt.en);
        CHECK(q.prompt.ja != q.prompt.en);
        CHECK(!q.hint.ja.empty());
        CHECK(!q.working.en.empty());
        CHECK(!q.working.ja.empty());
      }
    }
    CHECK(seen.size() == 5);
    CHECK(prompts.size() >= 70);  // 80 questions, nearly all different
  }
  o.seed = 3, o.difficulty = 2;
  CHECK(quiz_markdown(generate_quiz(o), o, Lang::en).find("## Answer key") != std::string::npos);
}
