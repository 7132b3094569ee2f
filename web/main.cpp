// The engine as WebAssembly for the page: a lesson's whole walkthrough as text.
// (The Dear ImGui front end replaces this page; the engine entry points stay.)
#include "lesson.h"
#include "report.h"

#include <emscripten/emscripten.h>

#include <cstdlib>
#include <cstring>

namespace {
char* copy(const std::string& s) {
  char* out = static_cast<char*>(std::malloc(s.size() + 1));
  std::memcpy(out, s.c_str(), s.size() + 1);
  return out;
}
}  // namespace

extern "C" {

// The walkthrough of a built-in lesson, or "error: ..." (the caller frees the text with kobai_free).
EMSCRIPTEN_KEEPALIVE char* kobai_trace(const char* lesson_id, const char* lang) {
  try {
    const kobai::Lesson* l = kobai::find_lesson(lesson_id);
    if (!l) return copy(std::string("error: unknown lesson '") + lesson_id + "'; the lessons are: " + kobai::lesson_ids());
    kobai::Lang lg = kobai::parse_lang(lang);
    kobai::Walk w(kobai::build(l->expr, l->inputs), l->params, l->lr);
    return copy(l->title(lg) + "\n" + l->goal(lg) + "\n\n" + kobai::trace_text(w, lg));
  } catch (const std::exception& e) {
    return copy(std::string("error: ") + e.what());
  }
}

EMSCRIPTEN_KEEPALIVE void kobai_free(char* p) { std::free(p); }
}

int main() { return 0; }
