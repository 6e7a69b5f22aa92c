#pragma once
// POST/PATCH/PUT /api/models bodies → ModelInput (pure, unit-tested); unknown fields refused, read-only
// fields of the GET shape ignored. The service applies the input onto the locked row (apply_model).
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "modules/ai_registry/body_fields.hpp"
#include "modules/ai_registry/types.hpp"

namespace netops::ai_registry {

// The fields present in one body (nullopt: not sent).
struct ModelInput {
  std::optional<std::string> id;  // create only
  std::optional<std::string> provider;
  std::optional<int> tier;
  Clearable<int> context_window, max_tokens;
  Clearable<std::string> cost_per_1k_input, cost_per_1k_output, cost_per_1k_cache_read, cost_per_1k_cache_write;
  std::optional<nlohmann::json> capabilities;
  std::optional<bool> enabled, supports_streaming, supports_functions, supports_vision;
  Clearable<std::string> description, display_name;
  std::optional<int> priority;
  std::optional<std::string> status;
};

// 400 VALIDATION_ERROR with every problem. current_id: the model being updated ("id" may only repeat it).
ModelInput parse_model(const nlohmann::json& body, bool creating, const std::string& current_id = {});
ModelInput read_model(const nlohmann::json& body, bool creating, const std::string& current_id, Validation& v);
void apply_model(const ModelInput& in, ModelConfig& m);

// 1–100 characters, 1–3 '/'-separated segments of [A-Za-z0-9._:@+-]; the last segment of a composite id
// may not be "performance" or "history" (those are the per-model sub-routes).
bool valid_model_id(std::string_view id);

}  // namespace netops::ai_registry
