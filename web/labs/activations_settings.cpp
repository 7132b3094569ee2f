#include "labs/activations_settings.h"

namespace kobai {

ActivationsConfig ActivationsSettings::config() const {
  ActivationsConfig c;
  c.activation = activation, c.init = init, c.std_dev = std_dev, c.layers = layers, c.batchnorm = batchnorm;
  c.seed = uint64_t(seed);
  return c;
}

static bool by_std(const ActivationsSettings& s) { return s.init == WeightInit::std_dev; }  // only then a std to set

const std::vector<ActivationsSetting>& activations_settings() {
  using A = ActivationsSettings;
  using namespace setting;
  static const std::vector<ActivationsSetting> table = {
      choice<&A::activation>("act.fn", "activation", {"activation", "活性化関数"}),
      choice<&A::init>("act.init", "init", {"initial weights", "重みの初期値"}),
      number<&A::std_dev>("act.std", "std", {"standard deviation", "標準偏差"}, 1e-4, kMaxExperimentStd).slider(2, "%.3g").when(by_std),
      whole<&A::layers>("act.layers", "layers", {"hidden layers", "隠れ層の数"}, 1, kMaxExperimentLayers),
      flag<&A::batchnorm>("act.batchnorm", "batchnorm", {"batch normalisation", "バッチ正規化"}),
      whole<&A::seed>("act.seed", "seed", {"seed", "乱数シード"}, 1, 1000000000).typed(),
  };
  return table;
}

}  // namespace kobai
