#pragma once
// The CMDB's reports (read-only SQL): counts by type/status/environment, orphans, most-connected CIs,
// active relationships that touch retired CIs.
#include <nlohmann/json.hpp>

#include "db/db.hpp"

namespace netops::cmdb {

class ReportRepo {
 public:
  explicit ReportRepo(db::Db& db) : db_(db) {}
  Task<nlohmann::json> summary();
  Task<nlohmann::json> orphans(long long limit);
  Task<nlohmann::json> most_connected(long long limit);
  Task<nlohmann::json> retired_targets(long long limit);

 private:
  db::Db& db_;
};

}  // namespace netops::cmdb
