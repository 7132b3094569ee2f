// kobai page: the labs. Each lab is one file in web/labs/ that defines its Lab, and one line in KOBAI_LABS; the
// mode the page shows is an index into that list (App::lab), and a link names it by id (mode=playground).
//
//   walkthrough   step a graph node by node: lessons, the editor, the graph, this step, the gradient check
//   quiz          a seeded set of chain-rule questions, and the student's progress
//   playground    train a network live
//   activations   the book's experiment on initial weights: each layer's activations and gradients
//   paths         optimizers racing down a surface f(x, y)
//   rnn           an RNN, LSTM or GRU learns binary addition, live (the notes' runs 1-7)
//   shapes        a network typed layer by layer: each layer's output shape, formula and parameters
#pragma once

#include "app.h"

#include <nlohmann/json_fwd.hpp>

#include <string>

namespace kobai {

// Adding a lab: its file under web/labs/ (defining `const Lab k<name>Lab`), its name here, its source in
// CMakeLists.txt's KOBAI_LAB_SOURCES, its tests. A lab whose code comes later keeps its titles in its header: the
// first frame draws them, and its own sources' characters come later (kobai.state().title_glyphs_missing).
#define KOBAI_LABS(X) X(Walkthrough) X(Quiz) X(Playground) X(Paths) X(Activations) X(Rnn) X(Shapes)

struct Lab {
  const char* id;       // in links and kobai.state(): mode=<id>
  Words title;          // on the lab switch
  Words short_title;    // ... on a narrow window
  bool later_code;      // its code arrives when it is first opened (platform::lab_code), not before the first frame:
                        // its functions are then named <lab>_frame, ... and listed in KOBAI_LATER_ENTRIES
  void (*frame)(App&, float dt);                // its panels, below the top bar
  bool (*moving)(const App&);                   // it wants frames now: playback, training
  void (*key)(App&, Key);                       // a shortcut key, when no text field has the keyboard
  void (*read_link)(App&, const PageLink&);     // its part of a shared link, applied (after the graph's)
  void (*write_link)(const App&, PageLink&);    // ... and written
  void (*state)(const App&, nlohmann::json&);   // its part of kobai.state()
};

#define KOBAI_DECLARE_LAB(name) extern const Lab k##name##Lab;
KOBAI_LABS(KOBAI_DECLARE_LAB)
#undef KOBAI_DECLARE_LAB

int lab_count();
const Lab& lab(int index);
int find_lab(const std::string& id);  // its index, or −1
std::string lab_ids();                // "walkthrough, quiz, playground"
inline const Lab& current_lab(const App& a) { return lab(a.lab); }

}  // namespace kobai
