// kobai page: a lab's settings as one table. Each setting is written once: its key in a link, its name in
// kobai.state() and in the panel's control names, its label, its kind and range, and the member of the lab's
// settings struct that holds it (the struct's initial values are the defaults). The link's encoder and decoder,
// kobai.state() and the settings panel loop over the table. Pure: tested natively.
//
//   using P = PlaygroundSettings;
//   setting::number<&P::lr>("pg.lr", "lr", {"learning rate η", "学習率 η"}, 1e-9, 1e9).typed().redo(Redo::part)
//   write_setting(s, p)        "0.03", as a link carries it (say_setting: as a sentence says it)
//   read_setting(s, p, text)   or an InputError naming the key: "the link's pg.lr must be a number from ..."
#pragma once

#include "train.h"

#include <cmath>
#include <string>
#include <type_traits>
#include <vector>

namespace kobai {

enum class SettingKind { number, whole, flag, choice, wholes, names };  // a flag is 0 or 1; wholes: "8,8,8";
                                                                        // names: some of a list, "local,backward"
// What a changed setting asks of its lab: begin again (the playground: new data, a new network), renew a part
// (a new optimizer on the same weights), or nothing (it applies from the next mini-batch).
enum class Redo { all, part, none };

template <class S>
struct Setting {
  const char* key;         // in a link: pg.lr
  const char* name;        // in kobai.state(), and the panel's control after the lab's prefix: lr (pg_lr)
  Words label;             // beside its control
  SettingKind kind;
  const char* called = nullptr;  // what a sentence calls it, when not the English label ("learning rate")
  double lo = 0, hi = 0;   // the range of a number or whole, or of each of the wholes
  int most = 0;            // wholes: at most this many
  const char* items = "";  // wholes: what they count, for a message ("layers")
  NameList choices{};      // a choice, or names: the values' names
  Redo on_change = Redo::all;
  // How the panel shows it: a slider up to slider_hi (0: to hi) with printf's `format`, or a box to type in when
  // the range is too wide to drag; only when `shown` says so; under `heading` when it starts a group.
  double slider_hi = 0;
  const char* format = "%g";
  bool in_box = false;
  bool (*shown)(const S&) = nullptr;
  Words heading{nullptr, nullptr};
  // The member: as a number (a choice's index, a flag's 0 or 1), or the list of wholes (names: the indices of
  // the names chosen, in the list's order).
  double (*get)(const S&) = nullptr;
  void (*set)(S&, double) = nullptr;
  std::vector<int> S::*list = nullptr;

  Setting redo(Redo r) const { Setting s = *this; s.on_change = r; return s; }
  Setting slider(double top, const char* fmt) const { Setting s = *this; s.slider_hi = top, s.format = fmt; return s; }
  Setting typed() const { Setting s = *this; s.in_box = true; return s; }
  Setting when(bool (*f)(const S&)) const { Setting s = *this; s.shown = f; return s; }
  Setting under(Words h) const { Setting s = *this; s.heading = h; return s; }
  Setting in_words(const char* c) const { Setting s = *this; s.called = c; return s; }
  bool valid(double v) const;  // in range (and whole, for whole kinds)
};

// Reading one value of a link, or an InputError naming the key and what it must be.
double read_number(const std::string& key, const std::string& v, double lo, double hi);
int read_whole(const std::string& key, const std::string& v, double lo, double hi);
int read_choice(const std::string& key, const std::string& v, NameList names);
std::vector<int> read_wholes(const std::string& key, const std::string& v, double lo, double hi, int most, const char* items);
std::string write_wholes(const std::vector<int>& v);  // "8,8,8"
std::vector<int> read_names(const std::string& key, const std::string& v, NameList names);  // at least one
std::string write_names(const std::vector<int>& v, NameList names);                         // "local,backward"

template <class S>
bool Setting<S>::valid(double v) const {
  if (!(v >= lo && v <= hi)) return false;
  return kind == SettingKind::number || std::floor(v) == v;
}

template <class S>
std::string write_setting(const Setting<S>& s, const S& from) {
  if (s.kind == SettingKind::wholes) return write_wholes(from.*s.list);
  if (s.kind == SettingKind::names) return write_names(from.*s.list, s.choices);
  double v = s.get(from);
  if (s.kind == SettingKind::choice) return s.choices.names[int(v)];
  if (s.kind == SettingKind::number) return format_number(v);
  return std::to_string(static_cast<long long>(v));
}

// The value as a sentence says it: "8-8-8", "on", "0.03".
template <class S>
std::string say_setting(const Setting<S>& s, const S& from) {
  if (s.kind == SettingKind::flag) return s.get(from) ? "on" : "off";
  std::string v = write_setting(s, from);
  if (s.kind == SettingKind::wholes)
    for (char& c : v) c = c == ',' ? '-' : c;
  return v;
}

// Sets the member from a link's text, or throws (the member unchanged).
template <class S>
void read_setting(const Setting<S>& s, S& to, const std::string& v) {
  switch (s.kind) {
    case SettingKind::wholes: to.*s.list = read_wholes(s.key, v, s.lo, s.hi, s.most, s.items); return;
    case SettingKind::names: to.*s.list = read_names(s.key, v, s.choices); return;
    case SettingKind::choice: s.set(to, read_choice(s.key, v, s.choices)); return;
    case SettingKind::number: s.set(to, read_number(s.key, v, s.lo, s.hi)); return;
    case SettingKind::whole: case SettingKind::flag: s.set(to, read_whole(s.key, v, s.lo, s.hi)); return;
  }
}

// The table's entries, each from a member pointer: setting::number<&P::lr>(key, name, label, lo, hi).
namespace setting {
namespace detail {
template <class S, class T> S owner(T S::*);
template <class S, class T> T type(T S::*);
template <auto M> using Owner = decltype(owner(M));
template <auto M> using Type = decltype(type(M));
template <auto M>
double get(const Owner<M>& s) {
  if constexpr (std::is_enum_v<Type<M>>) return double(int(s.*M));
  else return double(s.*M);
}
template <auto M>
void set(Owner<M>& s, double v) {
  if constexpr (std::is_enum_v<Type<M>>) s.*M = Type<M>(int(v));
  else if constexpr (std::is_same_v<Type<M>, bool>) s.*M = v != 0;
  else s.*M = Type<M>(v);
}
template <auto M>
Setting<Owner<M>> entry(const char* key, const char* name, Words label, SettingKind kind, double lo, double hi) {
  Setting<Owner<M>> s{key, name, label, kind};
  s.lo = lo, s.hi = hi, s.get = get<M>, s.set = set<M>;
  return s;
}
}  // namespace detail

template <auto M>
auto number(const char* key, const char* name, Words label, double lo, double hi) {
  return detail::entry<M>(key, name, label, SettingKind::number, lo, hi);
}
template <auto M>
auto whole(const char* key, const char* name, Words label, double lo, double hi) {
  return detail::entry<M>(key, name, label, SettingKind::whole, lo, hi);
}
template <auto M>
auto flag(const char* key, const char* name, Words label) {
  return detail::entry<M>(key, name, label, SettingKind::flag, 0, 1);
}
template <auto M>
auto choice(const char* key, const char* name, Words label) {
  auto s = detail::entry<M>(key, name, label, SettingKind::choice, 0, names_of<detail::Type<M>>().count - 1);
  s.choices = names_of<detail::Type<M>>();
  return s;
}
template <auto M>
auto wholes(const char* key, const char* name, Words label, double lo, double hi, int most, const char* items) {
  Setting<detail::Owner<M>> s{key, name, label, SettingKind::wholes};
  s.lo = lo, s.hi = hi, s.most = most, s.items = items, s.list = M;
  return s;
}

template <auto M>
auto names(const char* key, const char* name, Words label, NameList list) {
  Setting<detail::Owner<M>> s{key, name, label, SettingKind::names};
  s.list = M, s.choices = list, s.most = list.count;
  return s;
}

}  // namespace setting

// Over a whole table: the setting with a link's key (or nullptr), and each setting into kobai.state()'s JSON by
// its name (J: nlohmann::json, which this header need not know).
template <class S>
const Setting<S>* find_setting(const std::vector<Setting<S>>& table, const std::string& key) {
  for (const Setting<S>& s : table)
    if (key == s.key) return &s;
  return nullptr;
}

template <class S, class J>
void settings_state(const std::vector<Setting<S>>& table, const S& from, J& out) {
  for (const Setting<S>& s : table) {
    switch (s.kind) {
      case SettingKind::wholes: out[s.name] = from.*s.list; break;
      case SettingKind::names: {
        std::vector<std::string> chosen;
        for (int i : from.*s.list) chosen.push_back(s.choices.names[i]);
        out[s.name] = chosen;
        break;
      }
      case SettingKind::choice: out[s.name] = s.choices.names[int(s.get(from))]; break;
      case SettingKind::flag: out[s.name] = s.get(from) != 0; break;
      case SettingKind::whole: out[s.name] = int(s.get(from)); break;
      case SettingKind::number: out[s.name] = s.get(from); break;
    }
  }
}

}  // namespace kobai
