// Warehouse: part_stock (a part's stock in every warehouse, as GET /api/v1/warehouse/stock), reorder_list
// (GET /api/v1/warehouse/reports/reorder) — the warehouse module's StockRepo, the read layer its routes call
// — and create_stock_issue_draft, a write tool: the create route's body parsing and DocumentService::create
// with post=false (Role::admin like POST /api/v1/warehouse/documents). It never posts: a person reviews and
// posts the draft.
#include <map>

#include "core/error.hpp"
#include "modules/tools/builtin.hpp"
#include "modules/warehouse/warehouse_body.hpp"

namespace netops::tools {

using nlohmann::json;

namespace {


long long number(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_number()) return 0;
  return it->get<long long>();
}

}  // namespace

void add_warehouse_tools(Registry& r, const ToolDeps& d) {
  auto stock = d.stock;
  auto docs = d.stock_documents;
  if (stock) {
    r.add(Tool{
        .name = "part_stock",
        .title = "Stock of a spare part",
        .description =
            "On-hand, reserved and available quantity of a spare part (optic, PSU, fan, module …) in every "
            "warehouse, with the part's minimum level and whether each row is below it, and the totals per part. "
            "Name the part by `partId`, or search by part code or name in `part` (e.g. \"SFP-10G-LR\"); "
            "optionally one warehouse.",
        .input_schema = {{"type", "object"},
                         {"properties",
                          {{"partId", uuid_schema("the part's id")},
                           {"part", {{"type", "string"}, {"minLength", 1}, {"maxLength", 200},
                                     {"description", "text in the part's code or name (or a warehouse's)"}}},
                           {"warehouseId", uuid_schema("only this warehouse")},
                           {"limit", {{"type", "integer"}, {"minimum", 1}, {"maximum", 100},
                                      {"description", "stock rows to return (default 50)"}}}}},
                         {"additionalProperties", false}},
        .output_schema = {{"type", "object"},
                          {"properties", {{"total", {{"type", "integer"}}}, {"items", {{"type", "array"}}},
                                          {"parts", {{"type", "array"}}}}},
                          {"required", {"total", "items", "parts"}}},
        .min_role = Role::user,
        .read_only = true,
        .run = [stock](const json& a, const Caller&) -> Task<json> {
          if (!a.contains("partId") && !a.contains("part"))
            throw ValidationError("arguments.partId", "give partId or part (a part code or name)");
          warehouse::StockFilter f;
          if (a.contains("partId")) f.part_id = id_arg(a, "partId");
          if (a.contains("part")) f.search = a["part"].get<std::string>();
          if (a.contains("warehouseId")) f.warehouse_id = id_arg(a, "warehouseId");
          db::PageRequest p{.page = 1, .page_size = a.value("limit", 50)};
          db::Sort s{"p.part_code, w.code", false};
          auto page = co_await stock->stock(f, p, s);
          // Totals per part over the rows returned.
          std::map<std::string, json> parts;
          std::vector<std::string> order;
          for (const auto& row : page.items) {
            std::string code = row.value("partCode", std::string());
            auto [it, fresh] = parts.try_emplace(code, json{{"partId", row.value("partId", json())},
                                                            {"partCode", code},
                                                            {"partName", row.value("partName", json())},
                                                            {"minLevel", row.value("minLevel", json())},
                                                            {"onHand", 0},
                                                            {"reserved", 0},
                                                            {"available", 0},
                                                            {"warehouses", 0}});
            if (fresh) order.push_back(code);
            auto& t = it->second;
            t["onHand"] = t["onHand"].get<long long>() + number(row, "onHand");
            t["reserved"] = t["reserved"].get<long long>() + number(row, "reserved");
            t["available"] = t["available"].get<long long>() + number(row, "available");
            t["warehouses"] = t["warehouses"].get<long long>() + 1;
          }
          json totals = json::array();
          for (const auto& code : order) totals.push_back(parts[code]);
          json items = json::array();
          for (auto& row : page.items) items.push_back(std::move(row));
          co_return json{{"total", page.total}, {"items", std::move(items)}, {"parts", std::move(totals)}};
        },
    });
    r.add(Tool{
        .name = "reorder_list",
        .title = "Parts to reorder",
        .description = "Spare parts whose available quantity (all warehouses, or one) is at or below their "
                       "minimum level — never-stocked parts included — largest shortage first, with on-hand, "
                       "reserved, available, minLevel and shortage.",
        .input_schema = {{"type", "object"},
                         {"properties",
                          {{"warehouseId", uuid_schema("only this warehouse (default: all)")},
                           {"limit", {{"type", "integer"}, {"minimum", 1}, {"maximum", 200},
                                      {"description", "parts to return (default 50)"}}}}},
                         {"additionalProperties", false}},
        .output_schema = {{"type", "object"},
                          {"properties", {{"total", {{"type", "integer"}}}, {"items", {{"type", "array"}}}}},
                          {"required", {"total", "items"}}},
        .min_role = Role::user,
        .read_only = true,
        .run = [stock](const json& a, const Caller&) -> Task<json> {
          std::optional<std::string> wh;
          if (a.contains("warehouseId")) wh = id_arg(a, "warehouseId");
          db::PageRequest p{.page = 1, .page_size = a.value("limit", 50)};
          auto page = co_await stock->reorder(wh, p);
          json items = json::array();
          for (auto& row : page.items) items.push_back(std::move(row));
          co_return json{{"total", page.total}, {"items", std::move(items)}};
        },
    });
  }
  if (docs) {
    json line = {{"type", "object"},
                 {"properties",
                  {{"partId", uuid_schema("the part")},
                   {"qty", {{"type", "integer"}, {"minimum", 1}, {"maximum", 1000000}}},
                   {"serialNo", {{"type", "string"}, {"minLength", 1}, {"maxLength", 128}}},
                   {"note", {{"type", "string"}, {"maxLength", 2000}}}}},
                 {"required", {"partId", "qty"}},
                 {"additionalProperties", false}};
    r.add(Tool{
        .name = "create_stock_issue_draft",
        .title = "Draft a stock issue",
        .description =
            "Create a DRAFT stock issue document (parts leaving a warehouse) with its lines. It is never "
            "posted here: stock does not change until a person reviews and posts the draft. Same rules and role "
            "as POST /api/v1/warehouse/documents with docType issue. Returns the draft with its code.",
        .input_schema = {{"type", "object"},
                         {"properties",
                          {{"warehouseId", uuid_schema("the warehouse the parts leave")},
                           {"lines", {{"type", "array"}, {"minItems", 1}, {"maxItems", 50}, {"items", line}}},
                           {"note", {{"type", "string"}, {"maxLength", 2000}}},
                           {"docDate", {{"type", "string"}, {"pattern", "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"},
                                        {"description", "YYYY-MM-DD (default today)"}}},
                           {"refType", {{"type", "string"}, {"minLength", 1}, {"maxLength", 64},
                                        {"description", "what the issue is for, e.g. repair_order"}}},
                           {"refId", uuid_schema("the id of what the issue is for")}}},
                         {"required", {"warehouseId", "lines"}},
                         {"additionalProperties", false}},
        .output_schema = {{"type", "object"},
                          {"properties", {{"document", {{"type", "object"}}}}},
                          {"required", {"document"}}},
        .min_role = Role::admin,
        .read_only = false,
        .run = [docs](const json& a, const Caller& by) -> Task<json> {
          json body = a;
          body["docType"] = "issue";
          auto in = warehouse::parse_document(body, true);
          auto doc = co_await docs->create(in, false, by);  // a draft: never posted by a tool
          co_return json{{"document", warehouse::to_json(doc)}};
        },
    });
  }
}

}  // namespace netops::tools
