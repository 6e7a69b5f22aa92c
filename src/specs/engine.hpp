#pragma once
// The spec-schema engine shared by asset-category spec versions and CMDB CI-type attribute versions
// (SPEC §4.4, §4.6). Pure logic, no I/O: callers load definitions from their table and hand them here.
// Every function reports problems as values (a list of Issue), never by throwing, so a caller can
// show all of them at once or turn them into a Validation error with `report`.
// The decisions where the SPEC is silent are listed in README.md next to this file.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace netops::specs {

// One row of asset_category_spec_defs / cmdb_ci_type_attr_defs (the two tables share columns).
struct FieldDef {
  std::string id, key, label, field_type;  // field_type: one of kFieldTypes
  std::optional<std::string> unit, pattern, help_text;
  bool required = false;
  nlohmann::json enum_values;  // array of strings, or null
  std::optional<std::int64_t> min_len, max_len;
  std::optional<std::string> min_value, max_value, step_value;  // NUMERIC as plain decimal strings (exact)
  std::optional<int> precision, scale;
  nlohmann::json default_value;  // null when absent
  int sort_order = 0;
  bool is_active = true, is_readonly = false, is_searchable = false, is_filterable = false;
};

inline constexpr std::string_view kFieldTypes[] = {
    "string", "number", "integer", "boolean", "enum", "multi_enum", "date", "datetime",
    "ip",     "cidr",   "mac",     "hostname", "port", "url",        "email", "json"};

// key: the field key for value errors; the camelCase attribute ("minLen", "defaultValue") for the
// errors of one definition; "defs[3].pattern" for a list of definitions; "$" for the whole values
// document (which cannot collide with a field key: keys match ^[a-z][a-zA-Z0-9_]{0,62}$).
struct Issue {
  std::string key;
  std::string issue;
  bool operator==(const Issue&) const = default;
};

// The camelCase API body (key, label, fieldType, unit, pattern, helpText, required, enumValues,
// minLen, maxLen, minValue, maxValue, stepValue, precision, scale, defaultValue, sortOrder, isActive,
// isReadonly, isSearchable, isFilterable; "id" is read, "versionId" ignored) → FieldDef.
// Only shape errors are reported here (wrong JSON type, unknown attribute, minValue not a decimal);
// the rules live in validate_definition, so call both.
struct ParsedDef {
  FieldDef def;
  std::vector<Issue> issues;  // keyed by the camelCase attribute
};
ParsedDef def_from_json(const nlohmann::json& api_body);

// FieldDef → camelCase API shape. minValue/maxValue/stepValue are JSON numbers when a double holds
// them exactly, otherwise decimal strings (def_from_json accepts both).
nlohmann::json def_to_json(const FieldDef& def);

// The rules of one definition (see README.md for the full table of which constraint fits which type).
std::vector<Issue> validate_definition(const FieldDef& def);
// Each definition (keys prefixed "defs[i].") plus duplicate keys.
std::vector<Issue> validate_definitions(const std::vector<FieldDef>& defs);

struct Result {
  std::vector<Issue> issues;  // empty = valid; in definition order (sort_order, key), then unknown keys
  // The values to store: defaults applied, absent/null optional keys dropped, canonical forms (mac
  // aa:bb:cc:dd:ee:ff, ip per inet_ntop, cidr network/prefix, hostname and email domain lower-case,
  // datetime in UTC with Z, integers as JSON integers, multi_enum de-duplicated in definition order).
  // Only meaningful when issues is empty.
  nlohmann::json normalized = nlohmann::json::object();
  bool ok() const { return issues.empty(); }
};

struct ValidateOptions {
  bool allow_readonly = true;            // false: callers may not set is_readonly keys
  std::optional<std::int64_t> version;   // shown in "is not in schema version N"
};

// Validates `values` (a JSON object key → value) against the active definitions, every error at once.
Result validate_values(const std::vector<FieldDef>& defs, const nlohmann::json& values, bool allow_readonly = true);
Result validate_values(const std::vector<FieldDef>& defs, const nlohmann::json& values, const ValidateOptions& opts);

// Adds the issues to a Validation, each key prefixed (e.g. "spec." → field "spec.cpuCores").
void report(const std::vector<Issue>& issues, Validation& into, std::string_view prefix = {});

}  // namespace netops::specs
