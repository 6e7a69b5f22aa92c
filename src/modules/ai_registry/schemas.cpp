#include "modules/ai_registry/schemas.hpp"

#include "core/tier.hpp"

namespace netops::ai_registry::schema {

using nlohmann::json;

namespace {
json t(const char* type, const char* description = nullptr) {
  json j = {{"type", type}};
  if (description) j["description"] = description;
  return j;
}
json nullable(const char* type, const char* description = nullptr) {
  json j = t(type, description);
  j["nullable"] = true;
  return j;
}
json enumeration(std::initializer_list<const char*> values, const char* description = nullptr) {
  json j = {{"type", "string"}, {"enum", json::array()}};
  for (auto* v : values) j["enum"].push_back(v);
  if (description) j["description"] = description;
  return j;
}
json object(json properties, std::initializer_list<const char*> required = {}) {
  json j = {{"type", "object"}, {"properties", std::move(properties)}};
  if (required.size()) j["required"] = json::array();
  for (auto* r : required) j["required"].push_back(r);
  return j;
}
json tiers() {  // the Tier names, as core/tier.hpp spells them
  json j = {{"type", "string"}, {"enum", json::array()}};
  for (auto t : kTiers) j["enum"].push_back(std::string(tier_name(t)));
  return j;
}
const char* kDecimal = "exact decimal per 1,000 tokens (USD), string or number, stored as NUMERIC(10,6)";
}  // namespace

json page_of(const json& item) {
  return object({{"data", {{"type", "array"}, {"items", item}}},
                 {"meta", object({{"page", t("integer")}, {"pageSize", t("integer")}, {"total", t("integer")}})}});
}

const json& provider() {
  static const json j = object({
      {"id", t("string")}, {"name", t("string")}, {"description", nullable("string")},
      {"apiEndpoint", t("string", "OpenAI-compatible: base URL including /v1; Anthropic: base URL without /v1")},
      {"authType", enumeration({"bearer", "x-api-key", "none"})},
      {"hasApiKey", t("boolean")}, {"apiKeyHint", nullable("string", "e.g. sk-…abcd; the key itself is never returned")},
      {"apiKeyError", t("string", "only when the stored key cannot be decrypted with the current master key")},
      {"capabilities", t("object")}, {"status", enumeration({"active", "inactive"})},
      {"rateLimitPerMinute", nullable("integer")}, {"creditsRemaining", nullable("string", "exact decimal")},
      {"tokensUsed", t("integer")}, {"lastUsageAt", nullable("string")}, {"metadata", t("object")},
      {"createdAt", t("string")}, {"updatedAt", t("string")}});
  return j;
}

const json& provider_write(bool creating) {
  static const json props = {
      {"id", t("string", "lowercase slug (a-z, 0-9, '-', '_'), at most 50 characters; fixed after creation")},
      {"name", t("string")}, {"description", nullable("string")},
      {"apiEndpoint", t("string", "http(s) URL, no credentials/query; OpenAI-compatible: include /v1; Anthropic: omit /v1")},
      {"authType", enumeration({"bearer", "x-api-key", "none"})},
      {"apiKey", nullable("string", "write-only; stored encrypted; null or \"\" removes it")},
      {"capabilities", t("object")}, {"status", enumeration({"active", "inactive"})},
      {"rateLimitPerMinute", nullable("integer")}, {"creditsRemaining", nullable("string", "decimal, up to 4 places")},
      {"metadata", t("object")}};
  static const json create = object(props, {"id", "name", "apiEndpoint", "authType"});
  static const json update = object(props);
  return creating ? create : update;
}

const json& model() {
  static const json j = object({
      {"id", t("string", "e.g. openai/gpt-4o")}, {"provider", t("string")}, {"tier", t("integer", "0–3")},
      {"displayName", nullable("string")}, {"description", nullable("string")},
      {"contextWindow", nullable("integer")}, {"maxTokens", nullable("integer")},
      {"costPer1kInput", nullable("string", kDecimal)}, {"costPer1kOutput", nullable("string", kDecimal)},
      {"costPer1kCacheRead", nullable("string", kDecimal)}, {"costPer1kCacheWrite", nullable("string", kDecimal)},
      {"capabilities", t("object", "capabilities.upstreamModel overrides the upstream model name")},
      {"upstreamModel", t("string", "the name sent upstream (read-only)")}, {"enabled", t("boolean")},
      {"supportsStreaming", t("boolean")}, {"supportsFunctions", t("boolean")}, {"supportsVision", t("boolean")},
      {"priority", t("integer", "lower first within a tier")},
      {"status", enumeration({"active", "inactive", "deprecated"})}, {"createdAt", t("string")},
      {"updatedAt", t("string")},
      {"circuitBreaker", t("object", "the gateway's circuit-breaker state (GET of one model only)")}});
  return j;
}

const json& model_write(bool creating) {
  json num = {{"oneOf", {t("string"), t("number")}}, {"nullable", true}, {"description", kDecimal}};
  static const json props = {
      {"id", t("string", "1–3 '/'-separated segments, e.g. openai/gpt-4o; fixed after creation")},
      {"provider", t("string", "an existing provider id (422 otherwise)")}, {"tier", t("integer", "0–3")},
      {"contextWindow", nullable("integer")}, {"maxTokens", nullable("integer")}, {"costPer1kInput", num},
      {"costPer1kOutput", num}, {"costPer1kCacheRead", num}, {"costPer1kCacheWrite", num},
      {"capabilities", t("object")}, {"enabled", t("boolean")}, {"supportsStreaming", t("boolean")},
      {"supportsFunctions", t("boolean")}, {"supportsVision", t("boolean")}, {"description", nullable("string")},
      {"displayName", nullable("string")}, {"priority", t("integer")},
      {"status", enumeration({"active", "inactive", "deprecated"})}};
  static const json create = object(props, {"id", "provider", "tier"});
  static const json update = object(props);
  return creating ? create : update;
}

const json& rule() {
  static const json j = object({
      {"id", t("string")}, {"name", t("string")}, {"description", nullable("string")},
      {"strategy", enumeration({"fallback", "load_balance", "cost_optimize", "quality_first", "escalation"})},
      {"modelSequence", {{"type", "array"}, {"items", t("string")}}},
      {"conditions", t("object")}, {"enabled", t("boolean")}, {"priority", t("integer")},
      {"metadata", t("object")}, {"createdAt", t("string")}, {"updatedAt", t("string")}});
  return j;
}

const json& rule_write(bool creating) {
  static const json conditions = object({
      {"models", {{"type", "array"}, {"items", t("string")}, {"description", "requested model ids or aliases"}}},
      {"roles", {{"type", "array"}, {"items", enumeration({"user", "admin", "super_admin"})}}},
      {"userTiers", {{"type", "array"}, {"items", tiers()}}},
      {"minPromptTokens", t("integer")}, {"maxPromptTokens", t("integer")},
      {"requiresTools", t("boolean")}, {"requiresVision", t("boolean")},
      {"pattern", t("string", "RE2 regular expression searched in the last user message, case-insensitive")},
      {"complexity", {{"oneOf", {t("integer"), {{"type", "array"}, {"items", t("integer")}}}},
                      {"description", "0–3 or a list of them"}}}});
  static const json props = {
      {"name", t("string")}, {"description", nullable("string")},
      {"strategy", enumeration({"fallback", "load_balance", "cost_optimize", "quality_first", "escalation"})},
      {"modelSequence", {{"type", "array"}, {"items", t("string")}, {"description", "existing model ids (422 otherwise)"}}},
      {"conditions", conditions}, {"enabled", t("boolean")}, {"priority", t("integer", "lower is tried first")},
      {"metadata", t("object", "metadata.weights: {modelId: positive number} for load_balance")}};
  static const json create = object(props, {"name", "strategy", "modelSequence"});
  static const json update = object(props);
  return creating ? create : update;
}

const json& usage_log() {
  static const json j = object({
      {"id", t("string")}, {"userId", t("string")}, {"modelId", nullable("string")}, {"provider", nullable("string")},
      {"tier", t("integer")}, {"promptTokens", nullable("integer")}, {"completionTokens", nullable("integer")},
      {"totalTokens", nullable("integer")}, {"cacheReadTokens", t("integer")}, {"cacheWriteTokens", t("integer")},
      {"totalCost", nullable("string", "exact decimal")}, {"qualityScore", nullable("number")},
      {"escalated", t("boolean")}, {"latencyMs", nullable("integer")}, {"upstreamLatencyMs", nullable("integer")},
      {"status", enumeration({"success", "error"})}, {"errorCode", nullable("string")}, {"estimated", t("boolean")},
      {"requestId", nullable("string")}, {"attempts", t("integer")}, {"conversationId", nullable("string")},
      {"createdAt", t("string")}});
  return j;
}

namespace {
json aggregate_props() {
  return {{"requests", t("integer")}, {"successes", t("integer")},
          {"successRate", nullable("number", "successes / requests, 4 decimals; null without requests")},
          {"latencyP50Ms", nullable("number")}, {"latencyP95Ms", nullable("number")},
          {"tokens", t("integer")}, {"cost", t("string", "exact decimal sum of total_cost")}};
}
}  // namespace

const json& performance() {
  static const json j = [] {
    auto p = aggregate_props();
    p["modelId"] = t("string");
    p["days"] = t("integer");
    p["since"] = t("string");
    p["errors"] = t("integer");
    p["latencyAvgMs"] = nullable("number");
    p["promptTokens"] = t("integer");
    p["completionTokens"] = t("integer");
    p["escalations"] = t("integer");
    p["avgQualityScore"] = nullable("number");
    return object(p);
  }();
  return j;
}

const json& history() {
  static const json j = [] {
    auto day = aggregate_props();
    day["date"] = t("string", "UTC day, YYYY-MM-DD");
    return object({{"modelId", t("string")}, {"days", t("integer")}, {"data", {{"type", "array"}, {"items", object(day)}}}});
  }();
  return j;
}

const json& openai_model() {
  static const json j = object({{"id", t("string")},
                                {"object", t("string", "model")},
                                {"created", t("integer", "Unix seconds")},
                                {"owned_by", t("string", "provider id")},
                                {"type", t("string", "model (Anthropic's field)")},
                                {"display_name", t("string", "displayName, else the id")},
                                {"created_at", t("string", "RFC 3339")}});
  return j;
}

const json& openai_models() {
  static const json j = object({{"object", t("string", "list")},
                                {"data", {{"type", "array"}, {"items", openai_model()}}},
                                {"has_more", t("boolean", "always false: every model is in data")},
                                {"first_id", t("string", "the first model's id (null when none)")},
                                {"last_id", t("string", "the last model's id (null when none)")}});
  return j;
}

}  // namespace netops::ai_registry::schema
