// HTTP shape of workflow requests.
#include "core/etag.hpp"
#include "http/body.hpp"
#include "http/crud.hpp"
#include "http/listing.hpp"
#include "modules/workflow/module.hpp"
#include "modules/workflow/workflow_rules.hpp"

namespace netops::workflow {

using http::Request;
using http::Response;
using nlohmann::json;

namespace {

constexpr std::size_t kDeptMax = 255;
constexpr std::size_t kReasonMax = 2000;

json str() { return {{"type", "string"}}; }
const json kTypeEnum = {{"type", "string"}, {"enum", {"assign", "return", "move", "repair", "dispose"}}};
const json kRequest = {
    {"type", "object"},
    {"properties",
     {{"id", str()}, {"requestType", kTypeEnum}, {"assetId", str()},
      {"assetCode", {{"type", "string"}, {"nullable", true}, {"description", "the asset's current code (read-only)"}}},
      {"assetHostname",
       {{"type", "string"}, {"nullable", true}, {"description", "the asset's current hostname (read-only; assets have no name column)"}}},
      {"fromDept", str()}, {"toDept", str()},
      {"requestedBy", str()}, {"approvedBy", str()},
      {"status",
       {{"type", "string"}, {"enum", {"submitted", "approved", "rejected", "in_progress", "done", "canceled"}}}},
      {"payload", {{"type", "object"}}}, {"allowedActions", {{"type", "array"}}}, {"correlationId", str()},
      {"createdAt", str()}, {"updatedAt", str()}}}};
const http::ListSpec kList{
    .filters = {{"status", "string", "submitted | approved | rejected | in_progress | done | canceled"},
                {"type", "string", "assign | return | move | repair | dispose (alias requestType)"},
                {"assetId", "string", "asset UUID"},
                {"requestedBy", "string", "requester's user id (admins; users always see only their own)"}},
    .sorts = {{"createdAt", "created_at"}, {"updatedAt", "updated_at"}, {"status", "status"}},
    .default_sort = "createdAt",
    .default_descending = true,
    .default_page_size = 50,
};

Response tagged(const WorkflowRequest& r, int status = 200) {
  auto j = to_json(r);
  return Response::json(j, status).header("ETag", etag_of(j));
}

}  // namespace

// Public: the workflow tool (modules/tools) submits through the same parsing (module.hpp).
NewRequest parse_new_request(const json& body) {
  Validation v;
  NewRequest in;
  http::BodyReader b(body, v, true);
  const char* type_field = b.has("requestType") ? "requestType" : "type";
  if (b.has("requestType") && b.has("type") && *b.get("requestType") != *b.get("type"))
    v.add("type", "type and requestType disagree");
  b.one_of(type_field, in.request_type, {"assign", "return", "move", "repair", "dispose"}, false);
  if (!b.has("requestType") && !b.has("type")) v.add("requestType", "is required");
  std::optional<std::optional<std::string>> asset;
  b.uuid("assetId", asset);
  if (!b.has("assetId") || (asset && !*asset)) v.add("assetId", "is required (an asset id)");
  else if (asset && *asset) in.asset_id = **asset;
  b.opt_text("fromDept", in.from_dept, kDeptMax);
  b.opt_text("toDept", in.to_dept, kDeptMax);
  b.only({"requestType", "type", "assetId", "fromDept", "toDept", "payload"},
         {"id", "requestedBy", "approvedBy", "status", "allowedActions", "correlationId", "createdAt", "updatedAt"});
  if (!in.request_type.empty()) {
    try {
      in.payload = validate_payload(in.request_type, b.has("payload") ? *b.get("payload") : json::object());
    } catch (const AppError& e) {
      if (e.code() != ErrorCode::validation) throw;
      for (auto& err : e.details().value("errors", json::array()))
        v.add(err.value("field", std::string()), err.value("issue", std::string()));
    }
  }
  v.throw_if_any();
  return in;
}

namespace {

std::optional<std::string> reason_of(const json& body, std::initializer_list<const char*> fields) {
  Validation v;
  http::BodyReader b(body, v, false);
  std::optional<std::string> out;
  for (auto* f : fields) {
    std::optional<std::string> one;
    b.opt_text(f, one, kReasonMax);
    if (one) out = one;
  }
  b.only(fields);
  v.throw_if_any();
  return out;
}

RequestFilter filter_of(const Request& req) {
  RequestFilter f;
  if (auto s = req.query("status"); s && !s->empty()) {
    if (!valid_status(*s)) throw ValidationError("status", "unknown status \"" + *s + "\"");
    f.status = *s;
  }
  auto type = req.query("type");
  if (!type || type->empty()) type = req.query("requestType");
  if (type && !type->empty()) {
    if (!valid_type(*type)) throw ValidationError("type", "must be assign, return, move, repair or dispose");
    f.request_type = *type;
  }
  f.asset_id = req.query_uuid("assetId");
  if (auto by = req.query("requestedBy"); by && !by->empty()) {
    if (by->size() > 255) throw ValidationError("requestedBy", "must be at most 255 characters");
    f.requested_by = *by;
  }
  return f;
}

}  // namespace

void register_workflow_routes(AppContext& ctx, std::shared_ptr<WorkflowService> svc) {
  const std::string base = "/api/v1/workflows";

  ctx.router
      .get(base, Role::user,
           [svc](Request& req) -> Task<Response> {
             auto q = http::list_query(req, kList);
             auto f = filter_of(req);
             auto by = req.caller();
             auto page = co_await svc->list(f, q.page, q.sort, by);
             co_return http::page(page, [](const WorkflowRequest& r) { return to_json(r); });
           })
      .summary("List workflow requests: users their own, admins all (filters status, type, assetId, requestedBy)")
      .tag("workflow")
      .list(kList)
      .query("requestType", "string", "alias of type");

  ctx.router
      .post(base, Role::user,
            [svc](Request& req) -> Task<Response> {
              auto in = parse_new_request(req.json());
              auto by = req.caller();
              auto r = co_await svc->submit(in, by);
              co_return tagged(r, 201);
            })
      .summary("Submit a request (assign: payload assigneeType/assigneeId/assigneeName/note as POST "
               "/assets/{id}/assign; move: payload.locationId; return, repair, dispose: payload.note); 400 for a "
               "payload the type cannot execute, 422 for an unknown asset or location")
      .tag("workflow")
      .request({{"type", "object"},
                {"required", {"requestType", "assetId"}},
                {"properties",
                 {{"requestType", kTypeEnum}, {"type", kTypeEnum}, {"assetId", str()},
      {"assetCode", {{"type", "string"}, {"nullable", true}, {"description", "the asset's current code (read-only)"}}},
      {"assetHostname",
       {{"type", "string"}, {"nullable", true}, {"description", "the asset's current hostname (read-only; assets have no name column)"}}},
      {"fromDept", str()},
                  {"toDept", str()}, {"payload", {{"type", "object"}}}}}})
      .response(kRequest, 201);

  ctx.router
      .get(base + "/{id}", Role::user,
           [svc](Request& req) -> Task<Response> {
             auto id = req.path_uuid("id");
             auto by = req.caller();
             auto r = co_await svc->get(id, by);
             co_return tagged(r);
           })
      .summary("One request (users: their own only, else 404); ETag")
      .tag("workflow")
      .response(kRequest);

  const std::string one = base + "/{id}";
  using Note = std::optional<std::string>;

  http::action(ctx.router, one + "/approve", Role::admin,
               [](const Request& r) { return reason_of(http::body_or_empty(r), {"note"}); },
               [svc](const std::string& id, const Note& note, const Caller& by) { return svc->approve(id, note, by); })
      .summary("submitted → approved (403 for the requester unless super_admin: four eyes; 409 when not submitted)")
      .tag("workflow")
      .request({{"type", "object"}, {"properties", {{"note", str()}}}})
      .response(kRequest);

  http::action(ctx.router, one + "/reject", Role::admin,
               [](const Request& r) { return reason_of(http::body_or_empty(r), {"reason", "rejectionReason"}); },
               [svc](const std::string& id, const Note& reason, const Caller& by) { return svc->reject(id, reason, by); })
      .summary("submitted → rejected; the payload is kept and payload.rejectionReason holds the reason (403 for "
               "the requester unless super_admin)")
      .tag("workflow")
      .request({{"type", "object"}, {"properties", {{"reason", str()}, {"rejectionReason", str()}}}})
      .response(kRequest);

  http::action(ctx.router, one + "/cancel", Role::user,
               [](const Request& r) { return reason_of(http::body_or_empty(r), {"reason"}); },
               [svc](const std::string& id, const Note& reason, const Caller& by) { return svc->cancel(id, reason, by); })
      .summary("submitted | approved → canceled, by the requester or an admin (another user's request: 404)")
      .tag("workflow")
      .request({{"type", "object"}, {"properties", {{"reason", str()}}}})
      .response(kRequest);

  http::action(ctx.router, one + "/execute", Role::admin,
               [svc](const std::string& id, const Caller& by) { return svc->execute(id, by); })
      .summary("approved → in_progress → done, applying the effect on the asset in the same transaction; a refused "
               "effect answers its 409/422 and leaves the request approved with payload.lastError")
      .tag("workflow")
      .response(kRequest);
}

Module<WorkflowService> register_module(AppContext& ctx, std::shared_ptr<audit::AuditService> audit,
                                        std::shared_ptr<assets::AssetService> assets) {
  auto svc = std::make_shared<WorkflowService>(ctx, std::move(audit), std::move(assets));
  register_workflow_routes(ctx, svc);
  return Module<WorkflowService>{svc, {}};
}

}  // namespace netops::workflow
