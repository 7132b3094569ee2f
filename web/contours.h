// kobai page: the optimizer-paths lab's contours, drawn by shaders/contours.frag into a texture the interface
// shows (as heatmap.h draws the playground's boundary).
#pragma once

#include <string>
#include <vector>

namespace kobai {

// `grid`: gw × gh samples, row 0 at the bottom, each in 0..1 (below 0 where f is not a number). Renders them as
// a w × h picture and returns its texture for ImGui::Image, or 0 with *error saying why.
unsigned contours_render(const std::vector<float>& grid, int gw, int gh, int w, int h, std::string* error);

}  // namespace kobai
