// Repair orders: asset_repairs — the repair orders of one asset (the open ones by default), as
// GET /api/v1/maintenance/repair-orders?assetId=…&status=active (RepairService::list, Role::user).
#include "modules/tools/builtin.hpp"

namespace netops::tools {

using nlohmann::json;

void add_repair_tools(Registry& r, const ToolDeps& d) {
  auto repairs = d.repairs;
  r.add(Tool{
      .name = "asset_repairs",
      .title = "Repair orders of an asset",
      .description = "The repair orders of one asset, newest first, with code, status, severity, repair type, "
                     "vendor, downtime and costs. By default the open ones (open, diagnosing, waiting_parts, "
                     "repaired); `status` \"all\" or one status shows others. Find the asset's id with "
                     "find_assets.",
      .input_schema = {{"type", "object"},
                       {"properties",
                        {{"assetId", uuid_schema("the asset's id (see find_assets)")},
                         {"status",
                          {{"type", "string"},
                           {"enum", {"active", "all", "open", "diagnosing", "waiting_parts", "repaired", "closed", "canceled"}},
                           {"description", "active (default: every open state), all, or one status"}}},
                         {"limit", {{"type", "integer"}, {"minimum", 1}, {"maximum", 50},
                                    {"description", "orders to return (default 20)"}}}}},
                       {"required", {"assetId"}},
                       {"additionalProperties", false}},
      .output_schema = {{"type", "object"},
                        {"properties", {{"total", {{"type", "integer"}}}, {"items", {{"type", "array"}}}}},
                        {"required", {"total", "items"}}},
      .min_role = Role::user,
      .read_only = true,
      .run = [repairs](const json& a, const Caller&) -> Task<json> {
        repair::OrderFilter f;
        std::string asset = id_arg(a, "assetId");
        f.asset_id = asset;
        std::string status = a.value("status", std::string("active"));
        if (status != "all") f.status = status;
        db::PageRequest p{.page = 1, .page_size = a.value("limit", 20)};
        db::Sort s{"o.opened_at", true};
        auto page = co_await repairs->list(f, p, s);
        json items = json::array();
        for (const auto& o : page.items) items.push_back(repair::to_json(o));
        co_return json{{"total", page.total}, {"items", std::move(items)}};
      },
  });
}

}  // namespace netops::tools
