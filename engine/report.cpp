#include "report.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>

namespace kobai {
namespace {

using json = nlohmann::json;

// Full precision: 1x1 as a number, else a list of rows; a 4-D value as lists four deep (examples, channels, rows,
// columns).
json to_json(const Mat& m, const std::optional<Dims4>& d = std::nullopt) {
  if (d) {
    json out = json::array();
    for (int n = 0; n < d->n; ++n) {
      json example = json::array();
      for (int c = 0; c < d->c; ++c) {
        json channel = json::array();
        for (int y = 0; y < d->h; ++y) {
          json row = json::array();
          for (int x = 0; x < d->w; ++x) row.push_back(m(n, (c * d->h + y) * d->w + x));
          channel.push_back(row);
        }
        example.push_back(channel);
      }
      out.push_back(example);
    }
    return out;
  }
  if (m.rows() == 1 && m.cols() == 1) return m(0, 0);
  json rows = json::array();
  for (Eigen::Index r = 0; r < m.rows(); ++r) {
    json row = json::array();
    for (Eigen::Index c = 0; c < m.cols(); ++c) row.push_back(m(r, c));
    rows.push_back(row);
  }
  return rows;
}

const char* op_name(const Node& n) {
  return n.kind == NodeKind::Input ? "input" : n.kind == NodeKind::Const ? "const" : n.op->name;
}

std::string result_lines(const Graph& g, const Values& v, const Values& d) {
  std::string out = "    " + g.nodes[g.output].name + " = " + format_value(v[g.output], g.nodes[g.output].dims) + "\n";
  for (int k : g.inputs)
    if (g.needs_grad[k]) out += "    " + derivative(g, g.output, k) + " = " + format_value(d[k], g.nodes[k].dims) + "\n";
  return out;
}

}  // namespace

namespace {

// The steps from where w stands to the end of its plan, each phase under its heading.
std::string steps_text(Walk& w, Lang l) {
  std::string out;
  bool first = true;
  Phase shown = Phase::Forward;
  while (w.step()) {
    if (first || w.phase() != shown) {
      shown = w.phase();
      out += "\n== " + phase_name(shown, l) + " ==\n";
      first = false;
    }
    out += explain(w, w.position() - 1, l);
  }
  return out;
}

}  // namespace

std::string trace_text(Walk& w, Lang l) {
  const Graph& g = w.graph();
  std::string out = g.source;
  if (!out.empty() && out.back() != '\n') out += "\n";
  out += Words{"inputs:", "入力:"}(l);
  for (int k : g.inputs) out += " " + g.nodes[k].name + " = " + format_value(g.nodes[k].value, g.nodes[k].dims) + (k == g.inputs.back() ? "" : ",");
  out += "\n";
  out += steps_text(w, l);
  const WalkState& s = w.state();
  Values grads(g.nodes.size());
  for (size_t n = 0; n < g.nodes.size(); ++n)
    grads[n] = s.grad[n].size() ? s.grad[n] : Mat::Zero(g.nodes[n].rows, g.nodes[n].cols);
  out += "\n== " + std::string(Words{"Result", "結果"}(l)) + " ==\n" + result_lines(g, s.value, grads);
  return out;
}

std::string eval_json(const Graph& g) {
  Values v = forward(g), d = backward(g, v);
  json j;
  j["output"] = g.nodes[g.output].name;
  j["value"] = to_json(v[g.output], g.nodes[g.output].dims);
  j["grads"] = json::object();
  for (int k : g.inputs)
    if (g.needs_grad[k]) j["grads"][g.nodes[k].name] = to_json(d[k], g.nodes[k].dims);
  j["nodes"] = json::array();
  for (size_t n = 0; n < g.nodes.size(); ++n)
    j["nodes"].push_back({{"name", g.nodes[n].name}, {"op", op_name(g.nodes[n])}, {"value", to_json(v[n], g.nodes[n].dims)}, {"grad", to_json(d[n], g.nodes[n].dims)}});
  return j.dump(-1, ' ', false, json::error_handler_t::replace);  // names are user text: never throw
}

std::string state_json(const Walk& w, Lang l) {
  static const char* phases[] = {"forward", "backward", "update"};
  const Graph& g = w.graph();
  const WalkState& s = w.state();
  json j;
  j["phase"] = phases[int(w.phase())];
  j["step"] = w.position();
  j["steps"] = w.plan().size();
  j["iteration"] = w.iteration();
  j["output"] = g.nodes[g.output].name;
  j["nodes"] = json::array();
  for (size_t n = 0; n < g.nodes.size(); ++n)
    j["nodes"].push_back({{"name", g.nodes[n].name},
                          {"op", op_name(g.nodes[n])},
                          {"value", s.value[n].size() ? to_json(s.value[n], g.nodes[n].dims) : json(nullptr)},
                          {"grad", s.grad[n].size() ? to_json(s.grad[n], g.nodes[n].dims) : json(nullptr)}});
  j["explanation"] = w.position() ? explain(w, w.position() - 1, l) : "";
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

// The walkthrough's warnings (a non-finite value or gradient, and its cause), node by node: the same words as
// trace, so eval never prints a NaN without saying where it came from.
std::string warning_lines(const Graph& g, Lang l) {
  Walk w(g);
  std::string out;
  while (w.step())
    for (const Words& wd : w.current()->warnings)
      out += std::string("    ! ") + Words{"warning: ", "警告: "}(l) + g.nodes[w.current()->node].name + ": " + wd(l) + "\n";
  return out;
}

std::string eval_text(const Graph& g, Lang l) {
  Values v = forward(g), d = backward(g, v);
  std::string out = result_lines(g, v, d);
  bool finite = true;
  for (size_t n = 0; n < g.nodes.size(); ++n) finite = finite && all_finite(v[n]) && all_finite(d[n]);
  return finite ? out : out + warning_lines(g, l);  // stepping again costs a second pass, only when it has something to say
}

std::string check_header(Lang l) {
  static_assert(kCheckStep == 1e-5 && kCheckTolerance == 1e-5 && kCheckNoiseCap == 1e-3, "the words below say these numbers");
  return Words{"backprop vs central difference (f(x+h) − f(x−h)) / 2h, in double precision, h = 1e-5;\n"
               "agreement: relative error at most 1e-5, or at most the numerical side's own rounding noise where larger (up to 1e-3)\n",
               "誤差逆伝播法と数値微分（中心差分 (f(x+h) − f(x−h)) / 2h, 倍精度, h = 1e-5）の比較\n"
               "一致の基準: 相対誤差 1e-5 以下（数値微分自身の丸め誤差がそれより大きいときはその値まで、最大 1e-3）\n"}(l);
}

std::string check_entries(const GradCheck& c, Lang l) {
  Eigen::Index size = c.backprop.size(), n = Eigen::Index(c.entries.size());
  if (c.complete()) return "";
  if (!c.checked())
    return Words{"not checked: on a graph this large, even one entry costs more than this input's share of the check's budget",
                 "未確認: グラフが大きすぎて、1 要素の確認でもこの入力に割り当てた上限を超える"}(l);
  return std::to_string(n) + Words{" of ", " / "}(l) + std::to_string(size) +
         Words{" entries checked, spread over the matrix", " 要素を確認（行列全体から選んだ要素）"}(l);
}

std::string check_text(const Graph& g, Lang l) {
  std::string out = Words{"gradient check: ", "勾配確認: "}(l) + check_header(l);
  for (const GradCheck& c : gradient_check(g)) {
    out += "  " + c.input + "\n";
    std::string which = check_entries(c, l);
    if (!which.empty()) out += "    " + which + "\n";
    if (!c.checked()) continue;
    if (c.complete()) {
      out += std::string("    ") + Words{"backprop:  ", "逆伝播:    "}(l) + format_value(c.backprop, g.nodes[g.find(c.input)].dims) + "\n";
      out += std::string("    ") + Words{"numerical: ", "数値微分:  "}(l) + format_value(c.numerical, g.nodes[g.find(c.input)].dims) + "\n";
    } else {
      Eigen::Index rows = c.backprop.rows();
      for (size_t i = 0; i < c.entries.size() && i < 6; ++i) {
        Eigen::Index e = c.entries[i];
        out += std::string("    ") + Words{"row ", "行 "}(l) + std::to_string(e % rows + 1) + Words{", column ", ", 列 "}(l) +
               std::to_string(e / rows + 1) + ": " + Words{"backprop ", "逆伝播 "}(l) + format_number(c.backprop(e)) + ", " +
               Words{"numerical ", "数値微分 "}(l) + format_number(c.numerical(e)) + "\n";
      }
    }
    out += std::string("    ") + Words{"relative error: ", "相対誤差: "}(l) + check_verdict(c, l) + "\n";
  }
  return out;
}

std::string check_verdict(const GradCheck& c, Lang l) {
  char buf[96];
  if (std::isnan(c.rel_error))
    return Words{"NaN  (the function or its gradient is not finite here: the check cannot be made at this point)",
                 "NaN  （この点では関数か勾配が有限でないので確認できない）"}(l);
  std::snprintf(buf, sizeof buf, "%.2e", c.rel_error);
  std::string out = buf;
  if (!c.ok()) return out + Words{"  (MISMATCH)", "  (不一致)"}(l);
  if (c.tolerance() > kCheckTolerance && c.rel_error > kCheckTolerance) {
    std::snprintf(buf, sizeof buf, "%.1e", c.noise);
    return out + Words{"  (ok: within the numerical side's rounding noise here, ", "  (一致: この点での数値微分の丸め誤差 "}(l) + buf +
           Words{")", " の範囲内)"}(l);
  }
  return out + Words{"  (ok)", "  (一致)"}(l);
}

std::string iterations_text(Walk& w, int n, Lang l) {
  const Graph& g = w.graph();
  const std::string& out_name = g.nodes[g.output].name;
  std::string out = trace_text(w, l), losses;
  auto loss_line = [&](const std::string& when) {
    losses += "    " + when + ": " + out_name + " = " + format_value(w.state().value[g.output], g.nodes[g.output].dims) + "\n";
  };
  loss_line(std::string(Words{"iteration 1", "反復 1"}(l)));
  for (int k = 2; k <= n && w.next_iteration(); ++k) {
    out += "\n=== " + std::string(Words{"Iteration ", "反復 "}(l)) + std::to_string(k) + " ===\n" + steps_text(w, l);
    loss_line(std::string(Words{"iteration ", "反復 "}(l)) + std::to_string(k));
  }
  if (w.next_iteration()) {  // the loss the last update reached: one more forward pass
    w.run_phase();
    loss_line(std::string(Words{"after the last update", "最後の更新のあと"}(l)));
  }
  return out + "\n== " + std::string(Words{"Loss by iteration", "反復ごとの損失"}(l)) + " ==\n" + losses;
}

}  // namespace kobai
