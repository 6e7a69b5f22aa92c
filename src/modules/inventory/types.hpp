#pragma once
// Inventory sessions and their items (SPEC §3 "Inventory", §4.5); to_json is the API representation.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "db/query.hpp"

namespace netops::inventory {

struct Session {
  std::string id, name;
  std::optional<std::string> location_id;
  std::string status;
  nlohmann::json started_at, closed_at;  // ISO timestamps or null
  std::optional<std::string> created_by, correlation_id;
  std::string created_at;
};
nlohmann::json to_json(const Session& s);
inline constexpr const char* kSessionColumns =
    "id, name, location_id, status, started_at, closed_at, created_by, correlation_id, created_at";
Session session_from_row(const db::Row& r);

struct NewSession {
  std::string name, location_id;
};
struct SessionPatch {
  std::optional<std::string> name;
};
struct SessionFilter {
  std::optional<std::string> status, location_id;
};

// What a scan identifies: exactly one of the three, and where it was seen.
struct Scan {
  std::optional<std::string> asset_code, serial_no, asset_id;
  std::string scanned_location_id;
  std::optional<std::string> note;
  std::string code() const { return asset_code ? *asset_code : serial_no ? *serial_no : asset_id.value_or(""); }
};

struct Counts {
  long long found = 0, moved = 0, missing = 0, unknown = 0;
  long long total() const { return found + moved + missing + unknown; }
};
nlohmann::json to_json(const Counts& c);

// One report/scan row: the item with its asset's code/serial and the locations' names.
inline constexpr const char* kItemSelect =
    "SELECT i.id, i.session_id, i.asset_id, i.expected_location_id, i.scanned_location_id, i.scanned_at, i.status, "
    "i.note, i.scanned_code, i.expected, a.asset_code, a.serial_no, a.hostname, el.name AS expected_location_name, "
    "sl.name AS scanned_location_name "
    "FROM inventory_items i LEFT JOIN assets a ON a.id = i.asset_id "
    "LEFT JOIN locations el ON el.id = i.expected_location_id LEFT JOIN locations sl ON sl.id = i.scanned_location_id";
nlohmann::json item_json(const db::Row& r);

}  // namespace netops::inventory
