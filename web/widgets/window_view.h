// kobai page: a convolution or pooling step opened window by window, a widget of the step view. The input with the
// window outlined (and the padding around it), the filter beside it, the output with the window's cell filled, the
// products and their sum; on a backward step, where the gradient arriving at that cell goes. ◀ ▶ move the window.
#pragma once

namespace kobai {

struct App;

// Only for a step that has windows (window_count): its code, as the ops', comes with the later labs' (kobai.labs.wasm).
void window_view(App& a);

}  // namespace kobai
