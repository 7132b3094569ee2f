// kobai page: the image grid, a widget: small images cut from one texture of side-by-side cells, wrapped to
// the panel's width, each with a caption; the one under the pointer shows five times larger in a tooltip (named
// `id` for tests). The playground uses it for hidden units' maps, weights as images, misclassified digits.
#pragma once

#include "ui.h"

#include <imgui.h>

#include <cstdint>

namespace kobai {

// Small images from a texture of side-by-side cells, wrapped to the panel's width; `caption` under each.
// Hovered, an image shows large in a tooltip, with what `tip` writes under it.
template <class Caption, class Tip>
void image_grid(App& a, const char* id, unsigned texture, int tex_w, int tex_h, int cell, int row, int count, float size, Caption caption, Tip tip) {
  float right = ImGui::GetContentRegionAvail().x, used = 0;
  for (int u = 0; u < count; ++u) {
    if (u > 0 && used + size + ImGui::GetStyle().ItemSpacing.x <= right) ImGui::SameLine(), used += ImGui::GetStyle().ItemSpacing.x;
    else used = 0;
    ImVec2 uv0(float(u * cell) / tex_w, float(row * cell) / tex_h), uv1(float((u + 1) * cell) / tex_w, float((row + 1) * cell) / tex_h);
    ImGui::BeginGroup();
    ImGui::Image((ImTextureID)(intptr_t)texture, ImVec2(size, size), uv0, uv1);
    caption(u);
    ImGui::EndGroup();
    if (ImGui::IsItemHovered()) {
      ImGui::BeginTooltip();
      ImGui::Image((ImTextureID)(intptr_t)texture, ImVec2(size * 5, size * 5), uv0, uv1);
      ui::remember(a, id);
      tip(u);
      ImGui::EndTooltip();
    }
    used += size;
  }
}

}  // namespace kobai
