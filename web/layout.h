// kobai page: where the graph's nodes and edges go on the canvas. Pure geometry, no ImGui: tested natively.
//
// A left-to-right layered layout: inputs in the first column, the output in the last, every op one column
// right of its furthest input. The edges of one source that reach past the next column share a bus: one slot in
// each column it crosses, so it never crosses a node (a graph that would need more slots than the budget runs
// its longest buses in tracks above and below the columns instead). Within a column an edge runs horizontally
// inside its own node's (or slot's) height, and between columns there are no nodes at all. The time is about
// linear in nodes + edges: every graph the engine allows (kMaxNodes) lays out in milliseconds.
//
// A graph with time steps (a loop's, Graph::steps) runs time left to right: each step's nodes stand in a band of
// columns of their own, one band per step, in order. A folded step is one box, its cell, with the edges that
// enter or leave it; the edges inside it are not drawn.
#pragma once

#include "graph.h"

#include <vector>

namespace kobai {

struct Point {
  float x, y;
};
struct Box {
  float x, y, w, h;  // top-left corner and size, in world units
  Point center() const { return {x + w / 2, y + h / 2}; }
};
struct EdgePath {
  int from, to, input;        // node `from` feeds input `input` of node `to`
  bool into_cell = false;     // it enters a folded cell: it stands for every edge from `from` into that cell
  int label;                  // the segment points[label]..points[label + 1] that carries the edge's labels:
                              // a stretch across a gap that no other edge shares
  std::vector<Point> points;  // a polyline to the left side of `to`, from the right side of `from`; or, for an
                              // edge on its source's bus, from where it leaves the bus (which the source's
                              // longest edge draws)
};
struct Cell {             // a time step's nodes
  bool folded = false;
  Box box{0, 0, 0, 0};     // folded: the cell's box; open: the band of columns its nodes stand in
};
struct Layout {
  std::vector<Box> nodes;     // one per graph node (a folded cell's nodes: the cell's box)
  std::vector<int> column;    // one per graph node
  std::vector<EdgePath> edges;
  std::vector<Cell> cells;    // one per Graph::steps
  Box bounds{0, 0, 0, 0};
};

struct LayoutStyle {
  float column_gap = 90;  // between columns, where edges cross and carry their labels
  float row_gap = 46;     // between nodes in a column, room for an edge's two labels
  float slot_height = 14; // a bus's slot in a column it crosses; also the spacing of tracks
  long slot_budget = 8000;  // slots in all; past it, the longest buses run in tracks
  Point cell{120, 64};    // a folded cell's box
};

// sizes: the box of each node (width, height), as the page measures its contents. folded: per time step
// (Graph::steps), whether it is one box; missing entries are open.
Layout layout_graph(const Graph& g, const std::vector<Point>& sizes, const LayoutStyle& style = {},
                    const std::vector<bool>& folded = {});

// For the tests: does the segment a-b pass through the inside of box b?
bool segment_hits_box(Point a, Point b, const Box& box, float margin = 0.5f);

}  // namespace kobai
