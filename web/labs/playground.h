// kobai page: the training playground. Settings, the live network, its history; drawn by playground.cpp.
#pragma once

#include "labs/compare_view.h"
#include "labs/playground_settings.h"
#include "train.h"
#include "widgets/plot_scale.h"

#include <memory>
#include <string>
#include <vector>

namespace kobai {

struct App;

// On the lab switch from the first frame, before the playground's code and its font arrive: here in its header,
// whose characters are in the first frame's font (a later lab's own sources are cut into kobai.labs.fonts).
inline const Words kPlaygroundTitle{"Playground", "学習プレイグラウンド"};
inline const Words kPlaygroundShortTitle{"Train", "学習"};

struct Playground {
  PlaygroundSettings settings;         // what a shared link carries (the table in playground_settings.h)
  int pane = 1;                        // on a narrow window, the tab shown: 0 settings, 1 the view, 2 results
  int click_class = 1;                 // the class a click on the view adds (1 blue, 0 orange)
  // The last single mini-batch step, for showing the update: the first weights of layer 1 before, ∇, ΔW.
  std::vector<float> shown_w, shown_grad, shown_delta;

  // The live network and what it has done.
  std::unique_ptr<Net<float>> net;
  std::unique_ptr<Optimizer<float>> optimizer;
  Dataset<float> train, test;
  Rng rng{1};
  int epoch = 0;
  EpochRun run;                        // the epoch under way (training goes a few mini-batches at a time)
  int batches_per_part = 1;            // how many mini-batches take about a millisecond or two
  // The scores of an epoch's end (the losses, accuracies, test outputs), a slice of rows a piece, spread over
  // frames as training is; training waits for them, so they are the scores of the weights the epoch ended with.
  bool scoring = false, scoring_epoch = false;  // under way; for an epoch's end (not the untrained net's)
  Net<float>::ScoreRun score_train, score_test;
  MatT<float> scoring_outputs;         // the test outputs so far (test_scores keeps the last whole set until done)
  Eigen::Index rows_per_part = 64;     // how many rows take about a millisecond or two
  float scoring_ms = 0;                // the longest piece of the last scoring, in ms
  std::vector<float> train_loss, test_loss;  // one per epoch, from epoch 0 (before any training)
  std::vector<float> train_accuracy_curve, test_accuracy_curve;  // the same epochs, in percent
  double train_accuracy = 0, test_accuracy = 0;
  bool playing = false, diverged = false;
  std::string message;                 // a divergence, or settings that were refused
  std::string suggestion;              // settings changed to suit a newly chosen set: which, from what to what
  PlaygroundSettings before_suggestion;  // ... and the settings before, which one button puts back
  std::vector<MatT<float>> last_good;  // weights before the epoch that diverged
  bool redraw = true;                  // the weights changed: the heat maps must be drawn again

  // Sets read from files: the digits and Iris (fetched from the page's own origin the first time they are
  // chosen) and the student's CSV, as parsed. Indexed by int(kind) − int(DataKind::digits); empty until read.
  Dataset<float> loaded[3];
  std::string csv_name;
  bool loading = false;                // a fetch is under way
  // Sets of more than two inputs: the test set's confusion matrix and its misclassified rows, each epoch.
  Eigen::MatrixXi confusion;
  std::vector<int> wrong, predicted;
  MatT<float> test_scores;             // the network's outputs for the test set, at the same time
  // Small heat maps per hidden unit: for a 2-D set each unit's output over the plane (a row of maps a layer);
  // for images the first layer's weights as images. One texture holds them all, side by side.
  unsigned units_texture = 0;
  int units_w = 0, units_h = 0, unit_side = 0;  // the texture's size, and one map's side, in texels
  std::vector<int> units_per_layer;
  unsigned wrong_texture = 0;          // the misclassified test images, side by side
  int wrong_shown = 0, image_side = 0; // how many are in it; an image's side (0: the rows are not images)
  int units_version = 0;               // counts their redraws (for tests)
  bool settings_changed = false;       // the URL hash must follow
  unsigned texture = 0;
  float heat_scale = 1;                // the heat map's resolution, as a share of the view's (see playground_frame)
  int heatmap_version = 0;             // counts heat map redraws (for tests)
  std::string hover_plot;              // the chart the pointer reads this frame ("" for none), and what it reads
  plot::Readout hover;
  // Runs side by side (labs/compare_view.h), in the results pane's Compare tab.
  CompareView compare;
  int results_tab = 0;                 // 0 this run, 1 Compare
  std::pair<int, int> compare_series{0, 0};  // the series its two charts drew last (for tests)
  // The CNN (labs/playground_cnn.h): why the settings were refused (shown under them), the test example whose
  // feature maps are drawn, the textures of the filters, of that example and of its maps (one per map layer).
  std::string refused;
  int example = 0;
  unsigned filters_texture = 0, example_texture = 0;
  std::vector<unsigned> maps_textures;
  int cnn_version = 0;                 // counts the redraws of those textures (for tests)
  // The last single mini-batch's update of the first filter: its weights before, their gradients, after, and
  // the weight written out (the one with the largest gradient).
  std::vector<float> filter_before, filter_grad, filter_after;
  int filter_weight = -1;
};

// Drawing shared with labs/playground_cnn.cpp: positive blue, negative orange, white at 0 (v in [−1, 1]), as
// shaders/boundary.frag; a scanned digit's pixel (0 white paper, 1 black ink).
unsigned diverging(float v);
unsigned ink(float v);

void playground_rebuild(Playground& p);   // new data, new network, from the settings (fetches a real set first)
// The text of a data file has arrived (platform::read_text), or why it could not be read. A CSV that does not
// parse gets a message naming the line and column; the current data set stays.
void playground_text_arrived(App& a, DataKind kind, const std::string& name, const std::string& text, const std::string& error);
void apply_playground_settings(Playground& p, const PlaygroundSettings& s);  // from a link: paused, rebuilt
void playground_epoch(Playground& p);     // the rest of the epoch under way, or a whole one; divergence checked
void playground_frame(App& a, float dt);  // the playground's panels

}  // namespace kobai
