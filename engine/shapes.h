// kobai engine: the shape sheet (issue 13). A network written layer by layer, and what each layer makes of its
// input: the output's shape, the formula with the numbers in it, and the parameters it holds. The sizes come from
// conv.h's out_size and out_size_problem, the same the convolution and pooling kernels use.
//
//   the input   CxHxW or HxW (one channel): 1x28x28, 28x28
//   the layers  separated by ';' or new lines; numbers are whole, arguments by position or by name
//     conv(FN, FH, FW, stride=1, pad=0)     FN filters of C x FH x FW:  FN·C·FH·FW + FN parameters
//     pool(PH, PW, stride=PH, pad=0)        max pooling, per channel
//     avgpool(PH, PW, stride=PH, pad=0)     average pooling, the same shape
//     relu                                  the same shape
//     flatten                               C x H x W to a vector of C·H·W (implicit before affine)
//     affine(M)                             M outputs:  in·M + M parameters
//
//   ShapeSheet s = shape_sheet(parse_shape_input("1x28x28"),
//                              parse_layers("conv(30,5,5,stride=1,pad=0); pool(2,2,stride=2); affine(100); affine(10)"));
//   s.rows[0].output -> 30x24x24, s.rows[0].formula -> "O = (H + 2P − F)/S + 1 = (28 + 2·0 − 5)/1 + 1 = 24"
//   s.total -> 433890
#pragma once

#include "conv.h"
#include "matrix.h"

#include <string>
#include <vector>

namespace kobai {

// Limits: refused with a message naming what is too large.
constexpr int kMaxSheetLayers = 32;
constexpr int kMaxSheetSize = 4096;       // any number typed: a side, a channel count, a filter, stride, padding, M
constexpr size_t kMaxSheetText = 10000;   // characters of the layers' text
// Counts (a layer's parameters, the total, a vector's length) above this are refused: they overflow an int.
constexpr long long kMaxSheetCount = 2147483647LL;

enum class SheetLayer { conv, pool, avgpool, relu, flatten, affine };
const char* sheet_layer_name(SheetLayer k);  // "conv", ...

// A layer's input or output: C x H x W, or (flat) a vector of `size`.
struct SheetShape {
  bool flat = false;
  int c = 1, h = 1, w = 1;
  int size = 0;  // flat only
  std::string text() const;          // "30x24x24" or "100"
  std::vector<int> dims() const;     // {30, 24, 24} or {100}
  bool operator==(const SheetShape& o) const;
};

struct LayerSpec {
  SheetLayer kind = SheetLayer::relu;
  int units = 0;      // conv: FN; affine: M
  Window window;      // conv: FH x FW; pools: PH x PW; stride, pad
  std::string text;   // as typed, spaces at its ends left out
  int line = 1, column = 1;  // where it starts (1-based, columns in characters)
};

// Both throw InputError with the line and column of the text at fault, saying what is wrong: an unknown layer (and
// the layers there are), a number that is not a whole number or is out of range, a missing argument, an unknown
// named argument (and the names there are), one given twice.
SheetShape parse_shape_input(const std::string& text);
std::vector<LayerSpec> parse_layers(const std::string& text);

struct SheetRow {
  int index = 1;                // 1-based
  LayerSpec layer;
  SheetShape input, output;
  std::string formula;          // the output's size with the numbers in: "O = (H + 2P − F)/S + 1 = (28 + 2·0 − 5)/1 + 1 = 24"
  long long params = 0;
  std::string params_formula;   // "FN·C·FH·FW + FN = 30·1·5·5 + 30 = 780", or "" for a layer with none
};

struct ShapeSheet {
  SheetShape input;
  std::vector<SheetRow> rows;      // every layer that fits, in order
  long long total = 0;             // the rows' parameters
  std::string total_formula;       // "780 + 432,100 + 1,010 = 433,890"
  // The first layer that does not fit (rows stops before it): what is wrong, with the arithmetic, naming the layer
  // by number and text; line and column where that layer starts. Empty when every layer fits.
  std::string refused;
  int refused_layer = 0, refused_line = 0, refused_column = 0;
  bool ok() const { return refused.empty(); }
};

ShapeSheet shape_sheet(const SheetShape& input, const std::vector<LayerSpec>& layers);

// 433890 -> "433,890"
std::string thousands(long long v);

// The book's SimpleConvNet (chapter 7.5): conv → ReLU → pool → affine → ReLU → affine, on MNIST's 1x28x28.
inline const char* const kSimpleConvNetInput = "1x28x28";
inline const char* const kSimpleConvNet = "conv(30, 5, 5, stride=1, pad=0)\nrelu\npool(2, 2, stride=2)\naffine(100)\nrelu\naffine(10)";

}  // namespace kobai
