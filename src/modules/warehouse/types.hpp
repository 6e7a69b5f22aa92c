#pragma once
// The warehouse module's types. Rows are mapped to their API representation (camelCase JSON) once, in the
// repositories; these structs carry that representation plus the fields the rules read.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace netops::warehouse {

// Column name → text value (nullopt: SQL NULL) of an insert or a partial update; built by the body parsers.
using Columns = std::vector<std::pair<std::string, std::optional<std::string>>>;

// A warehouse or a spare part (plain resources of http::crud).
struct Item {
  nlohmann::json json;
  std::string id() const { return json.at("id").get<std::string>(); }
};
inline nlohmann::json to_json(const Item& i) { return i.json; }

struct ItemInput {
  Columns columns;
};

struct CatalogFilter {
  std::optional<std::string> search, location_id, category, uom, manufacturer;
};

// ---- stock documents
struct DocLine {
  std::string id, part_id;
  int qty = 0;
  std::optional<std::string> unit_cost, serial_no, note, adjust_direction;
};

struct Document {
  std::string id, doc_type, code, status;
  std::optional<std::string> warehouse_id, target_warehouse_id, reversal_of_id, reversed_by_id, ref_type, ref_id;
  nlohmann::json json;  // the API representation (without lines)
};
inline nlohmann::json to_json(const Document& d) { return d.json; }

struct LineInput {
  std::optional<std::string> part_id;
  std::optional<int> qty;
  std::optional<std::optional<std::string>> unit_cost, serial_no, note, adjust_direction;
};

struct DocumentInput {
  std::optional<std::string> doc_type, code, doc_date;
  std::optional<std::optional<std::string>> warehouse_id, target_warehouse_id, note, ref_type, ref_id;
  std::optional<std::vector<LineInput>> lines;  // present: replaces every line
};

struct DocumentFilter {
  std::optional<std::string> doc_type, status, warehouse_id, part_id, ref_type, ref_id, from, to, search;
};

// ---- stock and the ledger
struct StockFilter {
  std::optional<std::string> warehouse_id, part_id, search;
  bool below_min = false;
};

struct MovementFilter {
  std::optional<std::string> warehouse_id, part_id, movement_type, ref_type, ref_id, from, to, after;
  long long limit = 100;
};

// One effect of a posting on one stock row (one spare_part_movements row).
struct Effect {
  std::string warehouse_id, part_id, movement_type;
  int qty = 0;
  int sign = 0;  // +1 in, -1 out, 0 reservation moves (reserve / release)
  // in: weighted into the average at `cost` (nullopt: the current average). out: at the current average,
  // unless `cost` is set (a reversal removes exactly the value its original added).
  std::optional<std::string> cost;
  bool cost_from_previous = false;  // transfer in: at the cost the transfer out just moved at
  int reserved_delta = 0;  // reserve +qty, release −qty
  std::string ref_type = "stock_document";
  std::optional<std::string> ref_id;
};

struct StockState {
  long long on_hand = 0, reserved = 0;
  std::string avg_cost;
};

}  // namespace netops::warehouse
