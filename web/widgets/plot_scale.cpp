// kobai page: a chart's ranges, ticks, labels and downsampling (see plot_scale.h).
#include "plot_scale.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace kobai::plot {
namespace {

const double kEps = 1e-9;  // steps are computed in floating point: 0.3 / 0.1 is 2.9999999999999996

// The smallest 1, 2 or 5 × 10^k at or above `raw`.
double nice_step(double raw) {
  double p = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0})
    if (m * p >= raw * (1 - kEps)) return m * p;
  return 10 * p;
}

// Ticks at whole multiples of `step` in [lo, hi] (k·step, not a running sum, so 0.1 · 3 stays 0.3).
std::vector<double> multiples(double lo, double hi, double step) {
  std::vector<double> v;
  for (double k = std::ceil(lo / step - kEps); k <= std::floor(hi / step + kEps); ++k) v.push_back(k == 0 ? 0.0 : k * step);
  return v;
}

// Trailing zeros of a fixed or scientific number go, and the exponent loses its padding: 2.50e-06 -> 2.5e-6.
std::string tidy(std::string s) {
  size_t e = s.find('e');
  std::string mantissa = s.substr(0, e), exponent = e == std::string::npos ? "" : s.substr(e + 1);
  if (mantissa.find('.') != std::string::npos) {
    mantissa.erase(mantissa.find_last_not_of('0') + 1);
    if (mantissa.back() == '.') mantissa.pop_back();
  }
  if (exponent.empty()) return mantissa;
  bool negative = exponent[0] == '-';
  exponent.erase(0, exponent.find_first_not_of("+-0"));
  return mantissa + "e" + (negative ? "-" : "") + (exponent.empty() ? "0" : exponent);
}

std::string printed(const char* format, int digits, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, digits, v);
  return tidy(buf);
}

int decimals_for(double step) { return std::max(0, int(-std::floor(std::log10(step) + kEps))); }

Axis linear_axis(double lo, double hi, int max_ticks, bool extend, double min_step) {
  double step = std::max(nice_step((hi - lo) / max_ticks), min_step);
  Axis a;
  a.scale = Scale::linear;
  a.lo = extend ? std::floor(lo / step + kEps) * step : lo;
  a.hi = extend ? std::ceil(hi / step - kEps) * step : hi;
  std::vector<double> at = multiples(a.lo, a.hi, step);
  double largest = 0;
  for (double v : at) largest = std::max(largest, std::abs(v));
  for (double v : at) a.ticks.push_back({v, tick_label(v, step, largest)});
  return a;
}

// A log axis: decades when the range spans two or more (every second or third one when there are many),
// else 1, 2 and 5 in each decade, else (within a decade, not extended) linear steps on the log scale.
Axis log_axis(double lo, double hi, int max_ticks, bool extend) {
  Axis a;
  a.scale = Scale::log;
  double L = std::log10(lo), H = std::log10(hi);
  int first = int(std::floor(L + kEps)), last = int(std::ceil(H - kEps));
  int inner = int(std::floor(H + kEps)) - int(std::ceil(L - kEps)) + 1;  // decades inside [lo, hi]
  if (extend ? last - first >= 2 : inner >= 2) {
    int stride = std::max(1, int(std::ceil(double(extend ? last - first : inner - 1) / std::max(1, max_ticks - 1))));
    if (extend) last = first + (last - first + stride - 1) / stride * stride;  // the top limit on a labelled decade too
    else first = int(std::ceil(L - kEps)), last = int(std::floor(H + kEps));
    a.lo = extend ? std::pow(10.0, first) : lo, a.hi = extend ? std::pow(10.0, last) : hi;
    for (int k = first; k <= last; k += stride) {
      double v = std::pow(10.0, k);
      a.ticks.push_back({v, tick_label(v, v, v)});
    }
    return a;
  }
  std::vector<double> candidates;  // 1, 2, 5 × 10^k around the range
  for (int k = first - 1; k <= last; ++k)
    for (double m : {1.0, 2.0, 5.0}) candidates.push_back(m * std::pow(10.0, k));
  a.lo = lo, a.hi = hi;
  if (extend) {
    for (double c : candidates) if (c <= lo * (1 + kEps)) a.lo = c;
    for (auto c = candidates.rbegin(); c != candidates.rend(); ++c) if (*c >= hi * (1 - kEps)) a.hi = *c;
  }
  for (double c : candidates)
    if (c >= a.lo * (1 - kEps) && c <= a.hi * (1 + kEps)) {
      double decade = std::pow(10.0, std::floor(std::log10(c) + kEps));
      a.ticks.push_back({c, tick_label(c, decade, c)});
    }
  if (a.ticks.size() >= 2) return a;
  Axis inside = linear_axis(lo, hi, max_ticks, false, 0);
  inside.scale = Scale::log;
  inside.ticks.erase(std::remove_if(inside.ticks.begin(), inside.ticks.end(), [](const Tick& t) { return t.value <= 0; }), inside.ticks.end());
  return inside;
}

}  // namespace

bool drawable(double v, Scale s) { return std::isfinite(v) && (s == Scale::linear || v > 0); }

Range data_range(const std::vector<Series>& series, Scale s) {
  Range r;
  for (const Series& one : series)
    for (int i = 0; i < one.count; ++i) {
      double v = one.y[i];
      if (!drawable(v, s)) {
        ++r.skipped;
        continue;
      }
      r.lo = r.any ? std::min(r.lo, v) : v, r.hi = r.any ? std::max(r.hi, v) : v, r.any = true;
    }
  return r;
}

Range x_range(const std::vector<Series>& series) {
  Range r;
  for (const Series& one : series) {
    if (one.count == 0) continue;
    double lo = std::min(one.x(0), one.x(one.count - 1)), hi = std::max(one.x(0), one.x(one.count - 1));
    r.lo = r.any ? std::min(r.lo, lo) : lo, r.hi = r.any ? std::max(r.hi, hi) : hi, r.any = true;
  }
  return r;
}

double Axis::fraction(double v) const {
  if (scale == Scale::log) return (std::log10(v) - std::log10(lo)) / (std::log10(hi) - std::log10(lo));
  return (v - lo) / (hi - lo);
}

Axis make_axis(double lo, double hi, Scale s, int max_ticks, bool extend, double min_step) {
  max_ticks = std::max(2, max_ticks);
  if (!(std::isfinite(lo) && std::isfinite(hi) && lo <= hi && std::isfinite(hi - lo)) || (s == Scale::log && lo <= 0))
    lo = s == Scale::log ? 1 : 0, hi = s == Scale::log ? 10 : 1;  // no data: an empty frame with ticks
  if (hi - lo <= std::abs(lo) * 1e-12) {  // one value (or all equal): a range around it
    if (s == Scale::log) lo /= 2, hi *= 2;
    else if (lo == 0) hi = std::max(1.0, min_step);  // epoch 0 alone: [0, 1], no negative epochs
    else {
      double half = std::max(std::abs(lo) * 0.1, min_step);
      lo -= half, hi += half;
    }
  }
  return s == Scale::log ? log_axis(lo, hi, max_ticks, extend) : linear_axis(lo, hi, max_ticks, extend, min_step);
}

std::string tick_label(double value, double step, double largest) {
  if (!(std::isfinite(value) && std::isfinite(step) && step > 0)) return value_label(value);
  if (std::abs(value) < step * 1e-6) return "0";
  if (largest >= 1e9 || largest < 1e-3) {  // scientific, with as many digits as the step needs
    int digits = std::max(0, int(std::floor(std::log10(std::abs(value)) + kEps) - std::floor(std::log10(step) + kEps)));
    return printed("%.*e", digits, value);
  }
  if (largest >= 1e4) {  // thousands and millions: 2.5k, 10k, 1.5M
    double unit = largest >= 1e6 ? 1e6 : 1e3;
    return printed("%.*f", decimals_for(step / unit), value / unit) + (unit == 1e6 ? "M" : "k");
  }
  return printed("%.*f", decimals_for(step), value);
}

std::string value_label(double value) {
  if (!std::isfinite(value)) return std::isnan(value) ? "NaN" : value > 0 ? "inf" : "-inf";
  if (value == 0) return "0";
  double a = std::abs(value);
  if (a >= 1e-3 && a < 999999.5) return printed("%.*f", std::max(0, 3 - int(std::floor(std::log10(a)))), value);
  return printed("%.*e", 3, value);
}

std::vector<Point> downsample(const Series& s, double x_lo, double x_hi, int columns, Scale scale) {
  std::vector<Point> out;
  if (s.count == 0 || !(s.dx > 0) || !(x_lo <= x_hi)) return out;
  long first = std::max(0L, long(std::ceil((x_lo - s.x0) / s.dx - kEps)));
  long last = std::min(long(s.count) - 1, long(std::floor((x_hi - s.x0) / s.dx + kEps)));
  long n = last - first + 1;
  columns = std::max(1, columns);
  if (n <= 0) return out;
  if (n <= 2L * columns) {
    for (long i = first; i <= last; ++i)
      if (drawable(s.y[i], scale)) out.push_back({s.x(int(i)), s.y[i]});
    return out;
  }
  for (long c = 0; c < columns; ++c) {
    long from = first + n * c / columns, to = first + n * (c + 1) / columns;  // [from, to)
    long lo = -1, hi = -1;
    for (long i = from; i < to; ++i) {
      if (!drawable(s.y[i], scale)) continue;
      if (lo < 0 || s.y[i] < s.y[lo]) lo = i;
      if (hi < 0 || s.y[i] > s.y[hi]) hi = i;
    }
    if (lo < 0) continue;
    for (long i : {std::min(lo, hi), std::max(lo, hi)}) {
      out.push_back({s.x(int(i)), s.y[i]});
      if (lo == hi) break;
    }
  }
  return out;
}

int nearest(const Series& s, double x) {
  if (s.count == 0) return -1;
  double i = std::round((x - s.x0) / s.dx);
  return std::isfinite(i) ? int(std::clamp(i, 0.0, double(s.count - 1))) : 0;
}

}  // namespace kobai::plot
