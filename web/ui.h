// kobai page: small pieces shared by the labs and the widgets.
#pragma once

#include "app.h"

#include <imgui.h>

#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

namespace kobai::ui {

inline const char* T(const Words& w, const App& a) { return w(a.lang); }
// Words with places to fill: fill(T(kWords, a), {{"{name}", name}}), each place once.
std::string fill(std::string words, std::initializer_list<std::pair<const char*, std::string>> values);
void remember(App& a, const char* name);  // the last item's rectangle, for tests that click it
void remember_box(App& a, const char* name, float x, float y, float w, float h);  // device pixels
bool button(App& a, const char* id, const Words& label, bool enabled = true);

// Bars that wrap: before an item `width` device pixels wide, stay on this line if it fits, else start the next.
// The first item of a bar does not call it.
void flow(float width);
float button_width(const char* label);    // a button's width for its label (up to "###")
bool flow_button(App& a, const char* id, const Words& label, bool enabled = true);
float touch_row(const App& a);
// A narrow window's panels as a row of equal buttons, the shown one marked; *shown is the index of the pressed one.
void tab_row(App& a, std::initializer_list<std::pair<const char*, const Words*>> tabs, int* shown);
// Text wrapped to `width` device pixels, Japanese as well as English (lines break between Japanese characters).
std::vector<std::string> wrap(const std::string& text, float width);
void paragraph(const std::string& text);  // wrapped to the space left on the line
void quiet_paragraph(const std::string& text);  // the same, greyed: a label, a hint, a note
void coloured_paragraph(const ImVec4& colour, const std::string& text);  // a message: red, orange, green
// A small table of text, drawn by hand: the first frame's two (the gradient check, a matrix's numbers) would
// otherwise bring Dear ImGui's tables (about 10 KB gzipped of code) into kobai.wasm. `cells` row by row, `columns`
// a row; each column as wide as its widest cell. Given a `width`, the columns in the bit mask `stretch` share what
// the others leave of it (their text cut at the cell's edge), or, with no mask, all are widened to fill it. A line
// around each cell; the first row a header when asked; ink[i] (when given and not 0) the colour of cell i. Returns
// the cell under the pointer (its index in `cells`), or −1.
int text_table(const std::vector<std::string>& cells, int columns, bool header, const std::vector<unsigned>& ink = {},
               float width = 0, unsigned stretch = 0);
bool wrapped_selectable(App& a, const char* id, const std::string& text, bool selected);  // a row of one or more lines            // a row's least height: 40 CSS pixels on a touch screen, else 0

// The quiz lab's pieces that the walkthrough uses (labs/quiz.cpp).
bool step_blocked(App& a);       // quiz mode: the next backward step waits for the student's answer
void step_quiz_panel(App& a);    // the question for that step, in the step view
void quiz_mode_switch(App& a);   // the walkthrough's switch for quiz mode

}  // namespace kobai::ui
