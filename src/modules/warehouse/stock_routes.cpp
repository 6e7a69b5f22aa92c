// HTTP shape of the stock view, the reports, the ledger and its verification.
#include "core/csv.hpp"
#include "core/error.hpp"
#include "http/listing.hpp"
#include "http/router.hpp"
#include "modules/warehouse/module.hpp"

namespace netops::warehouse {

using http::Request;
using http::Response;
using nlohmann::json;

namespace {
const http::ListSpec kStockList{
    .filters = {{"warehouseId", "string", "UUID"},
                {"partId", "string", "UUID"},
                {"belowMin", "boolean", "available < the part's minLevel"},
                {"search", "string", "in part code/name and warehouse code/name"}},
    .sorts = {{"partCode", "p.part_code"}, {"warehouseCode", "w.code"}, {"onHand", "s.on_hand"},
              {"available", "(s.on_hand - s.reserved)"}, {"value", "(s.on_hand * s.avg_cost)"},
              {"updatedAt", "s.updated_at"}},
    .default_sort = "partCode",
    .default_descending = false,
    .default_page_size = 50,
};
const std::vector<const char*> kMovementTypes = {"in",           "out",         "adjust_in", "adjust_out",
                                                 "transfer_in",  "transfer_out", "reserve",   "release"};

MovementFilter movement_filter(const Request& req) {
  MovementFilter f;
  f.warehouse_id = req.query_uuid("warehouseId");
  f.part_id = req.query_uuid("partId");
  f.movement_type = req.query("type");
  if (!f.movement_type) f.movement_type = req.query("movementType");
  if (f.movement_type) {
    bool ok = false;
    for (auto* t : kMovementTypes) ok = ok || *f.movement_type == t;
    if (!ok) throw ValidationError("type", "must be one of in, out, adjust_in, adjust_out, transfer_in, transfer_out, "
                                           "reserve, release");
  }
  f.ref_type = req.query("refType");
  f.ref_id = req.query_uuid("refId");
  if (!f.ref_id && req.query("documentId")) {
    f.ref_id = req.query_uuid("documentId");
    f.ref_type = "stock_document";
  }
  f.from = req.query("from");
  f.to = req.query("to");
  f.after = req.query_uuid("after");
  f.limit = req.query_int("pageSize", 100, 1, http::kMaxPageSize);
  if (req.query("limit")) f.limit = req.query_int("limit", 100, 1, http::kMaxPageSize);
  return f;
}

std::string text_of(const json& j) {
  if (j.is_null()) return "";
  if (j.is_string()) return j.get<std::string>();
  return j.dump();
}

const std::vector<std::string> kCsvColumns = {"seq",         "createdAt", "warehouseCode", "partCode",
                                              "movementType", "qty",      "unitCost",      "value",
                                              "refType",     "refCode",   "refId",         "actorUserId",
                                              "correlationId", "id"};

std::string csv_of(const std::vector<json>& rows, bool header) {
  std::string out;
  if (header) netops::csv::append_record(out, kCsvColumns);
  for (auto& r : rows) {
    std::vector<std::string> fields;
    for (auto& c : kCsvColumns) fields.push_back(text_of(r.value(c, json())));
    netops::csv::append_record(out, fields);
  }
  return out;
}

void movement_queries(http::RouteSpec& r) {
  r.query("warehouseId", "string", "UUID")
      .query("partId", "string", "UUID")
      .query("type", "string", "movement type: in, out, adjust_in, adjust_out, transfer_in, transfer_out, reserve, release")
      .query("refType", "string", "stock_document | repair_order")
      .query("refId", "string", "UUID of the document or repair order")
      .query("from", "string", "createdAt ≥ (ISO 8601)")
      .query("to", "string", "createdAt < (ISO 8601)");
}
}  // namespace

void register_stock_routes(AppContext& ctx, std::shared_ptr<StockRepo> stock) {
  ctx.router
      .get("/api/v1/warehouse/stock", Role::user,
           [stock](Request& req) -> Task<Response> {
             StockFilter f;
             f.warehouse_id = req.query_uuid("warehouseId");
             f.part_id = req.query_uuid("partId");
             f.below_min = req.query_bool("belowMin").value_or(false);
             f.search = req.query("search");
             auto q = http::list_query(req, kStockList);
             auto page = co_await stock->stock(f, q.page, q.sort);
             co_return http::page(page, [](const json& j) { return j; });
           })
      .summary("Stock per warehouse and part: onHand, reserved, available, avgCost (moving average), value, minLevel")
      .tag("warehouse")
      .list(kStockList);

  ctx.router
      .get("/api/v1/warehouse/stock/verify", Role::user,
           [stock](Request&) -> Task<Response> {
             auto out = co_await stock->verify();
             co_return Response::json(out);
           })
      .summary("Recompute every stock row from the ledger: differences between onHand/reserved and the sums of "
               "movements (empty when healthy)")
      .tag("warehouse");

  ctx.router
      .get("/api/v1/warehouse/reports/reorder", Role::user,
           [stock](Request& req) -> Task<Response> {
             auto wh = req.query_uuid("warehouseId");
             auto p = http::paging(req);
             auto page = co_await stock->reorder(wh, p);
             co_return http::page(page, [](const json& j) { return j; });
           })
      .summary("Parts whose available quantity (all warehouses, or one) is at or below minLevel, never-stocked "
               "parts included; largest shortage first")
      .tag("warehouse")
      .query("warehouseId", "string", "one warehouse (UUID); default all")
      .query("page", "integer", "")
      .query("pageSize", "integer", "at most 1000");

  ctx.router
      .get("/api/v1/warehouse/reports/valuation", Role::user,
           [stock](Request& req) -> Task<Response> {
             auto wh = req.query_uuid("warehouseId");
             auto out = co_await stock->valuation(wh);
             co_return Response::json(out);
           })
      .summary("Quantity × moving average per warehouse and part (up to 10,000 rows), per warehouse and in total")
      .tag("warehouse")
      .query("warehouseId", "string", "one warehouse (UUID); default all");

  auto& ledger = ctx.router.get("/api/v1/warehouse/movements", Role::user, [stock](Request& req) -> Task<Response> {
    auto f = movement_filter(req);
    auto rows = co_await stock->movements(f);
    if (req.query("format").value_or("json") == "csv") {
      auto res = Response::text(csv_of(rows, true), "text/csv; charset=utf-8");
      res.header("Content-Disposition", "attachment; filename=\"movements.csv\"");
      co_return res;
    }
    json data = json::array();
    for (auto& r : rows) data.push_back(r);
    json next = rows.size() == static_cast<std::size_t>(f.limit) ? rows.back()["id"] : json();
    co_return Response::json({{"data", data}, {"meta", {{"pageSize", f.limit}, {"nextAfter", next}}}});
  });
  ledger
      .summary("The ledger in posting order, keyset paged: ?after=<id of the last movement seen> (meta.nextAfter); "
               "?format=csv for CSV")
      .tag("warehouse")
      .query("after", "string", "movement id: the page after it")
      .query("pageSize", "integer", "at most 1000 (default 100)")
      .query("format", "string", "json | csv");
  movement_queries(ledger);

  auto& exp = ctx.router.get("/api/v1/warehouse/movements/export", Role::user, [stock](Request& req) -> Task<Response> {
    auto f = movement_filter(req);
    f.limit = 1000;
    auto state = std::make_shared<MovementFilter>(f);
    auto producer = [stock, state](http::StreamWriter& w) -> Task<void> {
      bool header = true;
      for (;;) {  // keyset batches: constant cost per batch, no connection held between them
        auto rows = co_await stock->movements(*state);
        if (rows.empty() && !header) co_return;
        auto chunk = csv_of(rows, header);
        header = false;
        bool sent = co_await w.write(chunk);
        if (!sent || rows.size() < static_cast<std::size_t>(state->limit)) co_return;
        state->after = rows.back()["id"].get<std::string>();
      }
    };
    auto res = Response::streamed("text/csv; charset=utf-8", std::move(producer));
    res.header("Content-Disposition", "attachment; filename=\"movements.csv\"");
    co_return res;
  });
  exp.summary("The whole ledger matching the filters as CSV, streamed").tag("warehouse");
  movement_queries(exp);
}

}  // namespace netops::warehouse
