// The plot widget's arithmetic (web/widgets/plot_scale.*): ticks, labels, ranges and downsampling.
#include "helpers.h"
#include "widgets/plot_scale.h"

#include <cmath>
#include <limits>

using namespace kobai::plot;

namespace {

std::vector<std::string> labels(const Axis& a) {
  std::vector<std::string> v;
  for (const Tick& t : a.ticks) v.push_back(t.label);
  return v;
}

// Every axis, whatever its range: ticks inside the limits, increasing, each with a label, at least two.
void check_axis(const Axis& a, double lo, double hi) {
  INFO("axis over [" << lo << ", " << hi << "]: limits [" << a.lo << ", " << a.hi << "]");
  CHECK(a.lo < a.hi);
  CHECK(a.ticks.size() >= 2);
  for (size_t i = 0; i < a.ticks.size(); ++i) {
    double slack = (a.hi - a.lo) * 1e-9;  // floating point: 0.1 · 3 is not quite 0.3
    CHECK(a.ticks[i].value >= a.lo - slack);
    CHECK(a.ticks[i].value <= a.hi + slack);
    CHECK(!a.ticks[i].label.empty());
    if (i) CHECK(a.ticks[i].value > a.ticks[i - 1].value);
  }
}

}  // namespace

TEST_CASE("linear ticks step by 1, 2 or 5 times a power of ten, and the extended limits are ticks") {
  Axis a = make_axis(0.13, 0.92, Scale::linear, 5, true);
  CHECK(a.lo == doctest::Approx(0));
  CHECK(a.hi == doctest::Approx(1));
  CHECK(labels(a) == std::vector<std::string>{"0", "0.2", "0.4", "0.6", "0.8", "1"});
  Axis epochs = make_axis(0, 10000, Scale::linear, 5, false, 1);
  CHECK(labels(epochs) == std::vector<std::string>{"0", "2k", "4k", "6k", "8k", "10k"});
  Axis few = make_axis(0, 3, Scale::linear, 6, false, 1);  // epochs 0..3: no tick at 2.5 epochs
  CHECK(labels(few) == std::vector<std::string>{"0", "1", "2", "3"});
  Axis negative = make_axis(-2.6, 0.4, Scale::linear, 4, true);
  CHECK(labels(negative) == std::vector<std::string>{"-3", "-2", "-1", "0", "1"});
}

TEST_CASE("without extending, the limits are the data's and the ticks lie inside") {
  Axis a = make_axis(3, 1234, Scale::linear, 5, false);
  CHECK(a.lo == 3);
  CHECK(a.hi == 1234);
  CHECK(labels(a) == std::vector<std::string>{"500", "1000"});
}

TEST_CASE("a log axis from 1e-6 to 1e3: every decade fits, or every third one where space is short") {
  Axis wide = make_axis(1e-6, 1e3, Scale::log, 10, true);
  CHECK(labels(wide) == std::vector<std::string>{"1e-6", "1e-5", "1e-4", "0.001", "0.01", "0.1", "1", "10", "100", "1000"});
  Axis narrow = make_axis(1e-6, 1e3, Scale::log, 5, true);
  CHECK(labels(narrow) == std::vector<std::string>{"1e-6", "0.001", "1", "1000"});
  CHECK(narrow.fraction(1e-6) == doctest::Approx(0));
  CHECK(narrow.fraction(1e-1) == doctest::Approx(5.0 / 9));
  CHECK(narrow.fraction(1e3) == doctest::Approx(1));
  Axis sparse = make_axis(2e-5, 50, Scale::log, 3, true);  // every fourth decade, and the limits are labelled
  CHECK(labels(sparse) == std::vector<std::string>{"1e-5", "0.1", "1000"});
  CHECK(sparse.lo == doctest::Approx(1e-5));
  CHECK(sparse.hi == doctest::Approx(1e3));
  Axis big = make_axis(2, 3e6, Scale::log, 8, true);
  CHECK(labels(big) == std::vector<std::string>{"1", "10", "100", "1000", "10k", "100k", "1M", "10M"});
}

TEST_CASE("a log axis over less than a decade: 1, 2 and 5 in each decade, else linear steps") {
  Axis loss = make_axis(0.3, 0.7, Scale::log, 5, true);  // a loss that has fallen a little
  CHECK(labels(loss) == std::vector<std::string>{"0.2", "0.5", "1"});
  Axis inside = make_axis(0.31, 0.69, Scale::log, 5, false);
  CHECK(inside.lo == 0.31);
  CHECK(labels(inside) == std::vector<std::string>{"0.4", "0.5", "0.6"});
  Axis thousands = make_axis(1200, 1800, Scale::log, 4, false);
  CHECK(labels(thousands) == std::vector<std::string>{"1200", "1400", "1600", "1800"});
}

TEST_CASE("linear and log axes over every range from 1e-6 to 1e3 have at least two labelled ticks") {
  for (Scale s : {Scale::linear, Scale::log})
    for (int from = -6; from <= 3; ++from)
      for (int to = from; to <= 3; ++to)
        for (double width : {1.0, 1.5, 4.0})
          for (int ticks : {3, 5, 8}) {
            double lo = std::pow(10.0, from), hi = std::pow(10.0, to) * width;
            check_axis(make_axis(lo, hi, s, ticks, true), lo, hi);
            check_axis(make_axis(lo, hi, s, ticks, false), lo, hi);
          }
}

TEST_CASE("a range of zero width, no data and nonsense limits still make an axis") {
  Axis one = make_axis(5, 5, Scale::linear, 5, true);  // a single point, or a flat curve
  check_axis(one, 5, 5);
  CHECK(one.lo < 5);
  CHECK(one.hi > 5);
  Axis zero = make_axis(0, 0, Scale::linear, 5, false, 1);  // epoch 0 alone: no negative epochs
  check_axis(zero, 0, 0);
  CHECK(zero.lo == 0);
  CHECK(zero.hi == 1);
  check_axis(make_axis(1e-6, 1e-6, Scale::log, 5, true), 1e-6, 1e-6);
  check_axis(make_axis(1e-6, 1e-6, Scale::linear, 5, false), 1e-6, 1e-6);
  double nan = std::numeric_limits<double>::quiet_NaN(), inf = std::numeric_limits<double>::infinity();
  for (auto [lo, hi] : {std::pair{nan, 1.0}, {0.0, inf}, {-inf, inf}, {3.0, 1.0}}) {
    Axis a = make_axis(lo, hi, Scale::linear, 5, true);
    check_axis(a, lo, hi);
    CHECK(a.lo == 0);
    CHECK(a.hi == 1);
  }
  Axis log_of_negative = make_axis(-1, 10, Scale::log, 5, true);  // the caller skips ≤ 0; this is a guard
  check_axis(log_of_negative, -1, 10);
  CHECK(log_of_negative.lo == 1);
}

TEST_CASE("labels: plain from 0.001 to 9999, k and M above, scientific below, one form per axis") {
  CHECK(tick_label(0.001, 0.001, 0.005) == "0.001");
  CHECK(tick_label(0.25, 0.05, 1) == "0.25");
  CHECK(tick_label(2500, 500, 5000) == "2500");
  CHECK(tick_label(2500, 500, 12000) == "2.5k");  // on an axis that reaches 12k, 2500 is 2.5k
  CHECK(tick_label(10000, 2000, 10000) == "10k");
  CHECK(tick_label(1.5e6, 5e5, 2e6) == "1.5M");
  CHECK(tick_label(1e-6, 1e-6, 1e-6) == "1e-6");
  CHECK(tick_label(2.5e-6, 5e-7, 5e-6) == "2.5e-6");
  CHECK(tick_label(3e9, 1e9, 5e9) == "3e9");
  CHECK(tick_label(-0.4, 0.2, 1) == "-0.4");
  CHECK(tick_label(1e-17, 0.1, 1) == "0");  // 0.1 · 3 − 0.3 is not quite 0
}

TEST_CASE("values under the pointer: four significant digits") {
  CHECK(value_label(0.123456) == "0.1235");
  CHECK(value_label(12345.6) == "12346");
  CHECK(value_label(1.5) == "1.5");
  CHECK(value_label(0.00123456) == "0.001235");
  CHECK(value_label(1.23456e-6) == "1.235e-6");
  CHECK(value_label(-2.5e7) == "-2.5e7");
  CHECK(value_label(0) == "0");
  CHECK(value_label(std::nan("")) == "NaN");
  CHECK(value_label(-std::numeric_limits<double>::infinity()) == "-inf");
}

TEST_CASE("the data range of several series skips NaN and inf, and values ≤ 0 on a log scale, and counts them") {
  const float nan = std::numeric_limits<float>::quiet_NaN(), inf = std::numeric_limits<float>::infinity();
  std::vector<float> train = {2.0f, 0.5f, nan, 0.1f}, test = {3.0f, inf, 0.0f, -1.0f};
  std::vector<Series> both = {{train.data(), 4}, {test.data(), 4}};
  Range linear = data_range(both, Scale::linear);
  CHECK(linear.any);
  CHECK(linear.lo == -1);
  CHECK(linear.hi == 3);
  CHECK(linear.skipped == 2);  // NaN, inf
  Range log = data_range(both, Scale::log);
  CHECK(log.lo == doctest::Approx(0.1));
  CHECK(log.hi == 3);
  CHECK(log.skipped == 4);  // NaN, inf, 0, −1
  std::vector<float> none = {0.0f, -2.0f};
  Range empty = data_range({{none.data(), 2}}, Scale::log);
  CHECK(!empty.any);
  CHECK(empty.skipped == 2);
  Range xs = x_range({{train.data(), 4, 1, 1}, {test.data(), 0}, {test.data(), 3, 0, 2}});
  CHECK(xs.lo == 0);
  CHECK(xs.hi == 4);
}

TEST_CASE("downsampling 10,000 epochs to 100 columns keeps the spike and the ends") {
  std::vector<float> loss(10000);
  for (int i = 0; i < 10000; ++i) loss[size_t(i)] = 1.0f / float(1 + i);
  loss[5432] = 50;                   // one bad epoch
  loss[7000] = std::nanf("");        // and one that is not drawable
  Series s{loss.data(), 10000};
  std::vector<Point> p = downsample(s, 0, 9999, 100, Scale::log);
  CHECK(p.size() <= 200);
  CHECK(p.front().x == 0);
  CHECK(p.front().y == 1);
  CHECK(p.back().x == 9999);
  bool spike = false;
  for (size_t i = 0; i < p.size(); ++i) {
    spike |= p[i].x == 5432 && p[i].y == 50;
    CHECK(std::isfinite(p[i].y));
    if (i) CHECK(p[i].x > p[i - 1].x);  // in order: the polyline does not double back
  }
  CHECK(spike);
  std::vector<Point> zoomed = downsample(s, 100, 199, 400, Scale::linear);  // fewer points than columns: all
  CHECK(zoomed.size() == 100);
  CHECK(zoomed.front().x == 100);
  std::vector<float> signs = {1, -1, 0, 2};
  CHECK(downsample({signs.data(), 4}, 0, 3, 10, Scale::log).size() == 2);  // −1 and 0 have no place on a log scale
}

TEST_CASE("the point under the pointer is the nearest one, clamped to the series") {
  std::vector<float> v = {4, 3, 2, 1};
  Series layers{v.data(), 4, 1, 1};  // x = 1, 2, 3, 4
  CHECK(nearest(layers, 2.4) == 1);
  CHECK(nearest(layers, 2.6) == 2);
  CHECK(nearest(layers, -100) == 0);
  CHECK(nearest(layers, 1e9) == 3);
  CHECK(nearest({v.data(), 0}, 1) == -1);
}
