// HTTP shape of maintenance tickets.
#include "core/ids.hpp"
#include "http/crud.hpp"
#include "modules/maintenance/ticket_body.hpp"
#include "modules/maintenance/ticket_module.hpp"
#include "modules/maintenance/ticket_rules.hpp"

namespace netops::maintenance {

using http::Request;
using http::Response;
using nlohmann::json;

namespace {
const std::string kBase = "/api/v1/maintenance/tickets";
json str() { return {{"type", "string"}}; }
json nullable_str() { return {{"type", "string"}, {"nullable", true}}; }
const json kSeverity = {{"type", "string"}, {"enum", {"low", "medium", "high", "critical"}}};
const json kStatus = {{"type", "string"}, {"enum", {"open", "in_progress", "closed", "canceled"}}};
const json kTicket = {{"type", "object"},
                      {"properties",
                       {{"id", str()},
                        {"assetId", str()},
                        {"assetCode", str()},
                        {"title", str()},
                        {"severity", kSeverity},
                        {"status", kStatus},
                        {"diagnosis", nullable_str()},
                        {"resolution", nullable_str()},
                        {"openedAt", str()},
                        {"closedAt", nullable_str()},
                        {"updatedAt", str()},
                        {"createdBy", nullable_str()},
                        {"correlationId", nullable_str()}}}};
const json kNew = {{"type", "object"},
                   {"required", {"assetId", "title", "severity"}},
                   {"properties", {{"assetId", str()}, {"title", str()}, {"severity", kSeverity}}}};
const json kPatch = {{"type", "object"},
                     {"properties",
                      {{"title", str()}, {"severity", kSeverity}, {"diagnosis", nullable_str()},
                       {"resolution", nullable_str()}}}};
const json kStatusBody = {
    {"type", "object"},
    {"required", {"status"}},
    {"properties", {{"status", kStatus}, {"diagnosis", str()}, {"resolution", str()}}}};

const http::ListSpec kList{
    .filters = {{"assetId", "string", "asset UUID"},
                {"status", "string", "comma-separated: open, in_progress, closed, canceled"},
                {"severity", "string", "low | medium | high | critical"},
                {"openedSince", "string", "YYYY-MM-DD or date-time: opened at or after"},
                {"openedBefore", "string", "YYYY-MM-DD or date-time: opened before"}},
    .sorts = {{"openedAt", "t.opened_at"}, {"closedAt", "t.closed_at"}, {"severity", "t.severity"},
              {"status", "t.status"}},
    .default_sort = "openedAt",
    .default_descending = true,
    .default_page_size = 50,
};

TicketFilter filter_of(const Request& req) {
  TicketFilter f;
  Validation v;
  f.asset_id = req.query_uuid("assetId");
  if (auto s = req.query("status"); s && !s->empty()) {
    std::string_view rest = *s;
    while (!rest.empty()) {
      auto comma = rest.find(',');
      std::string one(rest.substr(0, comma));
      rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
      if (one.empty()) continue;
      if (!valid_ticket_status(one)) v.add("status", "must be open, in_progress, closed or canceled");
      else if (f.statuses.size() < 4) f.statuses.push_back(one);
    }
  }
  if (auto s = req.query("severity"); s && !s->empty()) {
    if (!valid_severity(*s)) v.add("severity", "must be one of low, medium, high, critical");
    else f.severity = *s;
  }
  for (auto [name, into] : {std::pair{"openedSince", &f.opened_since}, std::pair{"openedBefore", &f.opened_before}}) {
    auto s = req.query(name);
    if (!s || s->empty()) continue;
    if (auto t = parse_time_bound(*s)) *into = *t;
    else v.add(name, "must be a date (YYYY-MM-DD) or an RFC 3339 date-time");
  }
  v.throw_if_any();
  return f;
}
}  // namespace

Module<TicketService> register_module(AppContext& ctx, std::shared_ptr<audit::AuditService> audit,
                                      std::shared_ptr<assets::AssetService> assets) {
  auto svc = std::make_shared<TicketService>(ctx, std::move(audit), std::move(assets));
  register_ticket_routes(ctx, svc);
  return {svc, {}};
}

void register_ticket_routes(AppContext& ctx, std::shared_ptr<TicketService> svc) {
  http::crud(ctx.router, svc,
             http::CrudSpec<NewTicket, TicketFilter, TicketPatch>{
                 .base = kBase,
                 .noun = "maintenance ticket",
                 .tag = "maintenance",
                 .item_schema = kTicket,
                 .input_schema = kNew,
                 .list = kList,
                 .filter = filter_of,
                 .parse = [](const json& body, bool) { return parse_new_ticket(body); },
                 .read_role = Role::user,
                 .write_role = Role::admin,
                 .create_role = Role::user,
                 .delete_summary = "only a canceled ticket (409 otherwise: closed tickets are maintenance history); "
                                   "If-Match honoured",
                 .summaries = {.list = "List maintenance tickets (filters assetId, status, severity, "
                                       "openedSince/openedBefore; sort openedAt|closedAt|severity|status)",
                               .get = "One maintenance ticket, with an ETag for If-Match",
                               .create = "Open a ticket for an asset: the asset goes in_repair (event MAINT_OPEN) in "
                                         "the same transaction; 409 when its status forbids it (disposed, retired, "
                                         "lost), 422 when assetId names no asset",
                               .update = "Edit title, severity, diagnosis, resolution of an open or in_progress "
                                         "ticket (If-Match → 412 when stale; 409 once closed or canceled); status "
                                         "changes go through /status"},
                 .update_schema = kPatch,
                 .parse_update = [](const json& body, const std::string&) { return parse_ticket_patch(body); }});

  http::action(
      ctx.router, kBase + "/{id}/status", Role::admin,
      [](const Request& req) { return std::pair{parse_ticket_status(req.json()), req.if_match()}; },
      [svc](const std::string& id, const auto& in, const Caller& by) {
        return svc->change_status(id, in.first, in.second, by);
      })
      .summary("Move a ticket: open → in_progress | canceled, in_progress → closed | canceled (409 with the "
               "allowed states otherwise). Closing or canceling the last open ticket of the asset restores "
               "in_use (open assignment) or in_stock (event MAINT_CLOSE)")
      .tag("maintenance")
      .request(kStatusBody)
      .response(kTicket);
}

}  // namespace netops::maintenance
