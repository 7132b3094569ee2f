// The heat map's GL: shaders from shaders/ (gl_program.h), the weights as an R32F texture, and a
// framebuffer whose texture ImGui draws as an image. WebGL2 (GLSL ES 3.00).
#include "heatmap.h"

#include "gl_program.h"

#include <GLES3/gl3.h>


namespace kobai {
namespace {

GLuint program = 0, vao = 0, weights_tex = 0, fbo = 0, target = 0;
int target_w = 0, target_h = 0;

bool init(std::string* error) {
  if (program) return true;
  program = gl_program(shader_boundary_vert, shader_boundary_frag, "the heat map's", error);
  if (!program) return false;
  glGenVertexArrays(1, &vao);
  glGenTextures(1, &weights_tex);
  glGenFramebuffers(1, &fbo);
  return true;
}

}  // namespace

unsigned heatmap_render(const std::vector<std::pair<MatT<float>, MatT<float>>>& layers, Activation activation, bool two_outputs,
                        int w, int h, float range, std::string* error) {
  if (layers.size() > 9) return *error = "the heat map draws at most 8 hidden layers", 0;
  for (const auto& [W, b] : layers)
    if (W.rows() > 64 || W.cols() > 64) return *error = "the heat map draws layers of at most 64 units", 0;
  if (!init(error)) return 0;
  // The weights: 64 wide, one row per input unit of each layer plus one for its biases.
  int rows = 0;
  for (const auto& [W, b] : layers) rows += int(W.rows()) + 1;
  std::vector<float> texels(size_t(64) * rows, 0.f);
  int sizes[10] = {0};
  int r = 0;
  sizes[0] = int(layers[0].first.rows());
  for (size_t l = 0; l < layers.size(); ++l) {
    const auto& [W, b] = layers[l];
    for (Eigen::Index i = 0; i < W.rows(); ++i)
      for (Eigen::Index j = 0; j < W.cols(); ++j) texels[size_t(r + i) * 64 + size_t(j)] = W(i, j);
    for (Eigen::Index j = 0; j < b.cols(); ++j) texels[size_t(r + W.rows()) * 64 + size_t(j)] = b(0, j);
    r += int(W.rows()) + 1;
    sizes[l + 1] = int(W.cols());
  }
  glActiveTexture(GL_TEXTURE0);
  glBindTexture(GL_TEXTURE_2D, weights_tex);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
  glTexImage2D(GL_TEXTURE_2D, 0, GL_R32F, 64, rows, 0, GL_RED, GL_FLOAT, texels.data());
  if (!target || target_w != w || target_h != h) {  // the picture, at the canvas's own resolution
    if (!target) glGenTextures(1, &target);
    glBindTexture(GL_TEXTURE_2D, target);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, w, h, 0, GL_RGBA, GL_UNSIGNED_BYTE, nullptr);
    target_w = w, target_h = h;
    glBindFramebuffer(GL_FRAMEBUFFER, fbo);
    glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, target, 0);
  }
  GLint viewport[4];
  glGetIntegerv(GL_VIEWPORT, viewport);
  glBindFramebuffer(GL_FRAMEBUFFER, fbo);
  glViewport(0, 0, w, h);
  glUseProgram(program);
  glActiveTexture(GL_TEXTURE0);
  glBindTexture(GL_TEXTURE_2D, weights_tex);
  glUniform1i(glGetUniformLocation(program, "weights"), 0);
  glUniform1i(glGetUniformLocation(program, "layers"), int(layers.size()));
  glUniform1iv(glGetUniformLocation(program, "sizes"), 10, sizes);
  glUniform1i(glGetUniformLocation(program, "activation"), int(activation));
  glUniform1i(glGetUniformLocation(program, "two_outputs"), two_outputs ? 1 : 0);
  glUniform2f(glGetUniformLocation(program, "lo"), -range, -range);
  glUniform2f(glGetUniformLocation(program, "hi"), range, range);
  glDisable(GL_BLEND);
  glDisable(GL_SCISSOR_TEST);
  glBindVertexArray(vao);
  glDrawArrays(GL_TRIANGLES, 0, 3);
  glBindVertexArray(0);
  glBindFramebuffer(GL_FRAMEBUFFER, 0);
  glViewport(viewport[0], viewport[1], viewport[2], viewport[3]);
  return target;
}

unsigned upload_image(unsigned texture, int w, int h, const std::vector<unsigned>& pixels) {
  GLuint t = texture;
  if (!t) glGenTextures(1, &t);
  glBindTexture(GL_TEXTURE_2D, t);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
  glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, w, h, 0, GL_RGBA, GL_UNSIGNED_BYTE, pixels.data());
  return t;
}

}  // namespace kobai
