#include "modules/maintenance/ticket_types.hpp"

namespace netops::maintenance {

nlohmann::json to_json(const Ticket& t) {
  auto opt = [](const std::optional<std::string>& v) { return v ? nlohmann::json(*v) : nlohmann::json(); };
  return {{"id", t.id},
          {"assetId", t.asset_id},
          {"assetCode", t.asset_code},
          {"title", t.title},
          {"severity", t.severity},
          {"status", t.status},
          {"diagnosis", opt(t.diagnosis)},
          {"resolution", opt(t.resolution)},
          {"openedAt", t.opened_at},
          {"closedAt", t.closed_at},
          {"updatedAt", t.updated_at},
          {"createdBy", opt(t.created_by)},
          {"correlationId", opt(t.correlation_id)}};
}

Ticket ticket_from_row(const db::Row& r) {
  Ticket t;
  t.id = r.get<std::string>("id");
  t.asset_id = r.get<std::string>("asset_id");
  t.asset_code = r.opt<std::string>("asset_code").value_or("");
  t.title = r.get<std::string>("title");
  t.severity = r.get<std::string>("severity");
  t.status = r.get<std::string>("status");
  t.diagnosis = r.opt<std::string>("diagnosis");
  t.resolution = r.opt<std::string>("resolution");
  t.created_by = r.opt<std::string>("created_by");
  t.correlation_id = r.opt<std::string>("correlation_id");
  t.opened_at = r.timestamp("opened_at");
  t.closed_at = r.timestamp("closed_at");
  t.updated_at = r.timestamp("updated_at");
  return t;
}

}  // namespace netops::maintenance
