#pragma once
// SQL of the CSV import and export: many rows per statement. Rows travel as one array parameter per
// column (text literals of PostgreSQL arrays) and are spread with unnest, so a batch of 1,000 rows is
// one parameterised statement, never 1,000 statements and never values spliced into SQL.
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "db/db.hpp"
#include "modules/assets/csv_names.hpp"
#include "modules/assets/asset_rules.hpp"
#include "modules/assets/import_plan.hpp"
#include "modules/assets/types.hpp"

namespace netops::assets {

inline constexpr std::size_t kBatchRows = 1000;

class ImportRepo {
 public:
  explicit ImportRepo(db::Db& db) : db_(db) {}
  Task<CsvNames> csv_names();
  Task<CsvNames> csv_names(db::Tx& tx);
  // The assets with these codes, locked in id order (a fixed order: concurrent imports cannot deadlock).
  Task<std::vector<Asset>> lock_by_codes(db::Tx& tx, const std::vector<std::string>& codes);
  // Which of these assets have an open assignment.
  Task<std::unordered_set<std::string>> assigned(db::Tx& tx, const std::vector<std::string>& asset_ids);
  // Inserts rows that all carry the columns `cols` (asset_code first), each with its IMPORTED event
  // (RowPlan::event) in the same statement. Returns the codes inserted; a code that exists by now is
  // skipped (ON CONFLICT DO NOTHING), gets no event and is absent from the result.
  Task<std::unordered_set<std::string>> insert(db::Tx& tx, const std::vector<const Column*>& cols,
                                               const std::vector<const RowPlan*>& rows, const Caller& who);
  // Updates rows by id with the columns `cols` (a NULL status keeps the current one).
  Task<void> update(db::Tx& tx, const std::vector<const Column*>& cols,
                    const std::vector<std::pair<std::string, const Values*>>& rows);
  // One IMPORTED event per (asset id, JSON payload text): the updated rows' events.
  Task<void> imported_events(db::Tx& tx, const std::vector<std::string>& asset_ids,
                             const std::vector<std::string>& payloads, const Caller& who);
  // Up to `limit` assets after `after` in id order (keyset), for the export.
  Task<std::vector<Asset>> export_batch(const Filter& f, const std::optional<std::string>& after, long long limit);

 private:
  db::Db& db_;
};

}  // namespace netops::assets
