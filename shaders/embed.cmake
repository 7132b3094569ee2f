# Writes the shaders into a C++ file: each file's text as kobai::shader_<name> (boundary.vert: shader_boundary_vert).
# Compiled into the page, they come with the code that uses them, the later labs' (split-labs.py moves the strings
# only that code names into kobai.labs.wasm), and not with the first frame's kobai.data.
#   cmake -DOUT=shaders.cpp -DFILES="a.vert|b.frag" -P embed.cmake
string(REPLACE "|" ";" files "${FILES}")
set(body "")
foreach(f IN LISTS files)
  file(READ "${f}" text)
  if(text MATCHES "\\)kobai_shader\"")
    message(FATAL_ERROR "${f} contains the raw-string delimiter )kobai_shader\"")
  endif()
  get_filename_component(name "${f}" NAME)
  string(MAKE_C_IDENTIFIER "${name}" name)
  string(APPEND body "extern const char shader_${name}[] = R\"kobai_shader(${text})kobai_shader\";\n")
endforeach()
file(WRITE "${OUT}" "// Generated from shaders/ by embed.cmake: edit those files, not this one.\n"
  "namespace kobai {\n${body}}  // namespace kobai\n")
