// The playground's data: TensorFlow Playground's two-dimensional sets, a CSV's rows, shuffling, scaling and
// splitting, and the confusion matrix. Run once per data set, not once per batch: built for size in the page.
#include "train.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace kobai {

template <class S>
Dataset<S> parse_csv(const std::string& text, int label_column) {
  std::vector<std::vector<double>> rows;
  std::vector<int> labels;
  size_t start = 0, cols = 0;
  int line = 0, max_label = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string s = text.substr(start, end - start);
    start = end + 1;
    ++line;
    if (!s.empty() && s.back() == '\r') s.pop_back();
    if (s.empty() || s[0] == '#') continue;
    std::vector<std::string> cells;
    for (size_t b = 0;;) {
      size_t c = s.find(',', b);
      cells.push_back(s.substr(b, c == std::string::npos ? std::string::npos : c - b));
      if (c == std::string::npos) break;
      b = c + 1;
    }
    std::vector<double> v;
    bool numeric = true;
    for (size_t c = 0; c < cells.size() && numeric; ++c) {
      char* e = nullptr;
      double x = std::strtod(cells[c].c_str(), &e);
      numeric = !cells[c].empty() && e && *e == 0 && std::isfinite(x);
      v.push_back(x);
    }
    if (!numeric && rows.empty() && labels.empty() && line == 1) continue;  // a header
    if (!numeric) {
      for (size_t c = 0; c < cells.size(); ++c) {
        char* e = nullptr;
        double x = std::strtod(cells[c].c_str(), &e);
        if (cells[c].empty() || !e || *e != 0 || !std::isfinite(x))
          throw InputError("line " + std::to_string(line) + ", column " + std::to_string(c + 1) + ": '" + cells[c] + "' is not a number");
      }
    }
    if (cols == 0) cols = v.size();
    if (v.size() != cols)
      throw InputError("line " + std::to_string(line) + " has " + std::to_string(v.size()) + " columns, the first row has " + std::to_string(cols));
    if (cols < 2) throw InputError("line " + std::to_string(line) + ": a row needs at least one feature and a label");
    size_t lc = label_column < 0 ? cols - 1 : size_t(label_column);
    if (lc >= cols) throw InputError("the label column " + std::to_string(lc + 1) + " is past the " + std::to_string(cols) + " columns");
    double label = v[lc];
    if (label < 0 || label > 255 || label != std::floor(label))
      throw InputError("line " + std::to_string(line) + ", column " + std::to_string(lc + 1) + ": the label must be a whole number from 0 to 255, not " + format_number(label));
    labels.push_back(int(label));
    max_label = std::max(max_label, int(label));
    v.erase(v.begin() + long(lc));
    rows.push_back(v);
    if (rows.size() > 100000) throw InputError("the file has more than 100000 rows");
  }
  if (rows.empty()) throw InputError("the file has no rows of numbers");
  if (rows.size() < 2) throw InputError("the file has one row of numbers; training needs at least two");
  if (max_label == 0) throw InputError("every label is 0: a classifier needs at least two classes");
  if (rows[0].size() > 4096) throw InputError("the rows have " + std::to_string(rows[0].size()) + " features; a network takes up to 4096");
  Dataset<S> d{MatT<S>(rows.size(), rows[0].size()), MatT<S>::Zero(rows.size(), max_label + 1)};
  for (size_t r = 0; r < rows.size(); ++r) {
    for (size_t c = 0; c < rows[r].size(); ++c) d.X(r, c) = S(rows[r][c]);
    d.T(r, labels[r]) = 1;  // one-hot
  }
  return d;
}

bool is_regression(DataKind d) { return d == DataKind::plane || d == DataKind::multigauss; }
bool is_2d(DataKind d) { return int(d) <= int(DataKind::multigauss); }

template <class S>
std::pair<Dataset<S>, Dataset<S>> shuffle_scale_split(const Dataset<S>& d, int test_percent, uint64_t seed) {
  const Eigen::Index n = d.rows();
  std::vector<int> order(size_t(n), 0);
  for (Eigen::Index i = 0; i < n; ++i) order[size_t(i)] = int(i);
  Rng r{seed};
  for (Eigen::Index i = n; i > 1; --i) std::swap(order[size_t(i - 1)], order[r.below(int(i))]);
  MatT<S> X = d.X(order, Eigen::all), T = d.T(order, Eigen::all);
  for (Eigen::Index c = 0; c < X.cols(); ++c) {  // x' = (x − min) / (max − min); a constant column becomes 0
    S lo = X.col(c).minCoeff(), hi = X.col(c).maxCoeff();
    if (hi > lo) X.col(c) = ((X.col(c).array() - lo) / (hi - lo)).matrix();
    else X.col(c).setZero();
  }
  Eigen::Index n_test = n * std::clamp(test_percent, 0, 100) / 100, n_train = n - n_test;
  return {{X.topRows(n_train), T.topRows(n_train)}, {X.bottomRows(n_test), T.bottomRows(n_test)}};
}

template <class S>
Eigen::MatrixXi confusion(const MatT<S>& y, const MatT<S>& T, std::vector<int>* wrong, std::vector<int>* predicted) {
  Eigen::Index k = T.cols();
  Eigen::MatrixXi m = Eigen::MatrixXi::Zero(k, k);
  if (wrong) wrong->clear();
  if (predicted) predicted->clear();
  for (Eigen::Index r = 0; r < T.rows(); ++r) {
    Eigen::Index truth, guess;
    T.row(r).maxCoeff(&truth);
    y.row(r).maxCoeff(&guess);
    ++m(truth, guess);
    if (wrong && truth != guess) wrong->push_back(int(r));
    if (predicted) predicted->push_back(int(guess));
  }
  return m;
}

template <class S>
Dataset<S> make_2d(DataKind kind, int points, double noise, uint64_t seed, bool one_hot) {
  if (!is_2d(kind)) throw InputError(std::string("'") + name_of(kind) + "' is not a two-dimensional set: it is loaded, not made");
  if (points < 2 || points > 5000) throw InputError("a data set has 2 to 5000 points, not " + std::to_string(points));
  Rng r{seed};
  bool regression = is_regression(kind);
  int cols = regression || !one_hot ? 1 : 2;
  Dataset<S> d{MatT<S>(points, 2), MatT<S>::Zero(points, cols)};
  auto put = [&](int i, double x, double y, double label) {  // label: class 0/1, or a regression target
    d.X(i, 0) = S(x), d.X(i, 1) = S(y);
    if (regression) d.T(i, 0) = S(label);
    else if (one_hot) d.T(i, int(label)) = 1;
    else d.T(i, 0) = S(label > 0.5 ? 1 : -1);
  };
  for (int i = 0; i < points; ++i) {
    double u = r.uniform(), v = r.uniform();
    switch (kind) {
      case DataKind::circle: {  // inside radius 2.5 or in a ring from 3.5 to 5
        bool inner = i % 2 == 0;
        double radius = inner ? 2.5 * u : 3.5 + 1.5 * u, angle = 6.283185307179586 * v;
        double x = radius * std::cos(angle) + noise * 2 * r.normal(), y = radius * std::sin(angle) + noise * 2 * r.normal();
        put(i, x, y, inner ? 1 : 0);
        break;
      }
      case DataKind::xor_: {  // by quadrant, kept off the axes
        double x = u * 10 - 5, y = v * 10 - 5;
        x += x > 0 ? 0.3 : -0.3, y += y > 0 ? 0.3 : -0.3;
        put(i, x + noise * 2 * r.normal(), y + noise * 2 * r.normal(), x * y > 0 ? 1 : 0);
        break;
      }
      case DataKind::gauss: {  // two clouds around (2, 2) and (−2, −2)
        int c = i % 2;
        double m = c ? 2 : -2, s = 0.5 + 2 * noise;
        put(i, m + s * r.normal(), m + s * r.normal(), c);
        break;
      }
      case DataKind::spiral: {  // two interleaved arms
        int c = i % 2;
        double t = 5.5 * u, angle = 1.75 * t * 2 * 3.141592653589793 / 5.5 + c * 3.141592653589793;
        put(i, t * std::sin(angle) + noise * r.normal(), t * std::cos(angle) + noise * r.normal(), c);
        break;
      }
      case DataKind::plane: {  // a tilted plane
        double x = u * 12 - 6, y = v * 12 - 6;
        put(i, x, y, (x + y) / 12 + noise * r.normal());
        break;
      }
      case DataKind::multigauss: {  // bumps of ±1 at four centres
        double x = u * 12 - 6, y = v * 12 - 6, z = 0;
        const double cx[] = {-3, 3, -3, 3}, cy[] = {-3, -3, 3, 3}, sign[] = {1, -1, -1, 1};
        for (int k = 0; k < 4; ++k) z += sign[k] * std::exp(-((x - cx[k]) * (x - cx[k]) + (y - cy[k]) * (y - cy[k])) / 4);
        put(i, x, y, z + noise * r.normal());
        break;
      }
      case DataKind::digits: case DataKind::iris: case DataKind::csv: break;  // refused above
    }
  }
  return d;
}

template Dataset<float> make_2d(DataKind, int, double, uint64_t, bool);
template Dataset<double> make_2d(DataKind, int, double, uint64_t, bool);
template std::pair<Dataset<float>, Dataset<float>> shuffle_scale_split(const Dataset<float>&, int, uint64_t);
template std::pair<Dataset<double>, Dataset<double>> shuffle_scale_split(const Dataset<double>&, int, uint64_t);
template Eigen::MatrixXi confusion(const MatT<float>&, const MatT<float>&, std::vector<int>*, std::vector<int>*);
template Eigen::MatrixXi confusion(const MatT<double>&, const MatT<double>&, std::vector<int>*, std::vector<int>*);
template Dataset<float> parse_csv(const std::string&, int);
template Dataset<double> parse_csv(const std::string&, int);

}  // namespace kobai
