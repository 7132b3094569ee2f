// The gradient check as a list of passes over the graph (the unperturbed forward, backprop, then for each checked
// entry the forward at x + h, x − h and x + 2h), worked through one node at a time.
#include "check.h"

#include <algorithm>
#include <chrono>
#include <cmath>

namespace kobai {

double GradCheck::tolerance() const {
  // The numerical side's rounding noise is allowed for, but never past 1e-3: a kink (step, ReLU at 0) also makes
  // the third difference large, and a gradient 0.1% off is wrong whatever the noise.
  return std::max(kCheckTolerance, std::min(noise, kCheckNoiseCap));
}

bool GradCheck::ok() const { return checked() && rel_error <= tolerance(); }  // false for NaN

GradientCheck::GradientCheck(Graph g, double h, double budget) : g_(std::move(g)), h_(h), budget_(budget) { plan(); }

void GradientCheck::plan() {
  for (int x : g_.inputs)
    if (g_.needs_grad[x]) inputs_.push_back(x);
  const int N = int(g_.nodes.size()), K = int(inputs_.size());
  base_ = g_.leaf_values();
  grad_.assign(N, Mat());
  work_.assign(N, Mat());
  cost_.resize(N);
  double forward_cost = 0;
  for (int n = 0; n < N; ++n) forward_cost += cost_[n] = node_cost(g_, n);
  passes_.push_back({-1, 0, 0});  // f(x)
  passes_.push_back({-2, 0, 0});  // backprop
  total_cost_ = 3 * forward_cost;  // a backward pass costs about twice a forward

  // Each input's share of the budget decides how many of its entries are checked (three passes each).
  double budget = std::max(budget_, 8 * forward_cost);
  downstream_.assign(K, std::vector<bool>(N, false));
  fp_.assign(K, {}), fm_.assign(K, {});
  for (int k = 0; k < K; ++k) {
    int x = inputs_[k];
    double pass_cost = 0;
    downstream_[k][x] = true;
    for (int n = x + 1; n < N; ++n) {
      for (int i : g_.nodes[n].in) downstream_[k][n] = downstream_[k][n] || downstream_[k][i];
      if (downstream_[k][n]) pass_cost += cost_[n];
    }
    Eigen::Index size = g_.nodes[x].value.size();
    Eigen::Index want = std::min<Eigen::Index>(size, kCheckEntries);
    Eigen::Index afford = pass_cost > 0 ? Eigen::Index(budget / K / (3 * pass_cost)) : want;
    Eigen::Index count = std::min(want, afford);
    GradCheck c;
    c.input = g_.nodes[x].name;
    c.numerical = Mat::Constant(g_.nodes[x].rows, g_.nodes[x].cols, std::nan(""));
    Eigen::Index rows = g_.nodes[x].rows, cols = g_.nodes[x].cols;
    for (Eigen::Index i = 0; i < count; ++i) {
      // All of a small input; of a large one, columns evenly and rows by the golden ratio, so that the sample
      // reaches every part of the matrix (a plain stride through a 256x256 W would stay in one row).
      Eigen::Index entry = i;
      if (count < size) {
        double golden = std::fmod(double(i) * 0.6180339887498949, 1.0);
        entry = (i * cols / count) * rows + Eigen::Index(golden * double(rows));
      }
      while (std::find(c.entries.begin(), c.entries.end(), entry) != c.entries.end()) entry = (entry + 1) % size;  // taken: the next free one
      c.entries.push_back(entry);
      for (double d : {h_, -h_, 2 * h_}) passes_.push_back({k, entry, d});
      total_cost_ += 3 * pass_cost;
    }
    results_.push_back(std::move(c));
  }
}

bool GradientCheck::evaluate(int n, const Args& a, Mat& out) {
  const Node& node = g_.nodes[n];
  bool by_rows = node.op->shape == ShapeRule::MatMul || node.op->shape == ShapeRule::Affine;
  if (!by_rows || cost_[n] <= kCheckPiece) {
    out = node.op->forward(a);
    done_cost_ += cost_[n];
    return true;
  }
  // A product's output rows each depend on the same row of its first input only, so the op's own forward on a
  // block of rows gives that block: one 256x256 product (16 million multiply-adds) is too much for one piece.
  double per_row = cost_[n] / node.rows;
  Eigen::Index block = std::max<Eigen::Index>(1, Eigen::Index(kCheckPiece / per_row));
  Eigen::Index rows = std::min<Eigen::Index>(block, node.rows - row_);
  if (row_ == 0) out.resize(node.rows, node.cols);
  Mat first = a.x(0).middleRows(row_, rows);
  Args part = a;
  part.in[0] = &first;
  part.rows = int(rows);
  out.middleRows(row_, rows) = node.op->forward(part);
  done_cost_ += per_row * double(rows);
  row_ += rows;
  if (row_ < node.rows) return false;
  row_ = 0;
  return true;
}

double GradientCheck::progress() const { return total_cost_ > 0 ? std::min(1.0, done_cost_ / total_cost_) : 1.0; }

void GradientCheck::node_step() {
  const Pass& p = passes_[pass_];
  const int N = int(g_.nodes.size());
  if (p.input == -2) {  // backprop, in reverse order, as graph.cpp's backward(): dout × local derivative, summed
    int n = N - 1 - node_;
    if (n == g_.output) grad_[n] = Mat::Ones(base_[n].rows(), base_[n].cols());
    const Node& node = g_.nodes[n];
    if (node.op && grad_[n].size() && g_.needs_grad[n]) {
      Args a = g_.args(n, base_);
      for (size_t i = 0; i < node.in.size(); ++i) {
        int src = node.in[i];
        if (!g_.needs_grad[src]) continue;
        Mat d = node.op->backward(int(i), a, base_[n], grad_[n]);
        if (grad_[src].size() == 0) grad_[src] = std::move(d);
        else grad_[src] += d;
      }
      done_cost_ += 2 * cost_[n];
    }
  } else if (p.input == -1) {  // f(x)
    if (g_.nodes[node_].op && !evaluate(node_, g_.args(node_, base_), base_[node_])) return;
  } else {  // f at one entry moved by delta: only the nodes that entry reaches are evaluated again
    const std::vector<bool>& down = downstream_[p.input];
    int n = node_;
    while (n < N && !down[n]) ++n;  // skip, at no cost, what the entry does not reach
    node_ = n;
    if (n == N) {
      // nothing left that the entry reaches
    } else if (n == inputs_[p.input]) {
      work_[n] = base_[n];
      work_[n](p.entry) += p.delta;
    } else {
      const Node& node = g_.nodes[n];
      Args a = g_.args(n, base_);  // the inputs the perturbation reached read their perturbed values
      for (size_t i = 0; i < node.in.size(); ++i)
        if (down[node.in[i]]) a.in[i] = &work_[node.in[i]];
      if (!evaluate(n, a, work_[n])) return;  // a product part-way: this node again next time
    }
  }
  node_ = std::min(node_ + 1, N);
  if (node_ < N) return;

  // The pass is complete.
  if (p.input == -1) {
    f0_ = base_[g_.output].sum();
  } else if (p.input >= 0) {
    const Mat& out = downstream_[p.input][g_.output] ? work_[g_.output] : base_[g_.output];
    double f = out.sum();
    std::vector<double>& into = p.delta == h_ ? fp_[p.input] : fm_[p.input];
    into.push_back(f);  // f(x + h) into fp; f(x − h), then f(x + 2h), into fm
  }
  node_ = 0;
  ++pass_;
  if (done()) finish();
}

void GradientCheck::finish() {
  for (size_t k = 0; k < results_.size(); ++k) {
    GradCheck& c = results_[k];
    int x = inputs_[k];
    c.backprop = grad_[x].size() ? grad_[x] : Mat::Zero(g_.nodes[x].rows, g_.nodes[x].cols);
    double err = 0, scale = 0, third = 0;
    bool finite = true;
    for (size_t i = 0; i < c.entries.size(); ++i) {
      double fp = fp_[k][i], fm = fm_[k][2 * i], f2 = fm_[k][2 * i + 1];
      double num = (fp - fm) / (2 * h_);  // central difference: error O(h²)
      double b = c.backprop(c.entries[i]);
      c.numerical(c.entries[i]) = num;
      finite = finite && std::isfinite(num) && std::isfinite(b);
      err = std::max(err, std::abs(b - num));
      scale = std::max({scale, std::abs(b), std::abs(num)});
      // f(x+2h) − 3f(x+h) + 3f(x) − f(x−h) is f'''·h³ (nothing, for a smooth f) plus the evaluations' rounding:
      // over 2h it is a bound on the rounding in the central difference.
      third = std::max(third, std::abs(f2 - 3 * fp + 3 * f0_ - fm) / (2 * h_));
    }
    // Relative to the largest element, so that rounding on tiny elements does not count as a mismatch.
    c.rel_error = !finite ? std::nan("") : scale < 1e-9 ? err : err / scale;
    c.noise = !finite ? std::nan("") : scale < 1e-9 ? third : third / scale;
  }
}

bool GradientCheck::advance(double seconds) {
  using clock = std::chrono::steady_clock;
  auto stop = clock::now() + std::chrono::duration_cast<clock::duration>(std::chrono::duration<double>(seconds));
  while (!done()) {
    node_step();
    if (clock::now() >= stop) break;
  }
  return done();
}

std::vector<GradCheck> gradient_check(const Graph& g, double h) {
  GradientCheck c(g, h);
  while (!c.advance(1.0)) {
  }
  return c.results();
}

}  // namespace kobai
