#include "labs/rnn_run.h"

#include "seq.h"

namespace kobai {

static_assert(int(RnnCell::gru) == int(Cell::gru) && int(RnnInit::he) == int(SeqInit::he));
static_assert(kRnnMaxHidden == kSeqMaxHidden && kRnnMaxLr == kSeqMaxLr);

static SeqConfig config_from(const RnnSettings& s) {
  SeqConfig c;
  c.cell = Cell(int(s.cell)), c.hidden = s.hidden, c.activation = s.activation, c.init = SeqInit(int(s.init)), c.lr = s.lr;
  c.clip = s.clip ? s.clip_at : 0;
  c.seed = uint64_t(s.seed);
  return c;
}

std::vector<RnnPresetText> rnn_presets(Lang lang) {
  std::vector<RnnPresetText> out;
  for (const SeqPreset& p : seq_presets())
    out.push_back({p.number, p.title(lang), p.notes(lang), measured_text(p, lang), p.why(lang) ? p.why(lang) : ""});
  return out;
}

void take_preset(RnnSettings& s, int number) {
  for (const SeqPreset& p : seq_presets()) {
    if (p.number != number) continue;
    const SeqConfig c = config_of(p);
    s.preset = p.number, s.cell = RnnCell(int(c.cell)), s.hidden = c.hidden, s.activation = c.activation;
    s.init = RnnInit(int(c.init)), s.lr = c.lr, s.clip = c.clip > 0;
  }
}

RnnRun::RnnRun(const RnnSettings& s) : net_(std::make_unique<SeqNet<float>>(config_from(s))) {}
RnnRun::~RnnRun() = default;

RnnRun::Step RnnRun::step() {
  const SeqStep s = net_->step();
  return {s.loss, s.finite};
}
int RnnRun::iteration() const { return net_->iteration(); }
double RnnRun::held_out_accuracy() { return net_->held_out_accuracy(); }

RnnSum RnnRun::last_sum() const {
  return {net_->last_example().a, net_->last_example().b, net_->predicted_bits()};
}

std::vector<float> RnnRun::grad_h() const { return {net_->grad_h_norms().begin(), net_->grad_h_norms().end()}; }

RnnProgram RnnRun::next_program() const {
  const SeqProgram p = program_of(*net_, net_->next_example());
  return {p.source, {p.inputs.begin(), p.inputs.end()}, p.params, p.lr};
}

}  // namespace kobai
