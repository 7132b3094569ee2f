// kobai page: the playground's heat map, drawn by shaders/boundary.frag into a texture the interface shows.
#pragma once

#include "train.h"

#include <string>
#include <utility>
#include <vector>

namespace kobai {

// Renders the folded network (Net::folded) over [−range, range]² into a w × h texture and returns its id for
// ImGui::Image, or 0 with *error saying why (a shader that does not compile, a network the shader cannot hold).
unsigned heatmap_render(const std::vector<std::pair<MatT<float>, MatT<float>>>& layers, Activation activation,
                        bool two_outputs, int w, int h, float range, std::string* error);

// A small picture (w × h pixels, row by row, each 0xAABBGGRR: the bytes R, G, B, A) into `texture` (made when
// 0), drawn without smoothing; returns the texture for ImGui::Image. The hidden units' maps and the digits.
unsigned upload_image(unsigned texture, int w, int h, const std::vector<unsigned>& pixels);

}  // namespace kobai
