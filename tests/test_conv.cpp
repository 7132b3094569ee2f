// Convolution and pooling (conv.h), as chapter 7 of the book builds them: Figure 7-3's numbers, im2col's shape,
// conv as one matrix product, and every backward against central differences at several strides and paddings.
#include "conv.h"
#include "helpers.h"
#include "lesson.h"
#include "windows.h"

using namespace kobai;
using namespace kobai::test;

namespace {

// An H x W picture as one example of one channel: the 1 x (H·W) row conv.h stores.
Mat picture(const Mat& m) {
  Mat row(1, m.size());
  for (int r = 0; r < m.rows(); ++r)
    for (int c = 0; c < m.cols(); ++c) row(0, r * m.cols() + c) = m(r, c);
  return row;
}

// Central differences of L = Σ G ⊙ f(x) at every element of x.
template <class F> Mat numeric(F f, Mat x, const Mat& G) {
  Mat g(x.rows(), x.cols());
  const double h = 1e-6;
  for (Eigen::Index i = 0; i < x.size(); ++i) {
    const double keep = x(i);
    x(i) = keep + h;
    const double up = G.cwiseProduct(f(x)).sum();
    x(i) = keep - h;
    const double down = G.cwiseProduct(f(x)).sum();
    x(i) = keep;
    g(i) = (up - down) / (2 * h);
  }
  return g;
}

}  // namespace

TEST_CASE("Figure 7-3: a 4x4 input and a 3x3 filter give [[15, 16], [6, 15]]") {
  const Mat X = picture(M({{1, 2, 3, 0}, {0, 1, 2, 3}, {3, 0, 1, 2}, {2, 3, 0, 1}}));
  const Mat W = picture(M({{2, 0, 1}, {0, 1, 2}, {1, 0, 2}}));
  CHECK(conv_forward(X, {1, 1, 4, 4}, W, S(0), {3, 3}) == picture(M({{15, 16}, {6, 15}})));
  // Figure 7-4: the bias 3 is added to every output.
  CHECK(conv_forward(X, {1, 1, 4, 4}, W, S(3), {3, 3}) == picture(M({{18, 19}, {9, 18}})));
  // Padding 1 (Figure 7-6) keeps the size: 4x4 out, its top-left corner is the window over [[0,0,0],[0,1,2],[0,0,1]].
  const Mat padded = conv_forward(X, {1, 1, 4, 4}, W, S(0), {3, 3, 1, 1});
  CHECK(padded.cols() == 16);
  CHECK(padded(0, 0) == 1 * 1 + 2 * 2 + 1 * 2);  // 7
  // Stride 2 does not fit the 4x4, padded or not ((4 + 2·1 − 3)/2 = 3/2); Figure 7-7's 7x7 gives 3x3.
  CHECK_THROWS_AS(conv_forward(X, {1, 1, 4, 4}, W, S(0), {3, 3, 2, 1}), InputError);
  CHECK(conv_forward(rnd(1, 49), {1, 1, 7, 7}, W, S(0), {3, 3, 2}).cols() == 9);
}

TEST_CASE("O = (H + 2P − F)/S + 1, and sizes that do not fit are refused with the arithmetic") {
  CHECK(out_size(28, 5, 0, 1) == 24);  // SimpleConvNet's first layer
  CHECK(out_size(7, 3, 0, 2) == 3);
  CHECK(out_size_problem(28, 5, 0, 1, "width").empty());
  CHECK(out_size_problem(8, 3, 0, 2, "width") ==
        "(8 + 2·0 − 3)/2 = 5/2 is not a whole number: the windows do not fit the width (8) evenly");
  CHECK(out_size_problem(2, 5, 1, 1, "height") ==
        "the window (5) is larger than the padded height: (2 + 2·1 − 5) = -1 is below 0");
  CHECK_THROWS_AS(window_out({1, 1, 8, 8}, {3, 3, 2, 0}, 1), InputError);
}

TEST_CASE("im2col puts each window in a row: (N·OH·OW) x (C·FH·FW)") {
  // The book's example: x1 = (1, 3, 7, 7), a 5x5 filter, stride 1 -> (9, 75); ten examples -> (90, 75).
  CHECK(im2col(rnd(1, 3 * 49), {1, 3, 7, 7}, {5, 5}).rows() == 9);
  CHECK(im2col(rnd(1, 3 * 49), {1, 3, 7, 7}, {5, 5}).cols() == 75);
  CHECK(im2col(rnd(10, 3 * 49), {10, 3, 7, 7}, {5, 5}).rows() == 90);
  // col2im sends each element back: where windows overlap, the sum. With ones in, each position counts its windows.
  const Mat counts = col2im(Mat(Mat::Ones(4, 9)), {1, 1, 4, 4}, {3, 3});
  CHECK(counts == picture(M({{1, 2, 2, 1}, {2, 4, 4, 2}, {2, 4, 4, 2}, {1, 2, 2, 1}})));
}

TEST_CASE("A convolution is im2col followed by one matrix product, window by window") {
  const Dims4 d{2, 3, 5, 6};
  const Window w{3, 2, 1, 1};
  const Mat X = rnd(2, d.per_example(), -1, 1, 11), W = rnd(4, 3 * 3 * 2, -1, 1, 12), b = rnd(1, 4, -1, 1, 13);
  const Mat Y = conv_forward(X, d, W, b, w);
  const Dims4 o = window_out(d, w, 4);
  // Each output element by the definition: the window's products summed, plus the bias.
  for (int n = 0; n < d.n; ++n)
    for (int f = 0; f < o.c; ++f)
      for (int oh = 0; oh < o.h; ++oh)
        for (int ow = 0; ow < o.w; ++ow) {
          double sum = b(0, f);
          for (int c = 0; c < d.c; ++c)
            for (int i = 0; i < w.h; ++i)
              for (int j = 0; j < w.w; ++j) {
                const int y = oh + i - 1, x = ow + j - 1;
                if (y >= 0 && y < d.h && x >= 0 && x < d.w)
                  sum += X(n, (c * d.h + y) * d.w + x) * W(f, (c * w.h + i) * w.w + j);
              }
          CHECK(Y(n, (f * o.h + oh) * o.w + ow) == doctest::Approx(sum).epsilon(1e-12));
        }
}

TEST_CASE("conv's ∂L/∂X, ∂L/∂W, ∂L/∂b match central differences at several strides and paddings") {
  const Dims4 d{2, 2, 7, 6};
  for (Window w : {Window{3, 3, 1, 0}, Window{3, 3, 1, 1}, Window{3, 2, 2, 1}, Window{3, 2, 3, 1}, Window{1, 2, 2, 0}}) {
    CAPTURE(w.h);
    CAPTURE(w.w);
    CAPTURE(w.stride);
    CAPTURE(w.pad);
    const Mat X = rnd(d.n, d.per_example(), -1, 1, 21), W = rnd(3, d.c * w.h * w.w, -1, 1, 22), b = rnd(1, 3, -1, 1, 23);
    const Mat G = rnd(d.n, window_out(d, w, 3).per_example(), -1, 1, 24);
    const auto g = conv_backward(G, X, d, W, w);
    CHECK((g.dx - numeric([&](const Mat& x) { return conv_forward(x, d, W, b, w); }, X, G)).cwiseAbs().maxCoeff() < 1e-7);
    CHECK((g.dW - numeric([&](const Mat& k) { return conv_forward(X, d, k, b, w); }, W, G)).cwiseAbs().maxCoeff() < 1e-7);
    CHECK((g.db - numeric([&](const Mat& c) { return conv_forward(X, d, W, c, w); }, b, G)).cwiseAbs().maxCoeff() < 1e-7);
  }
}

TEST_CASE("Max pooling keeps each window's largest, and its gradient goes only there") {
  // Figure 7-14: 2x2 windows, stride 2.
  const Mat X = picture(M({{1, 2, 1, 0}, {0, 1, 2, 3}, {3, 0, 1, 2}, {2, 4, 0, 1}}));
  std::vector<int> arg;
  CHECK(maxpool_forward(X, {1, 1, 4, 4}, {2, 2, 2}, &arg) == picture(M({{2, 3}, {4, 2}})));
  CHECK(arg == std::vector<int>{1, 7, 13, 11});  // where 2, 3, 4, 2 sit in the 4x4
  const Mat dx = maxpool_backward(picture(M({{10, 20}, {30, 40}})), {1, 1, 4, 4}, {2, 2, 2}, arg);
  CHECK(dx == picture(M({{0, 10, 0, 0}, {0, 0, 0, 20}, {0, 0, 0, 40}, {0, 30, 0, 0}})));
  // Against central differences (distinct values, so no window has a tie), overlapping and padded windows too.
  const Dims4 d{2, 3, 5, 5};
  Mat Xr(d.n, d.per_example());
  for (Eigen::Index i = 0; i < Xr.size(); ++i) Xr(i) = std::sin(1.7 * i) + 0.001 * i + 0.3;  // none is 0, the padding's value
  for (Window w : {Window{2, 2, 1, 0}, Window{3, 3, 2, 0}, Window{3, 3, 2, 1}, Window{2, 3, 1, 1}}) {
    CAPTURE(w.h);
    CAPTURE(w.stride);
    CAPTURE(w.pad);
    const Mat G = rnd(d.n, window_out(d, w, d.c).per_example(), -1, 1, 31);
    maxpool_forward(Xr, d, w, &arg);
    CHECK((maxpool_backward(G, d, w, arg) - numeric([&](const Mat& x) { return maxpool_forward(x, d, w); }, Xr, G))
              .cwiseAbs().maxCoeff() < 1e-7);
    CHECK((avgpool_backward(G, d, w) - numeric([&](const Mat& x) { return avgpool_forward(x, d, w); }, Xr, G))
              .cwiseAbs().maxCoeff() < 1e-7);
  }
}

TEST_CASE("Average pooling: each window's mean, its gradient shared equally") {
  const Mat X = picture(M({{1, 2, 1, 0}, {0, 1, 2, 3}, {3, 0, 1, 2}, {2, 4, 0, 1}}));
  CHECK(avgpool_forward(X, {1, 1, 4, 4}, {2, 2, 2}) == picture(M({{1, 1.5}, {2.25, 1}})));
  CHECK(avgpool_backward(picture(M({{4, 8}, {0, 0}})), {1, 1, 4, 4}, {2, 2, 2}) ==
        picture(M({{1, 1, 2, 2}, {1, 1, 2, 2}, {0, 0, 0, 0}, {0, 0, 0, 0}})));
}

TEST_CASE("The float kernels training uses agree with the double ones") {
  using MF = Eigen::MatrixXf;
  const Dims4 d{3, 2, 6, 6};
  const Window w{3, 3, 1, 1};
  const Mat X = rnd(3, d.per_example(), -1, 1, 41), W = rnd(4, 18, -1, 1, 42), b = rnd(1, 4, -1, 1, 43);
  const MF yf = conv_forward<MF>(X.cast<float>(), d, W.cast<float>(), b.cast<float>(), w);
  CHECK((yf.cast<double>() - conv_forward(X, d, W, b, w)).cwiseAbs().maxCoeff() < 1e-5);
}

// --- in the language: conv(X, W, b, stride=1, pad=0), pool, avgpool, im2col, flatten; 4-D literals -------------------

TEST_CASE("Figure 7-3 typed as an expression: a matrix filtered by a matrix is a matrix") {
  const InputValues in = {{"X", parse_value("[[1,2,3,0],[0,1,2,3],[3,0,1,2],[2,3,0,1]]")},
                          {"W", parse_value("[[2,0,1],[0,1,2],[1,0,2]]")}, {"b", parse_value("0")}};
  Graph g = build("Y = conv(X, W, b)", in);
  CHECK(forward(g)[g.output] == M({{15, 16}, {6, 15}}));
  // Figure 7-6: padding 1 keeps the 4x4; its corner is 7 (the book prints [[7, 12, 10, 2], [4, 15, 16, 10], ...]).
  Graph padded = build("Y = conv(X, W, b, pad=1)", in);
  CHECK(forward(padded)[padded.output] == M({{7, 12, 10, 2}, {4, 15, 16, 10}, {10, 6, 15, 6}, {8, 10, 4, 3}}));
}

TEST_CASE("4-D values are typed four lists deep, (N, C, H, W), and keep their shape through the ops") {
  Value x = parse_value("[[[[1, 2], [3, 4]], [[5, 6], [7, 8]]]]");  // one example, two channels of 2x2
  REQUIRE(x.dims);
  CHECK(*x.dims == Dims4{1, 2, 2, 2});
  CHECK(x == M({{1, 2, 3, 4, 5, 6, 7, 8}}));
  CHECK(value_literal(x, false) == "[[[[1, 2], [3, 4]], [[5, 6], [7, 8]]]]");
  CHECK(parse_value(value_literal(x, true)) == x);  // links carry it exactly
  CHECK_THROWS_WITH_AS(parse_value("[[[[1, 2]], [[3]]]]"), "'[[[[1, 2]], [[3]]]]': example 1, channel 2, row 1 has 1 column, the first has 2",
                       InputError);
  CHECK_THROWS_WITH_AS(parse_value("[[[1]]]"), doctest::Contains("lists three deep"), InputError);
  Graph g = build("Y = relu(x) * 2", {{"x", x}});
  REQUIRE(g.nodes[size_t(g.output)].dims);
  CHECK(*g.nodes[size_t(g.output)].dims == Dims4{1, 2, 2, 2});
  Graph f = build("Y = flatten(x)", {{"x", x}});
  CHECK(!f.nodes[size_t(f.output)].dims);
  CHECK(forward(f)[f.output] == M({{1, 2, 3, 4, 5, 6, 7, 8}}));
}

TEST_CASE("conv and im2col agree in the language: conv = im2col · W laid out as columns, plus b") {
  const Value X(rnd(2, 2 * 5 * 5, -1, 1, 51), Dims4{2, 2, 5, 5});
  const Value W(rnd(3, 2 * 3 * 3, -1, 1, 52), Dims4{3, 2, 3, 3});
  const Mat b = rnd(1, 3, -1, 1, 53);
  Graph g = build("col = im2col(X, 3, 3, stride=2, pad=1); Y = col @ transpose(Wm) + b",
                  {{"X", X}, {"Wm", Mat(W)}, {"b", b}});
  Graph c = build("Y = conv(X, W, b, stride=2, pad=1)", {{"X", X}, {"W", W}, {"b", b}});
  const Mat by_product = forward(g)[g.output], by_conv = forward(c)[c.output];
  CHECK(by_product.rows() == 2 * 3 * 3);  // a window per row: N·OH·OW, a filter per column
  // by_product has a row per window and a column per filter; conv's output a row per example, filter by filter.
  for (int n = 0; n < 2; ++n)
    for (int f = 0; f < 3; ++f)
      for (int p = 0; p < 9; ++p) CHECK(by_conv(n, f * 9 + p) == doctest::Approx(by_product(n * 9 + p, f)).epsilon(1e-12));
}

TEST_CASE("Bad calls say what is wrong and where") {
  const InputValues in = {{"X", parse_value("[[1,2,3],[4,5,6],[7,8,9]]")}, {"W", parse_value("[[1,0],[0,1]]")}, {"b", parse_value("0")}};
  auto message = [&](const std::string& src) {
    try {
      InputValues given = in;
      if (src.find("conv") == std::string::npos) given.erase("W"), given.erase("b");
      build(src, given);
    } catch (const InputError& e) {
      return format_error(e, src);
    }
    return std::string("no error");
  };
  CHECK(message("Y = conv(X, W, b, stride=2)") ==
        "line 1, column 5: conv on 1x1x3x3: (3 + 2·0 − 2)/2 = 1/2 is not a whole number: the windows do not fit the "
        "height (3) evenly\n  Y = conv(X, W, b, stride=2)\n      ^");
  CHECK(message("Y = pool(X, 2, 2, strde=1)") ==
        "line 1, column 25: pool has no argument 'strde' (pool takes 1 input, h, w, stride=1, pad=0)\n"
        "  Y = pool(X, 2, 2, strde=1)\n                          ^");
  CHECK(message("Y = pool(X, 2)").find("pool needs w (pool takes 1 input, h, w, stride=1, pad=0)") != std::string::npos);
  CHECK(message("Y = pool(X, 2, 2, 1, 0, 5)").find("pool takes 1 input, h, w, stride=1, pad=0; got 6 arguments") != std::string::npos);
  CHECK(message("Y = pool(X, 2, 2, stride=1, 0)").find("an argument without a name after a named one") != std::string::npos);
  CHECK(message("Y = pool(X, 2, 2, stride=1.5)").find("stride must be a whole number from 0 to 256") != std::string::npos);
  CHECK(message("Y = pool(X, 2, 2, stride=0)").find("the stride must be at least 1, not 0") != std::string::npos);
  CHECK(message("Y = pool(X, 2, 2, h=2)").find("h is given twice") != std::string::npos);
  CHECK(message("Y = conv(X, W, b * X)").find("b must be 1 x 1: a bias per filter") != std::string::npos);
  CHECK(message("Y = relu(X, stride=1)").find("relu has no argument 'stride'") != std::string::npos);
}

// --- a step opened window by window (windows.h) -----------------------------------------------------------------------

TEST_CASE("Figure 7-3 window by window: the products written out, their sum the output cell") {
  Graph g = build("Y = conv(X, W, b)", {{"X", parse_value("[[1,2,3,0],[0,1,2,3],[3,0,1,2],[2,3,0,1]]")},
                                        {"W", parse_value("[[2,0,1],[0,1,2],[1,0,2]]")}, {"b", parse_value("0")}});
  const int y = g.find("Y");
  Values v = forward(g), d = backward(g, v);
  CHECK(window_count(g, y) == 4);
  CHECK(window_count(g, g.find("X")) == 0);
  WindowView first = window_view(g, v, Values(v.size()), y, 0, Lang::en);
  CHECK(first.forward == "1×2 + 2×0 + 3×1 + 0×0 + 1×1 + 2×2 + 3×1 + 0×0 + 1×2 + 0 = 15");
  CHECK(first.backward.empty());  // no gradient yet
  WindowView last = window_view(g, v, d, y, 3, Lang::en);
  CHECK((last.oh == 1 && last.ow == 1 && last.top == 1 && last.left == 1));
  CHECK(last.value == 15);
  CHECK(last.backward == "∂Y/∂Y = 1 here: ∂Y/∂W gets 1 × this patch of X, the patch of ∂Y/∂X gets 1 × W, and ∂Y/∂b gets 1");
}

TEST_CASE("Max pooling window by window: the largest is named, and its gradient goes there") {
  Graph g = build("Y = pool(X, 2, 2, stride=2); L = sum(G * Y)",
                  {{"X", parse_value("[[1,2,1,0],[0,1,2,3],[3,0,1,2],[2,4,0,1]]")}, {"G", parse_value("[[1,2],[3,4]]")}});
  Values v = forward(g), d = backward(g, v);
  WindowView w = window_view(g, v, d, g.find("Y"), 2, Lang::en);  // bottom left
  CHECK(w.forward == "max(3, 0, 2, 4) = 4");
  CHECK((w.arg_y == 3 && w.arg_x == 1));
  CHECK(w.backward == "∂L/∂Y = 3 goes to the largest, X[4,2]; the others in the window get 0");
  // Each window's named largest is where backward put its gradient.
  for (int k = 0; k < 4; ++k) {
    WindowView u = window_view(g, v, d, g.find("Y"), k, Lang::en);
    CHECK(d[size_t(g.find("X"))](u.arg_y, u.arg_x) == d[size_t(g.find("Y"))](u.oh, u.ow));
  }
  Graph a = build("Y = avgpool(X, 2, 2, stride=2)", {{"X", parse_value("[[1,2,1,0],[0,1,2,3],[3,0,1,2],[2,4,0,1]]")}});
  Values av = forward(a);
  CHECK(window_view(a, av, backward(a, av), a.find("Y"), 0, Lang::en).forward == "(1 + 2 + 0 + 1) / 4 = 1");
}
