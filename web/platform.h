// kobai page: what the app asks of the browser. Implemented in main.cpp (Emscripten); the app itself holds no
// browser code.
#pragma once

#include <string>

namespace kobai::platform {

std::string get_hash();                                // location.hash without '#'
void set_hash(const std::string& hash);                // replaces the URL's hash without a history entry
// localStorage: "" when absent. Bounded before it crosses into wasm: a value longer than max_chars arrives as its
// first hundred characters, *length (when given) saying how long it is.
std::string load_pref(const std::string& key, size_t max_chars, size_t* length = nullptr);
void copy_pref(const std::string& from, const std::string& to);  // within localStorage, untouched
void save_pref(const std::string& key, const std::string& value);
void announce(const std::string& text);                // the screen readers' live region
void set_document_lang(const char* lang);              // <html lang>, for screen readers and fonts
void download(const std::string& filename, const std::string& text, const std::string& mime);
double now_seconds();                                  // since 1970
void open_page(const std::string& html);               // a page of its own in a new tab (a sheet to print)
// Text from the page's own origin (a path such as "data/digits.csv"), or, with an empty path, from a file the
// user picks. It arrives later, through kobai_text_arrived (main.cpp): the text, or an error saying why not.
void read_text(const std::string& path, int tag);
// The labs' own code, which the first frame does without: fetched when a lab that needs it is first opened.
// lab_code() starts the download on its first call and answers how far it is: 0..1 while loading, 1 when the
// code is in (a lab may run then), or −1 when it could not be loaded (lab_code_error says why).
double lab_code();
std::string lab_code_error();
// A teacher's file packed for a link (deflate-raw, base64url), and back: the browser's CompressionStream works
// asynchronously, so each answers later, through kobai_packed and kobai_unpacked (main.cpp).
enum class Packed { Lesson, Questions };
void pack(Packed kind, const std::string& text);
void unpack(Packed kind, const std::string& packed);

}  // namespace kobai::platform
