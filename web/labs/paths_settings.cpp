#include "labs/paths_settings.h"

namespace kobai {

#define KOBAI_PATH_MEMBER(n, prefix) \
  case OptimizerKind::n: return prefix##n;
bool& PathSettings::on(OptimizerKind k) {
  switch (k) {
#define X(n) KOBAI_PATH_MEMBER(n, on_)
    KOBAI_OPTIMIZERS(X)
#undef X
  }
  return on_sgd;
}
bool PathSettings::on(OptimizerKind k) const { return const_cast<PathSettings*>(this)->on(k); }
double& PathSettings::lr(OptimizerKind k) {
  switch (k) {
#define X(n) KOBAI_PATH_MEMBER(n, lr_)
    KOBAI_OPTIMIZERS(X)
#undef X
  }
  return lr_sgd;
}
double PathSettings::lr(OptimizerKind k) const { return const_cast<PathSettings*>(this)->lr(k); }
#undef KOBAI_PATH_MEMBER

OptConfig PathSettings::config(OptimizerKind k) const {
  OptConfig c = optimizer_defaults(k, book && optimizer_def(k).in_book);
  c.lr = lr(k);
  return c;
}

const std::vector<PathSetting>& path_settings() {
  using P = PathSettings;
  using namespace setting;
  const OptSetting& lr = opt_setting(OptSettingKey::lr);
  static const std::vector<PathSetting> table = {
      choice<&P::surface>("op.surface", "surface", {"surface", "曲面"}),
      number<&P::x>("op.x", "x", {"start x", "出発点 x"}, -1e6, 1e6).typed(),
      number<&P::y>("op.y", "y", {"start y", "出発点 y"}, -1e6, 1e6).typed(),
      whole<&P::steps>("op.steps", "steps", {"steps", "ステップ数"}, 1, kMaxPathSteps),
      number<&P::noise>("op.noise", "noise", {"gradient noise", "勾配のノイズ"}, 0, 100).slider(2, "%.3f").in_words("gradient noise"),
      whole<&P::seed>("op.seed", "seed", {"seed", "乱数シード"}, 1, 1000000000).typed(),
      flag<&P::book>("op.book", "book", {"the book's formulas", "本書の式"}),
      // labelled by name: the panel shows the table's titles (optimizer_def would bring the whole optimizer table,
      // with its update functions, into the code the first frame needs, as the link decoder reads this table)
#define X(n) flag<&P::on_##n>("op." #n, #n, {#n, #n}),
      KOBAI_OPTIMIZERS(X)
#undef X
#define X(n) number<&P::lr_##n>("op.lr." #n, "lr_" #n, {"η", "η"}, lr.min, lr.max).typed().in_words("learning rate"),
      KOBAI_OPTIMIZERS(X)
#undef X
  };
  return table;
}

}  // namespace kobai
