// The playground's settings as a network (web/labs/playground_settings.h): the MLP, the CNN on the digits, the
// conv settings a link carries, and each refusal a student can meet, with its words.
#include "helpers.h"
#include "labs/playground_settings.h"
#include "link.h"

#include <fstream>
#include <sstream>

using namespace kobai;

namespace {

// The settings the page has once the digits are picked (suggest_settings in playground.cpp), CNN or MLP.
PlaygroundSettings digits(Model m) {
  PlaygroundSettings s;
  s.data = DataKind::digits, s.model = m, s.hidden = {100}, s.activation = Activation::relu, s.init = Init::he;
  s.loss = LossKind::softmax, s.optimizer = OptimizerKind::adam, s.lr = 0.001, s.batch = 32, s.test_percent = 20;
  return s;
}

std::string refused(const PlaygroundSettings& s, int inputs = 64) {
  try {
    net_config(s, inputs, 10);
  } catch (const InputError& e) {
    return e.what();
  }
  return "accepted";
}

std::string read_digits() {
  std::ifstream f(std::string(KOBAI_DATA_DIR) + "/digits.csv");
  REQUIRE_MESSAGE(f.good(), "missing digits.csv: make deps takes it from Debian's python3-sklearn");
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("the settings make the MLP, or on the digits the CNN whose conv stage is digits_cnn()'s") {
  NetConfig mlp = net_config(PlaygroundSettings(), 2, 1);
  CHECK(mlp.conv.empty());
  CHECK(mlp.hidden == std::vector<int>{8, 8, 8});
  NetConfig c = net_config(digits(Model::cnn), 64, 10);
  REQUIRE(c.conv.size() == 1);
  const ConvStage want = digits_cnn().conv[0], got = c.conv[0];
  CHECK((got.filters == want.filters && got.size == want.size && got.stride == want.stride && got.pad == want.pad && got.pool == want.pool &&
         got.pool_stride == want.pool_stride));
  CHECK((c.channels == 1 && c.height == 8 && c.width == 8 && c.inputs == 64 && c.outputs == 10));
  CHECK(c.hidden == std::vector<int>{100});
  Net<float> net(c);
  CHECK(net.conv(0).W.rows() == 16);
  CHECK(net.affine(0).W.rows() == 256);  // 16 maps of 4x4, flattened
  CHECK(image_side(64) == 8);
  CHECK(image_side(4) == 0);  // Iris: four numbers are not an image
  CHECK(image_side(65) == 0);
}

TEST_CASE("CNN settings that do not fit the 8x8 digits are refused, naming the settings and the arithmetic") {
  PlaygroundSettings s = digits(Model::cnn);
  CHECK(refused(s) == "accepted");
  s.stride = 2, s.pad = 0;
  CHECK(refused(s) == "the CNN's filter size 3, stride 2 and padding 0 do not fit the 8x8 images: conv stage 1: (8 + 2·0 − 3)/2 = 5/2 is not a "
                      "whole number: the windows do not fit the height (8) evenly");
  s = digits(Model::cnn), s.filter_size = 9;
  CHECK(refused(s) == "the CNN's filter size 9, stride 1 and padding 1 do not fit the 8x8 images: conv stage 1: the window's size must be from 1 "
                      "to 8 (its input is 1x8x8), not 9");
  s = digits(Model::cnn), s.pad = 3;
  CHECK(refused(s) == "the CNN's filter size 3, stride 1 and padding 3 do not fit the 8x8 images: conv stage 1: the padding must be from 0 to 2 "
                      "(less than the window's size), not 3");
  s = digits(Model::cnn), s.pool = 3;
  CHECK(refused(s) == "the CNN's pooling 3 and pool stride 2 do not fit the filters' maps: conv stage 1's pooling: (8 + 2·0 − 3)/2 = 5/2 is not "
                      "a whole number: the windows do not fit the height (8) evenly");
  s = digits(Model::cnn), s.pool = 0;  // no pooling: 16 maps of 8x8
  CHECK(refused(s) == "accepted");
  s = digits(Model::cnn), s.hidden = {300};  // not the conv stage's: the engine's words alone
  CHECK(refused(s) == "hidden layer 1 must have 1 to 256 units, not 300");
  s = digits(Model::cnn), s.data = DataKind::iris;
  CHECK(refused(s, 4) == "a CNN reads images, and the rows of iris are 4 numbers, not a square image (the digits are 8x8 = 64): choose the MLP");
  s.data = DataKind::spiral;
  CHECK(refused(s, 2) == "a CNN reads images, and the rows of spiral are 2 numbers, not a square image (the digits are 8x8 = 64): choose the MLP");
  s.data = DataKind::csv;
  CHECK(refused(s, 30) == "a CNN reads images, and the rows of this CSV are 30 numbers, not a square image (the digits are 8x8 = 64): choose the MLP");
  s = digits(Model::cnn), s.data = DataKind::csv, s.filters = 32, s.pool = 0;  // 32 maps of 32x32: too many to flatten
  CHECK(refused(s, 1024) == "the CNN's filters 32 and pooling 0 give too many numbers: the last conv stage gives 32x32x32 = 32768 numbers to "
                            "flatten; at most 8192");
}

TEST_CASE("a link carries the CNN and its conv settings; a value out of range is refused naming its key") {
  PageLink l = decode_link("#mode=playground&pg.data=digits&pg.model=cnn&pg.filters=8&pg.fsize=5&pg.stride=1&pg.pad=2&pg.pool=2&pg.poolstride=2");
  CHECK(l.problems.empty());
  const PlaygroundSettings& s = l.playground;
  CHECK(s.model == Model::cnn);
  CHECK((s.filters == 8 && s.filter_size == 5 && s.stride == 1 && s.pad == 2 && s.pool == 2 && s.pool_stride == 2));
  CHECK(decode_link(encode_link(l)).playground.filter_size == 5);
  NetConfig c = net_config(s, 64, 10);
  Net<float> net(c);
  CHECK(net.stage_maps()[1].dims == Dims4{1, 8, 4, 4});  // (8 + 2·2 − 5)/1 + 1 = 8, pooled to 4
  PageLink bad = decode_link("#mode=playground&pg.model=cnn&pg.filters=33&pg.fsize=5");
  REQUIRE(bad.problems.size() == 1);
  CHECK(bad.problems[0] == "the link's pg.filters must be a number from 1 to 32, not '33'");
  CHECK(bad.playground.filters == 16);  // refused alone: the rest applies
  CHECK(bad.playground.filter_size == 5);
  // A size the 8x8 image cannot take is in the link's range: the engine refuses it with the arithmetic.
  PageLink big = decode_link("#mode=playground&pg.data=digits&pg.model=cnn&pg.fsize=9");
  CHECK(big.problems.empty());
  CHECK(refused(big.playground).find("the window's size must be from 1 to 8 (its input is 1x8x8), not 9") != std::string::npos);
  CHECK(decode_link("#mode=playground&pg.model=rnn").problems[0] == "the link's pg.model must be one of mlp, cnn, not 'rnn'");
}

TEST_CASE("the page's CNN on the digits reaches at least the page's MLP's test accuracy") {
  Dataset<float> all = parse_csv<float>(read_digits());
  auto [train, test] = shuffle_scale_split(all, 20, 1);
  auto run = [&, &train = train, &test = test](const PlaygroundSettings& s, int epochs) {
    Net<float> net(net_config(s, 64, 10));
    Optimizer<float> opt(OptConfig{s.optimizer, s.lr});
    Rng r{uint64_t(s.seed)};
    for (int e = 0; e < epochs; ++e) REQUIRE_FALSE(train_epoch(net, opt, train, s.batch, false, r).diverged);
    return net.accuracy(test.X, test.T);
  };
  const double mlp = run(digits(Model::mlp), 20), cnn = run(digits(Model::cnn), 20);
  MESSAGE("the page's digits settings after 20 epochs, test accuracy: MLP " << mlp << ", CNN " << cnn);
  CHECK(cnn >= mlp);
  CHECK(cnn >= 0.96);
}
