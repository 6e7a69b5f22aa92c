// HTTP shape of repair orders.
#include "http/children.hpp"
#include "http/crud.hpp"
#include "modules/ops_events/module.hpp"
#include "modules/repair/module.hpp"
#include "modules/repair/repair_body.hpp"

namespace netops::repair {

using http::Request;
using http::Response;
using nlohmann::json;

namespace {
const json kStr = {{"type", "string"}};
const json kNum = {{"type", "number"}};
const json kStatusEnum = {{"type", "string"},
                          {"enum", {"open", "diagnosing", "waiting_parts", "repaired", "closed", "canceled"}}};
const json kOrder = {{"type", "object"},
                     {"properties",
                      {{"id", kStr}, {"code", kStr}, {"assetId", kStr}, {"ciId", kStr}, {"title", kStr},
                       {"severity", kStr}, {"status", kStatusEnum}, {"repairType", kStr}, {"vendorId", kStr},
                       {"laborCost", kNum}, {"partsCost", kNum}, {"totalCost", kNum},
                       {"downtimeMinutes", {{"type", "integer"}}}, {"parts", {{"type", "array"}}},
                       {"reservations", {{"type", "array"}}}, {"allowedTransitions", {{"type", "array"}}}}}};
const json kOrderInput = {
    {"type", "object"},
    {"required", {"assetId", "title", "severity"}},
    {"properties",
     {{"assetId", kStr}, {"title", kStr}, {"description", kStr},
      {"severity", {{"type", "string"}, {"enum", {"low", "medium", "high", "critical"}}}},
      {"repairType", {{"type", "string"}, {"enum", {"internal", "vendor"}}}}, {"vendorId", kStr},
      {"technicianName", kStr}, {"diagnosis", kStr}, {"resolution", kStr}, {"laborCost", kNum}}}};
const json kPartInput = {{"type", "object"},
                         {"required", {"qty"}},
                         {"properties",
                          {{"partId", kStr}, {"warehouseId", kStr}, {"partName", kStr},
                           {"qty", {{"type", "integer"}, {"minimum", 1}}},
                           {"action", {{"type", "string"}, {"enum", {"replace", "add", "remove", "upgrade"}}}},
                           {"unitCost", kNum}, {"serialNo", kStr}, {"note", kStr}}}};
const json kReservationInput = {{"type", "object"},
                                {"required", {"partId", "warehouseId", "qty"}},
                                {"properties",
                                 {{"partId", kStr}, {"warehouseId", kStr}, {"qty", {{"type", "integer"}}}}}};
const http::ListSpec kList{
    .filters = {{"status", "string", "a status, or active (every open state)"},
                {"assetId", "string", "UUID"},
                {"severity", "string", "low | medium | high | critical"},
                {"repairType", "string", "internal | vendor"},
                {"vendorId", "string", "UUID"},
                {"search", "string", "in code, title and technician"}},
    .sorts = {{"code", "o.code"}, {"openedAt", "o.opened_at"}, {"severity", "o.severity"}, {"status", "o.status"},
              {"updatedAt", "o.updated_at"}},
    .default_sort = "openedAt",
    .default_descending = true,
    .default_page_size = 50,
};
}  // namespace

void register_repair_routes(AppContext& ctx, std::shared_ptr<RepairService> svc,
                            std::shared_ptr<ops_events::OpsEventService> ops) {
  const std::string base = "/api/v1/maintenance/repair-orders";
  http::crud(ctx.router, svc,
             http::CrudSpec<OrderInput, OrderFilter>{
                 .base = base,
                 .noun = "repair order",
                 .tag = "maintenance",
                 .item_schema = kOrder,
                 .input_schema = kOrderInput,
                 .list = kList,
                 .filter = [](const Request& req) {
                   OrderFilter f;
                   f.status = req.query("status");
                   f.asset_id = req.query_uuid("assetId");
                   f.severity = req.query("severity");
                   f.repair_type = req.query("repairType");
                   f.vendor_id = req.query_uuid("vendorId");
                   f.search = req.query("search");
                   return f;
                 },
                 .parse = parse_order,
                 .with_delete = false,
             });

  ctx.router
      .post(base + "/{id}/status", Role::admin,
            [svc](Request& req) -> Task<Response> {
              auto id = req.path_uuid("id");
              auto change = parse_status(req.json());
              auto expected = req.if_match();
              auto by = req.caller();
              auto o = co_await svc->change_status(id, change, expected, by);
              co_return http::tagged_json(to_json(o));
            })
      .summary("Move a repair order along its transition table (409 with the allowed next states); closing or "
               "canceling releases reservations, stores downtimeMinutes and restores the asset")
      .tag("maintenance")
      .request({{"type", "object"},
                {"required", {"status"}},
                {"properties", {{"status", kStatusEnum}, {"note", kStr}, {"diagnosis", kStr}, {"resolution", kStr}}}})
      .response(kOrder);

  http::list_children(ctx.router, base + "/{id}/parts", Role::user, [svc](const std::string& id) { return svc->parts(id); })
      .summary("Part lines of a repair order (returned ones flagged)")
      .tag("maintenance");
  http::add_child(
      ctx.router, base + "/{id}/parts", Role::admin, [](const Request& r) { return parse_part_line(r.json()); },
      [svc](const std::string& id, const PartInput& in, const Caller& by) { return svc->add_part(id, in, by); })
      .summary("Add a part line: a stocked part (partId + warehouseId) is issued through a generated, posted issue "
               "document in the same transaction at the moving average (consuming the order's reservation first; "
               "422 NOT_ENOUGH_STOCK); partsCost recomputed")
      .tag("maintenance")
      .request(kPartInput);
  http::remove_child(ctx.router, base + "/{id}/parts/{lineId}", "lineId", Role::admin,
                     [svc](const std::string& id, const std::string& line, const Caller& by) {
                       return svc->remove_part(id, line, by);
                     })
      .summary("Remove a part line of an open order: the part returns to stock through a reversal of its issue "
               "document; the line stays, flagged returned")
      .tag("maintenance");

  http::list_children(ctx.router, base + "/{id}/reservations", Role::user,
                      [svc](const std::string& id) { return svc->reservations(id); })
      .summary("Reservation lines of a repair order (open ones are what it holds)")
      .tag("maintenance");
  http::add_child(
      ctx.router, base + "/{id}/reservations", Role::admin, [](const Request& r) { return parse_reservation(r.json()); },
      [svc](const std::string& id, const ReservationInput& in, const Caller& by) { return svc->reserve(id, in, by); })
      .summary("Reserve parts while waiting_parts (one conditional UPDATE; 422 NOT_ENOUGH_STOCK)")
      .tag("maintenance")
      .request(kReservationInput);
  http::remove_child(ctx.router, base + "/{id}/reservations/{reservationId}", "reservationId", Role::admin,
                     [svc](const std::string& id, const std::string& rid, const Caller& by) {
                       return svc->release(id, rid, by);
                     })
      .summary("Release an open reservation")
      .tag("maintenance");

  ops_events::history_route(ctx, ops, base, "repair_order", "maintenance",
                            [svc](const std::string& id) -> Task<void> { co_await svc->require(id); });
}

Module<RepairService> register_module(AppContext& ctx, std::shared_ptr<audit::AuditService>,
                                      std::shared_ptr<ops_events::OpsEventService> ops,
                                      std::shared_ptr<assets::AssetService> assets,
                                      std::shared_ptr<warehouse::DocumentService> docs) {
  auto svc = std::make_shared<RepairService>(ctx, ops, std::move(assets), std::move(docs));
  register_repair_routes(ctx, svc, ops);
  return {svc, {}};
}

}  // namespace netops::repair
