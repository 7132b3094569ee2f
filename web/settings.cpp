#include "settings.h"

#include <cmath>
#include <cstdlib>

namespace kobai {

double read_number(const std::string& key, const std::string& v, double lo, double hi) {
  char* end = nullptr;
  double x = std::strtod(v.c_str(), &end);
  if (v.empty() || *end || !std::isfinite(x) || x < lo || x > hi)
    throw InputError("the link's " + key + " must be a number from " + format_number(lo) + " to " + format_number(hi) + ", not '" + quote(v) + "'");
  return x;
}

int read_whole(const std::string& key, const std::string& v, double lo, double hi) {
  double x = read_number(key, v, lo, hi);
  if (x != std::floor(x)) throw InputError("the link's " + key + " must be a whole number, not '" + quote(v) + "'");
  return int(x);
}

int read_choice(const std::string& key, const std::string& v, NameList names) {
  std::string all;
  for (int i = 0; i < names.count; ++i) {
    if (v == names.names[i]) return i;
    all += (i ? ", " : "") + std::string(names.names[i]);
  }
  throw InputError("the link's " + key + " must be one of " + all + ", not '" + quote(v) + "'");
}

std::vector<int> read_wholes(const std::string& key, const std::string& v, double lo, double hi, int most, const char* items) {
  std::vector<int> out;  // "" is no wholes at all (the playground: no hidden layer)
  for (size_t s = 0; s < v.size();) {
    size_t e = v.find(',', s);
    if (e == std::string::npos) e = v.size();
    if (int(out.size()) == most) throw InputError("the link's " + key + " has more than " + std::to_string(most) + " " + items);
    out.push_back(read_whole(key, v.substr(s, e - s), lo, hi));
    s = e + 1;
  }
  return out;
}

std::string write_wholes(const std::vector<int>& v) {
  std::string s;
  for (size_t i = 0; i < v.size(); ++i) s += (i ? "," : "") + std::to_string(v[i]);
  return s;
}

std::vector<int> read_names(const std::string& key, const std::string& v, NameList names) {
  std::vector<bool> chosen(size_t(names.count), false);
  for (size_t s = 0; s <= v.size();) {
    size_t e = v.find(',', s);
    if (e == std::string::npos) e = v.size();
    std::string name = v.substr(s, e - s);
    int i = 0;
    while (i < names.count && name != names.names[i]) ++i;
    if (i == names.count) {
      std::string all;
      for (int k = 0; k < names.count; ++k) all += (k ? ", " : "") + std::string(names.names[k]);
      throw InputError("the link's " + key + " must name some of " + all + ", separated by commas, not '" + quote(v) + "'");
    }
    chosen[size_t(i)] = true;
    s = e + 1;
  }
  std::vector<int> out;  // in the list's order, each once
  for (int i = 0; i < names.count; ++i)
    if (chosen[size_t(i)]) out.push_back(i);
  return out;
}

std::string write_names(const std::vector<int>& v, NameList names) {
  std::string s;
  for (size_t i = 0; i < v.size(); ++i) s += (i ? "," : "") + std::string(names.names[v[i]]);
  return s;
}

}  // namespace kobai
