// HTTP shape of inventory sessions.
#include "core/csv.hpp"
#include "core/etag.hpp"
#include "core/ids.hpp"
#include "http/body.hpp"
#include "http/listing.hpp"
#include "modules/inventory/inventory_rules.hpp"
#include "modules/inventory/module.hpp"

namespace netops::inventory {

using http::Request;
using http::Response;
using nlohmann::json;

namespace {

constexpr std::size_t kNameMax = 200;
constexpr std::size_t kCodeMax = 255;
constexpr std::size_t kNoteMax = 2000;
constexpr long long kCsvBatch = 1000;

json str() { return {{"type", "string"}}; }
const json kSession = {{"type", "object"},
                       {"properties",
                        {{"id", str()}, {"name", str()}, {"locationId", str()},
                         {"status", {{"type", "string"}, {"enum", {"draft", "in_progress", "closed", "canceled"}}}},
                         {"startedAt", str()}, {"closedAt", str()}, {"createdBy", str()}, {"correlationId", str()},
                         {"createdAt", str()}, {"counts", {{"type", "object"}}}, {"allowedActions", {{"type", "array"}}}}}};
const json kItem = {{"type", "object"},
                    {"properties",
                     {{"id", str()}, {"assetId", str()}, {"assetCode", str()}, {"serialNo", str()},
                      {"status", {{"type", "string"}, {"enum", {"found", "moved", "missing", "unknown"}}}},
                      {"expected", {{"type", "boolean"}}}, {"expectedLocationId", str()},
                      {"scannedLocationId", str()}, {"scannedCode", str()}, {"scannedAt", str()}, {"note", str()},
                      {"duplicate", {{"type", "boolean"}}}}}};
const http::ListSpec kList{
    .filters = {{"status", "string", "draft | in_progress | closed | canceled"},
                {"locationId", "string", "the session's location (UUID)"}},
    .sorts = {{"createdAt", "created_at"}, {"name", "name"}, {"status", "status"}},
    .default_sort = "createdAt",
    .default_descending = true,
    .default_page_size = 50,
};

json session_json(const Session& s) {
  auto j = to_json(s);
  j["allowedActions"] = allowed_session_actions(s.status);
  return j;
}

Response tagged(const Session& s, json body, int status = 200) {
  return Response::json(body, status).header("ETag", etag_of(to_json(s)));
}

NewSession parse_new_session(const json& body) {
  Validation v;
  NewSession in;
  http::BodyReader b(body, v, true);
  b.text("name", in.name, kNameMax);
  std::optional<std::optional<std::string>> location;
  b.uuid("locationId", location);
  if (!b.has("locationId")) v.add("locationId", "is required");
  else if (location && !*location) v.add("locationId", "must be a location id (UUID)");
  else if (location && *location) in.location_id = **location;
  b.only({"name", "locationId"}, {"id", "status", "startedAt", "closedAt", "createdBy", "correlationId", "createdAt"});
  v.throw_if_any();
  return in;
}

SessionPatch parse_session_patch(const json& body) {
  Validation v;
  SessionPatch in;
  http::BodyReader b(body, v, false);
  std::string name;
  if (b.has("name")) {
    b.text("name", name, kNameMax);
    in.name = name;
  }
  b.only({"name"}, {"id", "locationId", "status", "startedAt", "closedAt", "createdBy", "correlationId", "createdAt",
                    "counts", "allowedActions"});
  v.throw_if_any();
  return in;
}

Scan parse_scan(const json& body) {
  Validation v;
  Scan s;
  http::BodyReader b(body, v, true);
  int given = 0;
  for (const char* f : {"assetCode", "serialNo", "assetId"})
    if (b.has(f) && !(*b.get(f)).is_null()) ++given;
  if (given != 1) v.add("assetCode", "give exactly one of assetCode, serialNo or assetId");
  std::string code;
  if (b.has("assetCode") && !b.get("assetCode")->is_null()) {
    b.text("assetCode", code, kCodeMax);
    s.asset_code = code;
  }
  if (b.has("serialNo") && !b.get("serialNo")->is_null()) {
    b.text("serialNo", code, kCodeMax);
    s.serial_no = code;
  }
  if (b.has("assetId") && !b.get("assetId")->is_null()) {
    std::optional<std::optional<std::string>> id;
    b.uuid("assetId", id);
    if (id && *id) s.asset_id = **id;
  }
  std::optional<std::optional<std::string>> loc;
  b.uuid("scannedLocationId", loc);
  if (!b.has("scannedLocationId") || (loc && !*loc)) v.add("scannedLocationId", "is required (a location id)");
  else if (loc && *loc) s.scanned_location_id = **loc;
  b.opt_text("note", s.note, kNoteMax);
  b.only({"assetCode", "serialNo", "assetId", "scannedLocationId", "note"});
  v.throw_if_any();
  return s;
}

std::optional<std::string> item_status_of(const Request& req) {
  auto s = req.query("status");
  if (!s || s->empty()) return std::nullopt;
  if (!valid_item_status(*s)) throw ValidationError("status", "must be found, moved, missing or unknown");
  return *s;
}

}  // namespace

void register_inventory_routes(AppContext& ctx, std::shared_ptr<InventoryService> svc) {
  const std::string base = "/api/v1/inventory";

  ctx.router
      .get(base, Role::user,
           [svc](Request& req) -> Task<Response> {
             auto q = http::list_query(req, kList);
             SessionFilter f;
             if (auto s = req.query("status"); s && !s->empty()) {
               if (*s != "draft" && *s != "in_progress" && *s != "closed" && *s != "canceled")
                 throw ValidationError("status", "must be draft, in_progress, closed or canceled");
               f.status = *s;
             }
             f.location_id = req.query_uuid("locationId");
             auto page = co_await svc->list(f, q.page, q.sort);
             co_return http::page(page, [](const Session& s) { return session_json(s); });
           })
      .summary("List inventory sessions")
      .tag("inventory")
      .list(kList);

  ctx.router
      .post(base, Role::admin,
            [svc](Request& req) -> Task<Response> {
              auto in = parse_new_session(req.json());
              auto by = req.caller();
              auto s = co_await svc->create(in, by);
              co_return tagged(s, session_json(s), 201);
            })
      .summary("Create a draft inventory session over a location and its subtree (422: unknown locationId)")
      .tag("inventory")
      .request({{"type", "object"},
                {"required", {"name", "locationId"}},
                {"properties", {{"name", str()}, {"locationId", str()}}}})
      .response(kSession, 201);

  ctx.router
      .get(base + "/{id}", Role::user,
           [svc](Request& req) -> Task<Response> {
             auto id = req.path_uuid("id");
             auto s = co_await svc->get(id);
             auto counts = co_await svc->counts(id);
             auto body = session_json(s);
             body["counts"] = to_json(counts);
             co_return tagged(s, body);
           })
      .summary("One inventory session with its item counts by status; ETag")
      .tag("inventory")
      .response(kSession);

  ctx.router
      .patch(base + "/{id}", Role::admin,
             [svc](Request& req) -> Task<Response> {
               auto id = req.path_uuid("id");
               auto patch = parse_session_patch(req.json());
               auto expected = req.if_match();
               auto by = req.caller();
               auto s = co_await svc->update(id, patch, expected, by);
               co_return tagged(s, session_json(s));
             })
      .summary("Rename a draft or in-progress session (If-Match honoured; 409 once closed or canceled)")
      .tag("inventory")
      .request({{"type", "object"}, {"properties", {{"name", str()}}}})
      .response(kSession);

  ctx.router
      .del(base + "/{id}", Role::admin,
           [svc](Request& req) -> Task<Response> {
             auto id = req.path_uuid("id");
             auto by = req.caller();
             co_await svc->remove(id, by);
             co_return Response::no_content();
           })
      .summary("Delete a draft or canceled session (409 for one in progress or closed: its result is a record)")
      .tag("inventory")
      .response(nullptr, 204);

  ctx.router
      .post(base + "/{id}/start", Role::admin,
            [svc](Request& req) -> Task<Response> {
              auto id = req.path_uuid("id");
              auto by = req.caller();
              auto [s, items] = co_await svc->start(id, by);
              auto body = session_json(s);
              body["expectedItems"] = items;
              co_return tagged(s, body);
            })
      .summary("draft → in_progress: snapshot every asset of the location subtree that is not disposed as a "
               "missing item with its expected location (one INSERT … SELECT)")
      .tag("inventory")
      .response(kSession);

  ctx.router
      .post(base + "/{id}/scan", Role::user,
            [svc](Request& req) -> Task<Response> {
              auto id = req.path_uuid("id");
              auto scan = parse_scan(req.json());
              auto by = req.caller();
              auto r = co_await svc->scan(id, scan, by);
              auto body = r.item;
              body["duplicate"] = r.duplicate;
              co_return Response::json(body);
            })
      .summary("Scan one asset (assetCode | serialNo | assetId) at scannedLocationId: found, moved, or an unknown "
               "item; a repeated scan changes nothing (duplicate: true); 409 unless in_progress")
      .tag("inventory")
      .request({{"type", "object"},
                {"required", {"scannedLocationId"}},
                {"properties",
                 {{"assetCode", str()}, {"serialNo", str()}, {"assetId", str()}, {"scannedLocationId", str()},
                  {"note", str()}}}})
      .response(kItem);

  ctx.router
      .post(base + "/{id}/close", Role::admin,
            [svc](Request& req) -> Task<Response> {
              auto id = req.path_uuid("id");
              bool apply = req.query_bool("applyMoves").value_or(false);
              auto by = req.caller();
              auto r = co_await svc->close(id, apply, by);
              auto body = session_json(r.session);
              body["counts"] = to_json(r.counts);
              body["events"] = r.events;
              body["movedAssets"] = r.moved;
              co_return tagged(r.session, body);
            })
      .summary("in_progress → closed: freezes the result and writes one INVENTORY_FOUND/MOVED/MISSING event per "
               "asset; ?applyMoves=true also moves each moved asset to where it was scanned (event MOVED)")
      .tag("inventory")
      .query("applyMoves", "boolean", "move the moved assets to their scanned location")
      .response(kSession);

  ctx.router
      .post(base + "/{id}/cancel", Role::admin,
            [svc](Request& req) -> Task<Response> {
              auto id = req.path_uuid("id");
              auto by = req.caller();
              auto s = co_await svc->cancel(id, by);
              co_return tagged(s, session_json(s));
            })
      .summary("draft | in_progress → canceled (no asset events)")
      .tag("inventory")
      .response(kSession);

  ctx.router
      .get(base + "/{id}/report", Role::user,
           [svc](Request& req) -> Task<Response> {
             auto id = req.path_uuid("id");
             auto status = item_status_of(req);
             auto format = req.query("format").value_or("json");
             if (format != "json" && format != "csv") throw ValidationError("format", "must be json or csv");
             auto s = co_await svc->get(id);
             if (format == "csv") {
               auto producer = [svc, id, status](http::StreamWriter& w) -> Task<void> {
                 std::string head = csv::format_record(
                     {"itemId", "status", "assetId", "assetCode", "serialNo", "hostname", "expectedLocationId",
                      "expectedLocationName", "scannedLocationId", "scannedLocationName", "scannedCode", "scannedAt",
                      "note"});
                 if (!co_await w.write(head)) co_return;
                 std::string after;
                 for (;;) {
                   auto rows = co_await svc->csv_rows(id, status, after, kCsvBatch);
                   if (rows.empty()) co_return;
                   std::string chunk;
                   for (auto& r : rows) csv::append_record(chunk, r);
                   after = rows.back().front();
                   if (!co_await w.write(chunk)) co_return;  // the client went away
                   if (static_cast<long long>(rows.size()) < kCsvBatch) co_return;
                 }
               };
               auto res = Response::streamed("text/csv; charset=utf-8", std::move(producer));
               res.header("Content-Disposition", "attachment; filename=\"inventory-" + id + ".csv\"");
               co_return res;
             }
             auto p = http::paging(req, 100);
             auto counts = co_await svc->counts(id);
             auto rows = co_await svc->items(id, status, p);
             long long total = !status                ? counts.total()
                               : *status == "found"   ? counts.found
                               : *status == "moved"   ? counts.moved
                               : *status == "missing" ? counts.missing
                                                      : counts.unknown;
             json body = {{"session", session_json(s)},
                          {"counts", to_json(counts)},
                          {"data", std::move(rows)},
                          {"meta", {{"page", p.page}, {"pageSize", p.page_size}, {"total", total}}}};
             co_return Response::json(body);
           })
      .summary("Counts by status and the items (paged, ?status=found|moved|missing|unknown); ?format=csv streams "
               "every matching item as CSV")
      .tag("inventory")
      .query("status", "string", "found | moved | missing | unknown")
      .query("format", "string", "json (default) | csv")
      .query("page", "integer", "")
      .query("pageSize", "integer", "at most 1000");
}

Module<InventoryService> register_module(AppContext& ctx, std::shared_ptr<audit::AuditService> audit,
                                         std::shared_ptr<assets::AssetService> assets) {
  auto svc = std::make_shared<InventoryService>(ctx, std::move(audit), std::move(assets));
  register_inventory_routes(ctx, svc);
  return Module<InventoryService>{svc, {}};
}

}  // namespace netops::inventory
