// kobai page: the state a shared link carries in the URL hash. Pure text, no browser: tested natively.
//
//   #lesson=apple&step=3&lang=ja
//   #expr=y%20%3D%20sigmoid(w*x)&in.w=2&in.x=-1&step=4&lang=en
//   #lesson=two_layer_net&iter=2&step=5                 (two iterations done, then five steps)
//   #quiz=7                                             (the quiz of `kobai quiz --seed 7`, beside the first lesson)
//   #quiz=7&quiz.difficulty=3&quiz.topics=local,backward  (... of `--difficulty 3 --topics local,backward`)
//   #lesson=relu&step=0&wt.quiz=1                       (the walkthrough in quiz mode)
//   #mode=playground&pg.data=xor&pg.hidden=4,4&pg.act=relu&pg.opt=adam&pg.lr=0.01&pg.seed=3   (the playground)
//   #mode=paths&op.surface=saddle&op.noise=0.01        (the optimizer-paths lab)
//   #lesson=apple&present=1                             (ready for a projector)
//   #lessonfile=q1ZKzdFRUFAqzs9NVbJSUMrPS1WqBQA&step=2   (a teacher's lesson file, the whole file in the link)
//
// Keys: lesson, lessonfile or expr (one of them), in.NAME (an input's value, overriding the lesson's), iter, step, lang,
// quiz, mode (a lab's id), present, and each lab's settings from its table (wt.*, labs/walkthrough_settings.h;
// quiz.*, labs/quiz_settings.h; pg.*, labs/playground_settings.h; act.*, labs/activations_settings.h; missing keys keep their defaults, and the
// quiz.*, labs/quiz_settings.h; pg.*, labs/playground_settings.h; op.*, labs/paths_settings.h; missing keys keep their defaults, and the
// walkthrough's and the quiz's are written only when they differ from them). A link that names no graph, or whose text is broken, is refused whole; a
// bad value of one key is refused alone (PageLink::problems says which and why) and the rest of the link applies.
#pragma once

#include "labs/activations_settings.h"
#include "labs/paths_settings.h"
#include "labs/playground_settings.h"
#include "labs/quiz_settings.h"
#include "labs/rnn_settings.h"
#include "labs/shapes_settings.h"
#include "labs/walkthrough_settings.h"
#include "train.h"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace kobai {

struct PageLink {
  std::string lesson;                                // a built-in lesson's id, or empty
  std::string expr;                                  // a typed expression, or empty
  std::string lesson_file;                           // a teacher's whole lesson file, packed (deflate-raw, then
                                                     // base64url; the page unpacks it), or empty: lessonfile=
  std::vector<std::pair<std::string, Value>> inputs;   // in order
  int iteration = 0, step = 0;
  std::string lang;                                  // "en", "ja" or empty (keep the preference)
  std::optional<uint64_t> quiz;                      // a quiz seed (0 to kMaxSeed), or none
  std::string mode;                                  // the lab shown (its id), or empty: the walkthrough,
                                                     // or the quiz when the link gives a quiz seed
  bool present = false;                              // the projector setting
  WalkthroughSettings walkthrough;                   // written when the walkthrough is shown
  QuizSettings quiz_set;                             // written with the quiz seed
  std::string quiz_bank;                             // a teacher's question file, packed as lessonfile is (quiz.bank)
  PlaygroundSettings playground;                     // written when mode is playground
  ActivationsSettings activations;                   // written when mode is activations
  PathSettings paths;                                // written when mode is paths (op.*, and op.expr for a typed f)
  RnnSettings rnn;                                   // written when mode is rnn (rnn.*, labs/rnn_settings.h)
  ShapesSettings shapes;                             // written when mode is shapes and not the preset (sh.input, sh.layers)
  std::vector<std::string> problems;                 // keys whose values were refused, each with why
  std::vector<std::pair<std::string, std::string>> later;  // the later labs' keys, as text, until read_later_keys
};

std::string encode_link(const PageLink& l);          // without the leading '#'
PageLink decode_link(const std::string& hash);       // with or without '#'; throws InputError saying what is wrong

// The same in two parts, for the page: the later labs' settings tables (pg.*, op.*, act.*, rnn.*) come with their
// code (kobai.labs.wasm), so the first frame reads a link without them and keeps their keys as text in `later`
// (a link with nothing else but them opens the first lesson). read_later_keys then reads them, once that code is
// in: each into its setting, or a refusal into `problems`. decode_link and encode_link are both parts at once.
bool is_later_key(const std::string& key);
PageLink decode_link_first(const std::string& hash);  // `later` holds the later labs' keys
void read_later_keys(PageLink& l);                    // ... read, and `later` emptied
std::string encode_link_first(const PageLink& l);     // the later labs' part as `later` holds it
std::string encode_later_keys(const PageLink& l);     // ... or from their settings, for the lab `mode` names

std::string percent_encode(const std::string& s);
std::string percent_decode(const std::string& s);    // throws InputError on a broken %XX

}  // namespace kobai
