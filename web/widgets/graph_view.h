// kobai page: the graph view, a widget of the walkthrough (and of any lab that shows a computational graph).
// Pan by dragging (one finger on a touch screen), zoom with the wheel or a pinch, fit on load and on resize;
// nodes and edges off screen are not drawn; a node under the pointer shows its matrices, a tapped node keeps
// them shown until the next tap.
#pragma once

#include "layout.h"
#include "walk.h"

#include <string>

namespace kobai {

struct App;

struct GraphView {
  float zoom = 1;
  Point cam{0, 0};           // the graph point at the view's centre
  bool fit_pending = true;   // fit the graph to the view in the next frame (a new graph, F, a resize)
  Point fitted{0, 0};        // the view's size (CSS px) when it was last fitted
  int pinned = -1;           // a tapped node: its value and gradient stay shown
  int toggle = -1;           // a tapped time step's cell (its header, or its folded box): to fold or open
  bool dragged = false;      // the press under way has moved the view (so it is no tap)
  float pinch = 1;           // a pinch since the last frame (platform: kobai_pinch): zoom factor, and its centre
  Point pinch_at{0, 0};      // ... in CSS pixels
};

// Draws `w`'s graph as laid out in `layout` over the rest of the current window's region.
void graph_view(App& a, GraphView& v, const Walk& w, const Layout& layout);

// Small pieces the step view and the gradient check use too.
std::string compact(const Mat& m);               // what fits on an edge: a number, or a matrix's first entry
void matrix_table(const Mat& m, const char* id);  // a matrix as a table (at most 16 by 12, its shape below)

}  // namespace kobai
