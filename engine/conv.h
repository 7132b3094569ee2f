// kobai engine: convolution and pooling in the book's shapes and im2col layout (ゼロから作る Deep Learning, 7章:
// common/util.py's im2col and col2im, common/layers.py's Convolution and Pooling), written once for any Eigen
// matrix type M (double in the walkthrough, float in training; a matrix, not an expression). Each forward sits
// beside its backward.
//
//   Dims4           (N, C, H, W) (matrix.h): N rows of C·H·W, channel, row, column, so flatten(X) moves nothing
//   Window          a filter or pooling window: FH x FW, stride S, padding P
//   out_size        O = (H + 2P − F)/S + 1; out_size_problem says why a size does not work, with the arithmetic
//   im2col, col2im  every window as a row: (N·OH·OW) x (C·FH·FW); back, overlapping windows summed
//   conv_*          Y = im2col(X)·Wᵀ + b (W is FN x C·FH·FW, b is 1 x FN); ∂L/∂W, ∂L/∂X (col2im), ∂L/∂b
//   maxpool_*       the largest of each window, per channel; its gradient goes to where the largest was
//   avgpool_*       the mean of each window; its gradient is shared equally
//
//   Dims4 d{1, 1, 4, 4};  Window w{3, 3};                       // the book's Figure 7-3
//   Mat y = conv_forward(X, d, W, b, w);                        // 1 x 4: [[15, 16], [6, 15]] as 1x1x2x2
#pragma once

#include "matrix.h"

#include <Eigen/Core>

#include <string>
#include <vector>

namespace kobai {

struct Window {
  int h = 1, w = 1;  // FH, FW
  int stride = 1, pad = 0;
};

// O = (size + 2·pad − f)/stride + 1. "" when that is a whole number of at least 1; otherwise what is wrong, with
// the arithmetic: "(8 + 2·0 − 3)/2 = 5/2 is not a whole number: the windows do not fit the width (8) evenly".
// `dim` names the side: "height" or "width".
std::string out_size_problem(int size, int f, int pad, int stride, const char* dim);
int out_size(int size, int f, int pad, int stride);  // assumes no problem
// The output of a window sliding over d: N x C x OH x OW (C from the caller: FN for a convolution). Throws
// InputError with out_size_problem's words when the window does not fit.
Dims4 window_out(const Dims4& d, const Window& w, int channels_out);

// --- im2col, col2im ----------------------------------------------------------------------------------------------
// Row (n·OH + oh)·OW + ow holds the window at (oh, ow) of example n; column (c·FH + i)·FW + j its element (i, j) of
// channel c. Positions in the padding read 0.
template <class M> M im2col(const M& x, const Dims4& d, const Window& w);
// The reverse: each element of col added back where it came from (a position under several windows gets the sum).
template <class M> M col2im(const M& col, const Dims4& d, const Window& w);

// --- convolution: Y = im2col(X)·Wᵀ + b ---------------------------------------------------------------------------
// X: d (N x C·H·W), W: FN x C·FH·FW (filter f's C·FH·FW weights in a row), b: 1 x FN. Y: N x FN·OH·OW.
template <class M> M conv_forward(const M& x, const Dims4& d, const M& W, const M& b, const Window& w);
template <class M> struct ConvGradsT { M dx, dW, db; };
// ∂L/∂W = Σ_windows (upstream gradient) × (input patch) = dYᵀ·col;  ∂L/∂col = dY·W, scattered back by col2im;
// ∂L/∂b = Σ_windows dY.
template <class M> ConvGradsT<M> conv_backward(const M& dy, const M& x, const Dims4& d, const M& W, const Window& w);

// --- pooling -----------------------------------------------------------------------------------------------------
// Y: N x C·OH·OW. Padding reads 0, as the book's im2col does. `arg` (if given) receives, per output element (in Y's
// order, row-major over N then C·OH·OW), the flat input column (c·H + h)·W + w of the window's largest element, the
// first one on a tie, or −1 when it was the padding.
template <class M> M maxpool_forward(const M& x, const Dims4& d, const Window& w, std::vector<int>* arg = nullptr);
template <class M> M maxpool_backward(const M& dy, const Dims4& d, const Window& w, const std::vector<int>& arg);
template <class M> M avgpool_forward(const M& x, const Dims4& d, const Window& w);  // Σ window / (FH·FW)
template <class M> M avgpool_backward(const M& dy, const Dims4& d, const Window& w);

// ======================================================================================================================

template <class M> M im2col(const M& x, const Dims4& d, const Window& w) {
  const Dims4 o = window_out(d, w, d.c);
  M col(Eigen::Index(d.n) * o.h * o.w, Eigen::Index(d.c) * w.h * w.w);
  for (int c = 0; c < d.c; ++c)
    for (int i = 0; i < w.h; ++i)
      for (int j = 0; j < w.w; ++j) {
        const Eigen::Index k = (Eigen::Index(c) * w.h + i) * w.w + j;
        for (int n = 0; n < d.n; ++n)
          for (int oh = 0; oh < o.h; ++oh) {
            const int y = oh * w.stride + i - w.pad;
            for (int ow = 0; ow < o.w; ++ow) {
              const int xx = ow * w.stride + j - w.pad;
              const Eigen::Index r = (Eigen::Index(n) * o.h + oh) * o.w + ow;
              col(r, k) = (y < 0 || y >= d.h || xx < 0 || xx >= d.w) ? 0 : x(n, (c * d.h + y) * d.w + xx);
            }
          }
      }
  return col;
}

template <class M> M col2im(const M& col, const Dims4& d, const Window& w) {
  const Dims4 o = window_out(d, w, d.c);
  M x = M::Zero(d.n, d.per_example());
  for (int c = 0; c < d.c; ++c)
    for (int i = 0; i < w.h; ++i)
      for (int j = 0; j < w.w; ++j) {
        const Eigen::Index k = (Eigen::Index(c) * w.h + i) * w.w + j;
        for (int n = 0; n < d.n; ++n)
          for (int oh = 0; oh < o.h; ++oh) {
            const int y = oh * w.stride + i - w.pad;
            if (y < 0 || y >= d.h) continue;
            for (int ow = 0; ow < o.w; ++ow) {
              const int xx = ow * w.stride + j - w.pad;
              if (xx < 0 || xx >= d.w) continue;
              x(n, (c * d.h + y) * d.w + xx) += col((Eigen::Index(n) * o.h + oh) * o.w + ow, k);
            }
          }
      }
  return x;
}

template <class M> M conv_forward(const M& x, const Dims4& d, const M& W, const M& b, const Window& w) {
  const Dims4 o = window_out(d, w, int(W.rows()));
  const M r = (im2col(x, d, w) * W.transpose()).rowwise() + b.row(0);  // (N·OH·OW) x FN: a window per row
  const int area = o.h * o.w;
  M y(d.n, o.per_example());
  for (int n = 0; n < d.n; ++n)
    for (int f = 0; f < o.c; ++f)
      for (int p = 0; p < area; ++p) y(n, f * area + p) = r(Eigen::Index(n) * area + p, f);
  return y;
}

template <class M>
ConvGradsT<M> conv_backward(const M& dy, const M& x, const Dims4& d, const M& W, const Window& w) {
  const Dims4 o = window_out(d, w, int(W.rows()));
  const int area = o.h * o.w;
  M dr(Eigen::Index(d.n) * area, o.c);  // dY laid out as the rows of im2col: a window per row, a filter per column
  for (int n = 0; n < d.n; ++n)
    for (int f = 0; f < o.c; ++f)
      for (int p = 0; p < area; ++p) dr(Eigen::Index(n) * area + p, f) = dy(n, f * area + p);
  const M col = im2col(x, d, w);
  ConvGradsT<M> g;
  g.dW = dr.transpose() * col;
  g.db = dr.colwise().sum();
  g.dx = col2im(M(dr * W), d, w);
  return g;
}

// The cells of every window, window by window: f(n, out, in, first) with out the window's output cell within the
// example, in the cell's input index (-1 where it lies in the padding) and first true at each window's first cell.
template <class F> void for_each_window_cell(const Dims4& d, const Window& w, F&& f) {
  const Dims4 o = window_out(d, w, d.c);
  for (int n = 0; n < d.n; ++n)
    for (int c = 0; c < d.c; ++c)
      for (int oh = 0; oh < o.h; ++oh)
        for (int ow = 0; ow < o.w; ++ow)
          for (int i = 0; i < w.h; ++i)
            for (int j = 0; j < w.w; ++j) {
              const int yy = oh * w.stride + i - w.pad, xx = ow * w.stride + j - w.pad;
              const bool inside = yy >= 0 && yy < d.h && xx >= 0 && xx < d.w;
              f(n, (c * o.h + oh) * o.w + ow, inside ? (c * d.h + yy) * d.w + xx : -1, i == 0 && j == 0);
            }
}

// Max pooling: y = the window's largest (padding counts as 0); ∂L/∂x goes whole to where that largest was.
template <class M> M maxpool_forward(const M& x, const Dims4& d, const Window& w, std::vector<int>* arg) {
  const Dims4 o = window_out(d, w, d.c);
  M y(d.n, o.per_example());
  std::vector<int> at(size_t(d.n) * o.per_example(), -1);
  for_each_window_cell(d, w, [&](int n, int out, int in, bool first) {
    const typename M::Scalar v = in >= 0 ? x(n, in) : 0;
    if (first || v > y(n, out)) y(n, out) = v, at[size_t(n) * o.per_example() + out] = in;
  });
  if (arg) *arg = std::move(at);
  return y;
}

template <class M> M maxpool_backward(const M& dy, const Dims4& d, const Window& w, const std::vector<int>& arg) {
  const Dims4 o = window_out(d, w, d.c);
  M dx = M::Zero(d.n, d.per_example());
  for (int n = 0; n < d.n; ++n)
    for (int k = 0; k < o.per_example(); ++k) {
      const int at = arg[size_t(n) * o.per_example() + k];
      if (at >= 0) dx(n, at) += dy(n, k);
    }
  return dx;
}

// Average pooling: y = Σ window / (FH·FW); each cell of the window gets ∂L/∂y / (FH·FW).
template <class M> M avgpool_forward(const M& x, const Dims4& d, const Window& w) {
  M y = M::Zero(d.n, window_out(d, w, d.c).per_example());
  const typename M::Scalar share = typename M::Scalar(1) / (w.h * w.w);
  for_each_window_cell(d, w, [&](int n, int out, int in, bool) { if (in >= 0) y(n, out) += share * x(n, in); });
  return y;
}

template <class M> M avgpool_backward(const M& dy, const Dims4& d, const Window& w) {
  M dx = M::Zero(d.n, d.per_example());
  const typename M::Scalar share = typename M::Scalar(1) / (w.h * w.w);
  for_each_window_cell(d, w, [&](int n, int out, int in, bool) { if (in >= 0) dx(n, in) += share * dy(n, out); });
  return dx;
}

}  // namespace kobai
