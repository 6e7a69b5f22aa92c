// HTTP shape of the operations trail.
#include "http/listing.hpp"
#include "modules/ops_events/module.hpp"

namespace netops::ops_events {

using http::Request;
using http::Response;

namespace {
const http::ListSpec kList{
    .filters = {{"entityType", "string", "e.g. cmdb_ci, stock_document, repair_order"},
                {"entityId", "string", "UUID of the object"},
                {"eventType", "string", "e.g. created, updated, posted"},
                {"actorUserId", "string", "who made the change"},
                {"correlationId", "string", "the request that caused it"},
                {"from", "string", "ISO 8601 date/time, inclusive"},
                {"to", "string", "ISO 8601 date/time, exclusive"}},
    .sorts = {},  // newest first
    .default_sort = "",
    .default_descending = true,
    .default_page_size = 50,
};
const http::ListSpec kHistory{.filters = {}, .sorts = {}, .default_sort = "", .default_descending = true,
                              .default_page_size = 50};
}  // namespace

Module<OpsEventService> register_module(AppContext& ctx) {
  auto svc = std::make_shared<OpsEventService>(ctx.db);
  ctx.router
      .get("/api/v1/ops-events", Role::user,
           [svc](Request& req) -> Task<Response> {
             Filter f{req.query("entityType"), req.query_uuid("entityId"), req.query("eventType"),
                      req.query("actorUserId"), req.query("correlationId"), req.query("from"), req.query("to")};
             auto window = http::paging(req);
             auto page = co_await svc->list(f, window);
             co_return http::page(page, [](const OpsEvent& e) { return to_json(e); });
           })
      .summary("The operations trail, newest first (filters: entityType, entityId, eventType, actor, from, to)")
      .tag("operations")
      .list(kList);
  return {svc, {}};
}

void history_route(AppContext& ctx, std::shared_ptr<OpsEventService> svc, const std::string& base,
                   const std::string& entity_type, const std::string& tag,
                   std::function<Task<void>(const std::string& id)> exists) {
  ctx.router
      .get(base + "/{id}/history", Role::user,
           [svc, entity_type, exists](Request& req) -> Task<Response> {
             auto id = req.path_uuid("id");
             if (exists) co_await exists(id);
             auto window = http::paging(req);
             auto page = co_await svc->history(entity_type, id, window);
             co_return http::page(page, [](const OpsEvent& e) { return to_json(e); });
           })
      .summary("The history of one " + entity_type + " (ops events, newest first)")
      .tag(tag)
      .list(kHistory);
}

}  // namespace netops::ops_events
