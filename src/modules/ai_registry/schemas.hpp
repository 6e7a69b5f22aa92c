#pragma once
// OpenAPI schemas of the module's request and response bodies, and the route groups module.cpp wires up.
#include <memory>
#include <nlohmann/json.hpp>

#include "kit/context.hpp"

namespace netops::ai_registry {

class ProviderService;
class ModelService;
class RuleService;
class UsageService;

namespace schema {
const nlohmann::json& provider();
const nlohmann::json& provider_write(bool creating);
const nlohmann::json& model();
const nlohmann::json& model_write(bool creating);
const nlohmann::json& rule();
const nlohmann::json& rule_write(bool creating);
const nlohmann::json& usage_log();
const nlohmann::json& performance();
const nlohmann::json& history();
const nlohmann::json& openai_model();   // a /v1/models entry (OpenAI and Anthropic fields)
const nlohmann::json& openai_models();  // the list, in both APIs' shapes
nlohmann::json page_of(const nlohmann::json& item);  // {"data":[item…],"meta":{…}}
}  // namespace schema

void register_provider_routes(AppContext& ctx, std::shared_ptr<ProviderService> svc);
void register_model_routes(AppContext& ctx, std::shared_ptr<ModelService> svc);  // and GET /v1/models
void register_rule_routes(AppContext& ctx, std::shared_ptr<RuleService> svc);
void register_usage_routes(AppContext& ctx, std::shared_ptr<UsageService> svc);

}  // namespace netops::ai_registry
