// kobai page: the state a shared link carries in the URL hash. Pure text, no browser: tested natively.
//
//   #lesson=apple&step=3&lang=ja
//   #expr=y%20%3D%20sigmoid(w*x)&in.w=2&in.x=-1&step=4&lang=en
//   #lesson=two_layer_net&iter=2&step=5                 (two iterations done, then five steps)
//   #quiz=7                                             (the quiz of `kobai quiz --seed 7`, beside the first lesson)
//   #mode=playground&pg.data=xor&pg.hidden=4,4&pg.act=relu&pg.opt=adam&pg.lr=0.01&pg.seed=3   (the playground)
//   #lesson=apple&present=1                             (ready for a projector)
//
// Keys: lesson or expr (at most one), in.NAME (an input's value, overriding the lesson's), iter, step, lang,
// quiz, mode (a lab's id), present, and each lab's settings (pg.*). A link that names no graph, or whose text
// is broken, is refused whole; a bad value of one key is refused alone (PageLink::problems says which and why)
// and the rest of the link still applies.
#pragma once

#include "train.h"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace kobai {

// The playground's whole configuration and seed (not the weights): keys pg.data, pg.noise, pg.points, pg.test,
// pg.seed, pg.hidden (units per layer, comma-separated), pg.act, pg.init, pg.loss, pg.opt, pg.lr, pg.batch,
// pg.replacement, pg.batchnorm, pg.l1, pg.l2, pg.dropout. Missing keys keep their defaults.
struct PlaygroundLink {
  DataKind data = DataKind::spiral;
  double noise = 0.1;
  int points = 300, test_percent = 30, seed = 1;
  std::vector<int> hidden{8, 8, 8};
  Activation activation = Activation::tanh;
  Init init = Init::xavier;
  LossKind loss = LossKind::squared;
  OptimizerKind optimizer = OptimizerKind::sgd;
  double lr = 0.03;
  int batch = 10;
  bool replacement = false, batchnorm = false;
  double l1 = 0, l2 = 0, dropout = 0;
};

struct PageLink {
  std::string lesson;                                // a built-in lesson's id, or empty
  std::string expr;                                  // a typed expression, or empty
  std::vector<std::pair<std::string, Mat>> inputs;   // in order
  int iteration = 0, step = 0;
  std::string lang;                                  // "en", "ja" or empty (keep the preference)
  std::optional<uint64_t> quiz;                      // a quiz seed (0 to kMaxSeed), or none
  std::string mode;                                  // the lab shown (its id), or empty: the walkthrough,
                                                     // or the quiz when the link gives a quiz seed
  bool present = false;                              // the projector setting
  PlaygroundLink playground;                         // written when mode is playground
  std::vector<std::string> problems;                 // keys whose values were refused, each with why
};

std::string encode_link(const PageLink& l);          // without the leading '#'
PageLink decode_link(const std::string& hash);       // with or without '#'; throws InputError saying what is wrong

std::string percent_encode(const std::string& s);
std::string percent_decode(const std::string& s);    // throws InputError on a broken %XX

}  // namespace kobai
