#include "modules/maintenance/ticket_body.hpp"

#include <re2/re2.h>

#include "core/dates.hpp"
#include "core/error.hpp"
#include "http/body.hpp"

namespace netops::maintenance {

namespace {
void read_text_field(http::BodyReader& b, const char* f, std::optional<std::optional<std::string>>& out) {
  if (!b.has(f)) return;
  std::optional<std::string> v;
  b.opt_text(f, v, kTextMax);
  out = v;
}
}  // namespace

NewTicket parse_new_ticket(const nlohmann::json& body) {
  Validation v;
  http::BodyReader b(body, v, /*creating=*/true);
  NewTicket in;
  std::optional<std::optional<std::string>> asset;
  b.uuid("assetId", asset);
  if (!b.has("assetId") || (asset && !*asset)) v.add("assetId", "is required");
  else if (asset && *asset) in.asset_id = **asset;
  b.text("title", in.title, kTitleMax);
  b.one_of("severity", in.severity, {"low", "medium", "high", "critical"}, true);
  b.only({"assetId", "title", "severity"});
  v.throw_if_any();
  return in;
}

TicketPatch parse_ticket_patch(const nlohmann::json& body) {
  Validation v;
  http::BodyReader b(body, v, /*creating=*/false);
  TicketPatch p;
  if (b.has("title")) {
    std::string title;
    b.text("title", title, kTitleMax);
    if (!title.empty()) p.title = title;
  }
  b.opt_one_of("severity", p.severity, {"low", "medium", "high", "critical"});
  if (b.has("severity") && b.get("severity")->is_null()) v.add("severity", "must be one of low, medium, high, critical");
  read_text_field(b, "diagnosis", p.diagnosis);
  read_text_field(b, "resolution", p.resolution);
  b.only({"title", "severity", "diagnosis", "resolution"},
         {"id", "assetId", "assetCode", "status", "openedAt", "closedAt", "updatedAt", "createdBy", "correlationId"});
  v.throw_if_any();
  return p;
}

TicketStatusChange parse_ticket_status(const nlohmann::json& body) {
  Validation v;
  http::BodyReader b(body, v, /*creating=*/true);
  TicketStatusChange c;
  b.one_of("status", c.to, {"open", "in_progress", "closed", "canceled"}, true);
  b.opt_text("diagnosis", c.diagnosis, kTextMax);
  b.opt_text("resolution", c.resolution, kTextMax);
  b.only({"status", "diagnosis", "resolution"});
  v.throw_if_any();
  return c;
}

std::optional<std::string> parse_time_bound(std::string_view s) {
  if (parse_iso_date(s)) return std::string(s);
  static const re2::RE2 kDateTime(
      R"(^(\d{4}-\d{2}-\d{2})[Tt ]([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?([Zz]|[+-]([01]\d|2[0-3]):?[0-5]\d)?$)");
  std::string date;
  if (s.size() > 64 || !re2::RE2::FullMatch(s, kDateTime, &date)) return std::nullopt;
  if (!parse_iso_date(date)) return std::nullopt;
  return std::string(s);
}

}  // namespace netops::maintenance
