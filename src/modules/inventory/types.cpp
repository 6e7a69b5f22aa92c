#include "modules/inventory/types.hpp"

namespace netops::inventory {

namespace {
nlohmann::json opt(const std::optional<std::string>& s) { return s ? nlohmann::json(*s) : nlohmann::json(); }
}  // namespace

nlohmann::json to_json(const Session& s) {
  return {{"id", s.id},
          {"name", s.name},
          {"locationId", opt(s.location_id)},
          {"status", s.status},
          {"startedAt", s.started_at},
          {"closedAt", s.closed_at},
          {"createdBy", opt(s.created_by)},
          {"correlationId", opt(s.correlation_id)},
          {"createdAt", s.created_at}};
}

Session session_from_row(const db::Row& r) {
  Session s;
  s.id = r.get<std::string>("id");
  s.name = r.get<std::string>("name");
  s.location_id = r.opt<std::string>("location_id");
  s.status = r.get<std::string>("status");
  s.started_at = r.timestamp("started_at");
  s.closed_at = r.timestamp("closed_at");
  s.created_by = r.opt<std::string>("created_by");
  s.correlation_id = r.opt<std::string>("correlation_id");
  auto c = r.timestamp("created_at");
  s.created_at = c.is_string() ? c.get<std::string>() : std::string();
  return s;
}

nlohmann::json to_json(const Counts& c) {
  return {{"found", c.found}, {"moved", c.moved}, {"missing", c.missing}, {"unknown", c.unknown}, {"total", c.total()}};
}

nlohmann::json item_json(const db::Row& r) {
  auto s = [&](const char* col) { return r.opt<std::string>(col) ? nlohmann::json(*r.opt<std::string>(col)) : nlohmann::json(); };
  return {{"id", r.get<std::string>("id")},
          {"sessionId", r.get<std::string>("session_id")},
          {"assetId", s("asset_id")},
          {"assetCode", s("asset_code")},
          {"serialNo", s("serial_no")},
          {"hostname", s("hostname")},
          {"status", r.get<std::string>("status")},
          {"expected", r.get<bool>("expected")},
          {"expectedLocationId", s("expected_location_id")},
          {"expectedLocationName", s("expected_location_name")},
          {"scannedLocationId", s("scanned_location_id")},
          {"scannedLocationName", s("scanned_location_name")},
          {"scannedCode", s("scanned_code")},
          {"scannedAt", r.timestamp("scanned_at")},
          {"note", s("note")}};
}

}  // namespace netops::inventory
