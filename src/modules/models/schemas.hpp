#pragma once
// OpenAPI schemas of the module's request and response bodies, and the route groups routes.cpp wires up.
#include <memory>
#include <nlohmann/json.hpp>

#include "kit/context.hpp"

namespace netops::models {

class ModelsService;

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
const nlohmann::json& openai_models();
nlohmann::json page_of(const nlohmann::json& item);  // {"data":[item…],"meta":{…}}
}  // namespace schema

void register_provider_routes(AppContext& ctx, std::shared_ptr<ModelsService> svc);
void register_model_routes(AppContext& ctx, std::shared_ptr<ModelsService> svc);
void register_rule_routes(AppContext& ctx, std::shared_ptr<ModelsService> svc);

}  // namespace netops::models
