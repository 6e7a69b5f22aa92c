#pragma once
// Maintenance tickets: the structs, their API representation and row mapping.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "db/query.hpp"

namespace netops::maintenance {

struct Ticket {
  std::string id, asset_id, asset_code, title, severity, status;
  std::optional<std::string> diagnosis, resolution, created_by, correlation_id;
  nlohmann::json opened_at, closed_at, updated_at;
};
nlohmann::json to_json(const Ticket& t);  // the representation its ETag covers
Ticket ticket_from_row(const db::Row& r);

struct NewTicket {
  std::string asset_id;  // canonical (lower-case)
  std::string title, severity;
};
// PATCH: absent fields stay; diagnosis/resolution null or "" clear.
struct TicketPatch {
  std::optional<std::string> title, severity;
  std::optional<std::optional<std::string>> diagnosis, resolution;
  bool empty() const { return !title && !severity && !diagnosis && !resolution; }
};
struct TicketStatusChange {
  std::string to;
  std::optional<std::string> diagnosis, resolution;  // written with the change when given
};

struct TicketFilter {
  std::optional<std::string> asset_id, severity, opened_since, opened_before;
  std::vector<std::string> statuses;
};

}  // namespace netops::maintenance
