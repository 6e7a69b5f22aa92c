#pragma once
// SQL and row mapping for ai_providers, model_configs, orchestration_rules and usage_logs; nothing else.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "db/db.hpp"
#include "http/listing.hpp"
#include "modules/models/types.hpp"

namespace netops::models {

template <class T>
using Page = std::pair<std::vector<T>, long long>;  // rows, total

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
  std::optional<std::string> user_id, model_id, provider, status, from, to;
};

class ProviderRepo {
 public:
  ProviderRepo(db::Db& db, std::string master_key) : db_(db), key_(std::move(master_key)) {}
  Task<std::optional<Provider>> find(const std::string& id);
  Task<std::optional<Provider>> lock(db::Tx& tx, const std::string& id);  // FOR UPDATE
  Task<bool> lock_shared(db::Tx& tx, const std::string& id);              // FOR SHARE; false when absent
  Task<Provider> insert(db::Tx& tx, const Provider& p);
  Task<std::optional<Provider>> insert_if_absent(db::Tx& tx, const Provider& p);  // nullopt when the id exists
  Task<Provider> update(db::Tx& tx, const Provider& p);  // every writable column, api_key = p.api_key_sealed
  Task<void> remove(db::Tx& tx, const std::string& id);
  Task<std::vector<std::string>> model_ids(db::Tx& tx, const std::string& provider_id);
  Task<Page<Provider>> list(const ProviderFilter& f, const http::Paging& p, const http::Sort& s);
  Task<std::vector<Provider>> all();
  // {creditsRemaining, tokensUsed, lastUsageAt}; nullopt when the provider does not exist.
  Task<std::optional<nlohmann::json>> credits(const std::string& id);

 private:
  db::Db& db_;
  std::string key_;
};

class ModelRepo {
 public:
  explicit ModelRepo(db::Db& db) : db_(db) {}
  Task<std::optional<ModelConfig>> find(const std::string& id);
  Task<std::optional<ModelConfig>> lock(db::Tx& tx, const std::string& id);
  Task<std::optional<ModelConfig>> insert(db::Tx& tx, const ModelConfig& m, bool if_absent = false);
  Task<ModelConfig> update(db::Tx& tx, const ModelConfig& m);
  Task<void> remove(db::Tx& tx, const std::string& id);
  // Locks the named models FOR SHARE (so they cannot be deleted under a rule being written) and returns
  // the ids that do not exist, in the given order.
  Task<std::vector<std::string>> lock_and_find_missing(db::Tx& tx, const std::vector<std::string>& ids);
  // Rules whose model_sequence names the model: [{id, name}].
  Task<nlohmann::json> rules_using(db::Tx& tx, const std::string& model_id);
  Task<Page<ModelConfig>> list(const ModelFilter& f, const http::Paging& p, const http::Sort& s);
  Task<std::vector<ModelConfig>> all();

 private:
  db::Db& db_;
};

class RuleRepo {
 public:
  explicit RuleRepo(db::Db& db) : db_(db) {}
  Task<std::optional<Rule>> find(const std::string& id);
  Task<std::optional<Rule>> lock(db::Tx& tx, const std::string& id);
  Task<Rule> insert(db::Tx& tx, const Rule& r);
  Task<Rule> update(db::Tx& tx, const Rule& r);
  Task<void> remove(db::Tx& tx, const std::string& id);
  Task<Page<Rule>> list(const RuleFilter& f, const http::Paging& p, const http::Sort& s);
  Task<std::vector<Rule>> enabled();  // by priority, then age

 private:
  db::Db& db_;
};

class UsageRepo {
 public:
  explicit UsageRepo(db::Db& db) : db_(db) {}
  Task<std::pair<nlohmann::json, long long>> list(const UsageFilter& f, const http::Paging& p);
  // Aggregates over the last `days` days (performance) or per UTC day (history), see README.md.
  Task<nlohmann::json> performance(const std::string& model_id, int days);
  Task<nlohmann::json> history(const std::string& model_id, int days);

 private:
  db::Db& db_;
};

}  // namespace netops::models
