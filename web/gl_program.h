// kobai page: a GLSL ES 3.00 program from two of shaders/, for the labs' shader views (the playground's heat map,
// the optimizer paths' contours). 0 and *error set, naming `whose` ("the heat map's"), when a shader does not
// compile or link.
#pragma once

#include <GLES3/gl3.h>

#include <string>

namespace kobai {

// The files of shaders/ as text (shaders/embed.cmake writes them into the page): they come with the labs' code.
extern const char shader_boundary_vert[], shader_boundary_frag[], shader_contours_frag[];

GLuint gl_program(const char* vertex_source, const char* fragment_source, const std::string& whose, std::string* error);

}  // namespace kobai
