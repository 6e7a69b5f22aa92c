#pragma once
// SQL of usage accounting: usage_logs rows (one array parameter per column), user_token_stats upserts,
// conversation counts and the spill-file markers (one JSON parameter each); accounting.hpp builds them. The provider
// counters belong to ai_registry (its service writes them in the same transaction).
#include <cstddef>
#include <string>
#include <vector>

#include "core/task.hpp"
#include "db/query.hpp"

namespace netops::db {
class Tx;
}

namespace netops::gateway {

class AccountingRepo {
 public:
  // Inserts the rows whose (created_at, usage_key) is not there yet; answers the usage_keys inserted.
  // columns: detail::logs_columns (accounting.hpp), one array per column.
  Task<std::vector<std::string>> insert_logs(db::Tx& tx, db::Params columns);
  // Records counted without their usage_logs row: inserts the keys not there yet and answers them.
  Task<std::vector<std::string>> mark_counted_without_row(db::Tx& tx, const std::string& rows_json);
  // Rows inserted in key order so two instances upserting the same keys lock them in the same order.
  Task<void> upsert_stats(db::Tx& tx, const std::string& rows_json);
  Task<void> count_conversations(db::Tx& tx, const std::string& rows_json);
  // False when the spill file was replayed before (only its deletion was lost).
  Task<bool> mark_spill(db::Tx& tx, const std::string& id, std::size_t records);
};

}  // namespace netops::gateway
