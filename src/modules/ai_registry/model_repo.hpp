#pragma once
// SQL and row mapping of model_configs (and the orchestration rules that name a model); nothing else.
#include <optional>
#include <string>
#include <vector>

#include "db/db.hpp"
#include "db/page.hpp"
#include "modules/ai_registry/types.hpp"

namespace netops::ai_registry {

struct RuleRef {
  std::string id, name;
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
  // Rules whose model_sequence names the model, by priority then name.
  Task<std::vector<RuleRef>> rules_using(db::Tx& tx, const std::string& model_id);
  Task<db::Page<ModelConfig>> list(const ModelFilter& f, const db::PageRequest& p, const db::Sort& s);
  Task<std::vector<ModelConfig>> all();

 private:
  db::Db& db_;
};

}  // namespace netops::ai_registry
