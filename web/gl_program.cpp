#include "gl_program.h"

namespace kobai {
namespace {

GLuint compile(GLenum kind, const char* src, const std::string& whose, std::string* error) {
  GLuint s = glCreateShader(kind);
  glShaderSource(s, 1, &src, nullptr);
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

GLuint gl_program(const char* vertex_source, const char* fragment_source, const std::string& whose, std::string* error) {
  GLuint vs = compile(GL_VERTEX_SHADER, vertex_source, whose, error);
  GLuint fs = vs ? compile(GL_FRAGMENT_SHADER, fragment_source, whose, error) : 0;
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
