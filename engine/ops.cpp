// The ops: forward and backward side by side, each with the formulas a student reads.
// Element-wise ops see inputs of one shape: the graph builder puts a broadcast node in front where needed,
// so that the sum over the broadcast rows is a step of its own.
#include "ops.h"

#include "kernels.h"

#include <cmath>
#include <stdexcept>

namespace kobai {
namespace {

using Arr = Eigen::ArrayXXd;

Mat ones_like(const Mat& m) { return Mat::Ones(m.rows(), m.cols()); }
double scalar(const Mat& m) { return m(0, 0); }

// --- 4-D values: a matrix (H x W) is one example of one channel, 1x1xHxW, stored as the row 1 x (H·W) -------------
using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
Mat to_rows(const Mat& m) { RowMajor r = m; return Eigen::Map<const Mat>(r.data(), 1, r.size()); }
Mat from_rows(const Mat& r, Eigen::Index rows, Eigen::Index cols) { return Eigen::Map<const RowMajor>(r.data(), rows, cols); }
Dims4 dims(const Args& a, int i) { return a.dims[i] ? *a.dims[i] : Dims4{1, 1, int(a.x(i).rows()), int(a.x(i).cols())}; }
Mat as_rows(const Args& a, int i) { return a.dims[i] ? a.x(i) : to_rows(a.x(i)); }  // input i as conv.h stores it
Mat like_input(const Mat& r, const Args& a, int i) { return a.dims[i] ? r : from_rows(r, a.x(i).rows(), a.x(i).cols()); }
// A matrix in, a matrix out (the book's figures); else 4-D. For conv, both X and the filters must be matrices.
bool matrix_out(const Args& a) { return !a.dims[0] && (a.in.size() < 2 || !a.dims[1]); }
Mat out_of(const Mat& r, const Args& a) { return matrix_out(a) ? from_rows(r, a.rows, a.cols) : r; }
Mat dout_of(const Mat& dout, const Args& a) { return matrix_out(a) ? to_rows(dout) : dout; }
std::vector<int> max_positions(const Args& a) {
  std::vector<int> arg;
  maxpool_forward(as_rows(a, 0), dims(a, 0), a.win, &arg);
  return arg;
}

// The images' ops (chapter 7) are named functions, not lambdas: the page fetches their code, and the window-by-window
// view's, only when a graph has such an op (CMakeLists.txt's KOBAI_LATER_ENTRIES name them for web/split-labs.py).
Mat conv_op(const Args& a) {                                                         // Y = im2col(X)·Wᵀ + b
  return out_of(conv_forward(as_rows(a, 0), dims(a, 0), as_rows(a, 1), a.x(2), a.win), a);
}
Mat conv_op_backward(int i, const Args& a, const Mat&, const Mat& dout) {
  ConvGradsT<Mat> g = conv_backward(dout_of(dout, a), as_rows(a, 0), dims(a, 0), as_rows(a, 1), a.win);
  if (i == 0) return like_input(g.dx, a, 0);                                          // ∂L/∂X = col2im(∂L/∂Y · W)
  if (i == 1) return like_input(g.dW, a, 1);                                          // ∂L/∂W = Σ_windows ∂L/∂Y × patch
  return g.db;                                                                        // ∂L/∂b = Σ_windows ∂L/∂Y
}
Mat maxpool_op(const Args& a) { return out_of(maxpool_forward(as_rows(a, 0), dims(a, 0), a.win), a); }  // y = max of the window
Mat maxpool_op_backward(int, const Args& a, const Mat&, const Mat& dout) {          // ∂y/∂x = 1 at the max, 0 elsewhere
  return like_input(maxpool_backward(dout_of(dout, a), dims(a, 0), a.win, max_positions(a)), a, 0);
}
Mat avgpool_op(const Args& a) { return out_of(avgpool_forward(as_rows(a, 0), dims(a, 0), a.win), a); }  // y = Σ window / (h·w)
Mat avgpool_op_backward(int, const Args& a, const Mat&, const Mat& dout) {          // ∂y/∂x = 1/(h·w) in the window
  return like_input(avgpool_backward(dout_of(dout, a), dims(a, 0), a.win), a, 0);
}
Mat im2col_op(const Args& a) { return im2col(as_rows(a, 0), dims(a, 0), a.win); }  // a window per row
Mat im2col_op_backward(int, const Args& a, const Mat&, const Mat& dout) {           // each element back where it came from
  return like_input(col2im(dout, dims(a, 0), a.win), a, 0);
}

const std::vector<OpDef> kOps = {
    // --- arithmetic -----------------------------------------------------------------------------------
    {"add", "+", 2, ShapeRule::Elementwise, false,
     [](const Args& a) -> Mat { return a.x(0) + a.x(1); },                           // z = x + y
     [](int, const Args&, const Mat&, const Mat& dout) -> Mat { return dout; },    // ∂z/∂x = ∂z/∂y = 1
     "{out} = {0} + {1}", {"{dout} × 1", "{dout} × 1"}, "∂(x+y)/∂x = 1, ∂(x+y)/∂y = 1",
     {"An add node passes the gradient on unchanged to both inputs.",
      "加算ノードは上流の勾配をそのまま両方の入力へ流す。"}},

    {"sub", "−", 2, ShapeRule::Elementwise, false,
     [](const Args& a) -> Mat { return a.x(0) - a.x(1); },                           // z = x − y
     [](int i, const Args&, const Mat&, const Mat& dout) -> Mat {                    // ∂z/∂x = 1, ∂z/∂y = −1
       return i == 0 ? Mat(dout) : Mat(-dout);
     },
     "{out} = {0} − {1}", {"{dout} × 1", "{dout} × (−1)"}, "∂(x−y)/∂x = 1, ∂(x−y)/∂y = −1",
     {"A subtract node passes the gradient to x and its negative to y.",
      "減算ノードは x へ勾配をそのまま、y へ符号を反転して流す。"}},

    {"mul", "×", 2, ShapeRule::Elementwise, false,
     [](const Args& a) -> Mat { return a.x(0).cwiseProduct(a.x(1)); },               // z = x · y
     [](int i, const Args& a, const Mat&, const Mat& dout) -> Mat {                  // ∂z/∂x = y, ∂z/∂y = x
       return dout.cwiseProduct(a.x(1 - i));
     },
     "{out} = {0} × {1}", {"{dout} × {1}", "{dout} × {0}"}, "∂(x·y)/∂x = y, ∂(x·y)/∂y = x",
     {"A multiply node sends each input the gradient times the other input: the inputs are swapped.",
      "乗算ノードは上流の勾配に「もう一方の入力」を掛けて流す（入力をひっくり返す）。"}},

    {"div", "÷", 2, ShapeRule::Elementwise, false,
     [](const Args& a) -> Mat { return a.x(0).cwiseQuotient(a.x(1)); },              // z = x / y
     [](int i, const Args& a, const Mat&, const Mat& dout) -> Mat {
       if (i == 0) return dout.cwiseQuotient(a.x(1));                                 // ∂z/∂x = 1/y
       return (-dout.array() * a.x(0).array() / a.x(1).array().square()).matrix();   // ∂z/∂y = −x/y²
     },
     "{out} = {0} ÷ {1}", {"{dout} ÷ {1}", "{dout} × (−{0} ÷ {1}²)"}, "∂(x/y)/∂x = 1/y, ∂(x/y)/∂y = −x/y²",
     {"A divide node: x gets the gradient divided by y; y gets it times −x/y².",
      "除算ノード: x へは勾配を y で割って、y へは −x/y² を掛けて流す。"}},

    {"recip", "1/x", 1, ShapeRule::Same, false,
     [](const Args& a) -> Mat { return a.x(0).cwiseInverse(); },                     // y = 1/x
     [](int, const Args&, const Mat& out, const Mat& dout) -> Mat {                  // ∂y/∂x = −1/x² = −y²
       return (-dout.array() * out.array().square()).matrix();
     },
     "{out} = 1 ÷ {0}", {"{dout} × (−{out}²)"}, "∂(1/x)/∂x = −1/x² = −y²",
     {"The reciprocal's derivative can be written with its own output: −y².",
      "逆数ノードの微分は出力 y だけで書ける: −y²。"}},

    {"copy", "=", 1, ShapeRule::Same, false,
     [](const Args& a) -> Mat { return a.x(0); },                                    // a = x
     [](int, const Args&, const Mat&, const Mat& dout) -> Mat { return dout; },    // ∂a/∂x = 1
     "{out} = {0}", {"{dout} × 1"}, "∂a/∂x = 1 for a = x",
     {"A new name for a value: the gradient passes through unchanged.",
      "値に別の名前を付けただけ: 勾配はそのまま通る。"}},

    {"row", "[t]", 1, ShapeRule::Row, false,
     [](const Args& a) -> Mat { return a.x(0).row(Eigen::Index(a.p) - 1); },     // y = row p of x (from 1)
     [](int, const Args& a, const Mat&, const Mat& dout) -> Mat {                    // ∂y/∂x: 1 on row p, 0 elsewhere
       Mat d = Mat::Zero(a.x(0).rows(), a.x(0).cols());
       d.row(Eigen::Index(a.p) - 1) = dout;
       return d;
     },
     "{out} = row {p} of {0}", {"{dout} into row {p}, zeros elsewhere"}, "∂x[t]/∂x = 1 on row t, 0 on the other rows",
     {"Taking row t of a matrix sends the gradient back into that row alone.",
      "行列の t 行目を取り出すノードは、勾配をその行にだけ戻す。"}},

    {"neg", "−x", 1, ShapeRule::Same, false,
     [](const Args& a) -> Mat { return -a.x(0); },                                   // y = −x
     [](int, const Args&, const Mat&, const Mat& dout) -> Mat { return -dout; },   // ∂y/∂x = −1
     "{out} = −{0}", {"{dout} × (−1)"}, "∂(−x)/∂x = −1",
     {"Negation flips the sign of the gradient.", "符号反転ノードは勾配の符号を反転する。"}},

    {"pow", "^", 1, ShapeRule::Same, false,
     [](const Args& a) -> Mat { return a.x(0).array().pow(a.p).matrix(); },          // y = x^p
     [](int, const Args& a, const Mat&, const Mat& dout) -> Mat {                    // ∂y/∂x = p·x^(p−1)
       if (a.p == 0) return Mat::Zero(dout.rows(), dout.cols());                     // x^0 = 1 is a constant, even at 0
       return (dout.array() * a.p * a.x(0).array().pow(a.p - 1)).matrix();
     },
     "{out} = {0}^{p}", {"{dout} × {p}·{0}^{pm1}"}, "∂(x^p)/∂x = p·x^(p−1)",
     {"A power node: bring the exponent down and lower it by one.",
      "累乗ノード: 指数を前に出し、指数を 1 減らす。"}},

    // --- functions ------------------------------------------------------------------------------------
    {"exp", "exp", 1, ShapeRule::Same, true,
     [](const Args& a) -> Mat { return a.x(0).array().exp().matrix(); },             // y = exp(x)
     [](int, const Args&, const Mat& out, const Mat& dout) -> Mat {                  // ∂y/∂x = exp(x) = y
       return dout.cwiseProduct(out);
     },
     "{out} = exp({0})", {"{dout} × {out}"}, "∂exp(x)/∂x = exp(x) = y",
     {"exp is its own derivative: the gradient is multiplied by the output.",
      "exp の微分は exp 自身: 勾配に出力を掛ける。"}},

    {"log", "log", 1, ShapeRule::Same, true,
     [](const Args& a) -> Mat { return a.x(0).array().log().matrix(); },             // y = log(x)
     [](int, const Args& a, const Mat&, const Mat& dout) -> Mat {                    // ∂y/∂x = 1/x
       return dout.cwiseQuotient(a.x(0));
     },
     "{out} = log({0})", {"{dout} ÷ {0}"}, "∂log(x)/∂x = 1/x",
     {"log divides the gradient by its input.", "log ノードは勾配を入力で割る。"}},

    {"relu", "ReLU", 1, ShapeRule::Same, true,
     [](const Args& a) -> Mat { return kernel::relu(a.x(0)); },                      // y = max(0, x)
     [](int, const Args& a, const Mat&, const Mat& dout) -> Mat {                    // ∂y/∂x = 1 if x > 0 else 0
       return kernel::relu_backward(a.x(0), dout);
     },
     "{out} = max(0, {0})", {"{dout} × [{0} > 0]"}, "∂ReLU(x)/∂x = 1 (x > 0), 0 (x ≤ 0)",
     {"ReLU is a switch: the gradient passes where the input was positive and stops elsewhere.",
      "ReLU はスイッチ: 入力が正なら勾配をそのまま流し、0 以下なら止める。"}},

    {"sigmoid", "σ", 1, ShapeRule::Same, true,
     [](const Args& a) -> Mat { return kernel::sigmoid(a.x(0)); },                   // y = 1/(1+e^−x)
     [](int, const Args&, const Mat& out, const Mat& dout) -> Mat {                  // ∂y/∂x = y(1−y)
       return kernel::sigmoid_backward(out, dout);
     },
     "{out} = σ({0}) = 1 ÷ (1 + exp(−{0}))", {"{dout} × {out}(1 − {out})"}, "∂σ(x)/∂x = σ(x)(1 − σ(x)) = y(1 − y)",
     {"The sigmoid's derivative is y(1−y), at most 0.25: stacked sigmoids shrink the gradient (vanishing).",
      "シグモイドの微分は y(1−y)、最大でも 0.25。重ねると勾配が小さくなる（勾配消失）。"}},

    {"tanh", "tanh", 1, ShapeRule::Same, true,
     [](const Args& a) -> Mat { return kernel::tanh(a.x(0)); },                      // y = tanh(x)
     [](int, const Args&, const Mat& out, const Mat& dout) -> Mat {                  // ∂y/∂x = 1 − y²
       return kernel::tanh_backward(out, dout);
     },
     "{out} = tanh({0})", {"{dout} × (1 − {out}²)"}, "∂tanh(x)/∂x = 1 − tanh²(x) = 1 − y²",
     {"tanh's derivative is 1 − y², at most 1.", "tanh の微分は 1 − y²、最大 1。"}},

    {"step", "step", 1, ShapeRule::Same, true,
     [](const Args& a) -> Mat { return (a.x(0).array() > 0).cast<double>().matrix(); },  // y = 1 if x > 0 else 0
     [](int, const Args& a, const Mat&, const Mat&) -> Mat {                             // ∂y/∂x = 0 (almost everywhere)
       return Mat::Zero(a.x(0).rows(), a.x(0).cols());
     },
     "{out} = step({0})", {"{dout} × 0"}, "∂step(x)/∂x = 0",
     {"The step function's derivative is 0: no gradient reaches the weights, so gradients cannot train it.",
      "ステップ関数の微分は 0。勾配が重みに届かないので、勾配法では学習できない。"}},

    // --- matrices ---------------------------------------------------------------------------------------
    {"matmul", "dot", 2, ShapeRule::MatMul, false,
     [](const Args& a) -> Mat { return kernel::mul(a.x(0), a.x(1)); },               // Y = X · W
     [](int i, const Args& a, const Mat&, const Mat& dout) -> Mat {
       if (i == 0) return kernel::mul(dout, a.x(1).transpose());                     // ∂L/∂X = ∂L/∂Y · Wᵀ
       return kernel::mul(a.x(0).transpose(), dout);                                 // ∂L/∂W = Xᵀ · ∂L/∂Y
     },
     "{out} = {0} · {1}", {"{dout} · {1}ᵀ", "{0}ᵀ · {dout}"}, "∂L/∂X = ∂L/∂Y · Wᵀ, ∂L/∂W = Xᵀ · ∂L/∂Y",
     {"A matrix product: transpose the other factor and multiply on the same side.",
      "行列の積: もう一方を転置して、同じ側から掛ける。"}},

    {"affine", "Affine", 3, ShapeRule::Affine, true,
     [](const Args& a) -> Mat { return kernel::affine(a.x(0), a.x(1), a.x(2)); },  // Y = X · W + b
     [](int i, const Args& a, const Mat&, const Mat& dout) -> Mat {
       if (i == 0) return kernel::affine_dX(dout, a.x(1));                           // ∂L/∂X = ∂L/∂Y · Wᵀ
       if (i == 1) return kernel::affine_dW(a.x(0), dout);                           // ∂L/∂W = Xᵀ · ∂L/∂Y
       return kernel::affine_db(dout);                                               // ∂L/∂b = Σ_rows ∂L/∂Y
     },
     "{out} = {0} · {1} + {2}", {"{dout} · {1}ᵀ", "{0}ᵀ · {dout}", "Σ_rows {dout}"},
     "∂L/∂X = ∂L/∂Y · Wᵀ, ∂L/∂W = Xᵀ · ∂L/∂Y, ∂L/∂b = Σ_rows ∂L/∂Y",
     {"Affine: b was added to every row of the batch, so its gradient is the sum over the batch.",
      "Affine: b はバッチの各行に足されたので、その勾配はバッチ方向の総和になる。"}},

    {"broadcast", "repeat", 1, ShapeRule::Broadcast, false,
     [](const Args& a) -> Mat {                                                      // Y = x repeated to R×C
       if (a.x(0).size() == 1) return Mat::Constant(a.rows, a.cols, scalar(a.x(0)));
       return a.x(0).replicate(a.rows, 1);
     },
     [](int, const Args& a, const Mat&, const Mat& dout) -> Mat {                    // ∂L/∂x = Σ over the copies
       if (a.x(0).size() == 1) return Mat::Constant(1, 1, dout.sum());
       return dout.colwise().sum();
     },
     "{out} = repeat {0} to fit", {"Σ_copies {dout}"}, "∂L/∂x = Σ of ∂L/∂Y over every copy of x",
     {"A value copied to many places collects the sum of the gradients of all its copies.",
      "複数の場所へコピーされた値には、すべてのコピーの勾配の和が戻る。"}},

    {"transpose", "ᵀ", 1, ShapeRule::Transpose, true,
     [](const Args& a) -> Mat { return a.x(0).transpose(); },                       // y = xᵀ
     [](int, const Args&, const Mat&, const Mat& dout) -> Mat { return dout.transpose(); },  // ∂L/∂x = (∂L/∂y)ᵀ
     "{out} = {0}ᵀ", {"{dout}ᵀ"}, "∂L/∂x = (∂L/∂y)ᵀ",
     {"A transpose only moves entries, so the gradient moves back the same way.",
      "転置は要素を並べ替えるだけなので、勾配も同じように並べ戻す。"}},

    {"softmax", "softmax", 1, ShapeRule::Same, true,
     [](const Args& a) -> Mat { return kernel::log_softmax(a.x(0)).array().exp().matrix(); },  // y_ij = e^x_ij / Σ_k e^x_ik
     [](int, const Args&, const Mat& y, const Mat& dout) -> Mat {                   // ∂L/∂x = y ⊙ (dout − Σ_k dout_k·y_k), row by row
       Mat d = dout.cwiseProduct(y);
       return d - y.cwiseProduct(d.rowwise().sum().replicate(1, y.cols()));
     },
     "{out} = softmax({0}) (each row)", {"{out} ⊙ ({dout} − rowsum({dout} ⊙ {out}))"},
     "∂y_i/∂x_j = y_i (δ_ij − y_j), in each row",
     {"Softmax ties a row together: raising one score takes probability from all the others, so each gradient "
      "is the arriving one minus the row's y-weighted average.",
      "softmax は行の中で結びついている: 1 つのスコアを上げると他の確率が下がるので、勾配は届いた勾配から行の y での加重平均を引いたもの。"}},

    // --- reductions and losses --------------------------------------------------------------------------
    {"sum", "Σ", 1, ShapeRule::Reduce, true,
     [](const Args& a) -> Mat { return Mat::Constant(1, 1, a.x(0).sum()); },        // y = Σ x
     [](int, const Args& a, const Mat&, const Mat& dout) -> Mat {                    // ∂y/∂x_ij = 1
       return ones_like(a.x(0)) * scalar(dout);
     },
     "{out} = Σ {0}", {"{dout} × 1 (every element)"}, "∂(Σx)/∂x_ij = 1",
     {"A sum sends the same gradient back to every element.", "総和ノードはすべての要素へ同じ勾配を戻す。"}},

    {"mean", "mean", 1, ShapeRule::Reduce, true,
     [](const Args& a) -> Mat { return Mat::Constant(1, 1, a.x(0).mean()); },       // y = (1/n) Σ x
     [](int, const Args& a, const Mat&, const Mat& dout) -> Mat {                    // ∂y/∂x_ij = 1/n
       return ones_like(a.x(0)) * (scalar(dout) / double(a.x(0).size()));
     },
     "{out} = (1/{n}) Σ {0}", {"{dout} ÷ {n} (every element)"}, "∂mean(x)/∂x_ij = 1/n",
     {"A mean sends 1/n of the gradient to every element.", "平均ノードは各要素へ勾配の 1/n を戻す。"}},

    {"mse", "MSE", 2, ShapeRule::Loss, true,
     [](const Args& a) -> Mat {                                                      // L = (1/N) ½ Σ (y − t)²
       return Mat::Constant(1, 1, kernel::mse(a.x(0), a.x(1)) / double(a.x(0).rows()));  // N rows: the batch
     },
     [](int i, const Args& a, const Mat&, const Mat& dout) -> Mat {                  // ∂L/∂y = (y − t) / N, ∂L/∂t = (t − y) / N
       Mat d = i == 0 ? kernel::mse_dy(a.x(0), a.x(1)) : kernel::mse_dy(a.x(1), a.x(0));
       return d * (scalar(dout) / double(a.x(0).rows()));
     },
     "{out} = (1/{rows}) ½ Σ ({0} − {1})²", {"{dout} × ({0} − {1}) ÷ {rows}", "{dout} × ({1} − {0}) ÷ {rows}"},
     "∂L/∂y = (y − t) / N (the ½ cancels the 2 of the square; N rows, the batch)",
     {"Squared error is squared so errors of both signs count, halved so its derivative is just y − t, and "
      "averaged over the batch's rows like every loss layer, so the step size does not grow with the batch.",
      "二乗誤差: 二乗するのは正負の誤差を打ち消し合わせないため、½ は微分で出る 2 を打ち消すため。"
      "損失レイヤと同じくバッチの行数で平均するので、バッチを大きくしても勾配は大きくならない。"}},

    {"softmax_with_loss", "Softmax-with-Loss", 2, ShapeRule::Loss, true,
     [](const Args& a) -> Mat {                                                      // L = −(1/N) Σ t · log softmax(a)
       return Mat::Constant(1, 1, kernel::softmax_with_loss(a.x(0), a.x(1)));
     },
     [](int i, const Args& a, const Mat&, const Mat& dout) -> Mat {
       if (i == 1) return kernel::softmax_with_loss_dt(a.x(0)) * scalar(dout);       // ∂L/∂t = −log y / N
       return kernel::softmax_with_loss_da(a.x(0), a.x(1)) * scalar(dout);           // ∂L/∂a = (y − t) / N (rows of t sum to 1: the builder checks)
     },
     "{out} = −(1/{rows}) Σ {1} · log softmax({0})",
     {"{dout} × (softmax({0}) − {1}) ÷ {rows}", "{dout} × (−log softmax({0})) ÷ {rows}"},
     "∂L/∂a = (y − t) / N with y = softmax(a)",
     {"Softmax with cross-entropy has the cleanest gradient of all: (y − t) / N, the error itself.",
      "Softmax-with-Loss の勾配は (y − t) / N: 出力と正解の差そのもの。"}},

    // --- images (chapter 7): X is (N, C, H, W); a matrix is one example of one channel ------------------
    {"conv", "Conv", 3, ShapeRule::Conv, true, conv_op, conv_op_backward,           // Y = im2col(X)·Wᵀ + b
     "{out} = conv({0}, {1}, {2}, stride={stride}, pad={pad})",
     {"col2im({dout} · {1})", "Σ_windows {dout} × patch of {0}", "Σ_windows {dout}"},
     "∂L/∂W = Σ over windows of (∂L/∂Y there) × (the input patch under it); ∂L/∂X: each window sends ∂L/∂Y × W back "
     "to its patch (col2im); ∂L/∂b = Σ ∂L/∂Y",
     {"A filter slides over the input and is reused at every window, so its gradient is the sum over all windows: "
      "each input patch times the gradient arriving at that window's output.",
      "フィルタは入力の上をずらしながら全ウィンドウで使い回されるので、その勾配は全ウィンドウの和: "
      "各ウィンドウの入力パッチ × その出力に届いた勾配。"},
     "stride=1 pad=0"},

    {"pool", "Max", 1, ShapeRule::Pool, true, maxpool_op, maxpool_op_backward,      // y = max of the window
     "{out} = max pooling of {0} ({fh}x{fw}, stride={stride}, pad={pad})", {"{dout} to each window's largest of {0}"},
     "∂max(x₁, …, x_k)/∂x_j = 1 for the largest, 0 for the others",
     {"Max pooling passes each gradient to the one input that was the largest in its window; the others get 0.",
      "Max プーリングは、各ウィンドウで最大だった 1 つの入力にだけ勾配を流し、他は 0 になる。"},
     "h w stride=1 pad=0"},

    {"avgpool", "Avg", 1, ShapeRule::Pool, true, avgpool_op, avgpool_op_backward,   // y = Σ window / (h·w)
     "{out} = average pooling of {0} ({fh}x{fw}, stride={stride}, pad={pad})", {"{dout} ÷ ({fh}·{fw}) to each window"},
     "∂mean(x₁, …, x_k)/∂x_j = 1/k",
     {"Average pooling shares each gradient equally among the window's inputs.",
      "Average プーリングは、勾配をウィンドウ内の入力へ均等に分ける。"},
     "h w stride=1 pad=0"},

    {"im2col", "im2col", 1, ShapeRule::Im2col, true, im2col_op, im2col_op_backward,  // a window per row
     "{out} = im2col({0}, {fh}, {fw}, stride={stride}, pad={pad})", {"col2im({dout})"},
     "∂L/∂x = the sum of ∂L/∂col over every place x was copied to (col2im)",
     {"im2col copies each input element into every window that covers it, so col2im sums the gradients of the copies.",
      "im2col は各要素をそれを含む全ウィンドウへコピーするので、col2im はコピーの勾配を足し合わせる。"},
     "h w stride=1 pad=0"},

    {"flatten", "flatten", 1, ShapeRule::Flatten, true,
     [](const Args& a) -> Mat { return as_rows(a, 0); },                              // N x (C·H·W)
     [](int, const Args& a, const Mat&, const Mat& dout) -> Mat { return like_input(dout, a, 0); },  // reshaped back
     "{out} = flatten({0})", {"{dout} reshaped as {0}"}, "∂L/∂x = ∂L/∂y, reshaped",
     {"Flattening only reshapes: each example's C·H·W numbers in one row, ready for an Affine layer.",
      "flatten は形を変えるだけ: 各例の C·H·W 個の数を 1 行に並べ、Affine レイヤへ渡せるようにする。"}},
};

}  // namespace

const std::vector<OpDef>& all_ops() { return kOps; }

const OpDef* find_op(const std::string& name) {
  for (const OpDef& d : kOps)
    if (name == d.name) return &d;
  return nullptr;
}

const OpDef& op(const std::string& name) {
  const OpDef* d = find_op(name);
  if (!d) throw std::logic_error("kobai: no op named " + name);
  return *d;
}

// The ops a user may call by name; the others are written with operators (+ − × ÷ ^ @) or made by the builder.
std::string function_names() {
  std::string s;
  for (const OpDef& d : kOps)
    if (d.callable) s += (s.empty() ? "" : ", ") + std::string(d.name);
  return s;
}

}  // namespace kobai
