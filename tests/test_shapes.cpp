// The shape sheet (shapes.h), as chapter 7 of the book counts: SimpleConvNet's shapes and parameters worked by hand,
// every layer against O = (H + 2P − F)/S + 1, the sheet against what the conv and pooling kernels really make, and a
// test for every message a student can meet.
#include "shapes.h"
#include "helpers.h"

#include <functional>

using namespace kobai;
using namespace kobai::test;

namespace {

ShapeSheet sheet(const std::string& input, const std::string& layers) { return shape_sheet(parse_shape_input(input), parse_layers(layers)); }

// The message and the place of the InputError that f throws.
struct Thrown {
  std::string what;
  int line = 0, column = 0;
};
Thrown thrown(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return {e.what(), e.line, e.column};
  }
  FAIL("no InputError");
  return {};
}
Thrown layers_error(const std::string& text) { return thrown([&] { parse_layers(text); }); }
Thrown input_error(const std::string& text) { return thrown([&] { parse_shape_input(text); }); }

// Runs the kernels layer by layer on random inputs of the sheet's input shape (N = 2) and checks, at every layer,
// that what they make has the sheet's shape. Returns the number of layers run. A layer the sheet refuses must make
// the kernel refuse too.
int run_kernels(const ShapeSheet& s, const std::vector<LayerSpec>& layers) {
  const int N = 2;
  SheetShape now = s.input;
  Mat x = rnd(N, now.flat ? now.size : now.c * now.h * now.w, -1, 1, 7);
  int ran = 0;
  for (size_t i = 0; i < layers.size(); ++i) {
    const LayerSpec& l = layers[i];
    const bool refused = int(i) + 1 == s.refused_layer;
    if (!refused && i >= s.rows.size()) break;
    const Dims4 d{N, now.c, now.h, now.w};
    Mat y;
    CAPTURE(l.text);
    switch (l.kind) {
      case SheetLayer::conv: {
        const Mat W = rnd(l.units, now.c * l.window.h * l.window.w, -1, 1, 8), b = rnd(1, l.units, -1, 1, 9);
        if (refused) {
          CHECK_THROWS_AS(conv_forward(x, d, W, b, l.window), InputError);
          return ran;
        }
        y = conv_forward(x, d, W, b, l.window);
        // im2col's rows are the windows: N·OH·OW of them, so OH·OW is the sheet's too, not only the product with FN.
        CHECK(im2col(x, d, l.window).rows() == N * s.rows[i].output.h * s.rows[i].output.w);
        break;
      }
      case SheetLayer::pool: case SheetLayer::avgpool:
        if (refused) {
          CHECK_THROWS_AS(maxpool_forward(x, d, l.window), InputError);
          CHECK_THROWS_AS(avgpool_forward(x, d, l.window), InputError);
          return ran;
        }
        y = l.kind == SheetLayer::pool ? maxpool_forward(x, d, l.window) : avgpool_forward(x, d, l.window);
        CHECK(window_out(d, l.window, now.c) == Dims4{N, s.rows[i].output.c, s.rows[i].output.h, s.rows[i].output.w});
        break;
      case SheetLayer::relu: y = x.cwiseMax(0.0); break;
      case SheetLayer::flatten: y = x; break;  // N x (C·H·W) already: flatten moves nothing
      case SheetLayer::affine: {
        if (refused) return ran;  // only counts refuse an affine layer
        const Mat W = rnd(int(x.cols()), l.units, -1, 1, 10), b = rnd(1, l.units, -1, 1, 11);
        y = (x * W).rowwise() + b.row(0);
        CHECK(W.size() + b.size() == s.rows[i].params);  // the parameters are W's and b's numbers
        break;
      }
    }
    REQUIRE(!refused);
    const SheetShape& out = s.rows[i].output;
    CHECK(y.rows() == N);
    CHECK(y.cols() == (out.flat ? out.size : out.c * out.h * out.w));
    if (l.kind == SheetLayer::conv) CHECK(l.units * l.window.h * l.window.w * now.c + l.units == s.rows[i].params);
    now = out, x = y, ++ran;
  }
  return ran;
}

}  // namespace

TEST_CASE("The book's SimpleConvNet: 1x28x28 → conv 30x5x5 → pool 2 → affine 100 → affine 10") {
  const std::string net = "conv(30,5,5,stride=1,pad=0); pool(2,2,stride=2); affine(100); affine(10)";
  const ShapeSheet s = sheet("1x28x28", net);
  REQUIRE(s.ok());
  REQUIRE(s.rows.size() == 4);
  // conv: O = (28 + 2·0 − 5)/1 + 1 = 24, 30 filters: 30x24x24. Its parameters: 30 filters of 1·5·5 weights and
  // 30 biases, 30·1·5·5 + 30 = 750 + 30 = 780.
  CHECK(s.rows[0].output.text() == "30x24x24");
  CHECK(s.rows[0].formula == "O = (H + 2P − F)/S + 1 = (28 + 2·0 − 5)/1 + 1 = 24");
  CHECK(s.rows[0].params == 780);
  CHECK(s.rows[0].params_formula == "FN·C·FH·FW + FN = 30·1·5·5 + 30 = 780");
  // pool 2x2, stride 2: O = (24 + 2·0 − 2)/2 + 1 = 12, the channels kept: 30x12x12, no parameters.
  CHECK(s.rows[1].output.text() == "30x12x12");
  CHECK(s.rows[1].formula == "O = (H + 2P − F)/S + 1 = (24 + 2·0 − 2)/2 + 1 = 12");
  CHECK(s.rows[1].params == 0);
  // affine(100) flattens 30·12·12 = 4320 first: 4320·100 + 100 = 432,000 + 100 = 432,100.
  CHECK(s.rows[2].output.text() == "100");
  CHECK(s.rows[2].formula == "C·H·W = 30·12·12 = 4,320 → M = 100");
  CHECK(s.rows[2].params == 432100);
  CHECK(s.rows[2].params_formula == "in·M + M = 4320·100 + 100 = 432,100");
  // affine(10): 100·10 + 10 = 1,010.
  CHECK(s.rows[3].output.text() == "10");
  CHECK(s.rows[3].params == 1010);
  // In all: 780 + 432,100 + 1,010 = 433,890.
  CHECK(s.total == 433890);
  CHECK(s.total_formula == "780 + 432,100 + 1,010 = 433,890");
  CHECK(run_kernels(s, parse_layers(net)) == 4);

  // The page's preset is the book's whole network, with its ReLUs: the same shapes and the same count.
  const ShapeSheet book = sheet(kSimpleConvNetInput, kSimpleConvNet);
  REQUIRE(book.ok());
  std::vector<std::string> outs;
  for (const SheetRow& r : book.rows) outs.push_back(r.output.text());
  CHECK(outs == std::vector<std::string>{"30x24x24", "30x24x24", "30x12x12", "100", "100", "10"});
  CHECK(book.total == 433890);
  CHECK(run_kernels(book, parse_layers(kSimpleConvNet)) == 6);
}

TEST_CASE("Every window layer against O = (H + 2P − F)/S + 1, and against the kernels") {
  // A spread of sizes, windows, strides and paddings, square and not; each row's sizes by the formula itself.
  const char* nets[][2] = {
      {"3x32x32", "conv(16, 3, 3, pad=1); relu; pool(2, 2); conv(32, 3, 3, stride=1, pad=1); avgpool(2, 2); flatten; affine(10)"},
      {"1x7x7", "conv(2, 3, 3, stride=2)"},                 // Figure 7-7: 7x7, 3x3, stride 2 -> 3x3
      {"1x4x4", "conv(1, 3, 3, pad=1)"},                    // Figure 7-6: padding 1 keeps 4x4
      {"2x9x13", "conv(4, 3, 5, stride=2, pad=1); pool(2, 3, stride=1); avgpool(PH=2, PW=2, stride=2, pad=1); affine(M=3)"},
      {"28x28", "pool(4, 4); conv(FN=5, FW=2, FH=3)"},       // HxW is 1xHxW; arguments by name in any order
      {"784", "affine(50); relu; affine(10)"},              // a vector: the book's two-layer net, 784·50 + 50 + 50·10 + 10
  };
  for (const auto& n : nets) {
    const std::string text = n[1];
    CAPTURE(text);
    const std::vector<LayerSpec> layers = parse_layers(n[1]);
    const ShapeSheet s = shape_sheet(parse_shape_input(n[0]), layers);
    REQUIRE(s.ok());
    for (const SheetRow& r : s.rows) {
      const Window& w = r.layer.window;
      if (r.layer.kind == SheetLayer::conv || r.layer.kind == SheetLayer::pool || r.layer.kind == SheetLayer::avgpool) {
        CHECK(r.output.h == (r.input.h + 2 * w.pad - w.h) / w.stride + 1);
        CHECK(r.output.w == (r.input.w + 2 * w.pad - w.w) / w.stride + 1);
        CHECK((r.input.h + 2 * w.pad - w.h) % w.stride == 0);
        CHECK(r.output.c == (r.layer.kind == SheetLayer::conv ? r.layer.units : r.input.c));
      }
    }
    CHECK(run_kernels(s, layers) == int(layers.size()));
  }
  CHECK(sheet("1x7x7", "conv(2, 3, 3, stride=2)").rows[0].output.text() == "2x3x3");
  CHECK(sheet("1x4x4", "conv(1, 3, 3, pad=1)").rows[0].output.text() == "1x4x4");
  CHECK(sheet("784", "affine(50); relu; affine(10)").total == 784 * 50 + 50 + 50 * 10 + 10);
  // Not square: the height and the width each get their formula.
  CHECK(sheet("2x9x13", "conv(4, 3, 5, stride=2, pad=1)").rows[0].formula ==
        "OH = (H + 2P − FH)/S + 1 = (9 + 2·1 − 3)/2 + 1 = 5;  OW = (W + 2P − FW)/S + 1 = (13 + 2·1 − 5)/2 + 1 = 6");
  // pool's stride is PH unless given.
  CHECK(parse_layers("pool(3, 2)")[0].window.stride == 3);
  CHECK(parse_layers("pool(3, 2, stride=1)")[0].window.stride == 1);
}

TEST_CASE("A layer that does not fit is refused with the arithmetic, by number and text, and the kernel refuses it too") {
  const std::string net = "conv(8, 5, 5); pool(3, 3, stride=2); affine(10)";
  const ShapeSheet s = sheet("1x28x28", net);
  CHECK(!s.ok());
  CHECK(s.rows.size() == 1);  // the rows before it stay
  CHECK(s.refused_layer == 2);
  CHECK(s.refused == "layer 2 'pool(3, 3, stride=2)': (24 + 2·0 − 3)/2 = 21/2 is not a whole number: the windows do not fit the height (24) evenly");
  CHECK(s.refused_line == 1);
  CHECK(s.refused_column == 16);
  CHECK(run_kernels(s, parse_layers(net)) == 1);
  // Only the width at fault: the message says width.
  CHECK(sheet("1x8x9", "pool(2, 2)").refused == "layer 1 'pool(2, 2)': (9 + 2·0 − 2)/2 = 7/2 is not a whole number: the windows do not fit the width (9) evenly");
  // A window larger than the padded input.
  const ShapeSheet big = sheet("3x4x4", "relu\nconv(2, 7, 7, pad=1)");
  CHECK(big.refused == "layer 2 'conv(2, 7, 7, pad=1)': the window (7) is larger than the padded height: (4 + 2·1 − 7) = -1 is below 0");
  CHECK(big.refused_line == 2);
  CHECK(big.refused_column == 1);
  CHECK(run_kernels(big, parse_layers("relu\nconv(2, 7, 7, pad=1)")) == 1);
  // A convolution after the picture was flattened.
  CHECK(sheet("1x28x28", "affine(100); conv(2, 3, 3)").refused ==
        "layer 2 'conv(2, 3, 3)': a convolution needs C x H x W, but its input is a vector of 100 (after layer 1)");
  CHECK(sheet("100", "pool(2, 2)").refused == "layer 1 'pool(2, 2)': pooling needs C x H x W, but its input is a vector of 100 (the input)");
}

TEST_CASE("Counts that would overflow an int are refused") {
  // 4096·4096·4096 values in the input.
  CHECK(input_error("4096x4096x4096").what ==
        "the input 4096x4096x4096 has 4096·4096·4096 = 68,719,476,736 values, more than 2,147,483,647 (the largest count kobai keeps, an int's)");
  // An affine layer of 4096·4096·... : 1x4096x4096 flattened is 16,777,216 inputs; ·4096 outputs is 68 billion weights.
  const ShapeSheet s = sheet("1x4096x4096", "affine(4096)");
  CHECK(s.refused == "layer 1 'affine(4096)': in·M + M = 16777216·4096 + 4096 = 68,719,480,832 parameters, more than 2,147,483,647 "
                     "(the largest count kobai keeps, an int's)");
  // A padding so wide that the output has too many values.
  CHECK(sheet("64x4096x4096", "conv(4096, 1, 1, pad=4096)").refused.find("its output 4096x12288x12288 has 4096·12288·12288 = ") != std::string::npos);
  // The total: each layer fits, together they do not. 1x4096x4096 into affine(127) is 16777216·127 + 127 =
  // 2,130,706,559 parameters; 127·4096 + 4096 = 524,288 more still fit; 4096·4096 + 4096 = 16,781,312 more do not.
  const ShapeSheet t = sheet("1x4096x4096", "affine(127); affine(4096); affine(4096)");
  CHECK(t.rows.size() == 2);
  CHECK(t.refused.find("layer 3 'affine(4096)': the parameters so far come to ") == 0);
}

TEST_CASE("Limits: at most 32 layers, sizes up to 4096, the text up to 10,000 characters") {
  std::string many;
  for (int i = 0; i < 32; ++i) many += "relu; ";
  CHECK(parse_layers(many).size() == 32);
  const Thrown t = layers_error(many + "relu");
  CHECK(t.what == "more than 32 layers: a sheet holds at most 32");
  CHECK(t.column == 32 * 6 + 1);
  CHECK(layers_error("conv(4097, 3, 3)").what == "conv's FN takes a whole number from 1 to 4,096, not '4097'");
  CHECK(input_error("1x28x5000").what == "the input's width W takes a whole number from 1 to 4,096, not '5000'");
  CHECK(layers_error(std::string(10001, ' ')).what == "the layers' text is too long (10,001 characters; at most 10,000)");
  CHECK(parse_layers("").empty());
  CHECK(sheet("1x28x28", "").total_formula == "0");
}

TEST_CASE("Every message the text can get, with its line and column") {
  // An unknown layer: the layers there are.
  Thrown t = layers_error("conv(30, 5, 5)\nmaxpool(2, 2)");
  CHECK(t.what == "unknown layer 'maxpool'; the layers are conv, pool, avgpool, relu, flatten, affine");
  CHECK(t.line == 2);
  CHECK(t.column == 1);
  // A bad number: not whole, negative, a word; each names the argument and its range.
  t = layers_error("conv(30, 5.5, 5)");
  CHECK(t.what == "conv's FH takes a whole number from 1 to 4,096, not '5.5'");
  CHECK(t.column == 10);
  CHECK(layers_error("pool(2, 2, pad=-1)").what == "pool's pad takes a whole number from 0 to 4,096, not '-1'");
  CHECK(layers_error("affine(ten)").what == "affine's M takes a whole number from 1 to 4,096, not 'ten'");
  CHECK(layers_error("conv(0, 3, 3)").what == "conv's FN takes a whole number from 1 to 4,096, not '0'");
  CHECK(layers_error("pool(2, 2, stride=0)").what == "pool's stride takes a whole number from 1 to 4,096, not '0'");
  // A missing argument: what it is, and the layer's form.
  t = layers_error("relu; conv(30, 5)");
  CHECK(t.what == "conv needs FW (the filter's width): conv(FN, FH, FW, stride=1, pad=0)");
  CHECK(t.column == 7);
  CHECK(layers_error("affine").what == "affine needs M (the number of outputs): affine(M)");
  CHECK(layers_error("conv 30, 5, 5").what == "expected '(' after conv: conv(FN, FH, FW, stride=1, pad=0)");
  // An unknown named argument: the names there are.
  t = layers_error("conv(30, 5, 5, strides=2)");
  CHECK(t.what == "conv has no argument 'strides'; its arguments are FN, FH, FW, stride, pad: conv(FN, FH, FW, stride=1, pad=0)");
  CHECK(t.column == 16);
  CHECK(layers_error("pool(2, 2, padding=1)").what == "pool has no argument 'padding'; its arguments are PH, PW, stride, pad: pool(PH, PW, stride=PH, pad=0)");
  // Too many, twice, out of order, none wanted.
  CHECK(layers_error("affine(10, 20)").what == "affine takes at most 1 argument: affine(M)");
  CHECK(layers_error("conv(30, 5, 5, FH=3)").what == "conv's FH is given twice");
  CHECK(layers_error("conv(30, FH=5, 5)").what ==
        "in conv, an argument by position comes after one by name: write it by name, or before them (conv(FN, FH, FW, stride=1, pad=0))");
  CHECK(layers_error("relu(2)").what == "relu takes no arguments");
  CHECK(parse_layers("relu(); flatten()").size() == 2);
  // The punctuation.
  t = layers_error("conv(30, 5, 5");
  CHECK(t.what == "the '(' of conv is not closed: expected ')'");
  CHECK(t.column == 5);
  CHECK(layers_error("conv(30 5, 5)").what == "conv's FN takes a whole number from 1 to 4,096, not '30 5'");
  CHECK(layers_error("conv(30,, 5)").what == "expected a whole number or NAME=number, not ','");
  CHECK(layers_error("conv(30, 5, 5) relu").what == "expected ';' or a new line after the layer, not 'relu'");
  CHECK(layers_error("3x3").what == "expected a layer (conv, pool, avgpool, relu, flatten, affine), not '3x3'");
  CHECK(layers_error("conv(30, 5, 5, stride=)").what == "expected a whole number after stride=, not ')'");
  // Layers may be separated by ';' or new lines, and an argument list may run over lines.
  const std::vector<LayerSpec> l = parse_layers("conv(30,\n     5, 5);;\n\n  relu\r\naffine(10);");
  REQUIRE(l.size() == 3);
  CHECK(l[0].text == "conv(30,\n     5, 5)");
  CHECK(l[1].text == "relu");
  CHECK(l[1].line == 4);
  CHECK(l[1].column == 3);
  CHECK(l[2].line == 5);
  // Names are read without regard to case: Conv, FH=, Stride=.
  CHECK(parse_layers("Conv(FN=2, fh=3, FW=3, Stride=2)")[0].window.stride == 2);
}

TEST_CASE("The input shape: CxHxW, HxW or a length; messages name the part at fault") {
  CHECK(parse_shape_input("1x28x28").text() == "1x28x28");
  CHECK(parse_shape_input(" 3 × 32 × 32 ").text() == "3x32x32");
  CHECK(parse_shape_input("28X28").text() == "1x28x28");
  CHECK(parse_shape_input("784").text() == "784");
  CHECK(parse_shape_input("784").flat);
  Thrown t = input_error("1x28x");
  CHECK(t.what == "the input's width W takes a whole number from 1 to 4,096, not ''");
  t = input_error("1x0x28");
  CHECK(t.what == "the input's height H takes a whole number from 1 to 4,096, not '0'");
  CHECK(t.column == 3);
  CHECK(input_error("1x28x28x2").what == "the input shape has at most three sizes, CxHxW (1x28x28), not more");
  CHECK(input_error("").what == "the input shape is empty: write CxHxW (1x28x28), HxW (28x28) or a length (784)");
  CHECK(input_error("1,28,28").what == "the input's length takes a whole number from 1 to 4,096, not '1,28,28'");
  CHECK(input_error("28 28").what == "the input shape is CxHxW, HxW or a length (1x28x28, 28x28, 784); expected 'x', not '28'");
  CHECK(thousands(433890) == "433,890");
  CHECK(thousands(999) == "999");
  CHECK(thousands(1000) == "1,000");
}
