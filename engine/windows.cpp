// One window of a convolution or pooling step (windows.h).
#include "windows.h"

#include "walk.h"

#include <algorithm>

namespace kobai {
namespace {

constexpr size_t kShownTerms = 27;  // a 3-channel 3x3 window in full; longer sums keep their two ends

// Element (y, x) of channel c of example n; 0 in the padding. A matrix is one example of one channel.
double at(const Node& node, const Mat& m, int n, int c, int y, int x) {
  const Dims4 d = node.dims ? *node.dims : Dims4{1, 1, int(m.rows()), int(m.cols())};
  if (y < 0 || y >= d.h || x < 0 || x >= d.w) return 0;
  return node.dims ? m(n, (c * d.h + y) * d.w + x) : m(y, x);
}
Dims4 image(const Node& node) { return node.dims ? *node.dims : Dims4{1, 1, node.rows, node.cols}; }
std::string num(double v) { return v < 0 ? "(" + format_number(v) + ")" : format_number(v); }
std::string joined(const std::vector<std::string>& terms, const char* sep) {
  std::string s;
  for (size_t i = 0; i < terms.size(); ++i) {
    if (terms.size() > kShownTerms && i == kShownTerms - 3) {
      s += std::string(sep) + "… (" + std::to_string(terms.size()) + ")";
      i = terms.size() - 3;
    }
    s += (i ? sep : "") + terms[i];
  }
  return s;
}

}  // namespace

int window_count(const Graph& g, int node) {
  const Node& nd = g.nodes[size_t(node)];
  if (!nd.op || (nd.op->shape != ShapeRule::Conv && nd.op->shape != ShapeRule::Pool)) return 0;
  return nd.rows * nd.cols;  // every output element is one window
}

WindowView window_view(const Graph& g, const Values& value, const Values& grad, int node, int k, Lang lang) {
  const Node& nd = g.nodes[size_t(node)];
  const Node& xn = g.nodes[size_t(nd.in[0])];
  const Mat& X = value[size_t(nd.in[0])];
  const Dims4 x = image(xn);
  const Dims4 o = nd.dims ? *nd.dims : Dims4{1, 1, nd.rows, nd.cols};
  const int per = o.c * o.h * o.w;
  WindowView v;
  v.n = k / per, v.c = k % per / (o.h * o.w), v.oh = k % (o.h * o.w) / o.w, v.ow = k % o.w;
  v.top = v.oh * nd.win.stride - nd.win.pad, v.left = v.ow * nd.win.stride - nd.win.pad;
  v.h = nd.win.h, v.w = nd.win.w;
  auto out_at = [&](const Mat& m) { return nd.dims ? m(v.n, (v.c * o.h + v.oh) * o.w + v.ow) : m(v.oh, v.ow); };
  if (value[size_t(node)].size()) v.value = out_at(value[size_t(node)]);
  const bool conv = nd.op->shape == ShapeRule::Conv;
  std::vector<std::string> terms;
  double best = 0;
  bool any = false;
  for (int c = conv ? 0 : v.c; c < (conv ? x.c : v.c + 1); ++c)
    for (int i = 0; i < v.h; ++i)
      for (int j = 0; j < v.w; ++j) {
        const double xv = at(xn, X, v.n, c, v.top + i, v.left + j);
        if (conv) {
          const Node& wn = g.nodes[size_t(nd.in[1])];
          terms.push_back(num(xv) + "×" + num(at(wn, value[size_t(nd.in[1])], v.c, c, i, j)));
        } else {
          terms.push_back(num(xv));
          const bool inside = v.top + i >= 0 && v.top + i < x.h && v.left + j >= 0 && v.left + j < x.w;
          if (!any || xv > best) best = xv, any = true, v.arg_y = inside ? v.top + i : -1, v.arg_x = inside ? v.left + j : -1;
        }
      }
  const std::string result = " = " + format_number(v.value);
  if (conv) {
    const Mat& b = value[size_t(nd.in[2])];
    v.forward = joined(terms, " + ") + " + " + num(b(0, b.size() == 1 ? 0 : v.c)) + result;
  } else if (std::string(nd.op->name) == "pool") {
    v.forward = "max(" + joined(terms, ", ") + ")" + result;
  } else {
    v.forward = "(" + joined(terms, " + ") + ") / " + std::to_string(v.h * v.w) + result;
    v.arg_y = v.arg_x = -1;
  }
  if (grad[size_t(node)].size()) {  // the gradient arriving at this window's output, and where it goes
    const double d = out_at(grad[size_t(node)]);
    const std::string dl = derivative(g, g.output, node) + " = " + format_number(d);
    const bool en = lang == Lang::en;
    if (conv) {
      const std::string dW = derivative(g, g.output, nd.in[1]), dX = derivative(g, g.output, nd.in[0]),
                        db = derivative(g, g.output, nd.in[2]);
      v.backward = en ? dl + " here: " + dW + " gets " + num(d) + " × this patch of " + xn.name + ", the patch of " + dX + " gets " +
                            num(d) + " × " + g.nodes[size_t(nd.in[1])].name + ", and " + db + " gets " + num(d)
                      : dl + " がここに届く: " + dW + " へ " + num(d) + " × " + xn.name + " のこのパッチ、" + dX + " のパッチへ " + num(d) +
                            " × " + g.nodes[size_t(nd.in[1])].name + "、" + db + " へ " + num(d) + " が足される";
    }
    else if (std::string(nd.op->name) == "pool")
      v.backward = v.arg_y < 0 ? dl + (en ? " goes to the padding: no input gets it" : " はパディングへ行き、どの入力にも届かない")
                               : dl + (en ? " goes to the largest, " : " は最大値の ") + xn.name + "[" + std::to_string(v.arg_y + 1) + "," +
                                     std::to_string(v.arg_x + 1) + "]" + (en ? "; the others in the window get 0" : " だけへ流れ、ウィンドウの他は 0");
    else
      v.backward = dl + (en ? " is shared: each of the " : " を ") + std::to_string(v.h * v.w) + (en ? " gets " : " 個で分け、それぞれ ") +
                   format_number(d / (v.h * v.w)) + (en ? "" : " を受け取る");
  }
  return v;
}

}  // namespace kobai
