#pragma once
// SQL of stock rows and the ledger: the row locks and effects of a posting, the stock view, the reports,
// the ledger and its verification. Nothing else.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "db/db.hpp"
#include "db/page.hpp"
#include "modules/warehouse/stock_math.hpp"
#include "modules/warehouse/types.hpp"

namespace netops::warehouse {

class StockRepo {
 public:
  explicit StockRepo(db::Db& db) : db_(db) {}

  // Creates the missing rows (INSERT … ON CONFLICT DO NOTHING, in key order: waits for a concurrent
  // inserter of the same row instead of missing it), then locks every row FOR UPDATE in (warehouse, part)
  // order. Concurrent postings therefore never deadlock.
  Task<std::map<StockKey, StockState>> lock_rows(db::Tx& tx, const std::vector<StockKey>& keys);
  // One effect: the stock row and one movement, in one statement; returns the movement's unit cost.
  Task<std::optional<std::string>> apply(db::Tx& tx, const Effect& e, const std::optional<std::string>& actor,
                                         const std::string& correlation_id);
  // The quantity movements of a posted document, in posting order (what a reversal undoes).
  Task<std::vector<Effect>> document_movements(db::Tx& tx, const std::string& document_id);
  // Reservation without a prior read: one conditional UPDATE and its movement; false when not available.
  Task<bool> reserve(db::Tx& tx, const Effect& e, const std::optional<std::string>& actor, const std::string& corr);
  Task<bool> release(db::Tx& tx, const Effect& e, const std::optional<std::string>& actor, const std::string& corr);
  // Codes and availability for a NOT_ENOUGH_STOCK message.
  Task<nlohmann::json> describe(db::Tx& tx, const std::string& warehouse_id, const std::string& part_id);
  Task<bool> warehouse_exists(db::Tx& tx, const std::string& id);

  Task<db::Page<nlohmann::json>> stock(const StockFilter& f, const db::PageRequest& p, const db::Sort& s);
  Task<db::Page<nlohmann::json>> reorder(const std::optional<std::string>& warehouse_id, const db::PageRequest& p);
  Task<nlohmann::json> valuation(const std::optional<std::string>& warehouse_id);
  Task<std::vector<nlohmann::json>> movements(const MovementFilter& f);
  Task<nlohmann::json> verify();

 private:
  db::Db& db_;
};

}  // namespace netops::warehouse
