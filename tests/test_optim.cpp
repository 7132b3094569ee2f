// Optimizers and surfaces: each optimizer's path on the book's f(x, y) = x²/20 + y² against the book's
// optimizer.py written again here, step by step; the published Adam and Adadelta likewise; the book's Figure 6-8;
// gradient noise; the saddle point; and every message a bad surface or a diverging path gets.
#include "helpers.h"
#include "optim.h"
#include "surface.h"

#include <cmath>
#include <set>

using namespace kobai;

namespace {

// --- the book's common/optimizer.py, written again from the book -------------------------------------------------
// Its params and grads are dicts {'x': .., 'y': ..}: here two doubles, p[0] = x, p[1] = y.
struct Book {
  virtual ~Book() = default;
  virtual void update(double* p, const double* g) = 0;
};
struct BookSGD : Book {
  double lr;
  explicit BookSGD(double lr_) : lr(lr_) {}
  void update(double* p, const double* g) override {
    for (int k = 0; k < 2; ++k) p[k] -= lr * g[k];  // params[key] -= self.lr * grads[key]
  }
};
struct BookMomentum : Book {
  double lr, momentum = 0.9, v[2] = {0, 0};
  explicit BookMomentum(double lr_) : lr(lr_) {}
  void update(double* p, const double* g) override {
    for (int k = 0; k < 2; ++k) {
      v[k] = momentum * v[k] - lr * g[k];  // self.v[key] = self.momentum*self.v[key] - self.lr*grads[key]
      p[k] += v[k];
    }
  }
};
struct BookNesterov : Book {
  double lr, momentum = 0.9, v[2] = {0, 0};
  explicit BookNesterov(double lr_) : lr(lr_) {}
  void update(double* p, const double* g) override {
    for (int k = 0; k < 2; ++k) {
      v[k] *= momentum;
      v[k] -= lr * g[k];
      p[k] += momentum * momentum * v[k];
      p[k] -= (1 + momentum) * lr * g[k];
    }
  }
};
struct BookAdaGrad : Book {
  double lr, h[2] = {0, 0};
  explicit BookAdaGrad(double lr_) : lr(lr_) {}
  void update(double* p, const double* g) override {
    for (int k = 0; k < 2; ++k) {
      h[k] += g[k] * g[k];
      p[k] -= lr * g[k] / (std::sqrt(h[k]) + 1e-7);
    }
  }
};
struct BookRMSprop : Book {
  double lr, decay_rate = 0.99, h[2] = {0, 0};
  explicit BookRMSprop(double lr_) : lr(lr_) {}
  void update(double* p, const double* g) override {
    for (int k = 0; k < 2; ++k) {
      h[k] *= decay_rate;
      h[k] += (1 - decay_rate) * g[k] * g[k];
      p[k] -= lr * g[k] / (std::sqrt(h[k]) + 1e-7);
    }
  }
};
struct BookAdam : Book {
  double lr, beta1 = 0.9, beta2 = 0.999, m[2] = {0, 0}, v[2] = {0, 0};
  int iter = 0;
  explicit BookAdam(double lr_) : lr(lr_) {}
  void update(double* p, const double* g) override {
    iter += 1;
    double lr_t = lr * std::sqrt(1.0 - std::pow(beta2, iter)) / (1.0 - std::pow(beta1, iter));
    for (int k = 0; k < 2; ++k) {
      m[k] += (1 - beta1) * (g[k] - m[k]);
      v[k] += (1 - beta2) * (g[k] * g[k] - v[k]);
      p[k] -= lr_t * m[k] / (std::sqrt(v[k]) + 1e-7);
    }
  }
};
// The published forms: Kingma and Ba's Algorithm 1, and Zeiler's Algorithm 1 (times a learning rate, as PyTorch).
struct PaperAdam : Book {
  double lr, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, m[2] = {0, 0}, v[2] = {0, 0};
  int t = 0;
  explicit PaperAdam(double lr_) : lr(lr_) {}
  void update(double* p, const double* g) override {
    t += 1;
    for (int k = 0; k < 2; ++k) {
      m[k] = beta1 * m[k] + (1 - beta1) * g[k];
      v[k] = beta2 * v[k] + (1 - beta2) * g[k] * g[k];
      double m_hat = m[k] / (1 - std::pow(beta1, t)), v_hat = v[k] / (1 - std::pow(beta2, t));
      p[k] -= lr * m_hat / (std::sqrt(v_hat) + eps);
    }
  }
};
struct PaperAdadelta : Book {
  double lr, rho = 0.95, eps = 1e-6, Eg2[2] = {0, 0}, Edx2[2] = {0, 0};
  explicit PaperAdadelta(double lr_) : lr(lr_) {}
  void update(double* p, const double* g) override {
    for (int k = 0; k < 2; ++k) {
      Eg2[k] = rho * Eg2[k] + (1 - rho) * g[k] * g[k];
      double dx = -std::sqrt(Edx2[k] + eps) / std::sqrt(Eg2[k] + eps) * g[k];
      Edx2[k] = rho * Edx2[k] + (1 - rho) * dx * dx;
      p[k] += lr * dx;
    }
  }
};

// optimizer_compare_naive.py's f and df, and its loop: the start, then 30 updates.
double book_f(double x, double y) { return x * x / 20.0 + y * y; }
std::vector<Vec2> book_path(Book& opt, int steps) {
  double p[2] = {-7.0, 2.0};
  std::vector<Vec2> out{{p[0], p[1]}};
  for (int i = 0; i < steps; ++i) {
    double g[2] = {p[0] / 10.0, 2.0 * p[1]};  // df(x, y)
    opt.update(p, g);
    out.push_back({p[0], p[1]});
  }
  return out;
}

Path engine_path(OptimizerKind k, double lr, bool book, int steps = 30, const std::string& f = "x^2/20 + y^2", Vec2 start = {-7, 2},
                 double noise = 0, uint64_t seed = 1) {
  OptConfig c = optimizer_defaults(k, book);
  c.lr = lr;
  return descend(Surface(f), {c, start, noise, seed}, steps);
}

std::string message_of(const std::string& f, Vec2 start = {-7, 2}) {
  try {
    Surface s(f);
    s.check_start(start);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("each optimizer's path on x²/20 + y² follows the book's optimizer.py, step by step, for 30 steps") {
  struct Case {
    OptimizerKind kind;
    double lr;
    std::unique_ptr<Book> book;
  };
  Case cases[] = {{OptimizerKind::sgd, 0.95, std::make_unique<BookSGD>(0.95)},
                  {OptimizerKind::momentum, 0.1, std::make_unique<BookMomentum>(0.1)},
                  {OptimizerKind::nesterov, 0.1, std::make_unique<BookNesterov>(0.1)},
                  {OptimizerKind::adagrad, 1.5, std::make_unique<BookAdaGrad>(1.5)},
                  {OptimizerKind::rmsprop, 0.1, std::make_unique<BookRMSprop>(0.1)},
                  {OptimizerKind::adam, 0.3, std::make_unique<BookAdam>(0.3)}};
  for (Case& c : cases) {
    CAPTURE(name_of(c.kind));
    std::vector<Vec2> want = book_path(*c.book, 30);
    Path got = engine_path(c.kind, c.lr, true);
    CHECK(got.message == "");
    REQUIRE(got.points.size() == 31);  // the start, then a point per step
    for (size_t i = 0; i < want.size(); ++i) {
      CAPTURE(i);
      // The engine's gradient is the graph's (x^2)/20, 2x/20 where the book writes x/10: the last bits may differ.
      CHECK(got.points[i].x == doctest::Approx(want[i].x).epsilon(1e-9));
      CHECK(got.points[i].y == doctest::Approx(want[i].y).epsilon(1e-9));
      CHECK(got.values[i] == doctest::Approx(book_f(want[i].x, want[i].y)).epsilon(1e-9));
    }
  }
}

TEST_CASE("the published Adam (m̂ and v̂) and Adadelta follow their papers, step by step") {
  PaperAdam adam(0.3);
  PaperAdadelta adadelta(1.0);
  std::vector<Vec2> want_adam = book_path(adam, 30), want_adadelta = book_path(adadelta, 30);
  Path got_adam = engine_path(OptimizerKind::adam, 0.3, false), got_adadelta = engine_path(OptimizerKind::adadelta, 1.0, false);
  REQUIRE(got_adam.points.size() == 31);
  REQUIRE(got_adadelta.points.size() == 31);
  for (size_t i = 0; i < 31; ++i) {
    CAPTURE(i);
    CHECK(got_adam.points[i].x == doctest::Approx(want_adam[i].x).epsilon(1e-9));
    CHECK(got_adam.points[i].y == doctest::Approx(want_adam[i].y).epsilon(1e-9));
    CHECK(got_adadelta.points[i].x == doctest::Approx(want_adadelta[i].x).epsilon(1e-9));
    CHECK(got_adadelta.points[i].y == doctest::Approx(want_adadelta[i].y).epsilon(1e-9));
  }
  // The two Adams differ only in ε: a visible difference needs a gradient near ε. With g = 1e-8 the book's first
  // step is η_t·m/(√v + 1e-7) with m = 0.1g, v = 0.001g²; the paper's η·m̂/(√v̂ + 1e-8) with m̂ = g, v̂ = g².
  for (bool book : {true, false}) {
    OptConfig c = optimizer_defaults(OptimizerKind::adam, book);
    c.lr = 1;
    Optimizer<double> opt(c);
    Mat W = test::S(0), g = test::S(1e-8);
    opt.update({&W}, {&g});
    const double lr_t = std::sqrt(1 - 0.999) / (1 - 0.9);
    CHECK(W(0, 0) == doctest::Approx(book ? -lr_t * (0.1 * 1e-8) / (std::sqrt(0.001 * 1e-16) + 1e-7) : -1e-8 / (1e-8 + 1e-8)).epsilon(1e-9));
  }
  // Adadelta has no book form: book = true changes nothing.
  CHECK(engine_path(OptimizerKind::adadelta, 1.0, true).points.back().x == got_adadelta.points.back().x);
}

TEST_CASE("the book's Figure 6-8: SGD 0.95, Momentum 0.1, AdaGrad 1.5, Adam 0.3, 30 steps from (−7, 2)") {
  const PathPreset* p = find_path_preset("fig6-8");
  REQUIRE(p);
  CHECK(p->surface == SurfaceKind::book);
  CHECK(std::string(surface_def(p->surface).expr) == "x^2/20 + y^2");
  CHECK(p->start.x == -7);
  CHECK(p->start.y == 2);
  CHECK(p->steps == 30);
  REQUIRE(p->optimizers.size() == 4);
  const OptimizerKind kinds[] = {OptimizerKind::sgd, OptimizerKind::momentum, OptimizerKind::adagrad, OptimizerKind::adam};
  const double lrs[] = {0.95, 0.1, 1.5, 0.3};
  std::vector<Path> paths;
  for (int i = 0; i < 4; ++i) {
    CHECK(p->optimizers[i].kind == kinds[i]);
    CHECK(p->optimizers[i].lr == lrs[i]);
    CHECK(p->optimizers[i].book);
    paths.push_back(descend(Surface(surface_def(p->surface).expr), {p->optimizers[i], p->start}, p->steps));
  }
  // SGD: x ← x − 0.95·x/10 and y ← y − 0.95·2y, so x_k = −7·0.905^k and y_k = 2·(−0.9)^k: the zigzag in y.
  for (int k = 0; k <= 30; ++k) {
    CHECK(paths[0].points[k].x == doctest::Approx(-7 * std::pow(0.905, k)).epsilon(1e-9));
    CHECK(paths[0].points[k].y == doctest::Approx(2 * std::pow(-0.9, k)).epsilon(1e-9));
  }
  // The first steps, by hand. Momentum: v = −0.1·(−0.7, 4) = (0.07, −0.4). AdaGrad: h = g², so each coordinate
  // moves by η = 1.5 against its gradient's sign. Adam: the first step moves each coordinate by η = 0.3.
  CHECK(paths[1].points[1].x == doctest::Approx(-6.93));
  CHECK(paths[1].points[1].y == doctest::Approx(1.6));
  CHECK(paths[2].points[1].x == doctest::Approx(-5.5).epsilon(1e-6));
  CHECK(paths[2].points[1].y == doctest::Approx(0.5).epsilon(1e-6));
  CHECK(paths[3].points[1].x == doctest::Approx(-6.7).epsilon(1e-6));
  CHECK(paths[3].points[1].y == doctest::Approx(1.7).epsilon(1e-6));
  // After 30 steps every one of them is far down from f(−7, 2) = 6.45.
  for (const Path& path : paths) CHECK(path.values.back() < 0.2);
}

TEST_CASE("the table: every optimizer has a row, in the enum's order, its defaults in range") {
  std::set<std::string> names;
  for (int i = 0; i < kOptimizerCount; ++i) {
    OptimizerKind k = OptimizerKind(i);
    const OptimizerDef& d = optimizer_def(k);
    CAPTURE(name_of(k));
    CHECK(d.kind == k);
    CHECK(names.insert(name_of(k)).second);
    REQUIRE(!d.settings.empty());
    CHECK(d.settings[0].key == OptSettingKey::lr);
    CHECK(std::string(d.rule).find("ΔW") != std::string::npos);
    CHECK(std::string(d.idea.en).size() > 10);
    CHECK(std::string(d.idea.ja).size() > 10);
    CHECK_NOTHROW(check(optimizer_defaults(k)));
    CHECK_NOTHROW(check(optimizer_defaults(k, true)));
    for (const OptParam& p : d.settings) CHECK(opt_value(optimizer_defaults(k), p.key) == p.default_value);
  }
  CHECK(names.count("adadelta"));
  CHECK(std::string(names_of<OptimizerKind>().names[5]) == "adam");  // links already hold these indices' names
  CHECK(std::string(rule_of(OptimizerKind::sgd)) == "ΔW = −η·∇");
  CHECK(std::string(rule_of(OptimizerKind::adam, false)).find("m̂") != std::string::npos);
  CHECK(std::string(rule_of(OptimizerKind::adam, true)).find("η_t") != std::string::npos);
  // The playground's OptConfig{kind, lr} keeps the book's formulas it always trained with.
  CHECK(OptConfig{OptimizerKind::adam, 0.01}.book);
}

TEST_CASE("a setting out of its range is refused, naming it, its range and the value") {
  OptConfig c = optimizer_defaults(OptimizerKind::momentum);
  c.lr = 200;
  CHECK_THROWS_WITH(check(c), "the learning rate η (lr) must be from 1e-06 to 100, not 200");
  c.lr = 0.1, c.momentum = 1;
  CHECK_THROWS_WITH(check(c), "the momentum α (momentum) must be from 0 to 0.999, not 1");
  c.momentum = NAN;
  CHECK_THROWS_WITH(check(c), "the momentum α (momentum) must be from 0 to 0.999, not NaN");
  c = optimizer_defaults(OptimizerKind::sgd);
  c.momentum = 7;  // SGD has no momentum: not its setting, not checked
  CHECK_NOTHROW(check(c));
  c = optimizer_defaults(OptimizerKind::adam, false);
  c.eps = 0;
  CHECK_THROWS_WITH(check(c), "the epsilon ε (eps) must be from 1e-12 to 1, not 0");
  c.book = true;  // the book's Adam adds its own 1e-7 and never reads eps
  CHECK_NOTHROW(check(c));
  DescentConfig d{optimizer_defaults(OptimizerKind::sgd), {0, 0}, -1};
  CHECK_THROWS_WITH(check(d), "the gradient noise must be from 0 to 1e+06, not -1");
}

TEST_CASE("one step shows ∇, the optimizer's state and ΔW, with numbers, per parameter") {
  // Adam, published form, first step on g = (0.5, −2): m = 0.1·g, v = 0.001·g², m̂ = g, v̂ = g², ΔW ≈ −η·sign(g).
  Optimizer<double> opt(optimizer_defaults(OptimizerKind::adam));
  Mat W = test::M({{1, 1}}), g = test::M({{0.5, -2}});
  StepShown shown;
  opt.update({&W}, {&g}, &shown);
  CHECK(shown.t == 1);
  REQUIRE(shown.params.size() == 1);
  const ParamShown& p = shown.params[0];
  std::vector<std::string> keys;
  for (const ShownValue& v : p.values) keys.push_back(v.key);
  CHECK(keys == std::vector<std::string>{"grad", "m", "v", "m_hat", "v_hat", "delta"});
  CHECK(std::string(p.find("m_hat")->symbol) == "m̂");
  CHECK(std::string(p.find("v_hat")->meaning.en) == "v with the bias correction");
  CHECK(p.find("m")->value(0, 0) == doctest::Approx(0.05));
  CHECK(p.find("v")->value(0, 1) == doctest::Approx(0.004));
  CHECK(p.find("m_hat")->value(0, 1) == doctest::Approx(-2));
  CHECK(p.find("v_hat")->value(0, 1) == doctest::Approx(4));
  CHECK(p.find("delta")->value(0, 0) == doctest::Approx(-0.001));
  CHECK(p.find("delta")->value(0, 1) == doctest::Approx(0.001));
  CHECK(p.find("lr_t") == nullptr);  // the book's form shows η_t instead
  // Every optimizer, both forms: ∇ first, ΔW last and equal to the change in W, every value named in its row.
  for (int i = 0; i < kOptimizerCount; ++i)
    for (bool book : {true, false}) {
      CAPTURE(name_of(OptimizerKind(i)));
      CAPTURE(book);
      Optimizer<double> o(optimizer_defaults(OptimizerKind(i), book));
      Mat w = test::M({{1, 2}}), before = w, d = test::M({{0.5, -1}});
      StepShown s;
      REQUIRE_NOTHROW(o.update({&w}, {&d}, &s));
      const auto& vals = s.params[0].values;
      REQUIRE(vals.size() >= 2);
      CHECK(std::string(vals.front().key) == "grad");
      CHECK(std::string(vals.back().key) == "delta");
      CHECK((vals.back().value - (w - before)).norm() == 0);
      CHECK(vals.size() == 2 + (i == 0 ? 0 : i == int(OptimizerKind::adam) ? (book ? 3 : 4) : i == int(OptimizerKind::adadelta) ? 2 : 1));
    }
  // A path names its parameters as the book's dict does: x and y.
  Descent path(Surface("x^2/20 + y^2"), {optimizer_defaults(OptimizerKind::momentum), {-7, 2}});
  StepReport r;
  REQUIRE(path.step(&r));
  CHECK(r.step == 1);
  CHECK(r.gradient.x == doctest::Approx(-0.7));
  CHECK(r.gradient.y == doctest::Approx(4));
  CHECK(r.shown.params[0].name == "x");
  CHECK(r.shown.params[1].find("v")->value(0, 0) == doctest::Approx(-0.01 * 4));
  CHECK(r.to.y == doctest::Approx(2 - 0.04));
}

TEST_CASE("the gradient is the graph's backward pass: Rosenbrock against its derivative by hand") {
  Surface f(surface_def(SurfaceKind::rosenbrock).expr);
  for (Vec2 p : {Vec2{-1.2, 1}, Vec2{0.5, -0.3}, Vec2{2, 3}}) {
    Vec2 g;
    double v = f.value(p, &g);
    CHECK(v == doctest::Approx((1 - p.x) * (1 - p.x) + 100 * (p.y - p.x * p.x) * (p.y - p.x * p.x)));
    CHECK(g.x == doctest::Approx(-2 * (1 - p.x) - 400 * p.x * (p.y - p.x * p.x)));
    CHECK(g.y == doctest::Approx(200 * (p.y - p.x * p.x)));
  }
  // A variable f does not use has no gradient; names assigned in f are not inputs.
  Vec2 g;
  Surface("u = x^2; u*3").value({2, 5}, &g);
  CHECK(g.x == doctest::Approx(12));
  CHECK(g.y == 0);
  // Every surface of the table parses and is finite at its start, and its start lies inside its view.
  for (int i = 0; i < int(std::size(kSurfaceNames)); ++i) {
    const SurfaceDef& d = surface_def(SurfaceKind(i));
    CAPTURE(d.expr);
    CHECK_NOTHROW(Surface(d.expr).check_start(d.start));
    CHECK((d.view.x0 < d.start.x && d.start.x < d.view.x1 && d.view.y0 <= d.start.y && d.start.y < d.view.y1));
  }
}

TEST_CASE("gradient noise: the same seed gives the same path, another seed another") {
  auto run = [](double noise, uint64_t seed) { return engine_path(OptimizerKind::sgd, 0.1, false, 50, "x^2/20 + y^2", {-7, 2}, noise, seed).points; };
  auto same = [](const std::vector<Vec2>& a, const std::vector<Vec2>& b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
      if (a[i].x != b[i].x || a[i].y != b[i].y) return false;
    return true;
  };
  CHECK(same(run(0.5, 7), run(0.5, 7)));
  CHECK(!same(run(0.5, 7), run(0.5, 8)));
  CHECK(!same(run(0.5, 7), run(0, 7)));
  CHECK(same(run(0, 7), run(0, 8)));  // no noise: the seed does nothing
  // The noise is what the step reports as used, on top of the backward pass's gradient.
  Descent d(Surface("x^2/20 + y^2"), {optimizer_defaults(OptimizerKind::sgd), {-7, 2}, 0.5, 7});
  StepReport r;
  d.step(&r);
  Rng rng{7};
  CHECK(r.used.x == doctest::Approx(r.gradient.x + 0.5 * rng.normal()));
  CHECK(r.used.y == doctest::Approx(r.gradient.y + 0.5 * rng.normal()));
}

TEST_CASE("the saddle x² − y²: gradient descent from (1, 0) stays on the ridge; with noise it leaves") {
  const SurfaceDef& s = surface_def(SurfaceKind::saddle);
  CHECK(s.start.x == 1);
  CHECK(s.start.y == 0);
  // On y = 0, ∂f/∂y = −2y = 0 exactly: no optimizer in the table can leave the line, and x slides to the saddle.
  for (int i = 0; i < kOptimizerCount; ++i) {
    CAPTURE(name_of(OptimizerKind(i)));
    Path p = engine_path(OptimizerKind(i), 0.1, false, 200, s.expr, s.start);
    CHECK(p.message == "");
    for (Vec2 q : p.points) CHECK(q.y == 0);
  }
  Path sgd = engine_path(OptimizerKind::sgd, 0.1, false, 200, s.expr, s.start);
  CHECK(std::abs(sgd.points.back().x) < 1e-9);  // x ← 0.8x: stuck at the saddle point (0, 0), where f = 0
  // With a little noise in the gradient (SGD's mini-batches), y leaves 0 and grows by 1.2 a step.
  Path noisy = engine_path(OptimizerKind::sgd, 0.1, false, 100, s.expr, s.start, 0.01, 3);
  double far = 0;
  for (Vec2 q : noisy.points) far = std::max(far, std::abs(q.y));
  CHECK(far > 1);
  CHECK(noisy.values.back() < -1);
}

TEST_CASE("a surface that is not a function of x and y, or not finite at the start, is refused with a message") {
  CHECK(message_of("x + z") == "line 1, column 5: f may use only the inputs x and y, not 'z'\n  x + z\n      ^");
  CHECK(message_of("u = x*w; u + y").find("column 7: f may use only the inputs x and y, not 'w'") != std::string::npos);
  CHECK(message_of("x^2 +").find("line 1, column 6:") != std::string::npos);
  CHECK(message_of("").find("the expression is empty") != std::string::npos);
  CHECK(message_of("log(x) + y") == "f is NaN at the start (x, y) = (-7, 2): pick another start or another f");
  CHECK(message_of("1/x + y", {0, 1}) == "f is inf at the start (x, y) = (0, 1): pick another start or another f");
  CHECK(message_of("x^0.5 + y", {0, 1}) == "f's gradient is (inf, 1) at the start (x, y) = (0, 1): pick another start or another f");
  CHECK(message_of("x^2/20 + y^2") == "");
  CHECK(message_of("3") == "");  // a constant is a surface too, if a dull one
  // The start of a path is checked too.
  CHECK_THROWS_WITH(Descent(Surface("log(x)"), {optimizer_defaults(OptimizerKind::sgd), {-1, 0}}),
                    "f is NaN at the start (x, y) = (-1, 0): pick another start or another f");
}

TEST_CASE("a path that diverges stops, saying at which step and what the value was") {
  // SGD with η = 1.2 on x²/20 + y²: y ← y − 2.4y = −1.4y, so y_k = 2·(−1.4)^k and x_k = −7·0.88^k. The first
  // step whose f passes 1e12 is where the path stops, that point kept (it is finite).
  int k = 0;
  double x = -7, y = 2;
  while (x * x / 20 + y * y <= kDivergedAbove) ++k, x *= 0.88, y *= -1.4;
  Path p = engine_path(OptimizerKind::sgd, 1.2, false, 1000);
  REQUIRE(p.points.size() == size_t(k + 1));
  CHECK(p.message.find("the path diverged at step " + std::to_string(k) + ": f = " + format_number(p.values.back()) +
                       " (past 1e+12 in size) at (x, y) = (") == 0);
  CHECK(p.message.find("The learning rate (1.2) may be too large") != std::string::npos);
  // A value that becomes NaN: log(x) from x = 1 with η = 2 jumps to x = −1. The NaN point is not kept.
  Path q = engine_path(OptimizerKind::sgd, 2, false, 10, "log(x) + y^2", {1, 0});
  CHECK(q.points.size() == 1);
  CHECK(q.message.find("the path diverged at step 1: f = NaN at (x, y) = (-1, 0)") == 0);
  // Once stopped, a path stays stopped.
  Descent d(Surface("log(x) + y^2"), {[] { OptConfig c = optimizer_defaults(OptimizerKind::sgd); c.lr = 2; return c; }(), {1, 0}});
  CHECK(!d.step());
  CHECK(!d.step());
  CHECK(d.steps() == 0);
  CHECK(d.stopped());
}

TEST_CASE("Adadelta starts slowly, as its idea says: the first step is about √ε/√(1 − ρ) whatever ∇ is, then grows") {
  const OptConfig c = optimizer_defaults(OptimizerKind::adadelta);  // η 1, ρ 0.95, ε 1e-6
  const double first = std::sqrt(c.eps) / std::sqrt(1 - c.decay);
  CHECK(first == doctest::Approx(0.0045).epsilon(0.01));
  CHECK(std::string(optimizer_def(OptimizerKind::adadelta).idea.en).find("≈ 0.0045") != std::string::npos);
  for (double g : {0.1, 10.0, 1000.0}) {
    Optimizer<double> opt(c);
    Mat W = Mat::Zero(1, 1), G = Mat::Constant(1, 1, g);
    opt.update({&W}, {&G});
    double step1 = std::abs(W(0, 0));
    CHECK(step1 == doctest::Approx(first).epsilon(0.01));
    Mat before = W;
    opt.update({&W}, {&G});
    CHECK(std::abs(W(0, 0) - before(0, 0)) > step1);  // s has filled a little: a larger step
  }
}
