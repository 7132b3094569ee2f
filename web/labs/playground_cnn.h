// kobai page: the playground's CNN (pg.model=cnn, on the digits): what it shows beside the MLP's panels.
//
//   cnn_images(p)            after the weights changed or another example was picked: the filters, the example
//                            and its feature maps at each layer into textures
//   cnn_view(a, p)           the network's layers with their shapes, the filters as images, the example picker
//                            and the example's maps (conv + activation, then pooled)
//   cnn_batch(p, before)     after one mini-batch: the first filter's weights before, ∂L/∂W and after
//   cnn_update(a, p)         that update written out for one weight: W ← W − η·∂L/∂W with the engine's numbers
//   cnn_state(p, lang, j)    what kobai.state() says of it (the shapes, the filters, the update)
#pragma once

#include "labs/playground.h"

#include <nlohmann/json_fwd.hpp>

namespace kobai {

void cnn_images(Playground& p);
void cnn_view(App& a, Playground& p);
void cnn_batch(Playground& p, const MatT<float>& before);
void cnn_update(App& a, Playground& p);
void cnn_state(const Playground& p, Lang lang, nlohmann::json& j);

}  // namespace kobai
