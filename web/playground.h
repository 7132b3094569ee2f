// kobai page: the training playground. Settings, the live network, its history; drawn by playground.cpp.
#pragma once

#include "train.h"

#include <memory>
#include <string>
#include <vector>

namespace kobai {

struct App;

struct Playground {
  // Settings (what a shared link will carry).
  Data2D data = Data2D::spiral;
  float noise = 0.1f;
  int points = 300, test_percent = 30, seed = 1;
  int layers = 3, units[8] = {8, 8, 8, 8, 8, 8, 8, 8};
  Activation activation = Activation::tanh;
  Init init = Init::xavier;
  LossKind loss = LossKind::squared;
  OptConfig opt{OptimizerKind::sgd, 0.03};  // TensorFlow Playground's defaults, which students know
  int batch = 10;
  bool replacement = false, batchnorm = false;
  float l1 = 0, l2 = 0, dropout = 0;
  int click_class = 1;                 // the class a click on the view adds (1 blue, 0 orange)
  // The last single mini-batch step, for showing the update: the first weights of layer 1 before, ∇, ΔW.
  std::vector<float> shown_w, shown_grad, shown_delta;

  // The live network and what it has done.
  std::unique_ptr<Net<float>> net;
  std::unique_ptr<Optimizer<float>> optimizer;
  Dataset<float> train, test;
  Rng rng{1};
  int epoch = 0;
  std::vector<float> train_loss, test_loss;
  double train_accuracy = 0, test_accuracy = 0;
  bool playing = false, diverged = false;
  std::string message;                 // a divergence, or settings that were refused
  std::vector<MatT<float>> last_good;  // weights before the epoch that diverged
  bool redraw = true;                  // the weights changed: the heat map must be drawn again
  bool settings_changed = false;       // the URL hash must follow
  unsigned texture = 0;
  int heatmap_version = 0;             // counts heat map redraws (for tests)
};

void playground_rebuild(Playground& p);   // new data, new network, from the settings
struct PlaygroundLink;
PlaygroundLink playground_link(const Playground& p);               // the settings, for a shared link
void apply_playground_link(Playground& p, const PlaygroundLink& l);  // and back
void playground_epoch(Playground& p);     // one epoch, with the divergence check
void playground_frame(App& a, float dt);  // the playground's panels

}  // namespace kobai
