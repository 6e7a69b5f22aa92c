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

// What warehouse_apply_effects answered: the unit cost of each effect, in order (nullopt: a reservation move),
// or the effects that are short (then nothing was written), or missing = a warehouse or part is gone.
struct Applied {
  std::vector<std::optional<std::string>> costs;
  std::vector<Shortfall> shorts;
  bool missing = false;
};

// The effects as warehouse_apply_effects reads them (JSON array, see migration 0014).
nlohmann::json effects_json(const std::vector<Effect>& effects);

class StockRepo {
 public:
  explicit StockRepo(db::Db& db) : db_(db) {}

  // Every effect of a posting in one round trip (warehouse_apply_effects, migration 0014): creates the missing
  // rows, locks them FOR UPDATE in (warehouse, part) order — concurrent postings therefore never deadlock —,
  // refuses the whole set when anything is short (nothing written), else one UPDATE of the rows, one INSERT
  // of the movements and one INSERT of `events` (ops events; "withMovements": true adds the movements).
  Task<Applied> apply_all(db::Tx& tx, const std::vector<Effect>& effects, const std::optional<std::string>& actor,
                          const std::string& correlation_id, const nlohmann::json& events);
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
