#pragma once
// Reads of usage_logs (the gateway writes them): the admin log list and per-model statistics; nothing else.
#include <string>

#include "db/db.hpp"
#include "db/page.hpp"
#include "modules/ai_registry/types.hpp"

namespace netops::ai_registry {

class UsageRepo {
 public:
  explicit UsageRepo(db::Db& db) : db_(db) {}
  Task<db::Page<UsageLog>> list(const UsageFilter& f, const db::PageRequest& p);  // newest first
  // Aggregates over the last `days` days (performance) or per UTC day (history), see README.md.
  Task<ModelPerformance> performance(const std::string& model_id, int days);
  Task<ModelHistory> history(const std::string& model_id, int days);

 private:
  db::Db& db_;
};

}  // namespace netops::ai_registry
