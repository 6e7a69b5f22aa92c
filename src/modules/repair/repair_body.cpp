#include "modules/repair/repair_body.hpp"

#include "core/error.hpp"
#include "http/body.hpp"
#include "modules/warehouse/warehouse_body.hpp"

namespace netops::repair {

using http::BodyReader;
using nlohmann::json;

namespace {
void opt_text_col(BodyReader& b, const char* f, const char* col, std::size_t max, Columns& cols) {
  if (!b.has(f)) return;
  std::optional<std::string> v;
  b.opt_text(f, v, max);
  cols.emplace_back(col, v);
}
std::optional<std::string> required_uuid(BodyReader& b, const char* f, bool required) {
  std::optional<std::optional<std::string>> v;
  b.uuid(f, v);
  if (v && *v) return **v;
  if (v || required) b.validation().add(f, "is required (a UUID)");
  return std::nullopt;
}
}  // namespace

OrderInput parse_order(const json& body, bool creating) {
  Validation v;
  BodyReader b(body, v, creating);
  OrderInput in;
  if (creating) {
    in.asset_id = required_uuid(b, "assetId", true);
  } else if (b.has("assetId")) {
    v.add("assetId", "cannot be changed; open a new repair order for another asset");
  }
  std::string title;
  b.text("title", title, 255);
  if (!title.empty()) in.columns.emplace_back("title", title);
  opt_text_col(b, "description", "description", 10000, in.columns);
  std::string severity;
  b.one_of("severity", severity, {"low", "medium", "high", "critical"}, creating);
  if (!severity.empty()) in.columns.emplace_back("severity", severity);
  std::string type;
  b.one_of("repairType", type, {"internal", "vendor"}, false);
  if (type.empty() && creating) type = "internal";
  if (!type.empty()) {
    in.repair_type = type;
    in.columns.emplace_back("repair_type", type);
  }
  std::optional<std::optional<std::string>> vendor;
  b.uuid("vendorId", vendor);
  if (vendor) {
    in.vendor_id = vendor;
    in.columns.emplace_back("vendor_id", *vendor);
  }
  if (creating && type == "vendor" && !(vendor && *vendor)) v.add("vendorId", "is required for a vendor repair");
  opt_text_col(b, "technicianName", "technician_name", 255, in.columns);
  opt_text_col(b, "diagnosis", "diagnosis", 10000, in.columns);
  opt_text_col(b, "resolution", "resolution", 10000, in.columns);
  if (auto* c = b.get("laborCost")) {
    auto amount = warehouse::parse_amount(*c, 2);
    if (!amount) v.add("laborCost", "must be an amount ≥ 0 with at most 2 decimals");
    else in.columns.emplace_back("labor_cost", *amount);
  }
  b.only({"assetId", "title", "description", "severity", "repairType", "vendorId", "technicianName", "diagnosis",
          "resolution", "laborCost"},
         {"id", "code", "status", "ciId", "openedAt", "closedAt", "partsCost", "totalCost", "downtimeMinutes",
          "createdBy", "createdAt", "updatedAt", "parts", "reservations", "allowedTransitions", "correlationId"});
  v.throw_if_any();
  return in;
}

StatusChange parse_status(const json& body) {
  Validation v;
  BodyReader b(body, v, true);
  StatusChange c;
  b.one_of("status", c.status, {"open", "diagnosing", "waiting_parts", "repaired", "closed", "canceled"}, true);
  b.opt_text("note", c.note, 2000);
  b.opt_text("diagnosis", c.diagnosis, 10000);
  b.opt_text("resolution", c.resolution, 10000);
  b.only({"status", "note", "diagnosis", "resolution"});
  v.throw_if_any();
  return c;
}

PartInput parse_part_line(const json& body) {
  Validation v;
  BodyReader b(body, v, true);
  PartInput in;
  std::optional<std::optional<std::string>> part;
  b.uuid("partId", part);
  if (part && *part) in.part_id = **part;
  if (in.part_id) {
    in.warehouse_id = required_uuid(b, "warehouseId", true);
    if (b.has("unitCost")) v.add("unitCost", "a stocked part is issued at the warehouse's moving average cost");
  } else {
    std::string name;
    b.text("partName", name, 255);
    if (!name.empty()) in.part_name = name;
    if (b.has("warehouseId")) v.add("warehouseId", "only a stocked part (partId) comes from a warehouse");
    if (auto* c = b.get("unitCost")) {
      auto amount = warehouse::parse_amount(*c, 2);
      if (!amount) v.add("unitCost", "must be an amount ≥ 0 with at most 2 decimals");
      else in.unit_cost = *amount;
    }
  }
  if (in.part_id && b.has("partName")) b.opt_text("partName", in.part_name, 255);
  b.integer("qty", in.qty, 1, 1000000, true);
  b.one_of("action", in.action, {"replace", "add", "remove", "upgrade"}, false);
  b.opt_text("serialNo", in.serial_no, 255);
  b.opt_text("note", in.note, 2000);
  b.only({"partId", "warehouseId", "partName", "qty", "action", "unitCost", "serialNo", "note"});
  v.throw_if_any();
  return in;
}

ReservationInput parse_reservation(const json& body) {
  Validation v;
  BodyReader b(body, v, true);
  ReservationInput in;
  auto part = required_uuid(b, "partId", true);
  auto wh = required_uuid(b, "warehouseId", true);
  b.integer("qty", in.qty, 1, 1000000, true);
  b.only({"partId", "warehouseId", "qty"});
  v.throw_if_any();
  in.part_id = *part;
  in.warehouse_id = *wh;
  return in;
}

}  // namespace netops::repair
