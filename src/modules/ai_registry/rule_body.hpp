#pragma once
// POST/PATCH/PUT /api/orchestration bodies → RuleInput (pure, unit-tested); unknown fields refused,
// read-only fields ignored. conditions are checked as a whole when sent (allowed keys, types, the pattern
// compiles, min ≤ max prompt tokens); the service applies the input onto the locked rule (apply_rule),
// where metadata.weights is checked against the merged modelSequence.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "modules/ai_registry/body_fields.hpp"
#include "modules/ai_registry/types.hpp"

namespace netops::ai_registry {

// The fields present in one body (nullopt: not sent).
struct RuleInput {
  std::optional<std::string> name;
  Clearable<std::string> description;
  std::optional<std::string> strategy;
  std::optional<std::vector<std::string>> model_sequence;
  std::optional<nlohmann::json> conditions, metadata;
  std::optional<bool> enabled;
  std::optional<int> priority;
};

// 400 VALIDATION_ERROR with every problem (on create, the rules on the whole rule too).
RuleInput parse_rule(const nlohmann::json& body, bool creating);
RuleInput read_rule(const nlohmann::json& body, bool creating, Validation& v);
// The input onto a rule, then metadata.weights checked on the result: {model in modelSequence: positive number}.
void apply_rule(const RuleInput& in, Rule& r, Validation& v);
// read_rule then apply_rule (a PATCH validated on the merged rule).
void apply_rule(const nlohmann::json& body, Rule& r, bool creating, Validation& v);

}  // namespace netops::ai_registry
