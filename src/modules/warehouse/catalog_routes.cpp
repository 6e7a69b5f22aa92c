// HTTP shape of warehouses and spare parts.
#include "http/crud.hpp"
#include "modules/ops_events/module.hpp"
#include "modules/warehouse/module.hpp"
#include "modules/warehouse/warehouse_body.hpp"

namespace netops::warehouse {

using http::Request;
using nlohmann::json;

namespace {
const json kStr = {{"type", "string"}};
const json kInt = {{"type", "integer"}};
const json kWarehouse = {{"type", "object"},
                         {"properties",
                          {{"id", kStr}, {"code", kStr}, {"name", kStr}, {"locationId", kStr}, {"createdAt", kStr}}}};
const json kWarehouseInput = {{"type", "object"},
                              {"required", {"code", "name"}},
                              {"properties", {{"code", kStr}, {"name", kStr}, {"locationId", kStr}}}};
const json kPart = {{"type", "object"},
                    {"properties",
                     {{"id", kStr}, {"partCode", kStr}, {"name", kStr}, {"category", kStr}, {"uom", kStr},
                      {"manufacturer", kStr}, {"model", kStr}, {"spec", {{"type", "object"}}}, {"minLevel", kInt},
                      {"createdAt", kStr}}}};
const json kPartInput = {{"type", "object"},
                         {"required", {"partCode", "name"}},
                         {"properties",
                          {{"partCode", kStr}, {"name", kStr}, {"category", kStr}, {"uom", kStr},
                           {"manufacturer", kStr}, {"model", kStr}, {"spec", {{"type", "object"}}},
                           {"minLevel", {{"type", "integer"}, {"minimum", 0}}}}}};
const http::ListSpec kWarehouseList{
    .filters = {{"search", "string", "in code and name"}, {"locationId", "string", "UUID of a location"}},
    .sorts = {{"code", "code"}, {"name", "name"}, {"createdAt", "created_at"}},
    .default_sort = "code",
    .default_descending = false,
    .default_page_size = 50,
};
const http::ListSpec kPartList{
    .filters = {{"search", "string", "in partCode, name, manufacturer and model"},
                {"category", "string", "exact"},
                {"uom", "string", "exact"},
                {"manufacturer", "string", "exact"}},
    .sorts = {{"partCode", "part_code"}, {"name", "name"}, {"category", "category"}, {"minLevel", "min_level"},
              {"createdAt", "created_at"}},
    .default_sort = "partCode",
    .default_descending = false,
    .default_page_size = 50,
};
}  // namespace

void register_catalog_routes(AppContext& ctx, std::shared_ptr<ops_events::OpsEventService> ops) {
  auto warehouses = std::make_shared<CatalogService>(ctx, ops, warehouse_kind());
  auto parts = std::make_shared<CatalogService>(ctx, ops, part_kind());
  http::crud(ctx.router, warehouses,
             http::CrudSpec<ItemInput, CatalogFilter>{
                 .base = "/api/v1/warehouse/warehouses",
                 .noun = "warehouse",
                 .tag = "warehouse",
                 .item_schema = kWarehouse,
                 .input_schema = kWarehouseInput,
                 .list = kWarehouseList,
                 .filter = [](const Request& req) {
                   CatalogFilter f;
                   f.search = req.query("search");
                   f.location_id = req.query_uuid("locationId");
                   return f;
                 },
                 .parse = parse_warehouse,
                 .delete_summary = "409 naming its stock, movements, documents and repair lines",
             });
  http::crud(ctx.router, parts,
             http::CrudSpec<ItemInput, CatalogFilter>{
                 .base = "/api/v1/warehouse/parts",
                 .noun = "spare part",
                 .tag = "warehouse",
                 .item_schema = kPart,
                 .input_schema = kPartInput,
                 .list = kPartList,
                 .filter = [](const Request& req) {
                   CatalogFilter f;
                   f.search = req.query("search");
                   f.category = req.query("category");
                   f.uom = req.query("uom");
                   f.manufacturer = req.query("manufacturer");
                   return f;
                 },
                 .parse = parse_part,
                 .delete_summary = "409 naming its stock, movements, document lines and repair lines",
             });
  ops_events::history_route(ctx, ops, "/api/v1/warehouse/warehouses", "warehouse", "warehouse",
                            [warehouses](const std::string& id) -> Task<void> { co_await warehouses->get(id); });
  ops_events::history_route(ctx, ops, "/api/v1/warehouse/parts", "spare_part", "warehouse",
                            [parts](const std::string& id) -> Task<void> { co_await parts->get(id); });
}

}  // namespace netops::warehouse
