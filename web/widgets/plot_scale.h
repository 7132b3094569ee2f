// kobai page: the arithmetic of a chart, with no ImGui in it (tested natively; drawn by widgets/plot.cpp).
//
//   Series          a run of values y[i] at x = x0 + i·dx (a loss per epoch, a size per layer)
//   data_range()    the smallest and largest drawable value of several series (NaN, inf, and ≤ 0 on a log scale
//                   are skipped and counted)
//   make_axis()     the limits and the ticks of an axis: 1-2-5 steps on a linear one, decades (or 1-2-5 within
//                   a decade) on a log one; a range of zero width or no data still gets a usable axis
//   tick_label()    short labels: 0.001, 0.25, 2500, 10k, 1.5M, 1e-6
//   value_label()   a value read under the pointer: four significant digits
//   nearest()       the point under the pointer
//   downsample()    a long series as at most two points per pixel column, the column's min and max, so a
//                   spike among 10,000 epochs still shows
#pragma once

#include <string>
#include <vector>

namespace kobai::plot {

enum class Scale { linear, log };

struct Series {
  const float* y = nullptr;
  int count = 0;
  double x0 = 0, dx = 1;  // x of y[i] is x0 + i·dx
  double x(int i) const { return x0 + i * dx; }
};

// Whether a value can be drawn on a scale: finite, and positive on a log one.
bool drawable(double v, Scale s);

struct Range {
  double lo = 0, hi = 0;
  bool any = false;  // false: no drawable value at all
  int skipped = 0;   // values left out: NaN or inf, or ≤ 0 on a log scale
};
Range data_range(const std::vector<Series>& series, Scale s);  // over y
Range x_range(const std::vector<Series>& series);              // over x, of series with any value

struct Tick {
  double value;
  std::string label;
};
struct Axis {
  double lo = 0, hi = 1;  // the limits drawn
  Scale scale = Scale::linear;
  std::vector<Tick> ticks;
  double fraction(double v) const;  // where v falls between lo (0) and hi (1), linear or log
};
// An axis over [lo, hi] with about `max_ticks` ticks (at least 2 where the range allows). `extend`: the limits
// grow to the ticks just outside the data, so the curve's ends can be read; otherwise they are the data's.
// `min_step`: the smallest step of a linear axis (1 for layers and epochs: no tick at 2.5 layers).
// lo > hi, NaN or inf limits, and ≤ 0 on a log axis are taken as "no data" and give a default axis.
Axis make_axis(double lo, double hi, Scale s, int max_ticks, bool extend, double min_step = 0);

// The label of a tick at `value` on an axis whose ticks are `step` apart and whose largest |tick| is
// `largest`: the axis picks one form for all its labels (1500 and 2000, or 10k and 15k; 2e-4 and 4e-4).
std::string tick_label(double value, double step, double largest);
// A value read under the pointer: four significant digits, plain from 0.001 to 999,999 (0.1235, 12346),
// otherwise as 1.235e-6.
std::string value_label(double value);

struct Point {
  double x, y;
};
// The drawable points of `s` with x in [x_lo, x_hi], at most about two per column of `columns` equal columns
// across that interval: where a column holds more than two points, its min and max in the order they occur.
std::vector<Point> downsample(const Series& s, double x_lo, double x_hi, int columns, Scale scale);

// The index of the point of `s` nearest to x (−1 when s is empty).
int nearest(const Series& s, double x);

// What a chart reads under the pointer (or the last touch): the x of the nearest point and each series' value
// there (NaN where a series has none).
struct Readout {
  bool shown = false;
  double x = 0;
  std::vector<double> y;
};

}  // namespace kobai::plot
