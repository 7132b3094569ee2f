#version 300 es
// The optimizer-paths lab's contours: f sampled on a grid over the view (by the page, in wasm), each sample
// already log(f − fmin + 1) scaled to 0..1, so the lines crowd neither the minimum nor the steep walls. The
// fragment interpolates between the four samples around it and draws iso-lines one pixel wide (fwidth), over
// a light fill that grows warmer uphill.
precision highp float;
precision highp int;

in vec2 uv;
out vec4 color;

uniform highp sampler2D grid;  // R32F, row 0 at the bottom of the view; below 0 where f is not a number
uniform ivec2 size;            // the grid's samples across and up
uniform float levels;          // iso-lines over the whole range

float at(ivec2 i) { return texelFetch(grid, clamp(i, ivec2(0), size - 1), 0).r; }

void main() {
  vec2 g = vec2(uv.x, 1.0 - uv.y) * vec2(size - 1);  // y grows upward, as on paper
  ivec2 i = ivec2(floor(g));
  vec2 f = g - vec2(i);
  float a = at(i), b = at(i + ivec2(1, 0)), c = at(i + ivec2(0, 1)), d = at(i + ivec2(1, 1));
  if (min(min(a, b), min(c, d)) < 0.0) {  // f is NaN or inf here: grey, no lines
    color = vec4(0.82, 0.82, 0.82, 1.0);
    return;
  }
  float t = mix(mix(a, b, f.x), mix(c, d, f.x), f.y);
  vec3 fill = mix(vec3(0.85, 0.92, 1.0), vec3(1.0, 0.93, 0.82), t);
  float v = t * levels;
  float line = 1.0 - clamp(abs(fract(v + 0.5) - 0.5) / max(fwidth(v), 1e-6), 0.0, 1.0);
  color = vec4(mix(fill, vec3(0.42, 0.5, 0.65), 0.75 * line), 1.0);
}
