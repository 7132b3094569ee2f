// Building graphs: inputs, shapes, broadcasting, fan-in, and the message every mistake gets.
#include "helpers.h"
#include "lesson.h"

using namespace kobai;
using namespace kobai::test;

TEST_CASE("inputs are the names never assigned, in order of first use") {
  CHECK(input_names(parse("u = w*x + b; y = sigmoid(u); L = 0.5*(y - t)^2")) ==
        std::vector<std::string>{"w", "x", "b", "t"});
}

TEST_CASE("a value used twice gets the sum of its gradients") {
  Graph g = build("y = x * x", {{"x", S(3)}});
  CHECK(grad_of(g, "x")(0, 0) == 6);
}

TEST_CASE("broadcasting inserts a node whose backward sums over the copies") {
  Graph g = build("Y = X + b", {{"X", M({{1, 2, 3}, {4, 5, 6}})}, {"b", M({{10, 20, 30}})}});
  int rep = g.find("repeat(b)");
  REQUIRE(rep >= 0);
  CHECK(std::string(g.nodes[rep].op->name) == "broadcast");
  CHECK(forward(g)[g.output] == M({{11, 22, 33}, {14, 25, 36}}));
  CHECK(grad_of(g, "b") == M({{2, 2, 2}}));            // seeded with ones: two rows each
  Graph s = build("Y = 2 * X", {{"X", M({{1, 2}, {3, 4}})}});
  CHECK(forward(s)[s.output] == M({{2, 4}, {6, 8}}));
}

TEST_CASE("inputs not reaching the output get a zero gradient") {
  Graph g = build("u = a * 2; y = b + 1", {{"a", S(1)}, {"b", S(1)}});
  CHECK(grad_of(g, "a")(0, 0) == 0);
  CHECK(grad_of(g, "b")(0, 0) == 1);
}

TEST_CASE("names: missing, unknown, twice, too early, extra") {
  CHECK(error_of("price = apple * num * tax", {{"apple", S(100)}, {"num", S(2)}}) ==
        "line 1, column 23: input 'tax' has no value: give it one, e.g. --at tax=1\n"
        "  price = apple * num * tax\n"
        "                        ^");
  CHECK(error_of("y = softplus(x)", {{"x", S(1)}}).find(
            "unknown function 'softplus'; the functions are: exp, log, relu, sigmoid, tanh, step, affine, transpose, softmax, sum, mean, mse, "
            "softmax_with_loss") != std::string::npos);
  CHECK(error_of("y = add(x, x)", {{"x", S(1)}}).find("unknown function 'add'") != std::string::npos);
  CHECK(error_of("y = sigmoid(x, x)", {{"x", S(1)}}).find("sigmoid takes 1 argument, got 2") != std::string::npos);
  CHECK(error_of("u = x\nu = x", {{"x", S(1)}}).find("line 2, column 1: 'u' is assigned twice (first on line 1)") == 0);
  CHECK(error_of("y = u * 2\nu = 3").find("line 1, column 5: 'u' is used before it is assigned (on line 2)") == 0);
  CHECK(error_of("y = x", {{"x", S(1)}, {"z", S(2)}}) ==
        "a value was given for 'z', but the expression has no input of that name (its inputs: x)");
}

TEST_CASE("shape mismatches name the op and both shapes") {
  Mat a = Mat::Ones(2, 3), c = Mat::Ones(3, 2);
  CHECK(error_of("y = a + c", {{"a", a}, {"c", c}}).find(
            "shape mismatch in add (+): 2x3 and 3x2: element-wise ops take equal shapes") != std::string::npos);
  CHECK(error_of("y = a @ a", {{"a", a}}).find(
            "shape mismatch in matmul (dot): 2x3 and 2x3: the columns of the left (3) must equal the rows of the right (2)") !=
        std::string::npos);
  CHECK(error_of("y = affine(a, c, a)", {{"a", a}, {"c", c}}).find("affine(X, W, b) takes X (n x k), W (k x m) and b (1 x m)") !=
        std::string::npos);
  CHECK(error_of("y = mse(a, c)", {{"a", a}, {"c", c}}).find("shape mismatch in mse (MSE): 2x3 and 3x2") != std::string::npos);
  CHECK(error_of("y = a * r", {{"a", a}, {"r", Mat::Ones(1, 2)}}).find("shape mismatch in mul") != std::string::npos);
}

TEST_CASE("absurd sizes are refused before any work") {
  CHECK(error_of("y = sum(W)", {{"W", Mat::Zero(300, 2)}}).find(
            "input 'W' is 300x2: the walkthrough takes values up to 256x256") != std::string::npos);
  std::string many = "y = x";
  for (int i = 0; i < 2100; ++i) many += " + x";
  CHECK(error_of(many, {{"x", S(1)}}).find("this statement has more than 2000 operators: split it into statements (a graph may have up to 5000 nodes)") != std::string::npos);
  std::string statements = "y0 = x";
  for (int i = 1; i < 5100; ++i) statements += "; y" + std::to_string(i) + " = y" + std::to_string(i - 1) + " + x";
  CHECK(error_of(statements, {{"x", S(1)}}).find("the graph is too large (more than 5000 nodes)") != std::string::npos);
  CHECK_THROWS_WITH_AS(parse_value("[[1, 2], [3]]"), "'[[1, 2], [3]]': row 2 has 1 numbers, row 1 has 2", InputError);
  CHECK_THROWS_WITH_AS(parse_value("[1, \"a\"]"), "'[1, \"a\"]': row 1, column 2 is not a number", InputError);
  CHECK_THROWS_AS(parse_value("nan"), InputError);
  CHECK_THROWS_AS(parse_value("[]"), InputError);
  std::string wide = "[" + std::string(300 * 2 - 1, ',') + "]";
  for (size_t i = 1; i < wide.size(); i += 2) wide[i] = '1';
  CHECK_THROWS_WITH_AS(parse_value(wide), doctest::Contains("too large (1x300; at most 256x256)"), InputError);
}

TEST_CASE("log of a non-positive number, division by zero and overflow give inf/NaN, not a crash") {
  CHECK(std::isnan(value_of(build("y = log(x)", {{"x", S(-1)}}))));
  CHECK(std::isinf(value_of(build("y = log(x)", {{"x", S(0)}}))));
  CHECK(std::isinf(value_of(build("y = 1 / x", {{"x", S(0)}}))));
  CHECK(std::isinf(value_of(build("y = exp(x)", {{"x", S(1000)}}))));
}

TEST_CASE("the gradient check reports a mismatch where backprop is not a derivative") {
  // step has derivative 0, but across its jump the central difference sees a cliff.
  Graph g = build("y = step(x)", {{"x", S(0)}});
  auto r = gradient_check(g);
  CHECK(r[0].rel_error > 0.5);
}

TEST_CASE("a new name for an input or a constant is a node of its own, so the output has that name") {
  Graph a = build("a = x", {{"x", S(2)}});
  CHECK(a.nodes[a.output].name == "a");
  CHECK(value_of(a) == 2);
  CHECK(grad_of(a, "x")(0, 0) == 1);
  Graph b = build("u = w * x; v = u; y = v * 3", {{"w", S(2)}, {"x", S(5)}});
  CHECK(b.find("v") >= 0);
  CHECK(b.find("u") != b.find("v"));
  CHECK(value_of(b) == 30);
  CHECK(grad_of(b, "w")(0, 0) == 15);
  Graph c = build("y = 3", {});
  CHECK(c.nodes[c.output].name == "y");
  CHECK(value_of(c) == 3);
  Graph d = build("k = 3; y = k * x; z = y", {{"x", S(2)}});
  CHECK(d.nodes[d.output].name == "z");
  CHECK(value_of(d) == 6);
}

TEST_CASE("a name both assigned and given a value is refused where it is used or assigned") {
  CHECK(error_of("x = x + 1", {{"x", S(1)}}) ==
        "line 1, column 5: 'x' is used before it is assigned (on line 1), and also given a value as an input: a name is "
        "either an input or assigned, not both\n  x = x + 1\n      ^");
  CHECK(error_of("u = x*2; x = 3; y = u + x", {{"x", S(1)}}).rfind(
            "line 1, column 5: 'x' is used before it is assigned (on line 1), and also given a value as an input", 0) == 0);
  CHECK(error_of("u = 2\nx = 3\ny = u + x", {{"x", S(1)}}).rfind(
            "line 2, column 1: 'x' is assigned here and also given a value as an input: a name is either an input or "
            "assigned, not both", 0) == 0);
  CHECK(error_of("u = x*2; x = 3; y = u + x").rfind("line 1, column 5: 'x' is used before it is assigned (on line 1)\n", 0) == 0);
  // a name the expression never mentions is still "no input of that name", and the message stays bounded
  std::string many = "y = 0";
  for (int i = 0; i < 500; ++i) many += " + v" + std::to_string(i);
  InputValues in{{std::string(3000, 'z'), S(1)}};
  for (int i = 0; i < 500; ++i) in["v" + std::to_string(i)] = S(1);
  std::string m = error_of(many, in);
  CHECK(m.rfind("a value was given for 'zzzz", 0) == 0);
  CHECK(m.find("but the expression has no input of that name (its inputs: v0, v1, v2") != std::string::npos);
  CHECK(m.size() < 300);
}

TEST_CASE("softmax_with_loss takes labels whose rows sum to 1, so that its gradient is (y − t)/N as written") {
  Mat a = M({{0.3, 2.9, 4.0}, {1, 2, 0.5}});
  CHECK(error_of("L = softmax_with_loss(a, t)", {{"a", a}, {"t", M({{0, 0, 0}, {0, 1, 0}})}}).rfind(
            "line 1, column 5: softmax_with_loss(a, t) takes labels t whose rows each sum to 1 (one-hot, or a "
            "distribution); row 1 of t sums to 0", 0) == 0);
  CHECK(error_of("L = softmax_with_loss(a, t)", {{"a", a}, {"t", M({{0, 0, 1}, {0, 1, 1}})}}).find("row 2 of t sums to 2") !=
        std::string::npos);
  CHECK(error_of("L = softmax_with_loss(a, 2 * t)", {{"a", a}, {"t", M({{0, 0, 1}, {0, 1, 0}})}}).find(  // a computed t
            "row 1 of t sums to 2") != std::string::npos);
  CHECK(error_of("L = softmax_with_loss(a, t)", {{"a", a}, {"t", M({{0.2, 0.3, 0.5}, {0.1, 0.1, 0.8}})}}) == "");
  CHECK(error_of("L = softmax_with_loss(a, 0.5 * t)", {{"a", a}, {"t", M({{0, 0, 2}, {0, 2, 0}})}}) == "");
  // Only what t depends on is evaluated to check it: a product made before t that t does not read is not run (here
  // 200·200·200 multiplications, beyond kBuildCheckCost, would otherwise have the check skipped).
  CHECK(error_of("B = W @ W; L = softmax_with_loss(a, t) + sum(B)",
                 {{"a", a}, {"t", M({{0, 0, 0}, {0, 1, 0}})}, {"W", Mat::Ones(200, 200)}}).find("row 1 of t sums to 0") != std::string::npos);
  for (Mat t : {M({{0, 0, 1}, {0, 1, 0}}), M({{0.2, 0.3, 0.5}, {0.1, 0.1, 0.8}})}) {  // the value is (y − t)/N
    Graph g = build("L = softmax_with_loss(a, t)", {{"a", a}, {"t", t}});
    Mat y = a.array().exp();
    y = y.array().colwise() / y.rowwise().sum().array();
    CHECK((grad_of(g, "a") - (y - t) / 2).cwiseAbs().maxCoeff() < 1e-15);
  }
}

TEST_CASE("x^0 is a constant: its derivative is 0, at 0 too") {
  CHECK(grad_of(build("y = x^0", {{"x", S(0)}}), "x")(0, 0) == 0);
  CHECK(grad_of(build("y = x^0", {{"x", S(-3)}}), "x")(0, 0) == 0);
  CHECK(value_of(build("y = x^0", {{"x", S(0)}})) == 1);
  CHECK(grad_of(build("y = x^1", {{"x", S(0)}}), "x")(0, 0) == 1);
}
