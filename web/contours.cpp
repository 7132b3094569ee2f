// The contours' GL: shaders from shaders/ (preloaded at /shaders; the vertex shader is the heat map's one
// triangle), the grid as an R32F texture read with texelFetch (WebGL2 cannot filter float textures without an
// extension, so the shader interpolates), and a framebuffer whose texture ImGui draws as an image.
#include "contours.h"

#include <GLES3/gl3.h>

#include <cstdio>

namespace kobai {
namespace {

GLuint program = 0, vao = 0, grid_tex = 0, fbo = 0, target = 0;
int target_w = 0, target_h = 0;

std::string read(const char* path) {  // stdio, not iostreams (the page's size)
  std::string s;
  if (FILE* f = std::fopen(path, "rb")) {
    char buf[4096];
    for (size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) s.append(buf, n);
    std::fclose(f);
  }
  return s;
}

GLuint compile(GLenum kind, const std::string& src, std::string* error) {
  GLuint s = glCreateShader(kind);
  const char* p = src.c_str();
  glShaderSource(s, 1, &p, nullptr);
  glCompileShader(s);
  GLint ok = 0;
  glGetShaderiv(s, GL_COMPILE_STATUS, &ok);
  if (!ok) {
    char log[1024];
    glGetShaderInfoLog(s, sizeof log, nullptr, log);
    *error = std::string("the contours' shader did not compile: ") + log;
    glDeleteShader(s);
    return 0;
  }
  return s;
}

bool init(std::string* error) {
  if (program) return true;
  std::string vs_src = read("/shaders/boundary.vert"), fs_src = read("/shaders/contours.frag");
  if (vs_src.empty() || fs_src.empty()) return *error = "the contours' shaders are missing", false;
  GLuint vs = compile(GL_VERTEX_SHADER, vs_src, error), fs = vs ? compile(GL_FRAGMENT_SHADER, fs_src, error) : 0;
  if (!vs || !fs) return false;
  program = glCreateProgram();
  glAttachShader(program, vs);
  glAttachShader(program, fs);
  glLinkProgram(program);
  glDeleteShader(vs);
  glDeleteShader(fs);
  GLint ok = 0;
  glGetProgramiv(program, GL_LINK_STATUS, &ok);
  if (!ok) {
    glDeleteProgram(program);
    program = 0;
    return *error = "the contours' shaders did not link", false;
  }
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
