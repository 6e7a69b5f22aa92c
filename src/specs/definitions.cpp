// Field definitions: the camelCase API mapping and the rules a definition must follow before a
// version can hold it. Which constraint fits which type is one table, so README.md can mirror it.
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <tuple>

#include "specs/detail.hpp"

namespace netops::specs {
namespace {

using nlohmann::json;
using detail::BigDecimal;

struct Fits {
  bool min_len, max_len, pattern, min_max, step, precision, scale, enums;
};
// min_len/max_len count characters for text, chosen values for multi_enum, serialized bytes for json.
const std::map<std::string, Fits, std::less<>> kFits = {
    //            minLen maxLen pattern minMax step  prec   scale  enums
    {"string", {true, true, true, false, false, false, false, false}},
    {"hostname", {true, true, true, false, false, false, false, false}},
    {"url", {true, true, true, false, false, false, false, false}},
    {"email", {true, true, true, false, false, false, false, false}},
    {"number", {false, false, false, true, true, true, true, false}},
    {"integer", {false, false, false, true, true, true, false, false}},
    {"port", {false, false, false, true, false, false, false, false}},
    {"boolean", {false, false, false, false, false, false, false, false}},
    {"enum", {false, false, false, false, false, false, false, true}},
    {"multi_enum", {true, true, false, false, false, false, false, true}},
    {"date", {false, false, false, false, false, false, false, false}},
    {"datetime", {false, false, false, false, false, false, false, false}},
    {"ip", {false, false, false, false, false, false, false, false}},
    {"cidr", {false, false, false, false, false, false, false, false}},
    {"mac", {false, false, false, false, false, false, false, false}},
    {"json", {false, true, false, false, false, false, false, false}},
};

constexpr std::size_t kMaxPattern = 1000;  // a definition is edited by hand; longer is a mistake or abuse

bool valid_key(const std::string& k) {
  if (k.empty() || k.size() > 63 || k[0] < 'a' || k[0] > 'z') return false;
  for (char c : k)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}

bool blank(const std::string& s) { return s.find_first_not_of(" \t\r\n") == std::string::npos; }

// Checks one of minValue/maxValue/stepValue; returns the parsed value when it is usable.
std::optional<BigDecimal> numeric_attr(const std::optional<std::string>& s, const char* name, bool fits, bool integral,
                                    const std::string& type, std::vector<Issue>& out) {
  if (!s) return std::nullopt;
  if (!fits) {
    out.push_back({name, "does not apply to " + type + " fields"});
    return std::nullopt;
  }
  auto d = BigDecimal::parse(*s);
  if (!d) {
    out.push_back({name, "must be a decimal number"});
    return std::nullopt;
  }
  if (integral && !d->is_integer()) {
    out.push_back({name, "must be a whole number for " + type + " fields"});
    return std::nullopt;
  }
  return d;
}

}  // namespace

std::vector<Issue> validate_definition(const FieldDef& def) {
  std::vector<Issue> out;
  if (def.key.empty()) out.push_back({"key", "is required"});
  else if (!valid_key(def.key))
    out.push_back({"key", "must match ^[a-z][a-zA-Z0-9_]{0,62}$ (a lower-case letter, then letters, digits or _)"});
  if (blank(def.label)) out.push_back({"label", "is required"});

  const auto& t = def.field_type;
  auto fit = kFits.find(t);
  if (t.empty()) out.push_back({"fieldType", "is required"});
  else if (fit == kFits.end()) {
    std::string all;
    for (auto name : kFieldTypes) all += (all.empty() ? "" : ", ") + std::string(name);
    out.push_back({"fieldType", "must be one of " + all});
  }
  if (fit == kFits.end()) return out;  // the type-dependent rules need a type
  const Fits& f = fit->second;
  auto na = [&](const char* name) { out.push_back({name, "does not apply to " + t + " fields"}); };

  // Lengths.
  constexpr std::int64_t kIntMax = std::numeric_limits<std::int32_t>::max();  // the columns are INT
  for (auto [v, name, fits] :
       {std::tuple{def.min_len, "minLen", f.min_len}, std::tuple{def.max_len, "maxLen", f.max_len}}) {
    if (!v) continue;
    if (!fits) na(name);
    else if (*v < 0 || *v > kIntMax) out.push_back({name, "must be between 0 and " + std::to_string(kIntMax)});
  }
  if (f.min_len && f.max_len && def.min_len && def.max_len && *def.min_len >= 0 && *def.min_len > *def.max_len)
    out.push_back({"maxLen", "must be at least minLen"});

  // Values, step, precision/scale.
  bool integral = t == "integer" || t == "port";
  auto min = numeric_attr(def.min_value, "minValue", f.min_max, integral, t, out);
  auto max = numeric_attr(def.max_value, "maxValue", f.min_max, integral, t, out);
  auto step = numeric_attr(def.step_value, "stepValue", f.step, integral, t, out);
  if (min && max && detail::compare(*min, *max) > 0) out.push_back({"maxValue", "must be at least minValue"});
  if (step && detail::compare(*step, BigDecimal{}) <= 0) out.push_back({"stepValue", "must be greater than 0"});
  if (t == "port") {
    auto lo = *BigDecimal::parse("1"), hi = *BigDecimal::parse("65535");
    for (auto [d, name] : {std::pair{min, "minValue"}, std::pair{max, "maxValue"}})
      if (d && (detail::compare(*d, lo) < 0 || detail::compare(*d, hi) > 0))
        out.push_back({name, "must be between 1 and 65535 for port fields"});
  }
  if (def.precision) {
    if (!f.precision) na("precision");
    else if (*def.precision < 1 || *def.precision > 38) out.push_back({"precision", "must be between 1 and 38"});
  }
  if (def.scale) {
    if (!f.scale) na("scale");
    else if (*def.scale < 0 || *def.scale > 38) out.push_back({"scale", "must be between 0 and 38"});
    else if (def.precision && *def.scale > *def.precision) out.push_back({"scale", "must not exceed precision"});
  }

  // Pattern.
  if (def.pattern) {
    std::string why;
    if (!f.pattern) na("pattern");
    else if (def.pattern->empty()) out.push_back({"pattern", "must not be empty (omit it instead)"});
    else if (def.pattern->size() > kMaxPattern)
      out.push_back({"pattern", "must be at most " + std::to_string(kMaxPattern) + " characters"});
    else if (!detail::compiled_pattern(*def.pattern, &why)) out.push_back({"pattern", "does not compile: " + why});
  }

  // Enum values: an empty list on another type is what a form sends for "none", so it is let through.
  const auto& ev = def.enum_values;
  if (f.enums) {
    if (!ev.is_array() || ev.empty()) {
      out.push_back({"enumValues", "must be a non-empty array of strings for " + t + " fields"});
    } else {
      std::set<std::string> seen;
      for (std::size_t i = 0; i < ev.size(); ++i) {
        if (!ev[i].is_string() || ev[i].get_ref<const std::string&>().empty())
          out.push_back({"enumValues", "item " + std::to_string(i) + " must be a non-empty string"});
        else if (!seen.insert(ev[i].get<std::string>()).second)
          out.push_back({"enumValues", "has the duplicate value '" + ev[i].get<std::string>() + "'"});
      }
      if (t == "multi_enum" && def.min_len && *def.min_len > static_cast<std::int64_t>(seen.size()))
        out.push_back({"minLen", "exceeds the number of enum values"});
    }
  } else if (!ev.is_null() && !(ev.is_array() && ev.empty())) {
    na("enumValues");
  }

  // The default must itself be a valid value (read through the same checks as any value).
  if (!def.default_value.is_null()) {
    json normalized;
    for (auto& issue : detail::check_value(def, def.default_value, normalized)) out.push_back({"defaultValue", issue});
  }
  return out;
}

std::vector<Issue> validate_definitions(const std::vector<FieldDef>& defs) {
  std::vector<Issue> out;
  std::map<std::string, std::size_t> first;
  for (std::size_t i = 0; i < defs.size(); ++i) {
    std::string prefix = "defs[" + std::to_string(i) + "].";
    for (auto& issue : validate_definition(defs[i])) out.push_back({prefix + issue.key, issue.issue});
    if (defs[i].key.empty()) continue;
    auto [it, fresh] = first.emplace(defs[i].key, i);
    if (!fresh) out.push_back({prefix + "key", "duplicates defs[" + std::to_string(it->second) + "].key"});
  }
  return out;
}

}  // namespace netops::specs
