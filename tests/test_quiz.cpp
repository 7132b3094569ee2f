// Quizzes: reading answers, marking them, and questions whose answers are checked independently.
#include "helpers.h"
#include "activations.h"
#include "optim.h"
#include "quiz.h"
#include "surface.h"
#include "train.h"

#include <set>

using namespace kobai;
using namespace kobai::test;

TEST_CASE("answers: numbers, fractions, small arithmetic, matrices") {
  CHECK(read_answer("2.2").value == S(2.2));
  CHECK(read_answer(" -1/4 ").value == S(-0.25));
  CHECK(read_answer("1.1*2").value(0, 0) == doctest::Approx(2.2));
  CHECK(read_answer("3e-1").value(0, 0) == doctest::Approx(0.3));
  CHECK(read_answer("(1 + 2) / 3").value == S(1));
  CHECK(read_answer("[[1, 2], [3, -1/2]]").value == M({{1, 2}, {3, -0.5}}));
  CHECK(read_answer("[1, 2*3, 4]").value == M({{1, 6, 4}}));
  CHECK(read_shape("3x4").value == M({{3, 4}}));
  CHECK(read_shape("3 × 4").value == M({{3, 4}}));
  CHECK(read_shape("(3, 4)").value == M({{3, 4}}));
}

TEST_CASE("an answer that cannot be read says what, and is not counted wrong") {
  CHECK(read_answer("").problem == "the answer is empty");
  CHECK(read_answer("x").problem == "'x' is a name; an answer is made of numbers only");
  CHECK(read_answer("1/").problem.find("could not read '1/'") == 0);
  CHECK(read_answer("2..2").problem.find("could not read") == 0);
  CHECK(read_answer("[[1, 2], [3]]").problem == "row 2 has 1 entries, row 1 has 2");
  CHECK(read_answer("[1, 2").problem == "a '[' is not closed by ']'");
  CHECK(read_answer("[[1, 2], [3, a]]").problem == "row 2, entry 2: 'a' is a name; an answer is made of numbers only");
  CHECK(read_shape("three by four").problem == "write a shape as rows x columns, e.g. 3x4");
  CHECK(mark("abc", S(1)).verdict == Verdict::Unreadable);
}

TEST_CASE("marking: relative 1e-3, absolute 1e-6 near zero, shapes must match") {
  CHECK(mark("2.2", S(2.2000000000000002)).verdict == Verdict::Right);
  CHECK(mark("2.201", S(2.2)).verdict == Verdict::Right);   // 4.5e-4 relative
  CHECK(mark("2.21", S(2.2)).verdict == Verdict::Wrong);    // 4.5e-3 relative
  CHECK(mark("0", S(5e-7)).verdict == Verdict::Right);
  CHECK(mark("0", S(5e-3)).verdict == Verdict::Wrong);
  CHECK(mark("1/3", S(0.3333)).verdict == Verdict::Right);
  Marked m = mark("[1, 2]", M({{1}, {2}}));
  CHECK(m.verdict == Verdict::Wrong);
  CHECK(m.message == "expected a 2x1 value, got 1x2");
}

TEST_CASE("the same seed gives the same questions; another seed others") {
  QuizOptions o;
  o.seed = 42, o.count = 30;
  std::string a = quiz_json(generate_quiz(o), Lang::en), b = quiz_json(generate_quiz(o), Lang::en);
  CHECK(a == b);
  o.seed = 43;
  CHECK(quiz_json(generate_quiz(o), Lang::en) != a);
  // A fixed seed's first question, as the CLI and the page (a different C++ library) must both print it.
  o.seed = 7, o.count = 1;
  CHECK(generate_quiz(o)[0].prompt.en == "y = x * x + a * x with x = 0.9, a = -1.9. x is used more than once: what is ∂y/∂x?");
}

TEST_CASE("a sheet does not repeat a question") {
  QuizOptions o;
  o.seed = 3, o.count = 6, o.topics = {Topic::concepts};
  std::set<std::string> prompts;
  for (const Question& q : generate_quiz(o)) prompts.insert(q.prompt.en);
  CHECK(prompts.size() == 6);
}

TEST_CASE("every generated answer checks out independently") {
  for (int difficulty = 1; difficulty <= 3; ++difficulty)
    for (uint64_t seed = 1; seed <= 20; ++seed) {
      QuizOptions o;
      o.seed = seed, o.count = 24, o.difficulty = difficulty;
      std::set<Topic> seen;
      for (const Question& q : generate_quiz(o)) {
        seen.insert(q.topic);
        INFO("seed " << seed << ": " << q.prompt.en);
        switch (q.kind) {
          case AnswerKind::Number: {
            // the central-difference gradient of the stored graph, not the engine's backprop
            Graph g = build(q.expr, q.inputs);
            for (const GradCheck& c : gradient_check(g))
              if (c.input == q.wrt) {
                CHECK(mark(format_matrix(c.numerical), q.value).verdict == Verdict::Right);
                CHECK(c.rel_error < 1e-6);
              }
            CHECK(mark(format_number(q.value(0, 0)), q.value).verdict == Verdict::Right);
            break;
          }
          case AnswerKind::Shape: {
            // build the affine layer at those shapes (a batch of 2 stands for any) and read off the gradient's shape
            const std::string& p = q.prompt.en;
            int n = std::stoi(p.substr(p.find("X is ") + 5)), d = std::stoi(p.substr(p.find("x", p.find("X is ")) + 1));
            int m = std::stoi(p.substr(p.find("b is 1x") + 7));
            Graph g = build("L = sum(affine(X, W, b))", {{"X", Mat::Ones(std::min(n, 256), d)}, {"W", Mat::Ones(d, m)}, {"b", Mat::Ones(1, m)}});
            std::string which = p.substr(p.find("shape of ∂L/∂") + std::string("shape of ∂L/∂").size(), 1);
            Mat grad = grad_of(g, which);
            CHECK(q.value(0, 1) == grad.cols());
            CHECK((which == "X" ? n : int(grad.rows())) == int(q.value(0, 0)));
            break;
          }
          case AnswerKind::Choice:
            REQUIRE(q.choices.size() >= 3);  // four generated; three or four from the bank
            REQUIRE(q.choices.size() <= 4);
            CHECK(std::set<std::string>(q.choices.begin(), q.choices.end()).size() == q.choices.size());
            CHECK(q.correct >= 0);
            CHECK(q.correct < int(q.choices.size()));
            break;
        }
        CHECK(!q.prompt.ja.empty());
        CHECK(!q.hint.en.empty());
      }
      if (difficulty == 2 && seed == 1) CHECK(seen.size() == default_topics().size());  // day 1's, unless named
    }
}

TEST_CASE("the right choice for the local derivatives is the book's rule") {
  QuizOptions o;
  o.topics = {Topic::local}, o.count = 60;
  int sigmoid = 0;
  for (const Question& q : generate_quiz(o))
    if (q.prompt.en.find("σ(x)") != std::string::npos) {
      ++sigmoid;
      CHECK(q.choices[q.correct] == "y(1 − y)");
    }
  CHECK(sigmoid > 0);
}

TEST_CASE("quiz options: bad values are refused with a message") {
  QuizOptions o;
  o.count = 0;
  CHECK_THROWS_WITH_AS(generate_quiz(o), "the number of questions must be from 1 to 500, not 0", InputError);
  o.count = 5, o.difficulty = 7;
  CHECK_THROWS_WITH_AS(generate_quiz(o), "the difficulty must be 1, 2 or 3, not 7", InputError);
  CHECK_THROWS_WITH_AS(parse_topic("calculus"), "unknown topic 'calculus'; the topics are: local, step, graph, fanin, shapes, concepts, concepts2, concepts3, update, init, params, saddle, bptt, gate, cell, rnnparams, outsize, convparams, convvalue, poolgrad, im2colshape", InputError);
}

TEST_CASE("one seed range everywhere: 0 to 2^53 - 1, refused past it with the range named") {
  CHECK(parse_seed("0", "--seed") == 0);
  CHECK(parse_seed("9007199254740991", "--seed") == kMaxSeed);
  CHECK(parse_seed("00000000000000000000007", "--seed") == 7);  // leading zeros do not make it too large
  CHECK(parse_seed("000", "--seed") == 0);
  for (const char* bad : {"9007199254740992", "18446744073709551616", "-1", "", "1e3", "abc"}) {
    CHECK_THROWS_WITH_AS(parse_seed(bad, "the link's quiz"), doctest::Contains("the link's quiz must be a whole number from 0 to 9007199254740991"), InputError);
  }
}

// --- day 2's topics, each answer redone by the engine part the lesson is about -----------------------------------

namespace {
std::vector<Question> day2(Topic t, int difficulty, uint64_t seed, int count = 40) {
  QuizOptions o;
  o.topics = {t}, o.difficulty = difficulty, o.seed = seed, o.count = count;
  return generate_quiz(o);
}
double in(const Question& q, const char* name) { return q.inputs.at(name)(0, 0); }
}  // namespace

TEST_CASE("a sheet that names no topics asks day 1's, as sheets and links made before day 2's and day 3's topics did") {
  QuizOptions o;
  o.count = 200;
  std::set<Topic> seen;
  for (const Question& q : generate_quiz(o)) seen.insert(q.topic);
  CHECK(seen == std::set<Topic>{Topic::local, Topic::step, Topic::graph, Topic::fanin, Topic::shapes, Topic::concepts});
  CHECK(parse_topic("update") == Topic::update);
  CHECK_THROWS_WITH(parse_topic("adam"), doctest::Contains("update, init, params, saddle"));
  CHECK(parse_topic("rnnparams") == Topic::rnnparams);
}

TEST_CASE("an optimizer step by hand: the answer is what optim.h's Optimizer does with the book's settings") {
  std::set<std::string> seen;
  for (int difficulty = 1; difficulty <= 3; ++difficulty)
    for (const Question& q : day2(Topic::update, difficulty, uint64_t(difficulty) * 11)) {
      INFO(q.prompt.en);
      seen.insert(q.detail);
      OptimizerKind kind = OptimizerKind::sgd;
      for (int k = 0; k < kOptimizerCount; ++k)
        if (q.detail == kOptimizerNames[k]) kind = OptimizerKind(k);
      REQUIRE(q.detail == name_of(kind));
      OptConfig c = optimizer_defaults(kind, true);
      c.lr = in(q, "lr");
      Optimizer<double> opt(c);
      Mat W = q.inputs.at("W"), g = q.inputs.at("g1");
      opt.update({&W}, {&g});
      if (q.inputs.count("g2")) {
        g = q.inputs.at("g2");
        opt.update({&W}, {&g});
      }
      CHECK(q.value(0, 0) == doctest::Approx(W(0, 0)).epsilon(1e-12));
      CHECK(mark(format_number(W(0, 0)), q.value).verdict == Verdict::Right);
      CHECK(q.hint.en == rule_of(c.kind));
    }
  CHECK(seen.size() == size_t(kOptimizerCount));  // every optimizer is asked
}

TEST_CASE("an optimizer step by hand, the book's numbers: Momentum from v = 0, two steps") {
  // v1 = −0.1·2 = −0.2, W1 = 1 − 0.2 = 0.8; v2 = 0.9·(−0.2) − 0.1·(−1) = −0.08, W2 = 0.72.
  Optimizer<double> opt(OptConfig{OptimizerKind::momentum, 0.1});
  Mat W = M({{1.0}}), g = M({{2.0}});
  opt.update({&W}, {&g});
  g = M({{-1.0}});
  opt.update({&W}, {&g});
  CHECK(W(0, 0) == doctest::Approx(0.72).epsilon(1e-14));
}

TEST_CASE("Xavier's and He's standard deviation: the answers are the activations experiment's own init_std") {
  std::set<std::string> seen;
  for (const Question& q : day2(Topic::init, 2, 5)) {
    INFO(q.prompt.en);
    seen.insert(q.detail);
    ActivationsConfig c;
    c.init = q.detail == "he" ? WeightInit::he : WeightInit::xavier;
    CHECK(q.value(0, 0) == doctest::Approx(init_std(c, int(in(q, "n")))).epsilon(1e-14));
  }
  CHECK(seen == std::set<std::string>{"xavier", "he"});
  // n = 100: Xavier 0.1; He √(2/100) ≈ 0.141
  ActivationsConfig x;
  x.init = WeightInit::xavier;
  CHECK(init_std(x, 100) == doctest::Approx(0.1));
}

TEST_CASE("a network's parameter count: the answer is the parameters a Net of those sizes has") {
  for (int difficulty = 1; difficulty <= 3; ++difficulty)
    for (const Question& q : day2(Topic::params, difficulty, 2, 12)) {
      INFO(q.prompt.en);
      std::vector<int> sizes;
      for (int i = 0; q.inputs.count("n" + std::to_string(i)); ++i) sizes.push_back(int(in(q, ("n" + std::to_string(i)).c_str())));
      REQUIRE(sizes.size() == size_t(difficulty >= 3 ? 4 : 3));
      NetConfig c;
      c.inputs = sizes.front(), c.outputs = sizes.back();
      c.hidden.assign(sizes.begin() + 1, sizes.end() - 1);
      Net<double> net(c);
      Eigen::Index count = 0;
      for (Mat* p : net.params()) count += p->size();
      CHECK(q.value(0, 0) == double(count));
    }
}

TEST_CASE("a saddle point: plain gradient descent stays on it, a noisy one leaves, as the right choices say") {
  int asked[2] = {0, 0};
  for (const Question& q : day2(Topic::saddle, 2, 8, 2)) {
    INFO(q.prompt.en);
    bool noisy = q.detail == "noise";
    ++asked[noisy];
    DescentConfig c{OptConfig{OptimizerKind::sgd, 0.1}, {in(q, "x"), in(q, "y")}, noisy ? 0.01 : 0.0, 3};
    Descent d(Surface(q.expr.substr(q.expr.find('=') + 1)), c);
    while (d.steps() < 300 && d.step()) {}
    Vec2 end = d.points().back();
    std::string right = q.choice(size_t(q.correct), Lang::en);
    if (noisy) {
      CHECK(std::abs(end.y) > 100);  // f fell without end (or the path stopped, diverged)
      CHECK(right.find("away along y") == 0);
    } else {
      CHECK(end.y == 0);
      CHECK(std::abs(end.x) < 1e-9);
      CHECK(right.find("to the saddle point (0, 0)") == 0);
    }
  }
  CHECK(asked[0] == 1);  // one of each on a sheet of two: the same situation is not asked twice
  CHECK(asked[1] == 1);
}

// --- day 3's topics (sequences): each answer read off the recurrence or the cell, built in the language -----------

namespace {
// The working ends in the answer, as the box marks it.
void check_working(const Question& q) {
  std::string end = "= " + q.answer_text() + ".";
  CHECK(q.working.en.size() > end.size());
  CHECK(q.working.en.rfind(end) == q.working.en.size() - end.size());
  CHECK(q.working.ja.rfind("= " + q.answer_text() + "。") != std::string::npos);
  CHECK(mark(q.answer_text(), q.value).verdict == Verdict::Right);
}
Mat column(const Question& q, const std::string& prefix, int T) {  // x1, x2, ... as the rows of x
  Mat m(T, 1);
  for (int t = 1; t <= T; ++t) m(t - 1, 0) = in(q, (prefix + std::to_string(t)).c_str());
  return m;
}
}  // namespace

TEST_CASE("BPTT: the shared weight's gradient is the recurrence's own backward pass, summed over time by the graph") {
  int sum_losses = 0;
  for (int difficulty = 1; difficulty <= 3; ++difficulty)
    for (const Question& q : day2(Topic::bptt, difficulty, 4, 20)) {
      INFO(q.prompt.en);
      int T = q.inputs.count("x3") ? 3 : 2;
      bool sum_loss = q.prompt.en.find("L = h[1] + h[2] + h[3]") != std::string::npos;
      sum_losses += sum_loss;
      std::string Ts = std::to_string(T);
      Graph g = build("for t in 1.." + Ts + " { h[t] = w * h[t-1] + x[t] }; L = " + (sum_loss ? "sum(h[1.." + Ts + "])" : "h[" + Ts + "]"),
                      {{"w", q.inputs.at("w")}, {"h[0]", q.inputs.at("h0")}, {"x", column(q, "x", T)}});
      CHECK(q.value(0, 0) == doctest::Approx(grad_of(g, "w")(0, 0)).epsilon(1e-12));
      // the working's forward values are the graph's
      Values v = forward(g);
      CHECK(q.working.en.find("h[" + Ts + "] = ") != std::string::npos);
      CHECK(q.working.en.find("= " + format_number(v[size_t(g.find("h[" + Ts + "]"))](0, 0)) + ".\nBackward") != std::string::npos);
      check_working(q);
    }
  CHECK(sum_losses > 0);
  // By hand: w = 2, h[0] = 1, x = 3, -1: h[1] = 5, h[2] = 9; ∂L/∂w = 1·h[1] + w·h[0] = 5 + 2 = 7.
  Graph g = build("for t in 1..2 { h[t] = w * h[t-1] + x[t] }; L = h[2]", {{"w", S(2)}, {"h[0]", S(1)}, {"x", M({{3}, {-1}})}});
  CHECK(grad_of(g, "w") == S(7));
}

TEST_CASE("a gate's derivative: read off the gate and its product built in the language") {
  std::set<std::string> gates;
  int levels[3] = {0, 0, 0};
  for (int difficulty = 1; difficulty <= 3; ++difficulty)
    for (const Question& q : day2(Topic::gate, difficulty, 6, 30)) {
      INFO(q.prompt.en);
      const std::string& G = q.detail;
      gates.insert(G);
      double out = in(q, G.c_str());
      bool tanh_gate = G == "g";
      double a = tanh_gate ? std::atanh(out) : std::log(out / (1 - out));  // the pre-activation that gives it
      int level = q.prompt.en.find("What is ∂L/∂a?") != std::string::npos ? 2 : q.prompt.en.find("What is ∂L/∂" + G + "?") != std::string::npos ? 1 : 0;
      ++levels[level];
      std::string gate = G + " = " + (tanh_gate ? "tanh(a)" : "sigmoid(a)");
      InputValues v = {{"a", S(a)}};
      std::string cell;
      if (level > 0) {
        v["delta"] = q.inputs.at("delta");
        if (G == "f") cell = "c = f * cp + i * g", v["cp"] = q.inputs.at("cp"), v["i"] = S(0.3), v["g"] = S(-0.7);
        if (G == "i") cell = "c = f * cp + i * g", v["g"] = q.inputs.at("cand"), v["f"] = S(0.6), v["cp"] = S(2);
        if (G == "g") cell = "c = f * cp + i * g", v["i"] = q.inputs.at("ig"), v["f"] = S(0.6), v["cp"] = S(2);
        if (G == "o") cell = "h = o * tanh(c)", v["c"] = S(std::atanh(in(q, "tc")));
        if (G == "z") cell = "h = (1 - z) * hp + z * hn", v["hp"] = q.inputs.at("hp"), v["hn"] = q.inputs.at("hn");
        REQUIRE(!cell.empty());
        cell += "; L = delta * " + cell.substr(0, 1);
      }
      Graph g = build(gate + (level > 0 ? "; " + cell : ""), v);
      double expected = grad_of(g, level == 1 ? G : "a")(0, 0);
      CHECK(q.value(0, 0) == doctest::Approx(expected).epsilon(1e-9));
      check_working(q);
    }
  CHECK(gates == std::set<std::string>{"f", "i", "o", "g", "z", "r"});
  CHECK(levels[0] > 0);
  CHECK(levels[1] > 0);
  CHECK(levels[2] > 0);
}

TEST_CASE("the LSTM's cell state: ∂c[K]/∂c[0] is the loop's backward pass, the product of the f's") {
  std::set<int> steps;
  for (int difficulty = 1; difficulty <= 3; ++difficulty)
    for (const Question& q : day2(Topic::cell, difficulty, 9, 20)) {
      INFO(q.prompt.en);
      InputValues v = {{"delta", q.inputs.at("delta")}};
      int K = 0;
      if (q.inputs.count("f")) {  // the same gate at every step
        const std::string& p = q.prompt.en;
        K = std::stoi(p.substr(p.find("t = 1 … ") + std::string("t = 1 … ").size()));
        v["f"] = Mat::Constant(K, 1, in(q, "f")), v["i"] = rnd(K, 1, 0, 1, 2), v["g"] = rnd(K, 1, -1, 1, 3), v["c[0]"] = S(0.5);
      } else {
        while (q.inputs.count("f" + std::to_string(K + 1))) ++K;
        v["f"] = column(q, "f", K), v["i"] = column(q, "i", K), v["g"] = column(q, "g", K), v["c[0]"] = q.inputs.at("c0");
      }
      steps.insert(K);
      std::string Ks = std::to_string(K);
      Graph g = build("for t in 1.." + Ks + " { c[t] = f[t] * c[t-1] + i[t] * g[t] }; L = delta * c[" + Ks + "]", v);
      CHECK(q.value(0, 0) == doctest::Approx(grad_of(g, "c[0]")(0, 0)).epsilon(1e-12));
      check_working(q);
    }
  CHECK(steps.count(1));
  CHECK(steps.size() >= 4);
  // 0.9 over 10 steps: 0.9^10, typed as such
  CHECK(mark("0.9^10", S(std::pow(0.9, 10))).verdict == Verdict::Right);
}

TEST_CASE("RNN, LSTM and GRU parameters: the weights a cell built in the language takes, counted once over two steps") {
  std::set<std::string> seen;
  for (int difficulty = 1; difficulty <= 3; ++difficulty)
    for (const Question& q : day2(Topic::rnnparams, difficulty, 3, 12)) {
      INFO(q.prompt.en);
      seen.insert(q.detail);
      int n = int(in(q, "n")), h = int(in(q, "h")), m = q.inputs.count("m") ? int(in(q, "m")) : 0;
      // Each block's weights as the prompt's form gives them: Wx n×h, Wh h×h, b 1×h.
      InputValues v = {{"x", Mat::Zero(2, n)}};
      auto block = [&](const std::string& k) {
        v["Wx" + k] = Mat::Zero(n, h), v["Wh" + k] = Mat::Zero(h, h), v["b" + k] = Mat::Zero(1, h);
        return "x[t] @ Wx" + k + " + h[t-1] @ Wh" + k + " + b" + k;
      };
      std::string body;
      if (q.detail == "rnn") body = "h[t] = tanh(" + block("") + ")";
      if (q.detail == "lstm")
        body = "f[t] = sigmoid(" + block("f") + "); i[t] = sigmoid(" + block("i") + "); o[t] = sigmoid(" + block("o") + "); g[t] = tanh(" +
               block("g") + "); c[t] = f[t] * c[t-1] + i[t] * g[t]; h[t] = o[t] * tanh(c[t])";
      if (q.detail == "gru") {
        std::string n_gate = block("n");
        n_gate.replace(n_gate.find("h[t-1] @"), 8, "(r[t] * h[t-1]) @");  // the reset gate scales h[t-1] first
        body = "z[t] = sigmoid(" + block("z") + "); r[t] = sigmoid(" + block("r") + "); n[t] = tanh(" + n_gate +
               "); h[t] = (1 - z[t]) * h[t-1] + z[t] * n[t]";
      }
      REQUIRE(!body.empty());
      std::string out = "L = sum(h[2])";
      if (m) body += "; y[t] = h[t] @ Wy + by", v["Wy"] = Mat::Zero(h, m), v["by"] = Mat::Zero(1, m), out = "L = sum(y[2])";
      Graph g = build("for t in 1..2 { " + body + " }; " + out, v);  // the shapes fit the form, or build refuses
      double count = 0;
      for (int id : g.inputs) {
        const Node& node = g.nodes[size_t(id)];
        if (node.name != "x" && node.name != "h[0]" && node.name != "c[0]") count += node.rows * node.cols;
      }
      CHECK(q.value(0, 0) == count);
      check_working(q);
    }
  CHECK(seen == std::set<std::string>{"rnn", "lstm", "gru"});
}

TEST_CASE("day 3's questions: the same seed gives the same sheet, in both languages, each with its working") {
  QuizOptions o;
  o.topics = {Topic::bptt, Topic::gate, Topic::cell, Topic::rnnparams}, o.seed = 12, o.count = 40;
  std::string a = quiz_json(generate_quiz(o), Lang::ja);
  CHECK(a == quiz_json(generate_quiz(o), Lang::ja));
  std::set<Topic> seen;
  for (const Question& q : generate_quiz(o)) {
    seen.insert(q.topic);
    CHECK(q.kind == AnswerKind::Number);
    CHECK(!q.prompt.ja.empty());
    CHECK(q.prompt.ja != q.prompt.en);
    CHECK(!q.working.ja.empty());
  }
  CHECK(seen.size() == 4);
  CHECK(quiz_markdown(generate_quiz(o), o, Lang::en).find("∂L/∂w = ") != std::string::npos);
}
