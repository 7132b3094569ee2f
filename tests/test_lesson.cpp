// The built-in lessons, with the numbers the book and the course notes print.
#include "helpers.h"
#include "check.h"
#include "lesson.h"
#include "report.h"
#include "walk.h"

#include <cmath>
#include <string>

using namespace kobai;
using namespace kobai::test;

namespace {

Graph lesson(const char* id) {
  const Lesson* l = find_lesson(id);
  REQUIRE_MESSAGE(l, "no lesson " << id);
  return build(l->expr, l->inputs);
}
double g(const Graph& gr, const char* name) { return grad_of(gr, name)(0, 0); }
Mat val(const Graph& gr, const char* name) { return forward(gr)[size_t(gr.find(name))]; }
double v(const Graph& gr, const char* name) { return val(gr, name)(0, 0); }

// A figure as a goal prints it: the engine's six significant digits, a minus sign as −.
std::string shown(double x) { return (x < 0 ? "−" : "") + format_number(std::abs(x)); }
// Both goals state the figure the engine computes.
void states(const char* id, double x) {
  const Lesson* l = find_lesson(id);
  REQUIRE(l);
  CHECK_MESSAGE(l->goal_en.find(shown(x)) != std::string::npos, std::string(id) << "'s English goal should state " << shown(x));
  CHECK_MESSAGE(l->goal_ja.find(shown(x)) != std::string::npos, std::string(id) << "'s Japanese goal should state " << shown(x));
}
// Every input's gradient, backprop against central differences.
void agrees_with_central_differences(const Graph& gr) {
  for (const GradCheck& c : gradient_check(gr)) {
    INFO(c.input << ": relative error " << c.rel_error);
    CHECK(c.complete());
    CHECK(c.ok());
  }
}
double max_abs(const Mat& m) { return m.cwiseAbs().maxCoeff(); }
// Both goals state a value as the page prints it ([[15, 16], [6, 15]]; a 4-D one four lists deep).
void states_value(const char* id, const Graph& gr, const Mat& m, int node) {
  const Lesson* l = find_lesson(id);
  REQUIRE(l);
  std::string text = format_value(m, gr.nodes[size_t(node)].dims);
  CHECK_MESSAGE(l->goal_en.find(text) != std::string::npos, std::string(id) << "'s English goal should state " << text);
  CHECK_MESSAGE(l->goal_ja.find(text) != std::string::npos, std::string(id) << "'s Japanese goal should state " << text);
}

}  // namespace

TEST_CASE("there are twenty-two lessons, each with goals in both languages, and each builds") {
  CHECK(builtin_lessons().size() == 25);
  for (const Lesson& l : builtin_lessons()) {
    INFO(l.id);
    CHECK(!l.title_en.empty());
    CHECK(!l.title_ja.empty());
    CHECK(!l.goal_en.empty());
    CHECK(!l.goal_ja.empty());
    CHECK_NOTHROW(build(l.expr, l.inputs));
  }
}

TEST_CASE("the lessons fall into three parts, in the files' order, each part's lessons together") {
  REQUIRE(lesson_parts().size() == 3);
  CHECK(lesson_part("apple") == 0);
  CHECK(lesson_part("tanh") == 0);
  CHECK(lesson_part("rnn_add") == 1);
  CHECK(lesson_part("attention") == 1);
  CHECK(lesson_part("conv") == 2);
  CHECK(lesson_part("small_cnn") == 2);
  CHECK(lesson_part("no_such_lesson") == -1);
  int last = 0;
  for (const Lesson& l : builtin_lessons()) {  // never back to an earlier part: a part is one run of lessons
    INFO(l.id);
    CHECK(lesson_part(l.id) >= last);
    last = lesson_part(l.id);
  }
  for (const LessonPart& p : lesson_parts()) CHECK(find_lesson(p.first_id) != nullptr);
}

TEST_CASE("data inputs: no gradient flows into x and t, so none is computed, traced or checked") {
  Lesson l = parse_lesson(R"j({"id": "bce", "title": "t", "goal": "g",
    "expr": ["u = w * x + b", "y = sigmoid(u)", "L = -(t * log(y) + (1 - t) * log(1 - y))"],
    "inputs": {"w": 0.5, "x": 2, "b": -0.5, "t": 1}, "data": ["x", "t"]})j");
  Graph g = build_lesson(l, l.inputs);
  Values v = forward(g), d = backward(g, v);
  CHECK_FALSE(g.needs_grad[g.find("x")]);
  CHECK_FALSE(g.needs_grad[g.find("t")]);
  CHECK(g.needs_grad[g.find("w")]);
  CHECK(d[g.find("t")](0, 0) == 0);  // nothing flowed into it (without "data", ∂L/∂t = log((1 − y)/y) ≠ 0)
  // Sigmoid with cross-entropy: ∂L/∂u = y − t, so ∂L/∂w = (y − t)·x and ∂L/∂b = y − t.
  const double y = 1 / (1 + std::exp(-0.5));
  CHECK(d[g.find("w")](0, 0) == doctest::Approx((y - 1) * 2).epsilon(1e-12));
  CHECK(d[g.find("b")](0, 0) == doctest::Approx(y - 1).epsilon(1e-12));
  Walk w(std::move(g), {}, 0);
  const std::string trace = trace_text(w, Lang::en);
  CHECK(trace.find("∂L/∂w = ") != std::string::npos);
  CHECK(trace.find("∂L/∂t") == std::string::npos);
  CHECK(trace.find("∂L/∂x") == std::string::npos);
  GradientCheck c(build_lesson(l, l.inputs));
  while (!c.done()) c.advance(1);
  REQUIRE(c.results().size() == 2);  // w and b
  CHECK(c.results()[0].input == "w");
  CHECK(c.results()[0].ok());
  CHECK(c.results()[1].ok());

  auto refused = [](const std::string& extra) {
    try {
      Lesson bad = parse_lesson(R"({"id": "a", "title": "t", "goal": "g", "expr": "y = w * x", "inputs": {"w": 1, "x": 2})" + extra + "}");
      build_lesson(bad, bad.inputs);
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("(accepted)");
  };
  CHECK(refused(R"(, "data": ["q"])") == "\"data\" names 'q', which is not an input of the expression (its inputs: w, x)");
  CHECK(refused(R"(, "data": "x")") == "the lesson's \"data\" must be a list of input names");
  CHECK(refused(R"(, "params": ["w"], "lr": 1, "data": ["w"])") == "'w' is in both \"params\" and \"data\": data is not trained");
  CHECK(refused(R"(, "data": ["x"])") == "(accepted)");
}

TEST_CASE("apple: 220; gradients 2.2, 110, 200") {
  Graph a = lesson("apple");
  CHECK(format_number(value_of(a)) == "220");
  CHECK(g(a, "apple") == doctest::Approx(2.2).epsilon(1e-14));
  CHECK(g(a, "num") == doctest::Approx(110).epsilon(1e-14));
  CHECK(g(a, "tax") == doctest::Approx(200).epsilon(1e-14));
}

TEST_CASE("apple and orange: 715; gradients 2.2, 110, 3.3, 165, 650") {
  Graph a = lesson("apple_orange");
  CHECK(format_number(value_of(a)) == "715");
  CHECK(g(a, "apple") == doctest::Approx(2.2).epsilon(1e-14));
  CHECK(g(a, "num_a") == doctest::Approx(110).epsilon(1e-14));
  CHECK(g(a, "orange") == doctest::Approx(3.3).epsilon(1e-14));
  CHECK(g(a, "num_o") == doctest::Approx(165).epsilon(1e-14));
  CHECK(g(a, "tax") == doctest::Approx(650).epsilon(1e-14));
}

TEST_CASE("chain rule: y = (x1 + x2)^2, ∂y/∂x1 = 2(x1 + x2)") {
  Graph c = lesson("chain_rule");
  CHECK(value_of(c) == 9);
  CHECK(g(c, "x1") == 6);
  CHECK(g(c, "x2") == 6);
}

TEST_CASE("sigmoid from small nodes: ∂y/∂x = y(1 − y), the sigmoid node's rule") {
  Graph s = lesson("sigmoid_nodes");
  double y = value_of(s);
  CHECK(g(s, "x") == doctest::Approx(y * (1 - y)).epsilon(1e-14));
  CHECK(format_number(g(s, "x")) == "0.196612");
  CHECK(g(s, "x") == doctest::Approx(g(build("y = sigmoid(x)", {{"x", S(1)}}), "x")).epsilon(1e-14));
}

TEST_CASE("ReLU passes at 3 and stops at −2") {
  Graph r = lesson("relu");
  CHECK(g(r, "a") == 1);
  CHECK(g(r, "b") == 0);
}

TEST_CASE("affine on a batch: dX = dout·Wᵀ, dW = Xᵀ·dout, db = the sum of dout's rows") {
  const Lesson* l = find_lesson("affine");
  Graph a = lesson("affine");
  const Mat &X = l->inputs.at("X"), &W = l->inputs.at("W"), &b = l->inputs.at("b"), &T = l->inputs.at("T");
  Mat Y = (X * W).rowwise() + b.row(0);
  Mat dout = (Y - T) / double(X.rows());  // mse's gradient: (Y − T) / N, N = 2 rows
  CHECK((grad_of(a, "X") - dout * W.transpose()).cwiseAbs().maxCoeff() < 1e-12);
  CHECK((grad_of(a, "W") - X.transpose() * dout).cwiseAbs().maxCoeff() < 1e-12);
  CHECK((grad_of(a, "b") - dout.colwise().sum()).cwiseAbs().maxCoeff() < 1e-12);
}

TEST_CASE("softmax with loss: the book's softmax [0.01821127, 0.24519181, 0.73659691]; gradient (y − t)/N") {
  Graph s = lesson("softmax_with_loss");
  Mat d = grad_of(s, "a");
  // row 1 has t = [0, 0, 1]; N = 2
  CHECK(d(0, 0) * 2 == doctest::Approx(0.01821127).epsilon(1e-7));
  CHECK(d(0, 1) * 2 == doctest::Approx(0.24519181).epsilon(1e-7));
  CHECK(d(0, 2) * 2 + 1 == doctest::Approx(0.73659691).epsilon(1e-7));
  double y2 = std::exp(1.0) / (std::exp(1.0) + std::exp(2.0) + std::exp(0.5));
  CHECK(value_of(s) == doctest::Approx((-std::log(0.73659691) - std::log(y2)) / 2).epsilon(1e-8));
}

TEST_CASE("squared error from its parts: the book's 0.0975, the same as mse") {
  const Lesson* l = find_lesson("squared_error");
  Graph e = lesson("squared_error");
  CHECK(value_of(e) == doctest::Approx(0.0975).epsilon(1e-14));
  Graph m = build("L = mse(y, t)", l->inputs);
  CHECK(value_of(m) == doctest::Approx(value_of(e)).epsilon(1e-14));
  CHECK((grad_of(e, "y") - (l->inputs.at("y") - l->inputs.at("t"))).cwiseAbs().maxCoeff() < 1e-15);
}

TEST_CASE("tanh from exp nodes: dy/dx = 1 − y², the tanh node's rule") {
  Graph t = lesson("tanh");
  double y = value_of(t);
  CHECK(y == doctest::Approx(std::tanh(0.5)).epsilon(1e-14));
  CHECK(g(t, "x") == doctest::Approx(1 - y * y).epsilon(1e-12));
  CHECK(format_number(g(t, "x")) == "0.786448");
}

TEST_CASE("RNN, 5 + 1 in binary: the loss summed over t = 1 … 3, ∂L/∂W = Σₜ h[t-1]ᵀ · ∂L/∂(h[t-1]@W)") {
  const Lesson* l = find_lesson("rnn_add");
  Graph r = lesson("rnn_add");
  // the bits of 5 and 1 (the two inputs) and of 6 (the target), lowest first
  const Mat &x = l->inputs.at("x"), &d = l->inputs.at("d");
  auto number = [](const Mat& bits, int col) { return bits(0, col) + 2 * bits(1, col) + 4 * bits(2, col); };
  CHECK(number(x, 0) == 5);
  CHECK(number(x, 1) == 1);
  CHECK(number(d, 0) == 6);
  CHECK(x.row(1).isZero());  // at t = 2 both bits are 0, yet d[2] = 1: the carry is in h[1]
  CHECK(d(1, 0) == 1);
  CHECK(value_of(r) == doctest::Approx(v(r, "L[1]") + v(r, "L[2]") + v(r, "L[3]")).epsilon(1e-15));
  for (int t = 1; t <= 3; ++t) {  // each step's loss is the notes' ½(y − d)², mse for one row
    std::string k = "[" + std::to_string(t) + "]";
    Graph one = build("e = mse(y, d)", {{"y", val(r, ("y" + k).c_str())}, {"d", val(r, ("d" + k).c_str())}});
    CHECK(v(r, ("L" + k).c_str()) == doctest::Approx(value_of(one)).epsilon(1e-15));
  }
  // W is shared by the three steps: its gradient is the sum of what each step's h[t-1]@W sends it
  Values fv = forward(r), bg = backward(r, fv);
  auto term = [&](int t) {
    std::string prev = "h[" + std::to_string(t - 1) + "]";
    return Mat(fv[size_t(r.find(prev))].transpose() * bg[size_t(r.find(prev + "@W"))]);
  };
  CHECK(term(1).isZero());  // h[0] = 0
  CHECK(max_abs(term(1) + term(2) + term(3) - grad_of(r, "W")) < 1e-15);
  CHECK(term(2)(0, 0) < 0);  // the goal writes the sum as 0 − 0.0138112 − 0.00842312
  CHECK(term(3)(0, 0) < 0);
  states("rnn_add", -term(2)(0, 0));
  states("rnn_add", -term(3)(0, 0));
  states("rnn_add", grad_of(r, "W")(0, 0));
  agrees_with_central_differences(r);
}

TEST_CASE("LSTM: along the cell ∂c[t]/∂c[t-1] = f[t], so ∂L/∂c does not shrink while ∂L/∂h does") {
  Graph m = lesson("lstm");
  // c[t] = f ⊙ c[t-1] + i ⊙ g and h[t] = o ⊙ tanh(c[t]), from the values
  for (int t = 1; t <= 3; ++t) {
    auto at = [&](const char* n, int k) { return v(m, (n + ("[" + std::to_string(k) + "]")).c_str()); };
    CHECK(at("c", t) == doctest::Approx(at("f", t) * at("c", t - 1) + at("i", t) * at("g", t)).epsilon(1e-15));
    CHECK(at("h", t) == doctest::Approx(at("o", t) * std::tanh(at("c", t))).epsilon(1e-15));
  }
  // c[2] gets the gradient twice: along the cell (× f[3] alone) and through h[2] = o ⊙ tanh(c[2]) (× 1 − tanh²)
  double along_cell = g(m, "c[3]") * v(m, "f[3]");
  double through_h = g(m, "tanh(c[2])") * (1 - std::pow(v(m, "tanh(c[2])"), 2));
  CHECK(g(m, "c[2]") == doctest::Approx(along_cell + through_h).epsilon(1e-14));
  states("lstm", g(m, "c[3]"));
  states("lstm", v(m, "f[3]"));
  states("lstm", along_cell);
  states("lstm", g(m, "c[2]"));
  states("lstm", g(m, "c[1]"));
  states("lstm", g(m, "h[3]"));
  states("lstm", g(m, "h[2]"));
  CHECK(std::abs(g(m, "c[1]")) > 0.9 * std::abs(g(m, "c[3]")));   // does not vanish along c
  CHECK(std::abs(g(m, "h[2]")) < 0.1 * std::abs(g(m, "h[3]")));   // one step back through h: less than a tenth
  agrees_with_central_differences(m);
}

TEST_CASE("GRU, the book's convention h[t] = (1 − z) ⊙ h[t-1] + z ⊙ h_hat: the direct path multiplies by 1 − z") {
  Graph u = lesson("gru");
  for (int t = 1; t <= 3; ++t) {
    auto at = [&](const char* n, int k) { return v(u, (n + ("[" + std::to_string(k) + "]")).c_str()); };
    CHECK(at("h", t) == doctest::Approx((1 - at("z", t)) * at("h", t - 1) + at("z", t) * at("h_hat", t)).epsilon(1e-15));
  }
  double direct = g(u, "h[3]") * (1 - v(u, "z[3]"));  // what (1-z[3])*h[2] sends to h[2]
  CHECK(direct == doctest::Approx(g(u, "(1-z[3])*h[2]") * v(u, "(1-z[3])")).epsilon(1e-15));
  states("gru", g(u, "h[3]"));
  states("gru", 1 - v(u, "z[3]"));
  states("gru", direct);
  states("gru", g(u, "h[2]"));
  CHECK(std::abs(direct) > std::abs(g(u, "h[2]") - direct));  // the largest part of ∂L/∂h[2]
  agrees_with_central_differences(u);
}

TEST_CASE("attention: S = Q·Kᵀ/√2, A = softmax(S), O = A·V; ∂L/∂V = Aᵀ·∂L/∂O, each row of ∂L/∂S sums to 0") {
  const Lesson* l = find_lesson("attention");
  Graph a = lesson("attention");
  const Mat &Q = l->inputs.at("Q"), &K = l->inputs.at("K"), &V = l->inputs.at("V"), &T = l->inputs.at("T");
  Mat S = Q * K.transpose() / std::sqrt(2.0);
  CHECK(max_abs(val(a, "S") - S) < 1e-15);
  Mat A = val(a, "A");
  for (int i = 0; i < 3; ++i) {
    Mat e = S.row(i).array().exp();
    CHECK(max_abs(A.row(i) - e / e.sum()) < 1e-15);
  }
  CHECK(max_abs(val(a, "O") - A * V) < 1e-15);
  Mat dO = (A * V - T) / 3.0;  // mse over 3 rows
  CHECK(max_abs(grad_of(a, "O") - dO) < 1e-15);
  CHECK(max_abs(grad_of(a, "V") - A.transpose() * dO) < 1e-15);
  Mat dS = grad_of(a, "S");
  CHECK(max_abs(dS.rowwise().sum()) < 1e-15);
  CHECK(max_abs(grad_of(a, "Q") - dS * K / std::sqrt(2.0)) < 1e-15);
  CHECK(max_abs(grad_of(a, "K") - dS.transpose() * Q / std::sqrt(2.0)) < 1e-15);
  for (int j = 0; j < 3; ++j) states("attention", A(0, j));
  for (int i = 0; i < 3; ++i) {
    CHECK(dS(i, i) < 0);
    states("attention", dS(i, i));
  }
  agrees_with_central_differences(a);
}

// --- chapter 7: convolution and pooling, with the book's figures' numbers ------------------------------------------

TEST_CASE("conv: Figure 7-3's [[15, 16], [6, 15]]; ∂L/∂W is the sum of the four patches") {
  Graph gr = lesson("conv");
  CHECK(val(gr, "Y") == M({{15, 16}, {6, 15}}));
  states_value("conv", gr, val(gr, "Y"), gr.find("Y"));
  // The four 3x3 patches of X, added: the filter's gradient when each output's gradient is 1.
  const Mat X = M({{1, 2, 3, 0}, {0, 1, 2, 3}, {3, 0, 1, 2}, {2, 3, 0, 1}});
  Mat patches = X.block(0, 0, 3, 3) + X.block(0, 1, 3, 3) + X.block(1, 0, 3, 3) + X.block(1, 1, 3, 3);
  CHECK(grad_of(gr, "W") == patches);
  states_value("conv", gr, patches, gr.find("W"));
  agrees_with_central_differences(gr);
}

TEST_CASE("conv with a bias, Figure 7-4: [[18, 19], [9, 18]], ∂L/∂b = 4") {
  Graph gr = lesson("conv_bias");
  CHECK(val(gr, "Y") == M({{18, 19}, {9, 18}}));
  states_value("conv_bias", gr, val(gr, "Y"), gr.find("Y"));
  CHECK(g(gr, "b") == 4);
  states("conv_bias", 4);
}

TEST_CASE("padding 1, Figure 7-6: the 4x4 stays 4x4, the book's numbers") {
  Graph gr = lesson("conv_pad");
  CHECK(val(gr, "Y") == M({{7, 12, 10, 2}, {4, 15, 16, 10}, {10, 6, 15, 6}, {8, 10, 4, 3}}));
  states_value("conv_pad", gr, val(gr, "Y"), gr.find("Y"));
  agrees_with_central_differences(gr);
}

TEST_CASE("stride 2: a 5x5 gives 2x2; the centre is under all four windows") {
  Graph gr = lesson("conv_stride");
  CHECK(val(gr, "Y").rows() == (5 + 2 * 0 - 3) / 2 + 1);
  states_value("conv_stride", gr, val(gr, "Y"), gr.find("Y"));
  const Mat W = M({{2, 0, 1}, {0, 1, 2}, {1, 0, 2}});
  CHECK(grad_of(gr, "X")(2, 2) == W(0, 0) + W(0, 2) + W(2, 0) + W(2, 2));
  states("conv_stride", grad_of(gr, "X")(2, 2));
  agrees_with_central_differences(gr);
}

TEST_CASE("three channels, Figure 7-8: each channel filtered by its own 3x3, the three added") {
  Graph gr = lesson("conv_channels");
  const Lesson* l = find_lesson("conv_channels");
  Mat sum = Mat::Zero(2, 2);
  for (int c = 0; c < 3; ++c) {  // channel by channel, as three one-channel convolutions
    auto channel = [&](const Value& v, int side) {
      Mat m(side, side);
      for (int y = 0; y < side; ++y)
        for (int x = 0; x < side; ++x) m(y, x) = v(0, (c * side + y) * side + x);
      return m;
    };
    Graph one = build("Y = conv(X, W, b)", {{"X", channel(l->inputs.at("X"), 4)}, {"W", channel(l->inputs.at("W"), 3)}, {"b", S(0)}});
    sum += forward(one)[size_t(one.output)];
  }
  CHECK(val(gr, "Y") == Mat(Eigen::Map<const Mat>(Mat(sum.transpose()).data(), 1, 4)));
  states_value("conv_channels", gr, val(gr, "Y"), gr.find("Y"));
  agrees_with_central_differences(gr);
}

TEST_CASE("max pooling, Figure 7-14: [[2, 3], [4, 2]]; each gradient goes where the largest was") {
  Graph gr = lesson("max_pooling");
  CHECK(val(gr, "Y") == M({{2, 3}, {4, 2}}));
  states_value("max_pooling", gr, val(gr, "Y"), gr.find("Y"));
  CHECK(grad_of(gr, "X") == M({{0, 1, 0, 0}, {0, 0, 0, 2}, {0, 0, 0, 4}, {0, 3, 0, 0}}));
  states_value("max_pooling", gr, grad_of(gr, "X"), gr.find("X"));
}

TEST_CASE("im2col: col is 4 x 9, and col · Wc reads Figure 7-3's output row by row") {
  Graph gr = lesson("im2col");
  CHECK(val(gr, "col").rows() == 4);
  CHECK(val(gr, "col").cols() == 9);
  CHECK(val(gr, "Wc").rows() == 9);
  Graph conv = lesson("conv");
  const Mat by_conv = val(conv, "Y");
  CHECK(val(gr, "Y") == M({{by_conv(0, 0)}, {by_conv(0, 1)}, {by_conv(1, 0)}, {by_conv(1, 1)}}));
  states_value("im2col", gr, val(gr, "Y"), gr.find("Y"));
  CHECK(grad_of(gr, "X") == grad_of(conv, "X"));  // col2im gives what conv's backward gives
  agrees_with_central_differences(gr);
}

TEST_CASE("a small CNN: conv → ReLU → pool → Affine → Softmax-with-Loss; one update lowers L") {
  const Lesson* l = find_lesson("small_cnn");
  REQUIRE(l);
  Graph gr = lesson("small_cnn");
  states("small_cnn", v(gr, "L"));
  for (const GradCheck& c : gradient_check(gr)) {  // X's 72 entries are sampled within the check's budget
    INFO(c.input << ": relative error " << c.rel_error);
    CHECK(c.ok());
  }
  Walk w(gr, l->params, l->lr);
  while (w.step()) {
  }
  const double before = w.state().value[size_t(gr.output)](0, 0);
  REQUIRE(w.next_iteration());
  while (w.step()) {
  }
  CHECK(w.state().value[size_t(gr.output)](0, 0) < before);
}

TEST_CASE("a teacher's lesson file: good and bad") {
  Lesson l = parse_lesson(R"({"id": "mine", "title": "Mine", "goal": {"en": "g", "ja": "目標"},
                              "expr": ["y = w * x"], "inputs": {"w": 2, "x": [1, 2]}, "params": ["w"], "lr": 0.1})");
  CHECK(l.id == "mine");
  CHECK(l.title(Lang::ja) == "Mine");
  CHECK(l.goal(Lang::ja) == "目標");
  CHECK(l.inputs.at("x").cols() == 2);
  CHECK(l.params == std::vector<std::string>{"w"});
  CHECK_THROWS_WITH_AS(parse_lesson("{"), doctest::Contains("the lesson is not valid JSON"), InputError);
  CHECK_THROWS_WITH_AS(parse_lesson("[]"), "the lesson must be a JSON object {...}", InputError);
  CHECK_THROWS_WITH_AS(parse_lesson(R"({"title": "t"})"), "the lesson has no \"id\" string", InputError);
  CHECK_THROWS_WITH_AS(parse_lesson(R"({"id": "a", "title": "t", "goal": "g"})"), "the lesson has no \"expr\"", InputError);
  CHECK_THROWS_WITH_AS(parse_lesson(R"({"id": "a", "title": "t", "goal": "g", "expr": 3})"),
                       "the lesson's \"expr\" must be a string or a list of lines", InputError);
  CHECK_THROWS_WITH_AS(parse_lesson(R"({"id": "a", "title": "t", "goal": "g", "expr": "y=x", "inputs": {"x": "one"}})"),
                       "input 'x': expected a number, [a, b, ...], [[a, b], [c, d]] or a 4-D value [[[[a, b]]]]", InputError);
  CHECK_THROWS_WITH_AS(parse_lesson(R"({"id": "a", "title": 1, "goal": "g", "expr": "y=x"})"),
                       "the lesson's \"title\" must be a string or {\"en\": ..., \"ja\": ...}", InputError);
  CHECK_THROWS_WITH_AS(parse_lesson(R"({"id": "a", "title": "t", "goal": "g", "expr": "y=x", "lr": "fast"})"),
                       "the lesson's \"lr\" must be a number", InputError);
}

TEST_CASE("a lesson file that is not JSON gets kobai's words, with the line and column") {
  auto message = [](const std::string& text) -> std::string {
    try {
      parse_lesson(text);
    } catch (const InputError& e) {
      return e.what();
    }
    return "";
  };
  CHECK(message("{\"id\": \"x\",\n \"title\": \"t\" \"goal\": \"g\"}") ==
        "the lesson is not valid JSON (line 2, column 20): unexpected text");  // the end of "goal"
  CHECK(message("{\"id\": \"x\",\n \"title\": \"t\"") ==
        "the lesson is not valid JSON (line 2, column 14): it ends too early (is a '}', ']' or '\"' missing?)");
  CHECK(message("") == "the lesson is not valid JSON: it is empty");
  CHECK(message("{\"id\": \"x\",\n \"inputs\": {\"x\": 1e400}}") ==
        "the lesson is not valid JSON (line 2, column 22): a number is too large for a double (at most about 1.8e308)");
  CHECK(message("{\"id\": \"x\",\n \"inputs\": {\"x\": -1" + std::string(400, '0') + "}}").find(
            "(line 2, column 419): a number is too large for a double") != std::string::npos);
  for (const char* bad : {"{", "[1, 2", "{\"a\": tru}", "\"\\x\"", "{\"a\" 1}", "\xff", "1e999", "{\"id\": 1e400}"}) {
    std::string m = message(bad);
    INFO(bad << " -> " << m);
    CHECK(m.rfind("the lesson ", 0) == 0);
    CHECK(m.find("json") == std::string::npos);  // no "[json.exception.parse_error.101]"
  }
  std::string long_line = "{\"id\": \"" + std::string(5000, 'x') + "\" \"title\": 1}";
  CHECK(message(long_line).size() < 200);
}

TEST_CASE("a lesson file written over several lines: each mistake says the line and column of its key") {
  const std::string head = "{\n  \"id\": \"a\",\n  \"title\": \"t\",\n  \"goal\": \"g\",\n  \"expr\": \"y = x * w\",\n";
  auto message = [&](const std::string& rest) {
    try {
      parse_lesson(head + rest);
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("(accepted)");
  };
  CHECK(message("  \"inputs\": {\"x\": 1, \"w\": 2},\n  \"param\": [\"w\"]\n}") ==
        "line 7, column 3: the lesson has an unknown key \"param\" (the keys are: id, title, goal, expr, inputs, params, lr, data)");
  CHECK(message("  \"inputs\": {\"x\": 1,\n             \"w\": [[1], [2, 3]]}\n}") ==
        "line 7, column 14: input 'w': row 2 has 2 numbers, row 1 has 1");
  // A key inside a nested value with the same name is not taken for the top one.
  CHECK(message("  \"inputs\": {\"lr\": 1, \"x\": 1, \"w\": 2},\n  \"lr\": \"fast\"\n}") ==
        "line 7, column 3: the lesson's \"lr\" must be a number");
  CHECK(message("  \"inputs\": {\"x\": 1, \"w\": 2}\n}") == "(accepted)");
}

TEST_CASE("a lesson file's keys: unknown ones refused, params and a positive lr together") {
  const std::string head = R"({"id": "a", "title": "t", "goal": "g", "expr": "y = w * x", "inputs": {"w": 1, "x": 2})";
  auto message = [&](const std::string& rest) -> std::string {
    try {
      parse_lesson(head + rest + "}");
    } catch (const InputError& e) {
      return e.what();
    }
    return "";
  };
  CHECK(message(R"(, "param": ["w"])") ==
        "the lesson has an unknown key \"param\" (the keys are: id, title, goal, expr, inputs, params, lr, data)");
  CHECK(message(R"(, "params": ["w"])") == "the lesson's \"params\" need an \"lr\" (the learning rate, e.g. 0.1)");
  CHECK(message(R"(, "lr": 0.1)") == "the lesson's \"lr\" needs \"params\" (the inputs it trains)");
  CHECK(message(R"(, "params": ["w"], "lr": -0.1)") == "the lesson's \"lr\" must be greater than 0, not -0.1");
  CHECK(message(R"(, "params": ["w"], "lr": 0)") == "the lesson's \"lr\" must be greater than 0, not 0");
  CHECK(message(R"(, "params": ["w"], "lr": 0.1)") == "");
  CHECK_THROWS_WITH_AS(parse_lesson(R"({"id": "a", "title": {"en": "t", "fr": "t"}, "goal": "g", "expr": "y"})"),
                       "the lesson's \"title\" has an unknown key \"fr\" (the keys are en and ja)", InputError);
}

TEST_CASE("each line of a lesson's expr knows the line of the file it is written on") {
  Lesson l = parse_lesson("{\"id\": \"a\", \"title\": \"t\", \"goal\": \"g\",\n \"expr\": [\n  \"u = x * 2\",\n\n  \"y = u\"\n ]}");
  CHECK(l.expr_file_lines == std::vector<int>{3, 5});
  Lesson s = parse_lesson("{\"id\": \"a\", \"title\": \"t\", \"goal\": \"g\",\n\n \"expr\": \"u = x\\ny = u\"}");
  CHECK(s.expr_file_lines == std::vector<int>{3, 3});
  Lesson e = parse_lesson(R"({"id": "a", "title": "t", "goal": "g", "expr": "\u0079 = x"})");  // escapes: unknown
  CHECK(e.expr_file_lines.empty());
}

TEST_CASE("a value typed after --at: its messages are kobai's and bounded") {
  CHECK_THROWS_WITH_AS(parse_value("1e400"), "'1e400' is not a value: a number is too large for a double (at most about "
                                             "1.8e308); write a number, [1, 2], [[1, 2], [3, 4]] or [[[[1, 2]]]]", InputError);
  CHECK_THROWS_WITH_AS(parse_value("[1, 2"), doctest::Contains("'[1, 2' is not a value: it ends too early"), InputError);
  CHECK_THROWS_WITH_AS(parse_value("[1,,2]"), doctest::Contains("'[1,,2]' is not a value: unexpected text at column 4"), InputError);
  std::string big = "[" + std::string(50000, '1') + ",]";
  try {
    parse_value(big);
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()).size() < 300);
  }
  std::string arg(50000, 'a');
  CHECK_THROWS_WITH_AS(parse_assignment(arg), doctest::Contains("…' should be NAME=VALUE, e.g. apple=100"), InputError);
}

namespace {
// The lesson walked through n rounds of forward, backward and update, as "Next iteration" does.
Walk iterated(const char* id, int n) {
  const Lesson* l = find_lesson(id);
  REQUIRE(l);
  Walk w(build_lesson(*l, l->inputs), l->params, l->lr);
  for (int i = 0; i < n; ++i) {
    w.jump(int(w.plan().size()));
    REQUIRE(w.next_iteration());
  }
  w.run_phase();  // the forward pass of the new values: every node's value known
  return w;
}
double now(const Walk& w, const char* name) { return w.state().value[size_t(w.graph().find(name))](0, 0); }
}  // namespace

TEST_CASE("steepest descent on x² + y² from (−3, 4), η = 0.1: the book's 4.4.1, (−6.11110793e-10, 8.14814391e-10) after 100 steps") {
  Walk one = iterated("steepest_descent", 1);
  CHECK(now(one, "x") == doctest::Approx(-2.4).epsilon(1e-15));  // x − η·2x = 0.8·x
  CHECK(now(one, "y") == doctest::Approx(3.2).epsilon(1e-15));
  Walk w = iterated("steepest_descent", 100);
  CHECK(now(w, "x") == doctest::Approx(-6.11110793e-10).epsilon(1e-8));  // as the book prints them
  CHECK(now(w, "y") == doctest::Approx(8.14814391e-10).epsilon(1e-8));
  states("steepest_descent", -2.4);
  states("steepest_descent", 3.2);
}

TEST_CASE("a sigmoid output with binary cross-entropy: ∂L/∂u = y − t, the log's 1/y cancelled by the sigmoid's y(1 − y)") {
  Graph b = lesson("sigmoid_bce");
  const double y = v(b, "y"), t = v(b, "t");
  CHECK(y == doctest::Approx(1 / (1 + std::exp(-0.5))).epsilon(1e-15));
  CHECK(g(b, "u") == doctest::Approx(y - t).epsilon(1e-12));
  CHECK(value_of(b) == doctest::Approx(-std::log(y)).epsilon(1e-14));  // t = 1: only the first term
  for (double x : {y, value_of(b), g(b, "u")}) states("sigmoid_bce", x);
  // x and t are data: the gradient reaches w and b only.
  const Lesson* l = find_lesson("sigmoid_bce");
  CHECK(l->data == std::vector<std::string>{"x", "t"});
  Walk w = iterated("sigmoid_bce", 1);
  CHECK(now(w, "y") > y);  // one update moves y toward t = 1
}

TEST_CASE("the misclassification rate as a loss: 0.25 here, and a gradient of 0, so an update changes nothing") {
  Graph m = lesson("misclassification");
  CHECK(value_of(m) == 0.25);  // one of four examples wrong
  CHECK(grad_of(m, "w").isZero());
  CHECK(grad_of(m, "b").isZero());
  Walk w = iterated("misclassification", 3);
  CHECK(now(w, "w") == 0.5);
  CHECK(now(w, "L") == 0.25);
}
