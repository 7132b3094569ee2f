// kobai engine: an enum's names, in the enum's order. Each enum with names (Activation, OptimizerKind, ...) has one
// list; name_of(e) indexes it, and names_of<E>() gives it whole, with its count, to whatever loops over the values
// (a menu, a link decoder, a command's flags), so that none of them counts by hand.
#pragma once

#include <cstddef>

namespace kobai {

struct NameList {
  const char* const* names;
  int count;
  const char* const* begin() const { return names; }
  const char* const* end() const { return names + count; }
};
template <class E>
NameList names_of();  // defined for each enum with a list
template <size_t N>
constexpr NameList list_of(const char* const (&names)[N]) { return {names, int(N)}; }

}  // namespace kobai
