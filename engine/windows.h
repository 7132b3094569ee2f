// kobai engine: one window of a convolution or pooling step, as a student reads it. The walkthrough opens such a
// step window by window: where the window sits on the input, the products and their sum (forward), and where the
// gradient arriving at its output goes (backward).
//
//   window_count   how many windows node's step has: N·FN·OH·OW for conv, N·C·OH·OW for pooling; 0 for other ops
//   WindowView     window k, in the order conv.h fills the output (example, channel, row, column)
//   window_view    window k of node, read from the walk's values (and gradients, once the backward pass is there)
#pragma once

#include "graph.h"

#include <string>

namespace kobai {

struct WindowView {
  int n = 0, c = 0;         // the example, and the output's channel (conv: the filter)
  int oh = 0, ow = 0;       // the output element the window fills
  int top = 0, left = 0;    // the window's top-left on the input; negative where it reaches into the padding
  int h = 1, w = 1;         // the window's size
  int arg_y = -1, arg_x = -1;  // max pooling: where the largest sits on the input (-1: in the padding)
  double value = 0;         // the output element
  std::string forward;      // "1×2 + 2×0 + … + 1×2 + 0 = 15", "max(1, 2, 0, 1) = 2"
  std::string backward;     // once the gradient has arrived: where it goes
};

int window_count(const Graph& g, int node);
WindowView window_view(const Graph& g, const Values& value, const Values& grad, int node, int k, Lang lang);

}  // namespace kobai
