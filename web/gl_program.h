// kobai page: a GLSL ES 3.00 program from two of shaders/ (preloaded at /shaders), for the labs' shader views
// (the playground's heat map, the optimizer paths' contours). 0 and *error set, naming `whose` ("the heat
// map's"), when a file is missing or a shader does not compile or link.
#pragma once

#include <GLES3/gl3.h>

#include <string>

namespace kobai {

GLuint gl_program(const char* vertex_path, const char* fragment_path, const std::string& whose, std::string* error);

}  // namespace kobai
