// kobai page: small pieces shared by the panels (app.cpp, quiz_panel.cpp).
#pragma once

#include "app.h"

#include <initializer_list>
#include <string>
#include <utility>

namespace kobai::ui {

inline const char* T(const Words& w, const App& a) { return w(a.lang); }
// Words with places to fill: fill(T(kWords, a), {{"{name}", name}}), each place once.
std::string fill(std::string words, std::initializer_list<std::pair<const char*, std::string>> values);
void remember(App& a, const char* name);  // the last item's rectangle, for tests that click it
bool button(App& a, const char* id, const Words& label, bool enabled = true);

// The quiz panel (quiz_panel.cpp).
bool step_blocked(App& a);       // quiz mode: the next backward step waits for the student's answer
void step_quiz_panel(App& a);    // the question for that step, in the explanation panel
void quiz_tab(App& a);           // the question bank, progress, export
void quiz_key(App& a, Key k);    // A-D pick a choice, Enter checks or goes on
void quiz_mode_switch(App& a);   // the top bar's switch for quiz mode in the walkthrough
const Words& quiz_tab_title();
const Words& step_tab_title();

}  // namespace kobai::ui
