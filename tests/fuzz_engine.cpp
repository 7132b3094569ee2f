// libFuzzer target: any text through parse, build, stepping (forward, back, jump, update) and evaluation, as a
// CSV through the playground's split, a small network's epoch and its confusion matrix, as a lesson file, and as
// the page's link (#...) and saved quiz progress.
// Bad input must end in an InputError; anything else (a crash, a sanitizer report, another exception) is a bug.
#include "lesson.h"
#include "link.h"
#include "progress.h"
#include "quiz.h"
#include "report.h"
#include "train.h"

#include <cstddef>
#include <cstdint>
#include <string>

using namespace kobai;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string src(reinterpret_cast<const char*>(data), size);
  mark(src, Mat::Constant(1, 1, 2.2));  // a student's answer: never throws, whatever it is
  read_shape(src);
  try {  // a user's CSV, and when it is small, what the playground does with it
    Dataset<float> d = parse_csv<float>(src);
    if (d.X.cols() <= 16 && d.T.cols() <= 16 && d.rows() <= 64) {
      auto [train, test] = shuffle_scale_split(d, int(size % 100), size);
      NetConfig c;
      c.inputs = int(d.X.cols()), c.outputs = int(d.T.cols()), c.hidden = {3}, c.loss = size % 2 ? LossKind::softmax : LossKind::squared;
      Net<float> net(c);
      Optimizer<float> opt(OptConfig{});
      Rng r{size};
      train_epoch(net, opt, train, 4, size % 3 == 0, r);
      net.evaluate(test.X, test.T);
      confusion(net.predict(test.X), test.T);
    }
  } catch (const InputError&) {
  }
  if (size > 0 && size < 12) {  // a short input repeated into a chain longer than a graph may be: x+x+...+x
    std::string chain;
    while (chain.size() + size <= 3 * kMaxNodes * size && chain.size() + size <= kMaxSource) chain += src;
    try {
      Program p = parse(chain);
      InputValues in;
      for (const std::string& name : input_names(p)) in[name] = Mat::Constant(1, 1, 1.5);
      eval_json(build(p, in));
    } catch (const InputError&) {
    }
  }
  try {  // a shared link, as the page decodes it before it starts
    decode_link(src);
  } catch (const InputError&) {
  }
  try {  // a student's saved progress, as the page reads it back
    progress_from_json(src);
  } catch (const InputError&) {
  }
  try {  // a teacher's lesson file
    Lesson l = parse_lesson(src);
    if (l.expr.size() < 200) Walk(build(l.expr, l.inputs), l.params, l.lr);
  } catch (const InputError&) {
  }
  try {
    Program p = parse(src);
    // Inputs get shapes from their names, so that matrices and broadcasting are explored too.
    InputValues in;
    for (const std::string& name : input_names(p)) {
      int rows = 1 + int(name.size() % 3), cols = 1 + int(name[0] % 3);
      if (name[0] == 's') rows = cols = 1;
      Mat m(rows, cols);
      std::optional<Dims4> d;  // i...: images (N, 1, 4, 4); k...: filters (FN, 1, 3, 3)
      if (name[0] == 'i') d = Dims4{1 + int(name.size() % 2), 1, 4, 4};
      if (name[0] == 'k') d = Dims4{1 + int(name.size() % 2), 1, 3, 3};
      if (d) m.resize(d->n, d->per_example());
      for (int i = 0; i < m.size(); ++i) m(i) = 0.3 * (i + 1) * (name.size() % 2 ? 1 : -1);
      in[name] = Value(m, d);
    }
    Graph g = build(p, in);
    std::vector<std::string> params;
    if (!g.inputs.empty()) params.push_back(g.nodes[g.inputs[0]].name);
    Walk w(g, params, 0.1);
    while (w.step()) explain(w, w.position() - 1, size % 2 ? Lang::ja : Lang::en);
    w.next_iteration();
    w.jump(int(size % 7));
    w.back();
    w.run_phase();
    w.reset();
    eval_json(g);
    if (g.nodes.size() < 64) gradient_check(g);
  } catch (const InputError&) {
  }
  return 0;
}
