#include "modules/models/types.hpp"

#include <re2/re2.h>
#include <spdlog/spdlog.h>

#include "core/secretbox.hpp"

namespace netops::models {

namespace {
nlohmann::json opt(const std::optional<std::string>& v) { return v ? nlohmann::json(*v) : nlohmann::json(); }
nlohmann::json opt(const std::optional<int>& v) { return v ? nlohmann::json(*v) : nlohmann::json(); }
nlohmann::json object_or_empty(const db::Row& r, std::string_view col) {
  auto j = r.json(col);
  return j.is_object() ? j : nlohmann::json::object();
}
}  // namespace

std::string ModelConfig::upstream_model() const {
  if (auto it = capabilities.find("upstreamModel"); it != capabilities.end() && it->is_string() &&
                                                    !it->get_ref<const std::string&>().empty())
    return it->get<std::string>();
  auto slash = id.find('/');
  return slash == std::string::npos ? id : id.substr(slash + 1);
}

bool Rule::pattern_matches(std::string_view text) const {
  if (!pattern) return true;
  if (text.size() > kPatternWindow) text = text.substr(0, kPatternWindow);
  return pattern->ok() && re2::RE2::PartialMatch(text, *pattern);
}

std::shared_ptr<const re2::RE2> compile_rule_pattern(const std::string& pattern) {
  re2::RE2::Options o;
  o.set_case_sensitive(false);
  o.set_log_errors(false);
  o.set_max_mem(1 << 20);  // a pathological pattern fails to compile instead of taking memory
  return std::make_shared<const re2::RE2>(pattern, o);
}

Provider provider_from_row(const db::Row& r, std::string_view master_key_hex) {
  Provider p;
  p.id = r.get<std::string>("id");
  p.name = r.get<std::string>("name");
  p.description = r.opt<std::string>("description");
  p.api_endpoint = r.opt<std::string>("api_endpoint").value_or("");
  p.auth_type = r.opt<std::string>("auth_type").value_or("bearer");
  p.api_key_sealed = r.opt<std::string>("api_key");
  if (p.api_key_sealed && !p.api_key_sealed->empty()) {
    try {
      p.api_key = secretbox::open(*p.api_key_sealed, master_key_hex);
    } catch (const secretbox::SecretError& e) {
      p.api_key_unreadable = true;  // e.what() never quotes the value
      spdlog::warn("provider {}: stored API key cannot be used: {}", p.id, e.what());
    }
  } else {
    p.api_key_sealed.reset();
  }
  p.capabilities = object_or_empty(r, "capabilities");
  p.status = r.get<std::string>("status");
  p.rate_limit_per_minute = r.opt<int>("rate_limit_per_minute");
  p.credits_remaining = r.opt<std::string>("credits_remaining");
  p.tokens_used = r.opt<std::int64_t>("tokens_used").value_or(0);
  p.last_usage_at = r.timestamp("last_usage_at");
  p.metadata = object_or_empty(r, "metadata");
  p.created_at = r.timestamp("created_at");
  p.updated_at = r.timestamp("updated_at");
  return p;
}

ModelConfig model_from_row(const db::Row& r) {
  ModelConfig m;
  m.id = r.get<std::string>("id");
  m.provider = r.get<std::string>("provider");
  m.tier = r.get<int>("tier");
  m.context_window = r.opt<int>("context_window");
  m.max_tokens = r.opt<int>("max_tokens");
  m.cost_per_1k_input = r.opt<std::string>("cost_per_1k_input");
  m.cost_per_1k_output = r.opt<std::string>("cost_per_1k_output");
  m.cost_per_1k_cache_read = r.opt<std::string>("cost_per_1k_cache_read");
  m.cost_per_1k_cache_write = r.opt<std::string>("cost_per_1k_cache_write");
  m.capabilities = object_or_empty(r, "capabilities");
  m.enabled = r.get<bool>("enabled");
  m.supports_streaming = r.get<bool>("supports_streaming");
  m.supports_functions = r.get<bool>("supports_functions");
  m.supports_vision = r.get<bool>("supports_vision");
  m.description = r.opt<std::string>("description");
  m.priority = r.get<int>("priority");
  m.status = r.get<std::string>("status");
  m.display_name = r.opt<std::string>("display_name");
  m.created_at = r.timestamp("created_at");
  m.updated_at = r.timestamp("updated_at");
  m.created_unix = r.get<std::int64_t>("created_unix");
  return m;
}

Rule rule_from_row(const db::Row& r) {
  Rule x;
  x.id = r.get<std::string>("id");
  x.name = r.get<std::string>("name");
  x.description = r.opt<std::string>("description");
  x.strategy = r.get<std::string>("strategy");
  for (auto& m : r.get<nlohmann::json>("model_sequence"))
    if (m.is_string()) x.model_sequence.push_back(m.get<std::string>());
  x.conditions = object_or_empty(r, "conditions");
  x.enabled = r.get<bool>("enabled");
  x.priority = r.get<int>("priority");
  x.metadata = object_or_empty(r, "metadata");
  x.created_at = r.timestamp("created_at");
  x.updated_at = r.timestamp("updated_at");
  if (auto it = x.conditions.find("pattern"); it != x.conditions.end() && it->is_string()) {
    x.pattern = compile_rule_pattern(it->get<std::string>());
    // Only reachable when the row was written around the API (or before patterns were RE2): the rule
    // then never matches rather than matching everything (pattern_matches checks ok()).
    if (!x.pattern->ok())
      spdlog::warn("orchestration rule {}: conditions.pattern does not compile ({}); the rule never matches", x.id,
                   x.pattern->error());
  }
  return x;
}

nlohmann::json to_json(const Provider& p) {
  nlohmann::json hint;
  if (p.api_key_sealed && !p.api_key_unreadable) hint = secretbox::key_hint(p.api_key);
  nlohmann::json j = {{"id", p.id},
                      {"name", p.name},
                      {"description", opt(p.description)},
                      {"apiEndpoint", p.api_endpoint},
                      {"authType", p.auth_type},
                      {"hasApiKey", p.api_key_sealed.has_value()},
                      {"apiKeyHint", hint},
                      {"capabilities", p.capabilities},
                      {"status", p.status},
                      {"rateLimitPerMinute", opt(p.rate_limit_per_minute)},
                      {"creditsRemaining", opt(p.credits_remaining)},
                      {"tokensUsed", p.tokens_used},
                      {"lastUsageAt", p.last_usage_at},
                      {"metadata", p.metadata},
                      {"createdAt", p.created_at},
                      {"updatedAt", p.updated_at}};
  if (p.api_key_unreadable) j["apiKeyError"] = "the stored key cannot be decrypted with the current NETOPS_MASTER_KEY";
  return j;
}

nlohmann::json to_json(const ModelConfig& m) {
  return {{"id", m.id},
          {"provider", m.provider},
          {"tier", m.tier},
          {"displayName", opt(m.display_name)},
          {"description", opt(m.description)},
          {"contextWindow", opt(m.context_window)},
          {"maxTokens", opt(m.max_tokens)},
          {"costPer1kInput", opt(m.cost_per_1k_input)},
          {"costPer1kOutput", opt(m.cost_per_1k_output)},
          {"costPer1kCacheRead", opt(m.cost_per_1k_cache_read)},
          {"costPer1kCacheWrite", opt(m.cost_per_1k_cache_write)},
          {"capabilities", m.capabilities},
          {"upstreamModel", m.upstream_model()},
          {"enabled", m.enabled},
          {"supportsStreaming", m.supports_streaming},
          {"supportsFunctions", m.supports_functions},
          {"supportsVision", m.supports_vision},
          {"priority", m.priority},
          {"status", m.status},
          {"createdAt", m.created_at},
          {"updatedAt", m.updated_at}};
}

nlohmann::json to_json(const Rule& r) {
  return {{"id", r.id},
          {"name", r.name},
          {"description", opt(r.description)},
          {"strategy", r.strategy},
          {"modelSequence", r.model_sequence},
          {"conditions", r.conditions},
          {"enabled", r.enabled},
          {"priority", r.priority},
          {"metadata", r.metadata},
          {"createdAt", r.created_at},
          {"updatedAt", r.updated_at}};
}

nlohmann::json to_openai_json(const ModelConfig& m) {
  return {{"id", m.id}, {"object", "model"}, {"created", m.created_unix}, {"owned_by", m.provider}};
}

}  // namespace netops::models
