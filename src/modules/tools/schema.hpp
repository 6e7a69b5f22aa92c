#pragma once
// The JSON Schema subset the tools use for their arguments (and outputs): type (string, integer, number,
// boolean, object, array, null, or a list of them), properties, required, additionalProperties (false or a
// schema), enum, minimum, maximum, minLength, maxLength, pattern (RE2, whole-value search as JSON Schema
// says: unanchored), items, minItems, maxItems, description (ignored). Anything else in a schema is ignored.
// Bounded: nesting deeper than kMaxDepth is an error, at most kMaxErrors messages are collected.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace netops::tools {

struct SchemaError {
  std::string path;     // "arguments.query", "arguments.ids[2]"
  std::string message;  // "must be a string"
};

inline constexpr int kMaxDepth = 16;
inline constexpr std::size_t kMaxErrors = 32;

// Every problem of value against schema (empty: valid). `root` names the value in paths.
std::vector<SchemaError> validate(const nlohmann::json& schema, const nlohmann::json& value,
                                  const std::string& root = "arguments");
// [{"field": path, "message": …}] (the shape of the 400 envelope's details.errors).
nlohmann::json to_json(const std::vector<SchemaError>& errors);
// "arguments.query: must be a string; …" for a model.
std::string describe(const std::vector<SchemaError>& errors);

}  // namespace netops::tools
