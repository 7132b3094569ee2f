// kobai page: the list of labs (labs.h), in the order of the lab switch.
#include "labs/labs.h"

namespace kobai {
namespace {
#define KOBAI_LAB_ENTRY(name) &k##name##Lab,
const Lab* const kLabs[] = {KOBAI_LABS(KOBAI_LAB_ENTRY)};
#undef KOBAI_LAB_ENTRY
}  // namespace

int lab_count() { return int(sizeof kLabs / sizeof kLabs[0]); }
const Lab& lab(int index) { return *kLabs[index >= 0 && index < lab_count() ? index : 0]; }

int find_lab(const std::string& id) {
  for (int i = 0; i < lab_count(); ++i)
    if (id == kLabs[i]->id) return i;
  return -1;
}

std::string lab_ids() {
  std::string out;
  for (int i = 0; i < lab_count(); ++i) out += (i ? ", " : "") + std::string(kLabs[i]->id);
  return out;
}

}  // namespace kobai
