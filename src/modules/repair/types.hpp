#pragma once
// The repair module's types: orders, their part lines and reservations, and the transition table.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace netops::repair {

struct RepairOrder {
  std::string id, code, asset_id, status;
  nlohmann::json json;  // the API representation
};
nlohmann::json to_json(const RepairOrder& o);

// Column name → text value of an insert or partial update (names from the parser, values as parameters).
using Columns = std::vector<std::pair<std::string, std::optional<std::string>>>;

struct OrderInput {
  Columns columns;
  std::optional<std::string> asset_id, repair_type;
  std::optional<std::optional<std::string>> vendor_id;
};

struct OrderFilter {
  std::optional<std::string> status, asset_id, severity, repair_type, vendor_id, search;
};

struct StatusChange {
  std::string status;
  std::optional<std::string> note, diagnosis, resolution;
};

struct PartInput {
  std::optional<std::string> part_id, warehouse_id, part_name, unit_cost, serial_no, note;
  std::string action = "replace";
  int qty = 0;
};

struct ReservationInput {
  std::string part_id, warehouse_id;
  int qty = 0;
};

struct Reservation {
  std::string id, part_id, warehouse_id, status;
  int qty = 0;
};

// open → diagnosing → waiting_parts → repaired → closed; diagnosing → repaired (nothing to wait for);
// any open state → canceled. Anything else is 409 with the allowed next states.
const std::vector<std::string>& allowed_next(const std::string& status);
bool is_open(const std::string& status);

}  // namespace netops::repair
