// kobai page: the state a shared link carries in the URL hash. Pure text, no browser: tested natively.
//
//   #lesson=apple&step=3&lang=ja
//   #expr=y%20%3D%20sigmoid(w*x)&in.w=2&in.x=-1&step=4&lang=en
//   #lesson=two_layer_net&iter=2&step=5                 (two iterations done, then five steps)
//   #quiz=7                                             (the quiz of `kobai quiz --seed 7`, beside the first lesson)
//
// Keys: lesson or expr (at most one), in.NAME (an input's value, overriding the lesson's), iter, step, lang, quiz.
#pragma once

#include "matrix.h"

#include <string>
#include <utility>
#include <vector>

namespace kobai {

struct PageLink {
  std::string lesson;                                // a built-in lesson's id, or empty
  std::string expr;                                  // a typed expression, or empty
  std::vector<std::pair<std::string, Mat>> inputs;   // in order
  int iteration = 0, step = 0;
  std::string lang;                                  // "en", "ja" or empty (keep the preference)
  unsigned long long quiz = 0;                       // a quiz seed, or 0 for no quiz
};

std::string encode_link(const PageLink& l);          // without the leading '#'
PageLink decode_link(const std::string& hash);       // with or without '#'; throws InputError saying what is wrong

std::string percent_encode(const std::string& s);
std::string percent_decode(const std::string& s);    // throws InputError on a broken %XX

}  // namespace kobai
