#pragma once
// SQL and row mapping of ai_providers; nothing else.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "db/db.hpp"
#include "db/page.hpp"
#include "modules/ai_registry/types.hpp"

namespace netops::ai_registry {

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
  Task<db::Page<Provider>> list(const ProviderFilter& f, const db::PageRequest& p, const db::Sort& s);
  Task<std::vector<Provider>> all();
  // tokens_used += tokens, last_usage_at = now(), credits_remaining -= cost (when set); rows locked in id order.
  Task<void> add_usage(db::Tx& tx, const std::vector<ProviderUsage>& usage);
  // nullopt when the provider does not exist.
  Task<std::optional<ProviderCredits>> credits(const std::string& id);

 private:
  db::Db& db_;
  std::string key_;
};

}  // namespace netops::ai_registry
