// kobai engine: four floats (or ints) as one 128-bit vector, for training's inner loops: wasm SIMD on the page,
// SSE natively. Clang does not turn a float select into a vector select in WebAssembly, and a batch of 10 is too
// short for its loop vectoriser to pay, so the loops that matter say what they mean with these.
#pragma once

namespace kobai::vec4 {

typedef float f4 __attribute__((vector_size(16)));
typedef int i4 __attribute__((vector_size(16)));  // a comparison of two f4 gives one: −1 where true, 0 where false

inline f4 load(const float* p) { f4 v; __builtin_memcpy(&v, p, sizeof v); return v; }  // unaligned
inline i4 load(const int* p) { i4 v; __builtin_memcpy(&v, p, sizeof v); return v; }
inline void store(float* p, f4 v) { __builtin_memcpy(p, &v, sizeof v); }
inline void store(int* p, i4 v) { __builtin_memcpy(p, &v, sizeof v); }

// mask ? a : b, lane by lane, for a mask from a comparison.
inline f4 select(i4 mask, f4 a, f4 b) { return (f4)((mask & (i4)a) | (~mask & (i4)b)); }
inline i4 select(i4 mask, i4 a, i4 b) { return (mask & a) | (~mask & b); }

}  // namespace kobai::vec4
