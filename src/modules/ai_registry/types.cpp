#include "modules/ai_registry/types.hpp"

#include <re2/re2.h>
#include <spdlog/spdlog.h>

#include "core/secretbox.hpp"

namespace netops::ai_registry {

namespace {
nlohmann::json opt(const std::optional<std::string>& v) { return v ? nlohmann::json(*v) : nlohmann::json(); }
nlohmann::json opt(const std::optional<int>& v) { return v ? nlohmann::json(*v) : nlohmann::json(); }
nlohmann::json opt(const std::optional<std::int64_t>& v) { return v ? nlohmann::json(*v) : nlohmann::json(); }
nlohmann::json opt(const std::optional<double>& v) { return v ? nlohmann::json(*v) : nlohmann::json(); }
std::optional<std::string> opt_string(const nlohmann::json& j, const char* f) {
  auto it = j.find(f);
  if (it == j.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}
std::optional<int> opt_int(const nlohmann::json& j, const char* f) {
  auto it = j.find(f);
  if (it == j.end() || !it->is_number_integer()) return std::nullopt;
  return it->get<int>();
}
nlohmann::json aggregates_json(const UsageAggregates& a) {
  return {{"requests", a.requests},          {"successes", a.successes},         {"successRate", opt(a.success_rate)},
          {"latencyP50Ms", opt(a.latency_p50_ms)}, {"latencyP95Ms", opt(a.latency_p95_ms)}, {"tokens", a.tokens},
          {"cost", a.cost}};
}
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

UsageLog usage_from_row(const db::Row& r) {
  UsageLog u;
  u.id = r.get<std::string>("id");
  u.user_id = r.get<std::string>("user_id");
  u.model_id = r.opt<std::string>("model_id");
  u.provider = r.opt<std::string>("provider");
  u.tier = r.get<std::int64_t>("tier");
  u.prompt_tokens = r.opt<std::int64_t>("prompt_tokens");
  u.completion_tokens = r.opt<std::int64_t>("completion_tokens");
  u.total_tokens = r.opt<std::int64_t>("total_tokens");
  u.cache_read_tokens = r.get<std::int64_t>("cache_read_tokens");
  u.cache_write_tokens = r.get<std::int64_t>("cache_write_tokens");
  u.total_cost = r.opt<std::string>("total_cost");
  u.quality_score = r.opt<double>("quality_score");
  u.escalated = r.get<bool>("escalated");
  u.latency_ms = r.opt<std::int64_t>("latency_ms");
  u.upstream_latency_ms = r.opt<std::int64_t>("upstream_latency_ms");
  u.status = r.get<std::string>("status");
  u.error_code = r.opt<std::string>("error_code");
  u.estimated = r.get<bool>("estimated");
  u.request_id = r.opt<std::string>("request_id");
  u.attempts = r.get<std::int64_t>("attempts");
  u.conversation_id = r.opt<std::string>("conversation_id");
  u.created_at = r.timestamp("created_at");
  return u;
}

UsageAggregates aggregates_from_row(const db::Row& r) {
  UsageAggregates a;
  a.requests = r.get<std::int64_t>("requests");
  a.successes = r.get<std::int64_t>("successes");
  a.success_rate = r.opt<double>("success_rate");
  a.latency_p50_ms = r.opt<double>("p50");
  a.latency_p95_ms = r.opt<double>("p95");
  a.tokens = r.get<std::int64_t>("tokens");
  a.cost = r.get<std::string>("cost");
  return a;
}

ModelConfig model_from_json(const nlohmann::json& j) {
  ModelConfig m;
  m.id = j.value("id", "");
  m.provider = j.value("provider", "");
  m.tier = j.value("tier", 0);
  m.display_name = opt_string(j, "displayName");
  m.description = opt_string(j, "description");
  m.context_window = opt_int(j, "contextWindow");
  m.max_tokens = opt_int(j, "maxTokens");
  m.cost_per_1k_input = opt_string(j, "costPer1kInput");
  m.cost_per_1k_output = opt_string(j, "costPer1kOutput");
  m.cost_per_1k_cache_read = opt_string(j, "costPer1kCacheRead");
  m.cost_per_1k_cache_write = opt_string(j, "costPer1kCacheWrite");
  if (auto it = j.find("capabilities"); it != j.end() && it->is_object()) m.capabilities = *it;
  m.enabled = j.value("enabled", true);
  m.supports_streaming = j.value("supportsStreaming", false);
  m.supports_functions = j.value("supportsFunctions", false);
  m.supports_vision = j.value("supportsVision", false);
  m.priority = j.value("priority", 100);
  m.status = j.value("status", "active");
  m.created_at = j.value("createdAt", nlohmann::json());
  m.updated_at = j.value("updatedAt", nlohmann::json());
  return m;
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

nlohmann::json to_json(const ProviderCredits& c) {
  return {{"providerId", c.provider_id},
          {"creditsRemaining", opt(c.credits_remaining)},
          {"tokensUsed", c.tokens_used},
          {"lastUsageAt", c.last_usage_at}};
}

nlohmann::json to_json(const UsageLog& u) {
  return {{"id", u.id},
          {"userId", u.user_id},
          {"modelId", opt(u.model_id)},
          {"provider", opt(u.provider)},
          {"tier", u.tier},
          {"promptTokens", opt(u.prompt_tokens)},
          {"completionTokens", opt(u.completion_tokens)},
          {"totalTokens", opt(u.total_tokens)},
          {"cacheReadTokens", u.cache_read_tokens},
          {"cacheWriteTokens", u.cache_write_tokens},
          {"totalCost", opt(u.total_cost)},
          {"qualityScore", opt(u.quality_score)},
          {"escalated", u.escalated},
          {"latencyMs", opt(u.latency_ms)},
          {"upstreamLatencyMs", opt(u.upstream_latency_ms)},
          {"status", u.status},
          {"errorCode", opt(u.error_code)},
          {"estimated", u.estimated},
          {"requestId", opt(u.request_id)},
          {"attempts", u.attempts},
          {"conversationId", opt(u.conversation_id)},
          {"createdAt", u.created_at}};
}

nlohmann::json to_json(const ModelPerformance& p) {
  auto out = aggregates_json(p.totals);
  out["modelId"] = p.model_id;
  out["days"] = p.days;
  out["since"] = p.since;
  out["errors"] = p.errors;
  out["latencyAvgMs"] = opt(p.latency_avg_ms);
  out["promptTokens"] = p.prompt_tokens;
  out["completionTokens"] = p.completion_tokens;
  out["escalations"] = p.escalations;
  out["avgQualityScore"] = opt(p.avg_quality_score);
  return out;
}

nlohmann::json to_json(const ModelHistory& h) {
  nlohmann::json data = nlohmann::json::array();
  for (auto& d : h.data) {
    auto day = aggregates_json(d.totals);
    day["date"] = d.date;
    data.push_back(std::move(day));
  }
  return {{"modelId", h.model_id}, {"days", h.days}, {"data", std::move(data)}};
}

nlohmann::json to_json(const UsageDaily& d) {
  nlohmann::json data = nlohmann::json::array();
  for (const auto& r : d.data) {
    nlohmann::json row = {{"date", r.date},
                          {"requests", r.requests},
                          {"successes", r.successes},
                          {"errors", r.errors},
                          {"tokens", r.tokens},
                          {"promptTokens", r.prompt_tokens},
                          {"completionTokens", r.completion_tokens},
                          {"cost", r.cost}};
    if (!d.group_by.empty()) row["key"] = r.key ? nlohmann::json(*r.key) : nlohmann::json();
    data.push_back(std::move(row));
  }
  return {{"days", d.days},
          {"groupBy", d.group_by.empty() ? nlohmann::json() : nlohmann::json(d.group_by)},
          {"since", d.since},
          {"data", std::move(data)}};
}

nlohmann::json to_model_api_json(const ModelConfig& m) {
  return {{"id", m.id},
          {"object", "model"},
          {"created", m.created_unix},
          {"owned_by", m.provider},
          {"type", "model"},
          {"display_name", m.display_name.value_or(m.id)},
          {"created_at", m.created_at}};
}

}  // namespace netops::ai_registry
