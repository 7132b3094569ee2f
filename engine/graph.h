// kobai engine: computational graphs.
//
//   Node, Graph      nodes in topological order (every node after its inputs); the last statement is the output
//   build            a parsed program + input values -> a graph, shapes checked, broadcast nodes inserted
//   forward          every op node's value, in order
//   backward         every node's gradient d(output)/d(node), in reverse order, fan-in summed
//
//   Graph g = build(parse("price = apple * num * tax"), {{"apple", 100}, {"num", 2}, {"tax", 1.1}});
//   Values v = forward(g);              // v[g.output] == 220
//   Values d = backward(g, v);          // d[g.find("apple")] == 2.2
#pragma once

#include "ops.h"
#include "parse.h"

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace kobai {

enum class NodeKind { Input, Const, Op };

struct Node {
  NodeKind kind = NodeKind::Op;
  std::string name;       // a statement's name, an input's name, a constant as typed, or the source text
  bool named = false;     // named by the user: an input or the left-hand side of a statement
  const OpDef* op = nullptr;
  std::vector<int> in;    // input node ids
  double p = 0;           // the op's constant (pow's exponent)
  int rows = 1, cols = 1;
  std::optional<Dims4> dims;  // a 4-D value: (N, C, H, W), stored as rows = N, cols = C·H·W
  Window win;             // conv, pooling, im2col: the window
  Mat value;              // inputs and constants: their value; op nodes: empty
  int line = 0, column = 0;
  int step = -1;          // written in a loop's step: an index into Graph::steps (inputs never are: h[0], W)
};

// A step of a loop, the time a node belongs to: for t in 1..4 { h[t] = ... } has the steps t = 1 … 4.
struct TimeStep {
  int loop;             // which of the program's outermost loops
  std::string counter;  // t
  int value;            // 3
};

using Values = std::vector<Mat>;                 // one per node
using InputValues = std::map<std::string, Value>;  // name -> value (a 4-D one says so)

struct Graph {
  std::string source;
  std::vector<Node> nodes;
  int output = -1;
  std::vector<int> inputs;                               // input nodes, in order of first use
  std::vector<TimeStep> steps;                           // the loops' steps, in order
  std::vector<std::vector<std::pair<int, int>>> users;   // per node: (consumer, which input of it)
  std::vector<bool> needs_grad;                          // an input lies at or below this node
  std::vector<bool> reaches_output;                      // the output depends on this node

  int find(const std::string& name) const;   // -1 when no node has that name
  Values leaf_values() const;                // inputs and constants filled, op nodes empty
  Args args(int node, const Values& v) const;
};

// Names used but never assigned, in order of first use: what --at must give values for (x for x[2]).
std::vector<std::string> input_names(const Program& p);
// Indexed names read but never assigned, of names assigned with an index (h[0] beside h[1] = ...): inputs that are
// zeros shaped by their use unless given a value.
std::vector<std::string> zero_inputs(const Program& p);

// Time: what a loop carries from one step to the next (h, c): names written name[...] in a step and read by a later
// step, in order of first appearance; and for one such name, its node in each time step (-1 where there is none).
std::vector<std::string> carried_names(const Graph& g);
std::vector<int> carried_nodes(const Graph& g, const std::string& name);

Graph build(const Program& p, const InputValues& inputs);  // throws InputError
Graph build(const std::string& source, const InputValues& inputs);
// Inputs that are data (x, t): no gradient flows into them, so none is computed, shown or checked. Throws
// InputError naming one that is not an input.
void mark_data(Graph& g, const std::vector<std::string>& names);

double node_cost(const Graph& g, int n);            // multiply-adds of node n's forward
bool rows_sum_to_one(const Mat& t);                 // each row of t sums to 1: softmax_with_loss's labels
constexpr double kBuildCheckCost = 1e6;             // what build() may evaluate to check labels, at most

Values forward(const Graph& g);                     // from the graph's own input values
void forward(const Graph& g, Values& v);            // leaves of v already set
Values backward(const Graph& g, const Values& v);   // seeded with ones at the output; zeros where unreached

}  // namespace kobai
