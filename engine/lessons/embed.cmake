# Writes the built-in lessons into a C++ file, so that the command and the page carry them.
#   cmake -DOUT=lessons.cpp -DFILES="a.json|b.json" -P embed.cmake
string(REPLACE "|" ";" files "${FILES}")
set(body "")
foreach(f IN LISTS files)
  file(READ "${f}" text)
  if(text MATCHES "\\)kobai_lesson\"")
    message(FATAL_ERROR "${f} contains the raw-string delimiter )kobai_lesson\"")
  endif()
  string(APPEND body "    R\"kobai_lesson(${text})kobai_lesson\",\n")
endforeach()
list(LENGTH files n)
file(WRITE "${OUT}" "// Generated from engine/lessons/*.json by embed.cmake: edit those files, not this one.\n"
  "namespace kobai {\nextern const char* const kLessonSources[] = {\n${body}};\n"
  "extern const int kLessonSourceCount = ${n};\n}  // namespace kobai\n")
