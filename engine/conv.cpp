// kobai engine: the sizes of sliding windows (conv.h). The windows themselves are templates in conv.h.
#include "conv.h"

#include <tuple>

namespace kobai {

std::string out_size_problem(int size, int f, int pad, int stride, const char* dim) {
  using std::to_string;
  if (f < 1) return std::string("the window's ") + dim + " must be at least 1, not " + to_string(f);
  if (stride < 1) return "the stride must be at least 1, not " + to_string(stride);
  if (pad < 0) return "the padding must be 0 or more, not " + to_string(pad);
  const long long span = (long long)size + 2LL * pad - f;  // where the last window may start
  const std::string sum = "(" + to_string(size) + " + 2·" + to_string(pad) + " − " + to_string(f) + ")";
  if (span < 0)
    return std::string("the window (") + to_string(f) + ") is larger than the padded " + dim + ": " + sum + " = " +
           to_string(span) + " is below 0";
  if (span % stride != 0)
    return sum + "/" + to_string(stride) + " = " + to_string(span) + "/" + to_string(stride) +
           " is not a whole number: the windows do not fit the " + dim + " (" + to_string(size) + ") evenly";
  return "";
}

int out_size(int size, int f, int pad, int stride) { return (size + 2 * pad - f) / stride + 1; }

Dims4 window_out(const Dims4& d, const Window& w, int channels_out) {
  for (auto [size, f, dim] : {std::tuple{d.h, w.h, "height"}, std::tuple{d.w, w.w, "width"}}) {
    std::string problem = out_size_problem(size, f, w.pad, w.stride, dim);
    if (!problem.empty()) throw InputError(problem);
  }
  return {d.n, channels_out, out_size(d.h, w.h, w.pad, w.stride), out_size(d.w, w.w, w.pad, w.stride)};
}

}  // namespace kobai
