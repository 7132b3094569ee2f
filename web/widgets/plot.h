// kobai page: the plot widget, one call in Dear ImGui's style for every chart of every lab.
//
//   const float* loss = ...;                      // one value per epoch, from epoch 0
//   PlotSeries s[] = {{"train", loss, n, 0, 1, kBlue}, {"test", test_loss, n, 0, 1, kOrange}};
//   PlotSpec spec;
//   spec.log_y = true, spec.x_name = "epoch", spec.x_step = 1;
//   plot::Readout r;
//   Plot("###loss", spec, s, 2, &r);             // then ui::remember(a, "pg_loss_plot") names its rectangle
//
// It draws a legend, the axes with ticks and numbers (plot_scale.h: 1-2-5 steps, decades on a log scale,
// labels such as 0.001, 2.5k, 1e-6), each series as a line (min and max per pixel column, so 10,000 epochs
// keep their spikes), and under the pointer a vertical line with each series' value there. A click or a
// tap pins that line, so on a touch screen the last touch keeps reading. Values that a log scale cannot show
// (≤ 0) are left out and the chart says how many.
#pragma once

#include "widgets/plot_scale.h"

#include <imgui.h>

#include <cmath>

namespace kobai {

struct PlotSeries {
  const char* name;        // in the legend and the readout
  const float* y;          // y[i] is drawn at x = x0 + i·dx
  int count;
  double x0 = 0, dx = 1;
  ImU32 colour = IM_COL32(40, 95, 200, 255);
  bool markers = false;    // a dot at each point (a few points: one per layer)
};

struct PlotSpec {
  ImVec2 size{0, 0};       // 0 width: the rest of the row; 0 height: ten lines of text
  bool log_y = false;
  double x_pad = 0;        // room either side of the data (0.5 for layers 1..L)
  double x_step = 0;       // the smallest tick step on x (1: whole epochs, whole layers)
  double y_lo = NAN, y_hi = NAN;  // fixed y limits (an accuracy: 0 to 100); NaN: the data's, extended to ticks
  const char* x_name = ""; // under the x axis, and before the x in the readout
  const char* y_unit = ""; // after each value in the readout ("%")
  const char* skipped_format = "%d values ≤ 0 are not drawn on the log scale";  // with the count
};

// Draws the chart as one item (its rectangle is the last item's). Returns true while the pointer (or a pinned
// touch) reads it; `readout`, if given, receives what is read.
bool Plot(const char* id, const PlotSpec& spec, const PlotSeries* series, int count, plot::Readout* readout = nullptr);

}  // namespace kobai
