// kobai page: the Emscripten glue. A GLFW window on the page's canvas (WebGL2), Dear ImGui's GLFW and OpenGL3
// backends, the main loop (paused when nothing changes), the browser services of platform.h, and the
// functions the scripting API (boot.js: window.kobai) calls.
#include "app.h"
#include "bank.h"
#include "labs/labs.h"
#include "lesson.h"
#include "platform.h"
#include "report.h"

#include <GLFW/glfw3.h>
#include <emscripten/emscripten.h>
#include <emscripten/html5.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>
#include <imgui_internal.h>  // ImTextCharFromUtf8
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <functional>
#include <string_view>

using namespace kobai;

namespace {
GLFWwindow* window = nullptr;
App app;
int busy_frames = 0;  // frames still to draw before pausing: ImGui settles hover and focus over a few
bool paused = false;
std::string out;      // the last string handed to JavaScript
std::vector<float> frame_ms;  // how long each frame's work took, for the benchmark (the last 600)
std::vector<float> wait_ms;   // ... and how long it waited for the GPU to finish the frame before (below)
struct Arrived {  // a text that came before the code to read it
  DataKind kind;
  std::string name, text, error;
};
std::vector<Arrived> arrived;
float font_scale = 0;  // the scale the font atlas and the style were made for
}  // namespace

// --- the browser's services -------------------------------------------------------------------------------

EM_JS(char*, js_get_hash, (), {
  return allocateUTF8(location.hash.replace(/^#/, ""));
});
EM_JS(void, js_set_hash, (const char* h), {
  history.replaceState(null, "", "#" + UTF8ToString(h));
});
EM_JS(char*, js_load_pref, (const char* key, double max_chars, double* length), {
  var v = null;
  try { v = window.localStorage.getItem(UTF8ToString(key)); } catch (e) {}
  if (v === null) v = "";
  HEAPF64[length >> 3] = v.length;
  return allocateUTF8(v.length > max_chars ? v.slice(0, 100) : v);  // a megabyte of junk is not copied in
});
EM_JS(void, js_copy_pref, (const char* from, const char* to), {
  try { window.localStorage.setItem(UTF8ToString(to), window.localStorage.getItem(UTF8ToString(from)) || ""); } catch (e) {}
});
EM_JS(void, js_save_pref, (const char* key, const char* value), {
  try { window.localStorage.setItem(UTF8ToString(key), UTF8ToString(value)); } catch (e) {}
});
EM_JS(void, js_announce, (const char* text), {
  var el = document.getElementById('live');
  if (el) el.textContent = UTF8ToString(text);
});
EM_JS(void, js_set_lang, (const char* lang), { document.documentElement.lang = UTF8ToString(lang); });
EM_JS(void, js_download, (const char* name, const char* text, const char* mime), {
  var blob = new Blob([UTF8ToString(text)], {type: UTF8ToString(mime)});
  var link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = UTF8ToString(name);
  document.body.appendChild(link);
  link.click();
  setTimeout(function() { URL.revokeObjectURL(link.href); link.remove(); }, 1000);
});
EM_JS(void, js_read_text, (const char* path, int tag), {
  Module["readText"](UTF8ToString(path), tag);  // boot.js: fetch, or a file dialog
});
EM_JS(void, js_open_page, (const char* html), {
  var url = URL.createObjectURL(new Blob([UTF8ToString(html)], {type: 'text/html'}));
  if (!window.open(url, '_blank')) console.warn('kobai: the browser blocked the new tab for the printable sheet');
  setTimeout(function() { URL.revokeObjectURL(url); }, 60000);
});
EM_JS(void, js_pack, (int kind, const char* text), { Module["pack"](kind, UTF8ToString(text)); });
EM_JS(void, js_unpack, (int kind, const char* packed), { Module["unpack"](kind, UTF8ToString(packed)); });
// The labs' code (kobai.labs.wasm): boot.js fetches it on the first call and says how far it is.
EM_JS(double, js_lab_code, (), { return Module["labCode"] ? Module["labCode"]() : 1; });
EM_JS(char*, js_lab_code_error, (), { return allocateUTF8(Module["labCodeError"] ? Module["labCodeError"]() : ""); });
EM_JS(void, js_first_frame, (), {
  if (!Module["firstFrameTime"]) Module["firstFrameTime"] = performance.now();  // quoted: Closure keeps the name
  var l = document.getElementById('loading');
  if (l) l.remove();
  if (Module["onFirstFrame"]) Module["onFirstFrame"]();
});

namespace kobai::platform {
static std::string take(char* p) {
  std::string s(p);
  free(p);
  return s;
}
std::string get_hash() { return take(js_get_hash()); }
void set_hash(const std::string& h) { js_set_hash(h.c_str()); }
std::string load_pref(const std::string& key, size_t max_chars, size_t* length) {
  double n = 0;
  std::string v = take(js_load_pref(key.c_str(), double(max_chars), &n));
  if (length) *length = size_t(n);
  return v;
}
void copy_pref(const std::string& from, const std::string& to) { js_copy_pref(from.c_str(), to.c_str()); }
void save_pref(const std::string& key, const std::string& value) { js_save_pref(key.c_str(), value.c_str()); }
void announce(const std::string& text) { js_announce(text.c_str()); }
void set_document_lang(const char* lang) { js_set_lang(lang); }
void download(const std::string& name, const std::string& text, const std::string& mime) { js_download(name.c_str(), text.c_str(), mime.c_str()); }
double now_seconds() { return emscripten_date_now() / 1000.0; }
void read_text(const std::string& path, int tag) { js_read_text(path.c_str(), tag); }
double lab_code() { return js_lab_code(); }
void pack(Packed kind, const std::string& text) { js_pack(int(kind), text.c_str()); }
void open_page(const std::string& html) { js_open_page(html.c_str()); }
void unpack(Packed kind, const std::string& packed) { js_unpack(int(kind), packed.c_str()); }
std::string lab_code_error() { return take(js_lab_code_error()); }
}  // namespace kobai::platform

static void wake();
// Two fingers on the graph: the distance between them grew by `factor`, about (x, y) in CSS pixels.
static void kobai_pinch_at(double factor, double x, double y) {
  if (std::isfinite(factor) && factor > 0) app.view.pinch *= float(std::clamp(factor, 0.2, 5.0)), app.view.pinch_at = {float(x), float(y)};
}

// Touch. Emscripten 3.1.6's GLFW takes no position from a touch (a tap would act where the mouse last was), so
// the page reads the touches itself: one finger is the mouse's left button at the finger, for Dear ImGui (taps,
// drags, sliders, the graph's pan); two fingers pinch the graph. The browser's own handling (scrolling the page,
// zooming it, mouse events made up from touches) is prevented on the canvas.
struct Touch {
  bool down = false, pressed = false, lifted = false;  // a finger is on; it came down / went up since the last frame
  ImVec2 at{-FLT_MAX, -FLT_MAX};                       // where, in CSS pixels
  double spread = 0;                                   // two fingers: the distance between them
} touch;

static EM_BOOL on_touch(int type, const EmscriptenTouchEvent* e, void*) {
  int n = 0;
  const EmscriptenTouchPoint* f[2] = {nullptr, nullptr};
  for (int i = 0; i < e->numTouches && n < 2; ++i)
    if (type == EMSCRIPTEN_EVENT_TOUCHEND || type == EMSCRIPTEN_EVENT_TOUCHCANCEL ? !e->touches[i].isChanged : true) f[n++] = &e->touches[i];
  if (n >= 2) {  // a pinch: zoom the graph by how much the fingers spread, about the point between them
    double dx = double(f[0]->targetX - f[1]->targetX), dy = double(f[0]->targetY - f[1]->targetY), spread = std::sqrt(dx * dx + dy * dy);
    if (touch.spread > 0 && spread > 0) kobai_pinch_at(spread / touch.spread, (f[0]->targetX + f[1]->targetX) / 2.0, (f[0]->targetY + f[1]->targetY) / 2.0);
    touch.spread = spread;
    if (touch.down) touch.down = false, touch.lifted = true, app.view.dragged = true;  // a pinch is no tap
  } else if (n == 1) {
    touch.spread = 0;
    touch.at = ImVec2(float(f[0]->targetX), float(f[0]->targetY));
    if (type == EMSCRIPTEN_EVENT_TOUCHSTART && !touch.down) touch.down = touch.pressed = true;
  } else {  // the last finger lifted
    touch.spread = 0;
    if (touch.down) touch.down = false, touch.lifted = true;
  }
  wake();
  return EM_TRUE;
}

// After the GLFW backend has read the mouse: a finger overrides it. A press and a lift between two frames
// still give one frame with the button down, so a quick tap is a click.
static void apply_touch(ImGuiIO& io) {
  if (!touch.down && !touch.pressed && !touch.lifted) return;
  io.MousePos = ImVec2(touch.at.x * app.dpr, touch.at.y * app.dpr);
  io.MouseDown[0] = touch.down || touch.pressed;
  if (touch.pressed) touch.pressed = false;
  else if (touch.lifted) touch.lifted = false;
}

// The phone's own keyboard. The canvas is no text field, so a phone shows no keyboard for Dear ImGui's fields:
// while one has the keyboard on a touch screen, a hidden text input has the focus instead, and what is typed
// into it is handed on (kobai_soft_text, kobai_soft_backspace). A physical keyboard still reaches Dear ImGui
// through GLFW (its keypress events), so those characters are not handed on twice.
EM_JS(void, js_soft_keyboard, (int on), {
  var el = document.getElementById('kobai-keys');
  if (!el) {
    el = document.createElement('input');
    el.id = 'kobai-keys';
    el.type = 'text';
    el.autocomplete = 'off';
    el.spellcheck = false;
    el.setAttribute('autocapitalize', 'off');
    el.setAttribute('autocorrect', 'off');
    el.setAttribute('aria-hidden', 'true');
    el.style.position = 'fixed', el.style.left = '0', el.style.top = '0', el.style.width = '1px', el.style.height = '1px';
    el.style.opacity = '0', el.style.fontSize = '16px', el.style.border = '0', el.style.padding = '0';  // 16px: no zoom on focus
    var keyed = false;  // a keypress came first: GLFW has passed that character on already
    window.addEventListener('keypress', function() { keyed = true; }, true);
    el.addEventListener('input', function(e) {
      var text = el.value.replace(/^ /, '');
      el.value = ' ';  // one space kept in the field: a backspace on an empty field sends no event on some phones
      if (keyed) { keyed = false; return; }
      if (e.inputType === 'deleteContentBackward') _kobai_soft_backspace();
      else if (text) withStackSave(function() { _kobai_soft_text(allocateUTF8OnStack(text)); });
    });
    document.body.appendChild(el);
  }
  if (on && document.activeElement !== el) {
    el.value = ' ';
    el.focus({preventScroll: true});
  } else if (!on && document.activeElement === el) {
    el.blur();
    var c = document.getElementById('canvas');
    if (c) c.focus({preventScroll: true});
  }
});

static bool labs_fonts_arrived = false;  // kobai_labs_fonts: the atlas is made again with them
static int soft_backspaces = 0;      // backspaces from the phone's keyboard still to hand on, one a frame
static bool soft_backspace_down = false;
static bool soft_keyboard = false;   // the hidden input has the focus

// --- the main loop --------------------------------------------------------------------------------------------

// Dear ImGui adds its built-in font (ProggyClean, 12 KB in the page) when none was added. kobai always adds its
// own below, so that fallback is linked out: -Wl,--wrap in CMakeLists.txt sends ImGui's call here instead.
extern "C" ImFont* __wrap__ZN11ImFontAtlas14AddFontDefaultEPK12ImFontConfig(ImFontAtlas*, const ImFontConfig*) { return nullptr; }

// Latin and math from DejaVu Sans, Japanese merged in from IPAexGothic: subsets cut at build time, with the
// list of their characters, so the atlas holds exactly those glyphs. One rasterization per glyph (no 3x
// horizontal oversampling): the text is drawn at device pixels, and start-up stays short. Made again when the
// scale changes (the projector setting), so that large text stays sharp.
// Two files of fonts (web/fonts/make-fonts.py): kobai.data, which boot.js fetches beside kobai.wasm and main takes
// before the first frame, and the later labs' characters (kobai.labs.fonts, fetched with their code). Each is the
// list of its characters, DejaVu's and IPAexGothic's subsets for them, each a 32-bit little-endian length and its
// bytes. Kept here: the atlas reads them in place.
static std::string page_fonts, labs_fonts;
static std::string_view font_part(const std::string& fonts, int index) {
  size_t at = 0;
  for (int i = 0;; ++i) {
    if (at + 4 > fonts.size()) return {};
    uint32_t n = uint32_t(uint8_t(fonts[at])) | uint32_t(uint8_t(fonts[at + 1])) << 8 |
                 uint32_t(uint8_t(fonts[at + 2])) << 16 | uint32_t(uint8_t(fonts[at + 3])) << 24;
    if (n > fonts.size() - at - 4) return {};
    if (i == index) return std::string_view(fonts).substr(at + 4, n);
    at += 4 + n;
  }
}

// kobai.data's bytes, which boot.js fetched before it let the module start (Module.fontData), copied in once.
EM_JS(char*, js_take_fonts, (int* size), {
  var d = Module["fontData"] || new Uint8Array(0);
  Module["fontData"] = null;
  var p = _malloc(d.length + 1);
  HEAPU8.set(d, p);
  HEAP32[size >> 2] = d.length;
  return p;
});

// The fonts of one file added to the atlas (merged into the first), with the glyph ranges of its list of characters.
static void add_fonts(const std::string& fonts, ImVector<ImWchar>& ranges, float px, bool merge) {
  std::string_view chars = font_part(fonts, 0), latin = font_part(fonts, 1), ja = font_part(fonts, 2);
  if (chars.empty() || latin.empty() || ja.empty()) return;
  if (ranges.empty()) {
    ImFontGlyphRangesBuilder builder;
    builder.AddText(chars.data(), chars.data() + chars.size());
    builder.BuildRanges(&ranges);
  }
  ImFontConfig c;
  c.OversampleH = 1;
  c.PixelSnapH = true;
  c.FontDataOwnedByAtlas = false;  // the string keeps the bytes
  for (std::string_view font : {latin, ja}) {
    c.MergeMode = merge;
    ImGui::GetIO().Fonts->AddFontFromMemoryTTF(const_cast<char*>(font.data()), int(font.size()), px, &c, ranges.Data);
    merge = true;
  }
}

static void make_fonts(float scale) {
  static ImVector<ImWchar> ranges, labs_ranges;
  ImGui::GetIO().Fonts->Clear();
  float px = std::round(15.0f * scale);
  add_fonts(page_fonts, ranges, px, false);
  add_fonts(labs_fonts, labs_ranges, px, true);
  font_scale = scale;
}

static void loop() {
  double t0 = emscripten_get_now();
  glfwPollEvents();
  app.scale = app.dpr * (app.present ? 1.4f : 1.0f);
  if (app.scale != font_scale || labs_fonts_arrived) {
    labs_fonts_arrived = false;  // the projector setting changed: text, nodes and controls larger or back
    bool first = font_scale == 0;
    make_fonts(app.scale);
    if (!first) ImGui_ImplOpenGL3_DestroyFontsTexture(), ImGui_ImplOpenGL3_CreateFontsTexture();
    setup_style(app);
  }
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplGlfw_NewFrame();
  ImGuiIO& io = ImGui::GetIO();
  apply_touch(io);
  if (soft_backspace_down) io.KeysDown[GLFW_KEY_BACKSPACE] = false, soft_backspace_down = false;
  else if (soft_backspaces > 0) io.KeysDown[GLFW_KEY_BACKSPACE] = true, soft_backspace_down = true, --soft_backspaces;
  if (io.DeltaTime <= 0) io.DeltaTime = 1e-4f;  // two frames can share a timestamp (headless virtual time)
  ImGui::NewFrame();
  bool playing = frame(app, std::min(io.DeltaTime, 0.1f));
  if (app.lab_code_in && !arrived.empty()) {  // texts that waited for the playground's code
    for (const Arrived& t : arrived) playground_text_arrived(app, t.kind, t.name, t.text, t.error);
    arrived.clear();
    playing = true;
  }
  ImGui::Render();
  int w, h;
  glfwGetFramebufferSize(window, &w, &h);
  glViewport(0, 0, w, h);
  glClearColor(1, 1, 1, 1);  // the panels' colour: they draw no background of their own
  glClear(GL_COLOR_BUFFER_BIT);
  // The backend's first state query is a round trip to the GPU process, answered once it has drawn what came
  // before: the last frame. One query here times that wait apart from the page's own work. With SwiftShader (the
  // software GPU of the tests and the benchmark) the wait is the last frame's rasterising, on the processor; a
  // phone's GPU does that beside the page's work.
  double w0 = emscripten_get_now();
  GLint unused;
  glGetIntegerv(GL_BLEND_SRC_RGB, &unused);
  double waited = emscripten_get_now() - w0;
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
  js_first_frame();
  if (frame_ms.size() >= 600) frame_ms.erase(frame_ms.begin(), frame_ms.begin() + 300), wait_ms.erase(wait_ms.begin(), wait_ms.begin() + 300);
  frame_ms.push_back(float(emscripten_get_now() - t0 - waited));
  wait_ms.push_back(float(waited));
  if (app.changed) {
    app.changed = false;
    platform::set_hash(link(app));
    const Walk& wk = *app.walk;
    platform::announce(wk.position() ? explain(wk, wk.position() - 1, app.lang)
                                     : (app.lang == Lang::ja ? "ステップ 0: 準備完了" : "Step 0: ready"));
    busy_frames = std::max(busy_frames, 3);
  }
  if (bool want = app.touch && io.WantTextInput; want != soft_keyboard) soft_keyboard = want, js_soft_keyboard(want);
  if (soft_backspaces > 0 || soft_backspace_down) busy_frames = std::max(busy_frames, 2);
  if (playing || ImGui::IsAnyItemActive()) busy_frames = std::max(busy_frames, 2);
  if (--busy_frames <= 0) {  // nothing moves: stop drawing until an event arrives (kobai_wake)
    emscripten_pause_main_loop();
    paused = true;
  }
}

// Chained in front of Dear ImGui's own key callback: queue the shortcut keys, so none is lost between frames.
static GLFWkeyfun imgui_key_callback = nullptr;
static void key_callback(GLFWwindow* w, int key, int scancode, int action, int mods) {
  if (imgui_key_callback) imgui_key_callback(w, key, scancode, action, mods);
  if (action == GLFW_RELEASE || mods & (GLFW_MOD_CONTROL | GLFW_MOD_ALT | GLFW_MOD_SUPER)) return;
  switch (key) {
    case GLFW_KEY_RIGHT: app.keys.push_back(Key::Right); break;
    case GLFW_KEY_LEFT: app.keys.push_back(Key::Left); break;
    case GLFW_KEY_HOME: app.keys.push_back(Key::Home); break;
    case GLFW_KEY_END: app.keys.push_back(Key::End); break;
    case GLFW_KEY_SPACE: app.keys.push_back(Key::Space); break;
    case GLFW_KEY_N: app.keys.push_back(Key::N); break;
    case GLFW_KEY_L: app.keys.push_back(Key::L); break;
    case GLFW_KEY_F: app.keys.push_back(Key::F); break;
    case GLFW_KEY_E: app.keys.push_back(Key::E); break;
    case GLFW_KEY_ENTER:
    case GLFW_KEY_KP_ENTER: app.keys.push_back(Key::Enter); break;
    case GLFW_KEY_A: app.keys.push_back(Key::ChoiceA); break;
    case GLFW_KEY_B: app.keys.push_back(Key::ChoiceB); break;
    case GLFW_KEY_C: app.keys.push_back(Key::ChoiceC); break;
    case GLFW_KEY_D: app.keys.push_back(Key::ChoiceD); break;
    case GLFW_KEY_0: app.keys.push_back(Key::Lesson10); break;
    default:
      if (key >= GLFW_KEY_1 && key <= GLFW_KEY_9) app.keys.push_back(Key(int(Key::Lesson1) + key - GLFW_KEY_1));
      break;
  }
}

// Emscripten 3.1.6's GLFW reports the wheel inverted (wheel up arrives negative) and about a hundred times too
// large; Dear ImGui gets one notch per event, the right way round, for its panels and for the canvas's zoom.
static GLFWscrollfun imgui_scroll_callback = nullptr;
static void scroll_callback(GLFWwindow* w, double x, double y) {
  auto notch = [](double v) { return v > 0 ? -1.0 : v < 0 ? 1.0 : 0.0; };
  if (imgui_scroll_callback) imgui_scroll_callback(w, notch(x), notch(y));
}

static void wake() {
  busy_frames = std::max(busy_frames, 4);
  if (paused) {
    paused = false;
    emscripten_resume_main_loop();
  }
}

extern "C" {

EMSCRIPTEN_KEEPALIVE void kobai_wake() { wake(); }

// What the phone's keyboard typed into the hidden input (js_soft_keyboard).
EMSCRIPTEN_KEEPALIVE void kobai_soft_text(const char* text) {
  ImGui::GetIO().AddInputCharactersUTF8(text);
  wake();
}
EMSCRIPTEN_KEEPALIVE void kobai_soft_backspace() {
  soft_backspaces = std::min(soft_backspaces + 1, 1000);
  wake();
}

// boot.js has resized the canvas (Module.setCanvasSize, which GLFW hears): draw again. Not glfwSetWindowSize:
// in Emscripten 3.1.6 it asks for fullscreen when the size equals the screen's, and exits fullscreen otherwise.
EMSCRIPTEN_KEEPALIVE void kobai_resize() { wake(); }

// The text asked for by platform::read_text (or a file dropped on the page: tag −1), or why it could not be read.
// The text comes with its length: a NUL inside it is the file's, not its end.
EMSCRIPTEN_KEEPALIVE void kobai_text_arrived(int tag, const char* name, const char* text, int text_bytes, const char* error) {
  // A file opened or dropped is recognised by its content: a lesson or a question bank (JSON), or else a CSV.
  if (tag < 0 && !*error && open_teacher_file(app, name, std::string(text, size_t(text_bytes)))) {
    wake();
    return;
  }
  DataKind kind = tag < 0 ? DataKind::csv : DataKind(tag);
  if (app.lab_code_in) playground_text_arrived(app, kind, name, std::string(text, size_t(text_bytes)), error);
  else {  // a file dropped before the playground's code is in: it opens the playground, and waits for it
    arrived.push_back({kind, name, std::string(text, size_t(text_bytes)), error});
    show_lab(app, find_lab("playground"));
  }
  wake();
}


// A teacher's file packed for links (platform::pack), or unpacked from one (platform::unpack: the text, or why it
// could not be unpacked). A question file's are the quiz's, whose code is in by then (it asked for them).
EMSCRIPTEN_KEEPALIVE void kobai_packed(int kind, const char* text, int text_bytes, const char* packed) {
  if (kind == int(platform::Packed::Lesson)) lesson_file_packed(app, std::string(text, size_t(text_bytes)), packed);
  else bank_file_packed(app, std::string(text, size_t(text_bytes)), packed);
  wake();
}
EMSCRIPTEN_KEEPALIVE void kobai_unpacked(int kind, const char* packed, const char* text, int text_bytes, const char* error) {
  const std::string t(text, size_t(std::max(text_bytes, 0)));
  if (kind == int(platform::Packed::Lesson)) lesson_file_unpacked(app, packed, t, error);
  else bank_file_unpacked(app, packed, t, error);
  wake();
}

EMSCRIPTEN_KEEPALIVE void kobai_hash_changed() {
  std::string h = platform::get_hash();
  if (!h.empty() && h != link(app)) app.notice.clear(), apply_link(app, h);  // what the last link said is stale now
  wake();
}

// --- the scripting API: window.kobai in boot.js --------------------------------------------------------------

// An input's value from kobai.load: a number, [a, b] or [[a, b], [c, d]], or the same written as text. boot.js
// spells JavaScript's NaN and ±Infinity (which JSON cannot carry: JSON.stringify makes them null) as those words.
static Mat api_value(const std::string& name, const nlohmann::json& v) {
  std::function<const nlohmann::json*(const nlohmann::json&)> nonfinite = [&](const nlohmann::json& j) -> const nlohmann::json* {
    if (j.is_string() && (j == "NaN" || j == "Infinity" || j == "-Infinity")) return &j;
    if (j.is_array())
      for (const auto& e : j)
        if (const nlohmann::json* bad = nonfinite(e)) return bad;
    return nullptr;
  };
  if (const nlohmann::json* bad = nonfinite(v))
    throw InputError("input '" + quote(name) + "' holds " + bad->get<std::string>() + ": kobai takes finite numbers only");
  try {
    return parse_value(v.is_string() ? v.get<std::string>() : v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  } catch (const InputError& e) {
    throw InputError("input '" + quote(name) + "': " + e.what());
  }
}

// What kobai.load was given, checked as the command checks its arguments; a refusal is the editor's message too.
static bool api_load(const std::string& kind, const std::string& text, const char* inputs_json) {
  if (kind != "string") throw InputError("kobai.load takes a lesson id or an expression as a string, not " + quote(kind));
  if (size_t nul = text.find('\0'); nul != std::string::npos) {  // ccall would have cut the text there
    size_t column = 1;
    for (size_t i = 0; i < nul; ++i) column += (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80;
    throw InputError("the text has a NUL character (\\0) at character " + std::to_string(column) + ": '" + quote(text, nul) + "'");
  }
  auto j = nlohmann::json::parse(std::string(inputs_json), nullptr, false);  // a std::string, as everywhere: one parser in the page
  if (j.is_null()) j = nlohmann::json::object();
  if (!j.is_object()) throw InputError("kobai.load's inputs must be an object {name: value}, not " + quote(j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)));
  std::vector<std::pair<std::string, Value>> in;
  for (auto& [name, v] : j.items()) in.push_back({name, api_value(name, v)});
  bool word = !text.empty() && (std::isalpha(static_cast<unsigned char>(text[0])) || text[0] == '_') &&
              std::all_of(text.begin(), text.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
  if (find_lesson(text)) return load_lesson(app, text, in);  // a lesson's inputs overridden, as --at does
  if (word) {  // a lone name has nothing to step through: most likely a lesson's id, mistyped
    load_lesson(app, text, in);
    app.error += " (a lone name is no expression to step through: write one with an operator, e.g. y = " + quote(text, 0, 30) + " * 2)";
    return false;
  }
  InputMatch m;
  try {
    m = match_inputs(text, in);
  } catch (const InputError&) {
    return load_expression(app, text, in);  // the parser's message, with its place
  }
  if (!m.unknown.empty())
    throw InputError("a value was given for '" + quote(m.unknown[0]) + "', but the expression has no input of that name (its inputs: " + join_names(m.names) + ")");
  if (!m.missing.empty())
    throw InputError("input '" + quote(m.missing[0]) + "' has no value: give it one, e.g. kobai.load(text, {" + quote(m.missing[0]) + ": 1})");
  return load_expression(app, text, in);
}

// kind: the JavaScript type of the first argument; text: its bytes (through the heap, NUL and all); inputs as
// JSON {"name": value}. Returns {"ok": true} or {"ok": false, "error"}; the error shows under the editor too.
EMSCRIPTEN_KEEPALIVE const char* kobai_api_load(const char* kind, const char* text, int text_bytes, const char* inputs_json) {
  nlohmann::json r;
  bool ok;
  try {
    ok = api_load(kind, std::string(text, size_t(text_bytes)), inputs_json);
  } catch (const std::exception& e) {  // InputError; anything else too, rather than a trap in the caller's page
    app.error = e.what();
    app.error_line = app.error_column = 0;
    ok = false;
  }
  r["ok"] = ok;
  if (!ok) r["error"] = app.error;
  wake();
  out = r.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return out.c_str();
}
EMSCRIPTEN_KEEPALIVE int kobai_api_step() { wake(); return step(app); }
EMSCRIPTEN_KEEPALIVE int kobai_api_back() { wake(); return back(app); }
EMSCRIPTEN_KEEPALIVE void kobai_api_reset() { wake(); reset(app); }
EMSCRIPTEN_KEEPALIVE void kobai_api_run_phase() { wake(); run_phase(app); }
EMSCRIPTEN_KEEPALIVE int kobai_api_next_iteration() { wake(); return next_iteration(app); }
EMSCRIPTEN_KEEPALIVE void kobai_api_set_lang(const char* l) {
  try {
    set_lang(app, parse_lang(l));
  } catch (const InputError&) {
  }
  wake();
}
EMSCRIPTEN_KEEPALIVE const char* kobai_api_state() {
  nlohmann::json j = nlohmann::json::parse(state_json(*app.walk, app.lang));
  j["lang"] = app.lang == Lang::ja ? "ja" : "en";
  j["mode"] = current_lab(app).id;
  j["lesson"] = app.lesson_id;
  // A teacher's lesson from a file or link: its text as given (a link round-trips it bit for bit), its title.
  j["lesson_file"] = app.lesson_from_file ? app.file_lesson_text : "";
  if (const Lesson* l = current_lesson(app)) j["title"] = l->title(app.lang), j["goal"] = l->goal(app.lang);
  j["expression"] = app.expr;
  j["error"] = app.error;
  j["notice"] = app.notice;
  j["frames"] = app.frames;
  j["paused"] = paused;  // the loop is paused: every event so far has been handled
  j["present"] = app.present, j["touch"] = app.touch, j["narrow"] = app.narrow, j["scale"] = app.scale;
  j["lab_code"] = app.lab_code_in;
  // Characters of the lab switch's titles that the font atlas lacks (drawn as '?'): a later lab's titles must be
  // in the first frame's font, so they live in its header (labs.h).
  auto lacks = [](const char* s, std::string& missing) {
    while (*s) {
      const char* at = s;
      unsigned int c = 0;
      s += ImTextCharFromUtf8(&c, s, nullptr);
      if (c > ' ' && !ImGui::GetFont()->FindGlyphNoFallback(ImWchar(c))) missing.append(at, s);
    }
  };
  std::string missing;
  for (int i = 0; i < lab_count(); ++i)
    for (const Words* w : {&lab(i).title, &lab(i).short_title})
      for (Lang l : {Lang::en, Lang::ja}) lacks((*w)(l), missing);
  j["title_glyphs_missing"] = missing;
  for (int i = 0; i < lab_count(); ++i)  // each lab's part; a lab whose code has not come yet has none
    if (!lab(i).later_code || app.lab_code_in) lab(i).state(app, j);
  j["playground"]["mode"] = current_lab(app).id == std::string("playground");
  // ... and of the quiz's question (day 2's words come with the later code's font).
  std::string prompt_missing;
  if (j["quiz"].contains("prompt") && j["quiz"]["prompt"].is_string()) lacks(j["quiz"]["prompt"].get<std::string>().c_str(), prompt_missing);
  j["quiz"]["prompt_glyphs_missing"] = prompt_missing;
  std::string working_missing;  // and of its working, once shown (day 3's)
  if (j["quiz"].contains("working") && j["quiz"]["working"].is_string()) lacks(j["quiz"]["working"].get<std::string>().c_str(), working_missing);
  j["quiz"]["working_glyphs_missing"] = working_missing;
  out = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return out.c_str();
}
// The work time of the last frames, in milliseconds (JSON list), for the page benchmark.
// boot.js hands over kobai.labs.fonts before it says the labs' code is in: copied, and the fonts made again.
EMSCRIPTEN_KEEPALIVE void kobai_labs_fonts(const char* data, int size) {
  labs_fonts.assign(data, size_t(std::max(size, 0)));
  labs_fonts_arrived = true;
}
// ... and the quiz's question bank (kobai.questions.json: engine/questions/*.json, checked by the native tests).
EMSCRIPTEN_KEEPALIVE void kobai_questions(const char* text, int size) {
  try {
    set_builtin_bank(parse_bank_list(std::string(text, size_t(std::max(size, 0)))));
  } catch (const InputError& e) {
    std::fprintf(stderr, "kobai: kobai.questions.json: %s\n", e.what());
  }
}
EMSCRIPTEN_KEEPALIVE const char* kobai_api_frame_times() {
  out = nlohmann::json(frame_ms).dump();
  return out.c_str();
}
EMSCRIPTEN_KEEPALIVE const char* kobai_api_frame_waits() {  // the same frames' waits for the GPU
  out = nlohmann::json(wait_ms).dump();
  return out.c_str();
}
// Where a named control is, in CSS pixels ({} when it is not on screen), so tests can click it as a person would.
EMSCRIPTEN_KEEPALIVE const char* kobai_api_rect(const char* name) {
  auto it = app.rects.find(name);
  nlohmann::json j = nlohmann::json::object();
  if (it != app.rects.end()) j["x"] = it->second.x, j["y"] = it->second.y, j["w"] = it->second.w, j["h"] = it->second.h;
  if (app.cut.count(name)) j["cut"] = true;  // partly scrolled out: what shows of it
  out = j.dump();
  return out.c_str();
}
// Every named control on screen this frame: {name: {x, y, w, h}} in CSS pixels (tests check that none overlap).
EMSCRIPTEN_KEEPALIVE const char* kobai_api_rects() {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [name, b] : app.rects) {
    nlohmann::json& r = j[name];
    r["x"] = b.x, r["y"] = b.y, r["w"] = b.w, r["h"] = b.h;
    if (app.cut.count(name)) r["cut"] = true;
  }
  out = j.dump();
  return out.c_str();
}
}

int main() {
  // Language: a saved preference, else the browser's; a corrupt preference is ignored with a message that quotes
  // its beginning (only that much of it was read).
  std::string pref = platform::load_pref("kobai.lang", 2);
  bool browser_ja = EM_ASM_INT({ return (navigator.language || "en").slice(0, 2) === "ja" ? 1 : 0; });
  app.lang = pref == "ja" ? Lang::ja : pref == "en" ? Lang::en : browser_ja ? Lang::ja : Lang::en;
  if (!pref.empty() && pref != "ja" && pref != "en")
    add_notice(app, (app.lang == Lang::ja ? "保存された言語設定が壊れていたので無視した: '" : "A saved language preference was corrupt and is ignored: '") + quote(pref) + "'");
  platform::set_document_lang(app.lang == Lang::ja ? "ja" : "en");

  float dpr = float(EM_ASM_DOUBLE({ return window.devicePixelRatio || 1; }));
  app.dpr = app.scale = std::clamp(dpr, 1.0f, 4.0f);
  // A touch screen as the main pointer (a phone, a tablet): larger controls, no hover.
  app.touch = EM_ASM_INT({ return window.matchMedia && window.matchMedia("(pointer: coarse)").matches ? 1 : 0; });

  int font_bytes = 0;
  char* fonts = js_take_fonts(&font_bytes);
  page_fonts.assign(fonts, size_t(font_bytes));
  free(fonts);

  if (!glfwInit()) return 1;
  glfwWindowHint(GLFW_CLIENT_API, GLFW_OPENGL_ES_API);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
  window = glfwCreateWindow(640, 480, "kobai", nullptr, nullptr);  // boot.js sizes it to the page at once
  if (!window) return 1;
  glfwMakeContextCurrent(window);

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // layout is fixed; preferences live in localStorage
  ImGui_ImplGlfw_InitForOpenGL(window, true);
  imgui_key_callback = glfwSetKeyCallback(window, key_callback);
  imgui_scroll_callback = glfwSetScrollCallback(window, scroll_callback);
  ImGui_ImplOpenGL3_Init("#version 300 es");
  emscripten_set_touchstart_callback("#canvas", nullptr, true, on_touch);
  emscripten_set_touchmove_callback("#canvas", nullptr, true, on_touch);
  emscripten_set_touchend_callback("#canvas", nullptr, true, on_touch);
  emscripten_set_touchcancel_callback("#canvas", nullptr, true, on_touch);

  load_progress(app);
  std::string hash = platform::get_hash();
  if (hash.empty()) load_lesson(app, builtin_lessons().front().id);
  else apply_link(app, hash);

  emscripten_set_main_loop(loop, 0, false);
  return 0;
}
