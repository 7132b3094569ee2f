// kobai engine: the ops. Each op is one entry in the table in ops.cpp: its forward, its backward and the
// formulas a student reads, side by side. Adding an op means adding one entry there.
//
//   Args         what forward and backward see: the input values (and the 4-D shape of those that are), the op's
//                constant (the p of x^p), a window's sizes (conv, pooling), the output shape
//   Shape rule   how an op's output shape follows from its inputs' (and what it refuses)
//   OpDef        one op: name, symbol, arity, shape rule, forward, backward, formula templates, rule, notes
//   find_op      by name, as typed in an expression ("mul", "sigmoid", ...)
//
// Formula templates use placeholders, filled with names for the symbolic line and with values for the
// numeric line: {0} {1} {2} the inputs, {out} the result, {dout} the gradient arriving at the result,
// {p} the op's constant, {pm1} p - 1, {n} the number of elements of input 0, {rows} its number of rows,
// {fh} {fw} {stride} {pad} a window's sizes.
#pragma once

#include "conv.h"
#include "matrix.h"

#include <vector>

namespace kobai {

struct Args {
  std::vector<const Mat*> in;                // input values
  std::vector<std::optional<Dims4>> dims;    // ... and the 4-D shape of each that is one
  double p = 0;                              // the op's constant: the exponent of pow
  Window win;                                // conv, pooling, im2col: the window
  int rows = 1, cols = 1;                    // the output's shape (broadcast needs it)
  const Mat& x(int i) const { return *in[i]; }
};

enum class ShapeRule {
  Same,         // out has the shape of input 0
  Elementwise,  // inputs of one shape (the graph builder inserts broadcast nodes first)
  MatMul,       // (n x k) @ (k x m) -> n x m
  Affine,       // X (n x k), W (k x m), b (1 x m) -> n x m
  Reduce,       // -> 1x1
  Loss,         // two inputs of one shape -> 1x1
  Broadcast,    // 1x1 or 1 x n -> the shape the builder asks for
  Row,          // (n x m) -> 1 x m: row p of the input (x[t])
  Transpose,    // (n x m) -> m x n
  Conv,         // X (N, C, H, W), W (FN, C, FH, FW), b (1 x FN) -> (N, FN, OH, OW); a matrix is 1x1xHxW, and a
                // matrix filtered by a matrix gives a matrix (the book's Figure 7-3)
  Pool,         // X (N, C, H, W) -> (N, C, OH, OW); a matrix gives a matrix
  Im2col,       // X (N, C, H, W) -> (N·OH·OW) x (C·FH·FW): a window per row
  Flatten,      // (N, C, H, W) -> N x (C·H·W); a matrix (H x W) -> 1 x (H·W)
};

struct OpDef {
  const char* name;    // as typed: "mul", "sigmoid"
  const char* symbol;  // as drawn on the node: "×", "σ"
  int arity;
  ShapeRule shape;
  bool callable;       // typed as a function, name(args); the others come from operators or the builder
  Mat (*forward)(const Args& a);
  // The gradient sent to input i: dout (the gradient arriving at the output) times the local derivative.
  Mat (*backward)(int i, const Args& a, const Mat& out, const Mat& dout);
  const char* forward_text;      // "{out} = {0} × {1}"
  const char* backward_text[3];  // per input: "{dout} × {1}"
  const char* rule;              // the local rule, for hints: "∂(x·y)/∂x = y, ∂(x·y)/∂y = x"
  Words note;                    // one sentence a student should take away
  // Whole-number arguments after the inputs, as typed: "h w stride=1 pad=0" (a default after '='). A window's
  // h, w, stride and pad (conv takes h and w from its filters).
  const char* params = "";
};

const std::vector<OpDef>& all_ops();
const OpDef* find_op(const std::string& name);  // nullptr when unknown
const OpDef& op(const std::string& name);        // for the builder's own ops; throws std::logic_error
std::string function_names();                   // "relu, sigmoid, ...": for "unknown function" messages

}  // namespace kobai
