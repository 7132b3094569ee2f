// Loss surfaces and optimizer paths: the table of surfaces, a typed f(x, y) checked and differentiated by the
// graph, and an optimizer stepping down it as the book's optimizer_compare_naive.py does (params x and y).
#include "surface.h"

#include <cmath>
#include <stdexcept>

namespace kobai {

namespace {

const SurfaceDef kSurfaces[] = {
    {SurfaceKind::book, {"The book's f(x, y) = x²/20 + y²", "本書の f(x, y) = x²/20 + y²"}, "x^2/20 + y^2", {-7, 2},
     {-10, 10, -5, 5},
     {"Steep in y, nearly flat in x: SGD zigzags across the valley while it crawls along it.",
      "y 方向に急で x 方向にはほぼ平ら。SGD は谷を横切ってジグザグに進み、谷に沿ってはなかなか進まない。"}},
    {SurfaceKind::saddle, {"A saddle: f(x, y) = x² − y²", "鞍点: f(x, y) = x² − y²"}, "x^2 - y^2", {1, 0}, {-2, 2, -2, 2},
     {"On the line y = 0 the gradient has no y part: gradient descent slides into the saddle point and stops. A "
      "little gradient noise (SGD's mini-batches) pushes it off, and it falls away.",
      "y = 0 の線上では勾配に y 成分がない。勾配降下法は鞍点へ滑り込んで止まる。少しの勾配のノイズ（SGD のミニバッチ）で線から外れ、下っていく。"}},
    {SurfaceKind::plateau, {"A plateau: f(x, y) = 1 − exp(−(x² + y²)/2)", "プラトー: f(x, y) = 1 − exp(−(x² + y²)/2)"},
     "1 - exp(-(x^2 + y^2)/2)", {3, 2}, {-4, 4, -4, 4},
     {"Far from the middle the surface is almost flat: the gradient is tiny, so SGD hardly moves, while AdaGrad, "
      "RMSProp and Adam divide by the gradient's own size and walk on.",
      "中心から離れるとほぼ平ら。勾配がとても小さいので SGD はほとんど動かないが、AdaGrad・RMSProp・Adam は勾配の大きさで割るので進んでいく。"}},
    {SurfaceKind::rosenbrock, {"Rosenbrock: f(x, y) = (1 − x)² + 100(y − x²)²", "Rosenbrock: f(x, y) = (1 − x)² + 100(y − x²)²"},
     "(1 - x)^2 + 100*(y - x^2)^2", {-1.2, 1}, {-2, 2, -1, 3},
     {"A long curved valley with its minimum at (1, 1): finding the valley is quick, following it is slow.",
      "曲がった細長い谷で、最小値は (1, 1)。谷に入るのは速いが、谷に沿って進むのは遅い。"}},
    {SurfaceKind::himmelblau, {"Himmelblau: f(x, y) = (x² + y − 11)² + (x + y² − 7)²", "Himmelblau: f(x, y) = (x² + y − 11)² + (x + y² − 7)²"},
     "(x^2 + y - 11)^2 + (x + y^2 - 7)^2", {0, 0}, {-5, 5, -5, 5},
     {"Four minima, all with f = 0: which one a path reaches depends on the start and the optimizer.",
      "最小値が 4 つあり、どれも f = 0。どれにたどり着くかは出発点と最適化手法で決まる。"}},
};
static_assert(std::size(kSurfaces) == std::size(kSurfaceNames), "a row for every surface");

// The first use of input `name` in the program, for a message that points at it.
const Expr* first_use(const Expr& e, const std::string& name) {
  if (e.kind == Expr::Name && e.text == name) return &e;
  for (const auto& a : e.args)
    if (const Expr* f = first_use(*a, name)) return f;
  return nullptr;
}

std::string point(Vec2 p) { return "(" + format_number(p.x) + ", " + format_number(p.y) + ")"; }
bool finite(Vec2 p) { return std::isfinite(p.x) && std::isfinite(p.y); }

}  // namespace

const SurfaceDef& surface_def(SurfaceKind k) {
  const SurfaceDef& d = kSurfaces[int(k)];
  if (d.kind != k) throw std::logic_error("the surface table is out of the enum's order");
  return d;
}

Surface::Surface(const std::string& expr) : expr_(expr) {
  try {
    Program p = parse(expr);
    InputValues at;
    for (const std::string& name : input_names(p)) {
      if (name != "x" && name != "y") {
        const Expr* e = nullptr;
        for (const Statement& s : p.statements)
          if (!e) e = first_use(*s.expr, name);
        throw InputError("f may use only the inputs x and y, not '" + quote(name) + "'", e ? e->line : 0, e ? e->column : 0);
      }
      at[name] = Mat::Zero(1, 1);
    }
    g_ = build(p, at);
  } catch (const InputError& e) {
    throw InputError(format_error(e, expr), e.line, e.column);
  }
  const Node& out = g_.nodes[size_t(g_.output)];
  if (out.rows != 1 || out.cols != 1)
    throw InputError("f must be a number (1x1), but it is " + std::to_string(out.rows) + "x" + std::to_string(out.cols));
  x_ = g_.find("x"), y_ = g_.find("y");
  if (x_ >= 0 && g_.nodes[size_t(x_)].kind != NodeKind::Input) x_ = -1;  // a statement named x, not the input
  if (y_ >= 0 && g_.nodes[size_t(y_)].kind != NodeKind::Input) y_ = -1;
  v_ = g_.leaf_values();
}

double Surface::eval(Vec2 p, Vec2* gradient) const {
  if (x_ >= 0) v_[size_t(x_)](0, 0) = p.x;
  if (y_ >= 0) v_[size_t(y_)](0, 0) = p.y;
  forward(g_, v_);
  double f = v_[size_t(g_.output)](0, 0);
  if (gradient) {
    Values d = backward(g_, v_);
    gradient->x = x_ >= 0 ? d[size_t(x_)](0, 0) : 0;
    gradient->y = y_ >= 0 ? d[size_t(y_)](0, 0) : 0;
  }
  return f;
}

double Surface::value(Vec2 p) const { return eval(p, nullptr); }
double Surface::value(Vec2 p, Vec2* gradient) const { return eval(p, gradient); }

void Surface::check_start(Vec2 p) const {
  if (!finite(p)) throw InputError("the start " + point(p) + " is not a finite point");
  Vec2 g;
  double f = value(p, &g);
  if (!std::isfinite(f))
    throw InputError("f is " + format_number(f) + " at the start (x, y) = " + point(p) + ": pick another start or another f");
  if (!finite(g))
    throw InputError("f's gradient is " + point(g) + " at the start (x, y) = " + point(p) + ": pick another start or another f");
}

void check(const DescentConfig& c) {
  check(c.opt);
  if (!(c.noise >= 0 && c.noise <= 1e6))
    throw InputError("the gradient noise must be from 0 to 1e+06, not " + format_number(c.noise));
}

Descent::Descent(Surface f, const DescentConfig& c)
    : f_(std::move(f)), cfg_(c), opt_(c.opt), rng_{c.seed}, x_(Mat::Constant(1, 1, c.start.x)), y_(Mat::Constant(1, 1, c.start.y)),
      gx_(1, 1), gy_(1, 1) {
  check(c);
  f_.check_start(c.start);
  points_.push_back(c.start);
  values_.push_back(f_.value(c.start));
}

void Descent::stop(int step, const std::string& what, Vec2 at) {
  message_ = "the path diverged at step " + std::to_string(step) + ": " + what + " at (x, y) = " + point(at) +
             ". The learning rate (" + format_number(cfg_.opt.lr) + ") may be too large, or f has no minimum that way.";
}

bool Descent::step(StepReport* report) {
  if (stopped()) return false;
  const int n = steps() + 1;
  const Vec2 from = points_.back();
  Vec2 g;
  f_.value(from, &g);
  if (!finite(g)) {
    stop(n, "the gradient is " + point(g), from);
    return false;
  }
  Vec2 used = g;
  if (cfg_.noise > 0) {  // both draws every step, so a seed gives one sequence whatever the path does
    used.x += cfg_.noise * rng_.normal();
    used.y += cfg_.noise * rng_.normal();
  }
  gx_(0, 0) = used.x, gy_(0, 0) = used.y;
  StepShown* shown = report ? &report->shown : nullptr;
  opt_.update({&x_, &y_}, {&gx_, &gy_}, shown);
  if (shown) shown->params[0].name = "x", shown->params[1].name = "y";
  const Vec2 to{x_(0, 0), y_(0, 0)};
  const double f = finite(to) ? f_.value(to) : NAN;
  if (report) report->step = n, report->from = from, report->to = to, report->value_from = values_.back(),
              report->value_to = f, report->gradient = g, report->used = used;
  if (!finite(to)) {
    stop(n, "the point became " + point(to), to);
    return false;
  }
  if (!std::isfinite(f) || std::abs(f) > kDivergedAbove) {
    if (std::isfinite(f)) points_.push_back(to), values_.push_back(f);  // far off, but a point to draw
    stop(n, "f = " + format_number(f) + (std::isfinite(f) ? " (past " + format_number(kDivergedAbove) + " in size)" : ""), to);
    return false;
  }
  points_.push_back(to);
  values_.push_back(f);
  return true;
}

Path descend(const Surface& f, const DescentConfig& c, int steps) {
  Descent d(f, c);
  while (d.steps() < steps && d.step()) {
  }
  return {d.points(), d.values(), d.message()};
}

const std::vector<PathPreset>& path_presets() {
  static const std::vector<PathPreset> presets = [] {
    auto book = [](OptimizerKind k, double lr) {
      OptConfig c = optimizer_defaults(k, true);
      c.lr = lr;
      return c;
    };
    return std::vector<PathPreset>{
        {"fig6-8",
         {"The book's Figure 6-8: four optimizers on x²/20 + y²", "本書の図 6-8: x²/20 + y² での 4 つの最適化手法"},
         SurfaceKind::book,
         {-7, 2},
         30,
         {book(OptimizerKind::sgd, 0.95), book(OptimizerKind::momentum, 0.1), book(OptimizerKind::adagrad, 1.5),
          book(OptimizerKind::adam, 0.3)}},
    };
  }();
  return presets;
}

const PathPreset* find_path_preset(const std::string& name) {
  for (const PathPreset& p : path_presets())
    if (name == p.name) return &p;
  return nullptr;
}

}  // namespace kobai
