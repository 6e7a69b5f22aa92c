#pragma once
// Request bodies and query parameters of maintenance tickets → typed inputs (400 naming every bad field).
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "modules/maintenance/ticket_types.hpp"

namespace netops::maintenance {

inline constexpr std::size_t kTitleMax = 255;
inline constexpr std::size_t kTextMax = 20000;  // diagnosis, resolution

NewTicket parse_new_ticket(const nlohmann::json& body);           // assetId, title, severity: all required
TicketPatch parse_ticket_patch(const nlohmann::json& body);       // title, severity, diagnosis, resolution
TicketStatusChange parse_ticket_status(const nlohmann::json& body);  // status + optional diagnosis/resolution
// A list bound: YYYY-MM-DD or an RFC 3339 date-time; nullopt when it is neither.
std::optional<std::string> parse_time_bound(std::string_view s);

}  // namespace netops::maintenance
