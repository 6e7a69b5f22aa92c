#pragma once
// SQL of partition maintenance: the advisory lock and netops_maintain_partitions() (db/migrations/0015).
#include <nlohmann/json.hpp>
#include <string>

#include "core/task.hpp"

namespace netops::db {
class Tx;
}

namespace netops::partitions {

class PartitionRepo {
 public:
  // False when another instance holds the maintenance lock (transaction-scoped).
  Task<bool> try_lock(db::Tx& tx);
  // {"table", "created": [...], "dropped": [...]} for one partitioned log table.
  Task<nlohmann::json> maintain(db::Tx& tx, const std::string& table, const std::string& today, int ahead,
                                int retention_months);
};

}  // namespace netops::partitions
