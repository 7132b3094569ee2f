#version 300 es
// The decision boundary (or regression surface): the current network evaluated at every pixel.
// The weights come as a texture: for each layer, rows r .. r+n-1 hold W (texel (j, r+i) = W[i][j]) and row
// r+n holds b. Batch norm and dropout are already folded in (Net::folded), so each layer is x·W + b.
precision highp float;
precision highp int;

in vec2 uv;
out vec4 color;

uniform highp sampler2D weights;  // R32F
uniform int layers;               // affine layers
uniform int sizes[10];            // units: the 2 inputs, the hidden layers, the outputs
uniform int activation;           // 0 ReLU, 1 sigmoid, 2 tanh, 3 linear
uniform int two_outputs;          // 1: softmax over two classes; 0: one output (±1 classes or regression)
uniform vec2 lo;                  // the domain drawn
uniform vec2 hi;

float act(float x) {
  if (activation == 0) return max(x, 0.0);
  if (activation == 1) return 1.0 / (1.0 + exp(-x));
  if (activation == 2) return tanh(x);
  return x;
}

void main() {
  float a[64];
  float b[64];
  vec2 p = mix(lo, hi, vec2(uv.x, 1.0 - uv.y));  // y grows upward, as on paper
  a[0] = p.x;
  a[1] = p.y;
  int n = 2;
  int row = 0;
  for (int l = 0; l < 9; ++l) {
    if (l >= layers) break;
    int m = sizes[l + 1];
    for (int j = 0; j < 64; ++j) {
      if (j >= m) break;
      float s = texelFetch(weights, ivec2(j, row + n), 0).r;  // b[j]
      for (int i = 0; i < 64; ++i) {
        if (i >= n) break;
        s += a[i] * texelFetch(weights, ivec2(j, row + i), 0).r;
      }
      b[j] = l == layers - 1 ? s : act(s);
    }
    for (int j = 0; j < 64; ++j) {
      if (j >= m) break;
      a[j] = b[j];
    }
    row += n + 1;
    n = m;
  }
  // Positive: blue (class 1, or a high value); negative: orange; near the boundary: white.
  float v = two_outputs == 1 ? tanh(0.5 * (a[1] - a[0])) : clamp(a[0], -1.0, 1.0);
  vec3 blue = vec3(0.2, 0.45, 0.85), orange = vec3(0.96, 0.58, 0.22), white = vec3(0.97);
  vec3 c = v >= 0.0 ? mix(white, blue, v) : mix(white, orange, -v);
  color = vec4(c, 1.0);
}
