// Value validation: one value against one definition, and a whole values document against a version.
#include <re2/re2.h>

#include <algorithm>
#include <limits>
#include <map>
#include <memory>
#include <set>

#include "specs/detail.hpp"

namespace netops::specs::detail {
namespace {

using nlohmann::json;
using Issues = std::vector<std::string>;

std::string join_enum(const json& values) {
  std::string out;
  for (auto& v : values) {
    if (!v.is_string()) continue;
    out += (out.empty() ? "" : ", ") + v.get<std::string>();
  }
  return out;
}

bool enum_contains(const json& values, const std::string& s) {
  if (!values.is_array()) return false;
  return std::any_of(values.begin(), values.end(), [&](const json& e) { return e.is_string() && e == s; });
}

std::optional<BigDecimal> bound(const std::optional<std::string>& s) {
  return s ? BigDecimal::parse(*s) : std::nullopt;
}

// Bounds, step (counted from min_value, else from zero) and precision/scale, all in exact decimals.
void check_numeric(const FieldDef& def, const BigDecimal& v, Issues& out) {
  auto min = bound(def.min_value), max = bound(def.max_value), step = bound(def.step_value);
  if (min && compare(v, *min) < 0) out.push_back("must be at least " + min->str());
  if (max && compare(v, *max) > 0) out.push_back("must be at most " + max->str());
  if (step && compare(*step, BigDecimal{}) > 0) {
    auto base = min ? *min : BigDecimal{};
    if (!is_multiple(subtract(v, base), *step))
      out.push_back("must be a multiple of " + step->str() + (min ? " counted from " + min->str() : ""));
  }
  if (def.scale && v.frac_digits() > *def.scale)
    out.push_back("must have at most " + std::to_string(*def.scale) + " digits after the decimal point");
  if (def.precision) {
    // With a scale this is NUMERIC(p,s): p−s digits before the point; alone it bounds all digits.
    if (def.scale && v.int_digits() > *def.precision - *def.scale)
      out.push_back("must have at most " + std::to_string(std::max(0, *def.precision - *def.scale)) +
                    " digits before the decimal point");
    else if (!def.scale && v.int_digits() + v.frac_digits() > *def.precision)
      out.push_back("must have at most " + std::to_string(*def.precision) + " digits");
  }
}

// Integers arrive as JSON integers; an integral float (3.0, what some clients send) is accepted and
// stored as an integer. Anything past int64 is refused rather than silently rounded.
std::optional<std::int64_t> as_int64(const json& v, std::string& why) {
  if (v.is_number_unsigned()) {  // before is_number_integer, which is also true for unsigned
    if (v.get<std::uint64_t>() <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
      return static_cast<std::int64_t>(v.get<std::uint64_t>());
    why = "is out of range";
    return std::nullopt;
  }
  if (v.is_number_integer()) return v.get<std::int64_t>();
  if (v.is_number_float()) {
    auto d = BigDecimal::from_json(v);
    if (!d || !d->is_integer()) {
      why = "must be an integer";
      return std::nullopt;
    }
    double x = v.get<double>();
    if (x < -9.2233720368547758e18 || x >= 9.2233720368547758e18) {
      why = "is out of range";
      return std::nullopt;
    }
    return static_cast<std::int64_t>(x);
  }
  why = "must be an integer";
  return std::nullopt;
}

void check_length(const FieldDef& def, std::size_t n, const char* unit, Issues& out) {
  if (def.min_len && static_cast<std::int64_t>(n) < *def.min_len)
    out.push_back("must have at least " + std::to_string(*def.min_len) + " " + unit);
  if (def.max_len && static_cast<std::int64_t>(n) > *def.max_len)
    out.push_back("must have at most " + std::to_string(*def.max_len) + " " + unit);
}

void check_pattern(const FieldDef& def, const std::string& s, Issues& out) {
  if (!def.pattern) return;
  if (auto* re = compiled_pattern(*def.pattern); re && !RE2::FullMatch(s, *re))
    out.push_back("must match the pattern " + *def.pattern);
}

Checked (*format_of(const std::string& t))(std::string_view) {
  if (t == "date") return check_date;
  if (t == "datetime") return check_datetime;
  if (t == "ip") return check_ip;
  if (t == "cidr") return check_cidr;
  if (t == "mac") return check_mac;
  if (t == "hostname") return check_hostname;
  if (t == "url") return check_url;
  if (t == "email") return check_email;
  return nullptr;
}

}  // namespace

bool known_type(std::string_view t) {
  return std::find(std::begin(kFieldTypes), std::end(kFieldTypes), t) != std::end(kFieldTypes);
}

const re2::RE2* compiled_pattern(const std::string& pattern, std::string* error) {
  thread_local std::map<std::string, std::unique_ptr<re2::RE2>> cache;
  auto it = cache.find(pattern);
  if (it == cache.end()) {
    if (cache.size() >= 512) cache.clear();  // bounded: patterns come from admin-edited definitions
    RE2::Options opts;
    opts.set_log_errors(false);
    it = cache.emplace(pattern, std::make_unique<re2::RE2>(pattern, opts)).first;
  }
  if (it->second->ok()) return it->second.get();
  if (error) *error = it->second->error();
  return nullptr;
}

Issues check_value(const FieldDef& def, const json& v, json& out) {
  Issues issues;
  const auto& t = def.field_type;
  if (t == "string") {
    if (!v.is_string()) return {"must be a string"};
    auto& s = v.get_ref<const std::string&>();
    auto n = utf8_length(s);
    if (!n) return {"is not valid UTF-8"};
    if (def.required && s.empty()) return {"must not be empty"};
    check_length(def, *n, "characters", issues);
    check_pattern(def, s, issues);
    out = s;
  } else if (t == "number" || t == "integer") {
    if (!v.is_number()) return {t == "number" ? "must be a number" : "must be an integer"};
    auto d = BigDecimal::from_json(v);
    if (!d) return {"must be a finite number"};
    if (t == "integer") {
      std::string why;
      auto i = as_int64(v, why);
      if (!i) return {why};
      out = *i;
    } else {
      out = v;
    }
    check_numeric(def, *d, issues);
  } else if (t == "port") {
    std::string why;
    auto i = v.is_number() ? as_int64(v, why) : std::nullopt;
    if (!i || *i < 1 || *i > 65535) return {"must be an integer from 1 to 65535"};
    out = *i;
    check_numeric(def, *BigDecimal::parse(std::to_string(*i)), issues);
  } else if (t == "boolean") {
    if (!v.is_boolean()) return {"must be true or false"};
    out = v;
  } else if (t == "enum") {
    if (!v.is_string() || !enum_contains(def.enum_values, v.get<std::string>()))
      return {"must be one of " + join_enum(def.enum_values)};
    out = v;
  } else if (t == "multi_enum") {
    if (!v.is_array()) return {"must be an array of values from " + join_enum(def.enum_values)};
    std::set<std::string> chosen;
    for (auto& e : v) {
      if (!e.is_string() || !enum_contains(def.enum_values, e.get<std::string>()))
        issues.push_back("contains " + e.dump(-1, ' ', false, json::error_handler_t::replace) +
                         ", which is not one of " + join_enum(def.enum_values));
      else
        chosen.insert(e.get<std::string>());
    }
    if (!issues.empty()) return issues;
    if (def.required && chosen.empty()) return {"must not be empty"};
    check_length(def, chosen.size(), "values", issues);
    out = json::array();  // duplicates collapse; order follows the definition, not the caller
    for (auto& e : def.enum_values)
      if (e.is_string() && chosen.erase(e.get<std::string>())) out.push_back(e);
  } else if (t == "json") {
    auto n = v.dump(-1, ' ', false, json::error_handler_t::replace).size();
    if (def.max_len && static_cast<std::int64_t>(n) > *def.max_len)
      issues.push_back("must be at most " + std::to_string(*def.max_len) + " bytes when serialized");
    out = v;
  } else if (auto format = format_of(t)) {
    if (!v.is_string()) return {"must be a string"};
    auto& s = v.get_ref<const std::string&>();
    if (def.required && s.empty()) return {"must not be empty"};
    auto c = format(s);
    if (!c.ok()) return {c.error};
    if (t == "hostname" || t == "url" || t == "email") {
      check_length(def, s.size(), "characters", issues);  // ASCII-only formats: bytes = characters
      check_pattern(def, c.value, issues);  // against the canonical form, so patterns need one case
    }
    out = c.value;
  } else {
    return {"has an unknown field type '" + t + "'"};
  }
  return issues;
}

}  // namespace netops::specs::detail

namespace netops::specs {

Result validate_values(const std::vector<FieldDef>& defs, const nlohmann::json& values, bool allow_readonly) {
  return validate_values(defs, values, ValidateOptions{allow_readonly, std::nullopt});
}

Result validate_values(const std::vector<FieldDef>& defs, const nlohmann::json& values, const ValidateOptions& opts) {
  Result r;
  if (!values.is_null() && !values.is_object()) {
    r.issues.push_back({"$", "must be an object"});
    return r;
  }
  static const nlohmann::json kEmpty = nlohmann::json::object();
  const auto& in = values.is_null() ? kEmpty : values;
  std::vector<const FieldDef*> active;
  std::set<std::string> inactive;
  for (auto& d : defs) {
    if (d.is_active) active.push_back(&d);
    else inactive.insert(d.key);
  }
  std::stable_sort(active.begin(), active.end(), [](const FieldDef* a, const FieldDef* b) {
    return a->sort_order != b->sort_order ? a->sort_order < b->sort_order : a->key < b->key;
  });
  std::set<std::string> known;
  for (const FieldDef* d : active) {
    if (!known.insert(d->key).second) continue;  // a duplicate key: validate_definitions reports it
    auto it = in.find(d->key);
    bool present = it != in.end() && !it->is_null();  // null means "not set"
    if (present && d->is_readonly && !opts.allow_readonly) {
      r.issues.push_back({d->key, "is read-only"});
      continue;
    }
    const nlohmann::json* v = present ? &*it : (d->default_value.is_null() ? nullptr : &d->default_value);
    if (!v) {
      // A read-only key is the system's to fill, so a caller who may not set it is not blamed.
      if (d->required && (opts.allow_readonly || !d->is_readonly)) r.issues.push_back({d->key, "is required"});
      continue;
    }
    nlohmann::json out;
    for (auto& issue : detail::check_value(*d, *v, out))
      r.issues.push_back({d->key, present ? issue : "has an invalid default: " + issue});
    if (!out.is_null()) r.normalized[d->key] = std::move(out);
  }
  std::string where = opts.version ? "schema version " + std::to_string(*opts.version) : "the schema";
  for (auto& item : in.items()) {
    const auto& key = item.key();
    if (known.count(key)) continue;
    r.issues.push_back({key, inactive.count(key) ? "is no longer active in " + where : "is not in " + where});
  }
  return r;
}

void report(const std::vector<Issue>& issues, Validation& into, std::string_view prefix) {
  for (auto& i : issues) into.add(std::string(prefix) + i.key, i.issue);
}

}  // namespace netops::specs
