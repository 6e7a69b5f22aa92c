#pragma once
// Shared by the spec engine tests: a terse definition builder so a table row fits on one line.
#include <gtest/gtest.h>

#include <string>

#include "specs/engine.hpp"

namespace spec_test {

using netops::specs::FieldDef;
using netops::specs::Issue;
using nlohmann::json;

// D("string").len(1, 5).pat("[a-z]+") — key "f", label "F" unless changed.
struct D {
  FieldDef d;
  explicit D(std::string type, std::string key = "f") {
    d.key = std::move(key);
    d.label = "F";
    d.field_type = std::move(type);
  }
  D& key(std::string k) { return d.key = std::move(k), *this; }
  D& label(std::string l) { return d.label = std::move(l), *this; }
  D& req() { return d.required = true, *this; }
  D& ro() { return d.is_readonly = true, *this; }
  D& off() { return d.is_active = false, *this; }
  D& order(int o) { return d.sort_order = o, *this; }
  D& len(std::optional<std::int64_t> lo, std::optional<std::int64_t> hi = std::nullopt) {
    d.min_len = lo, d.max_len = hi;
    return *this;
  }
  D& val(const char* lo, const char* hi = nullptr) {
    if (lo) d.min_value = lo;
    if (hi) d.max_value = hi;
    return *this;
  }
  D& step(const char* s) { return d.step_value = s, *this; }
  D& prec(std::optional<int> p, std::optional<int> s = std::nullopt) {
    d.precision = p, d.scale = s;
    return *this;
  }
  D& pat(std::string p) { return d.pattern = std::move(p), *this; }
  D& enums(json e) { return d.enum_values = std::move(e), *this; }
  D& def(json v) { return d.default_value = std::move(v), *this; }
  operator FieldDef() const { return d; }  // NOLINT: rows read better without .d
};

// All issues joined, for substring expectations and readable failure messages.
inline std::string joined(const std::vector<Issue>& issues) {
  std::string out;
  for (auto& i : issues) out += (out.empty() ? "" : " | ") + i.key + ": " + i.issue;
  return out;
}

}  // namespace spec_test
