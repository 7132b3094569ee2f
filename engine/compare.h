// kobai engine: runs side by side (the playground's Compare). Up to four networks trained on the same data
// with the same seed, differing in a setting or two, and the book's chapter 6 experiments as presets.
//
//   RunSpec                   one run's settings: the network, the optimizer, the batch, how many training rows
//   Change, apply_change      a setting by its playground name and a value as text: {"optimizer", "adam"}
//   ComparePreset, compare_presets, find_preset   the table: each preset once, its base and its runs as changes
//   describe_change           what a run's settings change from another's, in a few words ("adam lr 0.001")
//   Comparison                the runs: added, removed, trained a part at a time in turn; the curves; the CSV
//
//   Comparison c;
//   c.set_data(train, test, seed);
//   c.load(*find_preset("fig6-9"));              // four runs
//   while (c.epochs() < 20) c.step(8);           // a few mini-batches of the run furthest behind
//   std::cout << c.csv();
//
// No UI: web/labs/compare.cpp draws it inside the playground; `kobai compare` prints the CSV.
#pragma once

#include "train.h"

#include <memory>
#include <string>
#include <vector>

namespace kobai {

// --- one run's settings -------------------------------------------------------------------------------------
struct RunSpec {
  NetConfig net;       // inputs, outputs and seed come from the data and the comparison
  OptConfig opt;
  int batch = 100;
  int train_rows = 0;  // the first rows of the training set only (the book's 300 for overfitting); 0: all
};

// A setting by the playground's name for it (kobai.state()'s): units ("100,100"), activation, init, loss,
// batchnorm (0/1), dropout, l1, l2, optimizer, lr, batch, and rows (training rows, 0 for all).
struct Change {
  const char* key;
  const char* value;
};
void apply_change(RunSpec& r, const Change& c);  // throws InputError naming the key and the value

// --- the presets: the book's chapter 6 experiments on the UCI digits -----------------------------------------
inline constexpr int kMaxRuns = 4;

// The presets' keys in the table's order, after "none": what a link's pg.compare takes. Plain data, so that the
// link's code (in the first frame) need not reach the table's (which arrives with the playground).
inline constexpr const char* kPresetNames[] = {"none", "fig6-9", "fig6-15", "fig6-19", "fig6-20", "fig6-23"};

struct PresetRun {
  Words label;                   // what differs, as the legend says it
  std::vector<Change> changes;   // from the preset's base
};
struct ComparePreset {
  const char* key;               // in a link (pg.compare) and the command (--preset)
  Words title;
  const char* figure;            // the book's figure: "6-9"
  std::vector<Change> base;      // from RunSpec's defaults
  std::vector<PresetRun> runs;   // up to kMaxRuns
  Words note;                    // what to look for
};
const std::vector<ComparePreset>& compare_presets();
const ComparePreset* find_preset(const std::string& key);  // nullptr when none has it
std::string preset_keys();                                  // "fig6-9, fig6-15, ...", for messages
RunSpec preset_run(const ComparePreset& p, int run);        // the base with the run's changes applied

// What `to` changes from `from`, in a few words of the names the settings use: "adam lr 0.001", "he",
// "λ = 0.1", "dropout 0.2", "batch norm"; "same" when nothing does.
std::string describe_change(const RunSpec& from, const RunSpec& to);

// --- the runs ----------------------------------------------------------------------------------------------
struct CompareRun {
  std::string label;     // in English (the CSV's); a preset's run has its words in both languages too
  Words words{nullptr, nullptr};
  RunSpec spec;
  std::unique_ptr<Net<float>> net;
  std::unique_ptr<Optimizer<float>> opt;
  Dataset<float> train;  // the comparison's, or its first spec.train_rows rows
  Rng rng{1};
  EpochRun part;         // the epoch under way
  int epoch = 0;
  bool diverged = false;
  std::string message;   // on divergence
  // One entry per epoch from epoch 0 (untrained); accuracies as fractions.
  std::vector<float> train_loss, test_loss, train_accuracy, test_accuracy;
  double progress() const { return epoch + (part.batches ? double(part.next) / part.batches : 0.0); }
};

class Comparison {
 public:
  // The data every run trains and is tested on, and the seed of every run's weights and batches. Clears the runs.
  void set_data(Dataset<float> train, Dataset<float> test, uint64_t seed);
  bool has_data() const { return train_.rows() > 0; }
  uint64_t seed() const { return seed_; }

  void load(const ComparePreset& p);                  // the preset's runs, replacing any
  const ComparePreset* preset() const { return preset_; }  // the preset loaded, until a run is added or removed
  // A run more (false at kMaxRuns). Throws InputError when the network cannot be built for the data.
  bool add(const RunSpec& spec, const std::string& label);
  void remove(int i);
  void clear();
  void restart();                                     // every run from its first weights again

  // A part of training: up to max_batches mini-batches of the run furthest behind (so the runs take turns and
  // their curves stay level). True when that run finished an epoch. False with nothing to train.
  bool step(int max_batches);
  void epoch();                                       // every run one epoch on (the rest of the one under way)
  int epochs() const;                                 // the fewest epochs any run has finished
  bool trainable() const;                             // some run has not diverged

  const std::vector<CompareRun>& runs() const { return runs_; }
  // One row per epoch and run: run,label,epoch,train_loss,test_loss,train_accuracy,test_accuracy.
  std::string csv() const;

 private:
  Dataset<float> train_, test_;
  uint64_t seed_ = 1;
  std::vector<CompareRun> runs_;
  const ComparePreset* preset_ = nullptr;
  void start(CompareRun& r);
  void record(CompareRun& r);
  bool step_run(CompareRun& r, int max_batches);
};

// The book's setting for these experiments: the digits shuffled and scaled by the seed, 20% held out.
inline constexpr int kCompareTestPercent = 20;

}  // namespace kobai
