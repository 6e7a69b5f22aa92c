#pragma once
// The module's structs — one per table, the list filters and the usage read models — and their JSON
// mapping (the API representation). The same structs make the gateway's Registry snapshot (registry.hpp),
// so the hot path reads exactly what the API writes.
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "db/query.hpp"

namespace re2 {
class RE2;
}

namespace netops::ai_registry {

// ai_providers. api_key is the decrypted key, held in memory only: it never reaches JSON, logs or errors.
struct Provider {
  std::string id, name;
  std::optional<std::string> description;
  std::string api_endpoint;  // base URL: ".../v1" for OpenAI-compatible APIs, without /v1 for Anthropic
  std::string auth_type = "bearer";  // bearer | x-api-key | none
  std::optional<std::string> api_key_sealed;  // as stored ("v1:…"); nullopt when no key
  std::string api_key;                        // plaintext; empty when none or undecryptable
  bool api_key_unreadable = false;            // stored but not decryptable with the current master key
  nlohmann::json capabilities = nlohmann::json::object();
  std::string status = "active";  // active | inactive
  std::optional<int> rate_limit_per_minute;
  std::optional<std::string> credits_remaining;  // NUMERIC(12,4) as exact text
  std::int64_t tokens_used = 0;
  nlohmann::json last_usage_at, created_at, updated_at;  // ISO strings or null
  nlohmann::json metadata = nlohmann::json::object();
};

// model_configs. Prices are NUMERIC(10,6) per 1,000 tokens as exact decimal text ("0.002500"), or
// nullopt when unset; parse them with netops::Decimal::parse where arithmetic is needed.
struct ModelConfig {
  std::string id, provider;
  int tier = 0;
  std::optional<int> context_window, max_tokens;
  std::optional<std::string> cost_per_1k_input, cost_per_1k_output, cost_per_1k_cache_read, cost_per_1k_cache_write;
  nlohmann::json capabilities = nlohmann::json::object();
  bool enabled = true, supports_streaming = false, supports_functions = false, supports_vision = false;
  std::optional<std::string> description, display_name;
  int priority = 100;
  std::string status = "active";  // active | inactive | deprecated
  nlohmann::json created_at, updated_at;
  std::int64_t created_unix = 0;  // created_at as Unix seconds (OpenAI "created")

  // The name sent upstream: capabilities.upstreamModel, else the id after the first '/', else the id.
  std::string upstream_model() const;
};

inline constexpr const char* kStrategies[] = {"fallback", "load_balance", "cost_optimize", "quality_first",
                                              "escalation"};

// orchestration_rules. pattern is conditions.pattern compiled once (RE2, case-insensitive) when the row is
// read, so matching on the hot path never compiles; null when the rule has no pattern.
struct Rule {
  std::string id, name;
  std::optional<std::string> description;
  std::string strategy;
  std::vector<std::string> model_sequence;
  nlohmann::json conditions = nlohmann::json::object();
  bool enabled = true;
  int priority = 100;
  nlohmann::json metadata = nlohmann::json::object();
  nlohmann::json created_at, updated_at;
  std::shared_ptr<const re2::RE2> pattern;

  // conditions.pattern against text (the last user message): true when the rule has no pattern. RE2 runs
  // in time linear in the text whatever the pattern (no backtracking, no recursion); the first
  // kPatternWindow bytes are searched, which bounds the work per request.
  static constexpr std::size_t kPatternWindow = 64 * 1024;
  bool pattern_matches(std::string_view text) const;
};

// conditions.pattern as RE2 (case-insensitive, memory-capped); check ok() / error() before use.
std::shared_ptr<const re2::RE2> compile_rule_pattern(const std::string& pattern);


// List filters (read by the routes from the query string).
struct ProviderFilter {
  std::optional<std::string> status, search;
};
struct ModelFilter {
  std::optional<std::string> provider, status, search;
  std::optional<int> tier;
  std::optional<bool> enabled;
};
struct RuleFilter {
  std::optional<std::string> strategy;
  std::optional<bool> enabled;
};
struct UsageFilter {
  std::optional<std::string> user_id, model_id, provider, status, from, to, request_id;
};

// GET /api/providers/{id}/credits: what the gateway accounted on the provider row.
struct ProviderCredits {
  std::string provider_id;
  std::optional<std::string> credits_remaining;  // NUMERIC(12,4) as exact text
  std::int64_t tokens_used = 0;
  nlohmann::json last_usage_at;  // ISO string or null
};

// What the gateway's accounting adds to a provider's counters (one batch, one entry per provider).
struct ProviderUsage {
  std::string provider_id;
  std::int64_t tokens = 0;
  std::string cost;  // exact decimal text (12 places), subtracted from credits_remaining when set
};

// One usage_logs row (written by the gateway, read here).
struct UsageLog {
  std::string id, user_id;
  std::optional<std::string> model_id, provider;
  std::int64_t tier = 0;
  std::optional<std::int64_t> prompt_tokens, completion_tokens, total_tokens;
  std::int64_t cache_read_tokens = 0, cache_write_tokens = 0;
  std::optional<std::string> total_cost;  // exact decimal text
  std::optional<double> quality_score;
  bool escalated = false;
  std::optional<std::int64_t> latency_ms, upstream_latency_ms;
  std::string status;
  std::optional<std::string> error_code;
  bool estimated = false;
  std::optional<std::string> request_id;
  std::int64_t attempts = 1;
  std::optional<std::string> conversation_id;
  nlohmann::json created_at;
};

// Per-model statistics over usage_logs (README "Statistics").
struct UsageAggregates {
  std::int64_t requests = 0, successes = 0;
  std::optional<double> success_rate, latency_p50_ms, latency_p95_ms;
  std::int64_t tokens = 0;
  std::string cost;  // exact decimal, 6 places
};
struct ModelPerformance {
  std::string model_id;
  int days = 7;
  std::string since;
  UsageAggregates totals;
  std::int64_t errors = 0, prompt_tokens = 0, completion_tokens = 0, escalations = 0;
  std::optional<double> latency_avg_ms, avg_quality_score;
};
struct DayUsage {
  std::string date;  // YYYY-MM-DD (UTC)
  UsageAggregates totals;
};
struct ModelHistory {
  std::string model_id;
  int days = 30;
  std::vector<DayUsage> data;
};
// GET /api/usage/daily: all users' usage per UTC day from usage_model_daily, optionally per model or provider.
struct UsageDailyRow {
  std::string date;                // YYYY-MM-DD (UTC)
  std::optional<std::string> key;  // the model id or provider (grouped answers); null provider: model deleted
  std::int64_t requests = 0, successes = 0, errors = 0, tokens = 0, prompt_tokens = 0, completion_tokens = 0;
  std::string cost;  // exact decimal, 6 places
};
struct UsageDaily {
  int days = 30;
  std::string group_by;  // "" | "model" | "provider"
  std::string since;     // first day, YYYY-MM-DD
  std::vector<UsageDailyRow> data;
};

// Row mapping. provider_from_row decrypts the key with the master key (hex); a key that does not decrypt
// leaves api_key empty and sets api_key_unreadable instead of failing the whole read.
inline constexpr const char* kProviderColumns =
    "id, name, description, api_endpoint, auth_type, api_key, capabilities, status, rate_limit_per_minute, "
    "credits_remaining, tokens_used, last_usage_at, metadata, created_at, updated_at";
inline constexpr const char* kModelColumns =
    "id, provider, tier, context_window, max_tokens, cost_per_1k_input, cost_per_1k_output, cost_per_1k_cache_read, "
    "cost_per_1k_cache_write, capabilities, enabled, supports_streaming, supports_functions, supports_vision, "
    "description, priority, status, display_name, created_at, updated_at, "
    "extract(epoch FROM created_at)::bigint AS created_unix";
inline constexpr const char* kRuleColumns =
    "id, name, description, strategy, model_sequence, conditions, enabled, priority, metadata, created_at, updated_at";

Provider provider_from_row(const db::Row& r, std::string_view master_key_hex);
ModelConfig model_from_row(const db::Row& r);
Rule rule_from_row(const db::Row& r);
UsageLog usage_from_row(const db::Row& r);
UsageAggregates aggregates_from_row(const db::Row& r);
// The API representation back into the struct (the model:config:{id} cache holds to_json of a model).
ModelConfig model_from_json(const nlohmann::json& j);

// The API shapes (camelCase). A provider shows hasApiKey and apiKeyHint, never the key.
nlohmann::json to_json(const Provider& p);
nlohmann::json to_json(const ModelConfig& m);
nlohmann::json to_json(const Rule& r);
nlohmann::json to_json(const ProviderCredits& c);
nlohmann::json to_json(const UsageLog& u);
nlohmann::json to_json(const UsageDaily& d);
nlohmann::json to_json(const ModelPerformance& p);
nlohmann::json to_json(const ModelHistory& h);
// A GET /v1/models entry, one object for both model APIs — OpenAI's {id, object: "model", created, owned_by}
// and Anthropic's {type: "model", id, display_name, created_at} — so either SDK's models.list and
// models.retrieve read it unchanged.
nlohmann::json to_model_api_json(const ModelConfig& m);

}  // namespace netops::ai_registry
