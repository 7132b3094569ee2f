// kobai page: the enum combo, a widget: a menu of an enum's values, from its one list of names (names_of<E>()
// in engine/train.h), so no menu counts them by hand. True when the student picked another value.
#pragma once

#include <imgui.h>

namespace kobai {

inline bool enum_combo(const char* label, int* value, const char* const* names, int count) {
  bool changed = false;
  if (ImGui::BeginCombo(label, *value >= 0 && *value < count ? names[*value] : "")) {
    for (int i = 0; i < count; ++i)
      if (ImGui::Selectable(names[i], i == *value)) changed = i != *value, *value = i;
    ImGui::EndCombo();
  }
  return changed;
}

}  // namespace kobai
