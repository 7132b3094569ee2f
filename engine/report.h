// kobai engine: what the `kobai` command prints, shared with the page.
//
//   trace_text   the whole walkthrough: every forward, backward (and update) step, then the result
//   iterations_text  n rounds of forward, backward and update, then the loss of each (a lesson that trains)
//   eval_json    {"output", "value", "grads": {input: G}, "nodes": [{"name", "op", "value", "grad"}]}
//   check_text   backprop beside a central-difference numerical gradient for every input (勾配確認)
//   state_json   where a walk stands: {"phase", "step", "steps", "iteration", "nodes": [{"name", "op", "value",
//                "grad"}], "explanation"}; a value or gradient not computed yet is null
#pragma once

#include "check.h"
#include "walk.h"

#include <string>

namespace kobai {

std::string trace_text(Walk& w, Lang l);  // steps w to the end of its plan
std::string iterations_text(Walk& w, int n, Lang l);  // n ≥ 1 iterations; w has an update phase
std::string eval_json(const Graph& g);
std::string eval_text(const Graph& g, Lang l);
std::string check_text(const Graph& g, Lang l);
std::string check_header(Lang l);                          // the step, the precision and what counts as agreement
std::string check_entries(const GradCheck& c, Lang l);     // which entries were checked ("" when all were)
std::string check_verdict(const GradCheck& c, Lang l);     // "2.60e-06  (ok)", with why where it needs saying
std::string state_json(const Walk& w, Lang l);

}  // namespace kobai
