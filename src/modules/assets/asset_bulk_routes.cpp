// HTTP shape of the bulk actions on selected assets: POST /api/v1/assets/bulk/{status,move,assign}
// (asset_bulk_service.hpp: one transaction each, all or nothing).
#include "modules/assets/asset_body.hpp"
#include "modules/assets/asset_bulk_service.hpp"
#include "modules/assets/asset_routes.hpp"

namespace netops::assets {

using http::Request;
using http::Response;
using http::Role;
using http::Router;

namespace {
nlohmann::json str() { return {{"type", "string"}}; }
nlohmann::json ids_schema() {
  return {{"type", "array"},
          {"items", {{"type", "string"}, {"format", "uuid"}}},
          {"minItems", 1},
          {"maxItems", kBulkMaxIds},
          {"description", "distinct asset ids, at most " + std::to_string(kBulkMaxIds)}};
}
nlohmann::json body_schema(nlohmann::json props, std::vector<std::string> required) {
  props["ids"] = ids_schema();
  props["note"] = str();
  required.insert(required.begin(), "ids");
  return {{"type", "object"}, {"required", required}, {"properties", std::move(props)}};
}
nlohmann::json result_schema() {
  return {{"type", "object"},
          {"properties",
           {{"count", {{"type", "integer"}}},
            {"results",
             {{"type", "array"},
              {"description",
               "one per id, in the order given: {id, ok: true, asset (and assignment for assign)}"},
              {"items",
               {{"type", "object"},
                {"properties",
                 {{"id", str()},
                  {"ok", {{"type", "boolean"}}},
                  {"asset", kAssetSchema},
                  {"assignment", {{"type", "object"}}}}}}}}}}}};
}
const std::string kAtomic =
    ". All or nothing, in one transaction: every asset goes through the single route's rule and gets its own "
    "event row; if any asset is refused (unknown id, a transition the status table forbids, …) nothing is "
    "changed and the answer is 422 UNPROCESSABLE with details.failedIds, details.failed [{id, error {code, "
    "status, message, details}}] and details.results (every id, ok or not). At most " +
    std::to_string(kBulkMaxIds) + " ids (400 beyond)";
}  // namespace

// POST <path>: the body's ids and the action's own input (parse), then run(ids, input, caller) → its report.
template <class Parse, class Run>
http::RouteSpec& bulk_route(Router& router, std::string path, Parse parse, Run run) {
  return router.post(std::move(path), Role::admin, [parse, run](Request& req) -> Task<Response> {
    auto body = req.json();
    auto ids = parse_bulk_ids(body);
    auto in = parse(body);
    auto by = req.caller();
    auto report = co_await run(ids, in, by);  // named: GCC 12 mishandles temporaries in co_await
    co_return Response::json(report);
  });
}

void register_asset_bulk_routes(AppContext& ctx, std::shared_ptr<AssetService> svc) {
  auto bulk = std::make_shared<AssetBulkService>(ctx, std::move(svc));
  using Ids = std::vector<std::string>;

  bulk_route(ctx.router, "/api/v1/assets/bulk/status", parse_status_change,
             [bulk](const Ids& ids, const StatusChange& c, const Caller& by) { return bulk->change_status(ids, c, by); })
      .summary("Change the status of the selected assets (event STATUS_CHANGED each)" + kAtomic)
      .tag("assets")
      .request(body_schema({{"status", {{"type", "string"},
                                        {"enum", {"in_stock", "in_use", "in_repair", "retired", "disposed", "lost"}}}}},
                           {"status"}))
      .response(result_schema());

  bulk_route(ctx.router, "/api/v1/assets/bulk/move", parse_move,
             [bulk](const Ids& ids, const MoveInput& m, const Caller& by) { return bulk->move(ids, m, by); })
      .summary("Move the selected assets to one location (event MOVED each; an asset already there is "
               "unchanged)" + kAtomic)
      .tag("assets")
      .request(body_schema({{"locationId", str()}}, {"locationId"}))
      .response(result_schema());

  bulk_route(ctx.router, "/api/v1/assets/bulk/assign", parse_assignment,
             [bulk](const Ids& ids, const NewAssignment& a, const Caller& by) { return bulk->assign(ids, a, by); })
      .summary("Assign the selected assets to one assignee (closes each open assignment first; status in_use; "
               "events UNASSIGNED/ASSIGNED each)" + kAtomic)
      .tag("assets")
      .request(body_schema({{"assigneeType", {{"type", "string"}, {"enum", {"person", "department", "system"}}}},
                            {"assigneeId", str()},
                            {"assigneeName", str()}},
                           {"assigneeType", "assigneeId", "assigneeName"}))
      .response(result_schema());
}

}  // namespace netops::assets
