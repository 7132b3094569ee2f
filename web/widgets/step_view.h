// kobai page: the step view, a widget of the walkthrough: what the current step computed, with its formula,
// its numbers and its result; for a backward step the op's local rule and a note on it; warnings (NaN, inf);
// in quiz mode, first the question for the step.
#pragma once

namespace kobai {

struct App;

void step_view(App& a);
void step_summary(App& a);  // one line: the step's first sentence (under the graph on a narrow screen)

}  // namespace kobai
