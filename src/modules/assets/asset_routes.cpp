#include "core/etag.hpp"
#include "core/error.hpp"
#include "core/ids.hpp"
#include "modules/assets/module.hpp"
#include "modules/assets/asset_routes.hpp"
#include "modules/assets/asset_body.hpp"
#include "modules/assets/asset_rules.hpp"

namespace netops::assets {

using http::Request;
using http::Response;
using http::Role;

namespace {
nlohmann::json str() { return {{"type", "string"}}; }
nlohmann::json nullable_str() { return {{"type", "string"}, {"nullable", true}}; }  // OpenAPI 3.0
const nlohmann::json kStatusEnum = {{"type", "string"},
                                    {"enum", {"in_stock", "in_use", "in_repair", "retired", "disposed", "lost"}}};
const nlohmann::json kWritable = {
    {"assetCode", str()},           {"modelId", nullable_str()},    {"serialNo", nullable_str()},
    {"macAddress", nullable_str()}, {"mgmtIp", nullable_str()},     {"hostname", nullable_str()},
    {"vlanId", {{"type", "integer"}, {"nullable", true}, {"minimum", 1}, {"maximum", 4094}}},
    {"switchName", nullable_str()}, {"switchPort", nullable_str()}, {"locationId", nullable_str()},
    {"status", kStatusEnum},        {"purchaseDate", nullable_str()}, {"warrantyEnd", nullable_str()},
    {"vendorId", nullable_str()},   {"notes", nullable_str()}};
const nlohmann::json kPageMeta = {
    {"type", "object"},
    {"properties",
     {{"page", {{"type", "integer"}}},
      {"pageSize", {{"type", "integer"}}},
      {"total", {{"type", "integer"}}},
      {"totalExact",
       {{"type", "boolean"},
        {"description", "false: more than NETOPS_LIST_EXACT_TOTAL match and total is that lower bound; the exact "
                        "count follows on later requests"}}}}}};
const nlohmann::json kPage = {{"type", "object"},
                              {"properties", {{"data", {{"type", "array"}}}, {"meta", kPageMeta}}}};

void document_filters(http::RouteSpec& r) {
  r.query("status", "string", "comma-separated statuses")
      .query("locationId", "string", "location UUID; includes its descendants")
      .query("categoryId", "string", "asset category UUID (through the model)")
      .query("modelId", "string", "asset model UUID")
      .query("vendorId", "string", "vendor UUID")
      .query("warrantyBefore", "string", "YYYY-MM-DD: warranty ends before this date")
      .query("ids", "string", "comma-separated asset UUIDs (at most 500): these assets only, e.g. a selection")
      .query("search", "string",
             "assetCode/serialNo/hostname/macAddress (containment, prefix under 3 characters), MAC in any "
             "spelling, management IP by address, CIDR or IPv4 text prefix (\"10.1.2.\")");
}
}  // namespace

const nlohmann::json kAssetSchema = [] {
  auto props = kWritable;
  props["id"] = str();
  props["createdAt"] = str();
  props["updatedAt"] = str();
  return nlohmann::json{{"type", "object"}, {"properties", props}};
}();

namespace {
// "a,,b" → {"a", "b"}: the items of a comma-separated query parameter.
std::vector<std::string> comma_list(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    auto comma = text.find(',');
    if (comma != 0) out.emplace_back(text.substr(0, comma));
    text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
  }
  return out;
}
}  // namespace

Filter filter_of(const Request& req) {
  Filter f;
  Validation v;
  if (auto s = req.query("status"))
    for (auto& one : comma_list(*s)) {
      if (!valid_status(one)) v.add("status", "unknown status \"" + one + "\"");
      else f.statuses.push_back(one);
    }
  auto uuid_param = [&](const char* name, std::optional<std::string>& into) {
    auto p = req.query(name);
    if (!p || p->empty()) return;
    if (!is_uuid(*p)) return v.add(name, "must be a UUID");
    into = *p;
    for (auto& c : *into) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  };
  uuid_param("locationId", f.location_id);
  uuid_param("categoryId", f.category_id);
  uuid_param("modelId", f.model_id);
  uuid_param("vendorId", f.vendor_id);
  if (auto ids = req.query("ids")) {
    for (auto& one : comma_list(*ids)) {
      if (!is_uuid(one)) {
        v.add("ids", "must be comma-separated asset UUIDs");
        break;
      }
      for (auto& c : one) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      f.ids.push_back(std::move(one));
      if (f.ids.size() > 500) {
        v.add("ids", "at most 500 ids");
        break;
      }
    }
  }
  if (auto w = req.query("warrantyBefore"); w && !w->empty()) {
    if (!valid_date(*w)) v.add("warrantyBefore", "must be a date (YYYY-MM-DD)");
    else f.warranty_before = *w;
  }
  if (auto q = req.query("search"); q && q->find_first_not_of(" \t") != std::string::npos) {
    if (q->size() > 200) v.add("search", "must be at most 200 characters");
    else f.search = *q;
  }
  v.throw_if_any();
  return f;
}

Response asset_response(const Asset& a, int status) {
  auto j = to_json(a);
  auto etag = etag_of(j);
  return Response::json(j, status).header("ETag", etag);
}

Module<AssetService> register_module(AppContext& ctx, std::shared_ptr<audit::AuditService> audit) {
  auto svc = std::make_shared<AssetService>(ctx, std::move(audit));
  register_asset_routes(ctx, svc);
  register_import_routes(ctx, svc);
  register_attachment_routes(ctx);
  register_asset_bulk_routes(ctx, svc);
  Module<AssetService> m{svc, {}};
  m.background.drain.push_back([svc] { return svc->background().drain(std::chrono::seconds(10)); });
  return m;
}

void register_asset_routes(AppContext& ctx, std::shared_ptr<AssetService> svc) {
  // Each sort is backed by an index on its column (id breaks ties).
  const std::vector<std::pair<std::string, std::string>> sortable = {
      {"createdAt", "created_at"}, {"updatedAt", "updated_at"},   {"assetCode", "asset_code"},
      {"status", "status"},        {"warrantyEnd", "warranty_end"}, {"hostname", "hostname"}};

  auto& list = ctx.router.get("/api/v1/assets", Role::user, [svc, sortable](Request& req) -> Task<Response> {
    auto f = filter_of(req);
    if (req.query("after")) {  // keyset mode (exports, sync): by id, no total
      auto after = *req.query("after");
      if (!after.empty() && !is_uuid(after)) throw ValidationError("after", "must be an asset id (UUID)");
      if (req.query("sort")) throw ValidationError("sort", "keyset paging (after) is always by id");
      auto size = req.query_int("pageSize", 50, 1, http::kMaxPageSize);
      std::optional<std::string> from;
      if (!after.empty()) from = after;
      auto rows = co_await svc->list_after(f, from, size);
      nlohmann::json next = rows.size() == static_cast<std::size_t>(size) ? rows.back()["id"] : nlohmann::json();
      nlohmann::json body = {{"data", std::move(rows)},
                             {"meta", {{"pageSize", size}, {"after", after}, {"next", next}}}};
      co_return Response::json(body);
    }
    auto p = http::paging(req);
    auto s = http::sort(req, sortable, "createdAt", true);
    auto [rows, total] = co_await svc->list(f, p, s);
    co_return http::page(std::move(rows), p.page, p.page_size, total.value, total.exact);
  });
  list.summary("List assets (filters, search, sort createdAt|updatedAt|assetCode|status|warrantyEnd|hostname; "
               "page/pageSize ≤ 1000, or keyset ?after=<id> ordered by id with meta.next)")
      .tag("assets")
      .query("sort", "string", "field or -field (default -createdAt)")
      .query("page", "integer", "")
      .query("pageSize", "integer", "at most 1000")
      .query("after", "string", "keyset paging: asset id to continue after (empty for the first page)")
      .response(kPage);
  document_filters(list);

  auto& counts = ctx.router.get("/api/v1/assets/status-counts", Role::user, [svc](Request& req) -> Task<Response> {
    auto f = filter_of(req);
    co_return Response::json(co_await svc->status_counts(f));
  });
  counts.summary("Number of assets per status, under the same filters as the list").tag("assets");
  document_filters(counts);

  ctx.router
      .post("/api/v1/assets", Role::admin,
            [svc](Request& req) -> Task<Response> {
              auto values = parse_new_asset(req.json());
              auto by = req.caller();
              auto a = co_await svc->create(values, by);
              co_return asset_response(a, 201);
            })
      .summary("Create an asset (assetCode required and unique; every field error at once)")
      .tag("assets")
      .request({{"type", "object"}, {"required", {"assetCode"}}, {"properties", kWritable}})
      .response(kAssetSchema, 201);

  ctx.router
      .get("/api/v1/assets/{id}", Role::user,
           [svc](Request& req) -> Task<Response> {
             auto id = req.path_uuid("id");  // named: GCC 12 mishandles temporaries in co_await
             auto a = co_await svc->find(id);
             auto body = co_await svc->detail(a);
             co_return Response::json(body).header("ETag", etag_of(to_json(a)));
           })
      .summary("One asset with model, category, vendor, location (path), open assignment, 10 newest events; ETag")
      .tag("assets")
      .response(kAssetSchema);

  auto update = [svc](Request& req) -> Task<Response> {
    auto id = req.path_uuid("id");
    auto patch = parse_asset_patch(req.json());
    auto expected = req.if_match();
    auto by = req.caller();
    auto a = co_await svc->update(id, patch, expected, by);
    co_return asset_response(a);
  };
  const nlohmann::json patch_schema = {{"type", "object"}, {"properties", kWritable}};
  for (auto* method : {"PATCH", "PUT"})
    ctx.router.add(method, "/api/v1/assets/{id}", Role::admin, update)
        .summary("Update fields (partial; If-Match honoured); status changes go through /status")
        .tag("assets")
        .request(patch_schema)
        .response(kAssetSchema);

  ctx.router
      .del("/api/v1/assets/{id}", Role::admin,
           [svc](Request& req) -> Task<Response> {
             auto id = req.path_uuid("id");
             auto expected = req.if_match();
             auto by = req.caller();
             co_await svc->remove(id, expected, by);
             co_return Response::no_content();
           })
      .summary("Delete an asset with its assignments, events and attachment files (audit-logged)")
      .tag("assets")
      .response(nullptr, 204);

  ctx.router
      .post("/api/v1/assets/{id}/status", Role::admin,
            [svc](Request& req) -> Task<Response> {
              auto id = req.path_uuid("id");
              auto change = parse_status_change(req.json());
              auto expected = req.if_match();
              auto by = req.caller();
              auto a = co_await svc->change_status(id, change, expected, by);
              co_return asset_response(a);
            })
      .summary("Change the status along the allowed transitions (409 with details.allowed otherwise)")
      .tag("assets")
      .request({{"type", "object"}, {"required", {"status"}}, {"properties", {{"status", kStatusEnum}, {"note", str()}}}})
      .response(kAssetSchema);

  ctx.router
      .post("/api/v1/assets/{id}/assign", Role::admin,
            [svc](Request& req) -> Task<Response> {
              auto id = req.path_uuid("id");
              auto assignment = parse_assignment(req.json());
              auto expected = req.if_match();
              auto by = req.caller();
              co_return Response::json(co_await svc->assign(id, assignment, expected, by));
            })
      .summary("Assign (closes an open assignment first; status becomes in_use)")
      .tag("assets")
      .request({{"type", "object"},
                {"required", {"assigneeType", "assigneeId", "assigneeName"}},
                {"properties",
                 {{"assigneeType", {{"type", "string"}, {"enum", {"person", "department", "system"}}}},
                  {"assigneeId", str()}, {"assigneeName", str()}, {"note", str()}}}});

  ctx.router
      .post("/api/v1/assets/{id}/return", Role::admin,
            [svc](Request& req) -> Task<Response> {
              auto id = req.path_uuid("id");
              nlohmann::json body = req.body.empty() ? nlohmann::json::object() : req.json();
              auto note = parse_return(body);
              auto expected = req.if_match();
              auto by = req.caller();
              co_return Response::json(co_await svc->return_asset(id, note, expected, by));
            })
      .summary("Return the open assignment (409 without one); status becomes in_stock")
      .tag("assets")
      .request({{"type", "object"}, {"properties", {{"note", str()}}}});

  ctx.router
      .post("/api/v1/assets/{id}/move", Role::admin,
            [svc](Request& req) -> Task<Response> {
              auto id = req.path_uuid("id");
              auto m = parse_move(req.json());
              auto expected = req.if_match();
              auto by = req.caller();
              auto a = co_await svc->move(id, m, expected, by);
              co_return asset_response(a);
            })
      .summary("Move to another location (event MOVED)")
      .tag("assets")
      .request({{"type", "object"}, {"required", {"locationId"}}, {"properties", {{"locationId", str()}, {"note", str()}}}})
      .response(kAssetSchema);

  ctx.router
      .get("/api/v1/assets/{id}/assignments", Role::user,
           [svc](Request& req) -> Task<Response> {
             auto p = http::paging(req);
             auto id = req.path_uuid("id");
             auto [rows, total] = co_await svc->assignments(id, p);
             co_return http::page(std::move(rows), p.page, p.page_size, total);
           })
      .summary("Assignment history, newest first")
      .tag("assets")
      .query("page", "integer", "")
      .query("pageSize", "integer", "at most 1000")
      .response(kPage);

  ctx.router
      .get("/api/v1/assets/{id}/events", Role::user,
           [svc](Request& req) -> Task<Response> {
             auto p = http::paging(req);
             auto id = req.path_uuid("id");
             auto [rows, total] = co_await svc->events(id, p);
             co_return http::page(std::move(rows), p.page, p.page_size, total);
           })
      .summary("Asset events (before/after payloads, actor, correlation id), newest first")
      .tag("assets")
      .query("page", "integer", "")
      .query("pageSize", "integer", "at most 1000")
      .response(kPage);

}

}  // namespace netops::assets
