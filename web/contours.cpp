// The contours' GL: shaders from shaders/ (gl_program.h; the vertex shader is the heat map's one
// triangle), the grid as an R32F texture read with texelFetch (WebGL2 cannot filter float textures without an
// extension, so the shader interpolates), and a framebuffer whose texture ImGui draws as an image.
#include "contours.h"

#include "gl_program.h"

#include <GLES3/gl3.h>


namespace kobai {
namespace {

GLuint program = 0, vao = 0, grid_tex = 0, fbo = 0, target = 0;
int target_w = 0, target_h = 0;

bool init(std::string* error) {
  if (program) return true;
  program = gl_program(shader_boundary_vert, shader_contours_frag, "the contours'", error);
  if (!program) return false;
  glGenVertexArrays(1, &vao);
  glGenTextures(1, &grid_tex);
  glGenFramebuffers(1, &fbo);
  return true;
}

}  // namespace

unsigned contours_render(const std::vector<float>& grid, int gw, int gh, int w, int h, std::string* error) {
  if (gw < 2 || gh < 2 || grid.size() != size_t(gw) * size_t(gh)) return *error = "the contours' grid is empty", 0;
  if (!init(error)) return 0;
  glActiveTexture(GL_TEXTURE0);
  glBindTexture(GL_TEXTURE_2D, grid_tex);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
  glTexImage2D(GL_TEXTURE_2D, 0, GL_R32F, gw, gh, 0, GL_RED, GL_FLOAT, grid.data());
  if (!target || target_w != w || target_h != h) {  // the picture, at the view's own resolution
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
  glBindTexture(GL_TEXTURE_2D, grid_tex);
  glUniform1i(glGetUniformLocation(program, "grid"), 0);
  glUniform2i(glGetUniformLocation(program, "size"), gw, gh);
  glUniform1f(glGetUniformLocation(program, "levels"), 18.f);
  glDisable(GL_BLEND);
  glDisable(GL_SCISSOR_TEST);
  glBindVertexArray(vao);
  glDrawArrays(GL_TRIANGLES, 0, 3);
  glBindVertexArray(0);
  glBindFramebuffer(GL_FRAMEBUFFER, 0);
  glViewport(viewport[0], viewport[1], viewport[2], viewport[3]);
  return target;
}

}  // namespace kobai
