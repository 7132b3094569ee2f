#include "gl_program.h"

#include <cstdio>

namespace kobai {
namespace {

std::string read(const char* path) {  // stdio, not iostreams: iostreams would add about 100 KB to the page
  std::string s;
  if (FILE* f = std::fopen(path, "rb")) {
    char buf[4096];
    for (size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) s.append(buf, n);
    std::fclose(f);
  }
  return s;
}

GLuint compile(GLenum kind, const std::string& src, const std::string& whose, std::string* error) {
  GLuint s = glCreateShader(kind);
  const char* p = src.c_str();
  glShaderSource(s, 1, &p, nullptr);
  glCompileShader(s);
  GLint ok = 0;
  glGetShaderiv(s, GL_COMPILE_STATUS, &ok);
  if (!ok) {
    char log[1024];
    glGetShaderInfoLog(s, sizeof log, nullptr, log);
    *error = whose + " shader did not compile: " + log;
    glDeleteShader(s);
    return 0;
  }
  return s;
}

}  // namespace

GLuint gl_program(const char* vertex_path, const char* fragment_path, const std::string& whose, std::string* error) {
  std::string vs_src = read(vertex_path), fs_src = read(fragment_path);
  if (vs_src.empty() || fs_src.empty()) return *error = whose + " shaders are missing", 0;
  GLuint vs = compile(GL_VERTEX_SHADER, vs_src, whose, error), fs = vs ? compile(GL_FRAGMENT_SHADER, fs_src, whose, error) : 0;
  if (!vs || !fs) {
    if (vs) glDeleteShader(vs);
    return 0;
  }
  GLuint program = glCreateProgram();
  glAttachShader(program, vs);
  glAttachShader(program, fs);
  glLinkProgram(program);
  glDeleteShader(vs);
  glDeleteShader(fs);
  GLint ok = 0;
  glGetProgramiv(program, GL_LINK_STATUS, &ok);
  if (!ok) {
    glDeleteProgram(program);
    return *error = whose + " shaders did not link", 0;
  }
  return program;
}

}  // namespace kobai
