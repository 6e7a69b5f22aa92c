#pragma once
// SQL of repair orders, their part lines and reservations. Nothing else.
#include <optional>
#include <string>
#include <vector>

#include "db/db.hpp"
#include "db/page.hpp"
#include "modules/repair/types.hpp"

namespace netops::repair {

struct NewPart {
  std::string order_id, action;
  std::optional<std::string> part_id, part_name, warehouse_id, unit_cost, serial_no, note, stock_document_id;
  int qty = 0;
};

class RepairRepo {
 public:
  explicit RepairRepo(db::Db& db) : db_(db) {}
  Task<db::Page<RepairOrder>> list(const OrderFilter& f, const db::PageRequest& p, const db::Sort& s);
  Task<std::optional<RepairOrder>> find(const std::string& id);
  Task<std::optional<RepairOrder>> lock(db::Tx& tx, const std::string& id);
  // The CI the CMDB links to the asset, if any (read-only lookup).
  Task<std::optional<std::string>> ci_of_asset(db::Tx& tx, const std::string& asset_id);
  Task<RepairOrder> insert(db::Tx& tx, const Columns& cols);  // code RO-YYYY-NNNNNN from repair_order_seq
  Task<RepairOrder> update(db::Tx& tx, const std::string& id, const Columns& cols);
  // Closing or canceling also stamps closed_at and downtime_minutes (opened_at → now).
  Task<RepairOrder> set_status(db::Tx& tx, const std::string& id, const StatusChange& c);
  Task<RepairOrder> recompute_costs(db::Tx& tx, const std::string& id);

  Task<nlohmann::json> parts_json(const std::string& order_id);
  Task<nlohmann::json> parts_json(db::Tx& tx, const std::string& order_id);
  Task<nlohmann::json> insert_part(db::Tx& tx, const NewPart& p);
  Task<std::optional<nlohmann::json>> find_part(db::Tx& tx, const std::string& order_id, const std::string& line_id);
  Task<nlohmann::json> mark_returned(db::Tx& tx, const std::string& line_id,
                                     const std::optional<std::string>& return_document_id);

  Task<std::vector<Reservation>> open_reservations(db::Tx& tx, const std::string& order_id);
  Task<nlohmann::json> insert_reservation(db::Tx& tx, const std::string& order_id, const ReservationInput& r,
                                          const std::string& status, const std::string& by);
  Task<void> set_reservation(db::Tx& tx, const std::string& id, const std::string& status, int qty);
  Task<nlohmann::json> reservations_json(const std::string& order_id);
  Task<nlohmann::json> reservations_json(db::Tx& tx, const std::string& order_id);

 private:
  db::Db& db_;
};

}  // namespace netops::repair
