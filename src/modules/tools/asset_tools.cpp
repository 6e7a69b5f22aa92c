// Assets: find_assets (the list route's search and filters) and get_asset (the detail route plus the
// events route: the asset's timeline). AssetService, exactly as GET /api/v1/assets[/{id}[/events]].
#include <algorithm>

#include "core/error.hpp"
#include "core/ids.hpp"
#include "modules/assets/asset_body.hpp"
#include "modules/assets/asset_rules.hpp"
#include "modules/tools/builtin.hpp"
#include "modules/tools/pick.hpp"

namespace netops::tools {

using nlohmann::json;

namespace {

const json kStatuses = {"in_stock", "in_use", "in_repair", "retired", "disposed", "lost"};

std::string str(const json& row, const char* key) {
  auto it = row.find(key);
  return it != row.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The asset a code, hostname or serial names among the rows found (pick.hpp). A plain function: GCC 12
// mishandles temporaries in coroutine bodies.
std::string pick_asset(const json& rows, const std::string& code) {
  const json& row = pick_one(
      rows, code, "asset", "id",
      [](const json& r) { return std::vector<std::string>{str(r, "assetCode"), str(r, "hostname"), str(r, "serialNo")}; },
      [](const json& r) {
        return json{{"id", str(r, "id")}, {"assetCode", str(r, "assetCode")}, {"hostname", str(r, "hostname")}};
      });
  return str(row, "id");
}

}  // namespace

void add_asset_tools(Registry& r, const ToolDeps& d) {
  auto assets = d.assets;
  r.add(Tool{
      .name = "find_assets",
      .title = "Find assets",
      .description =
          "Search the IT asset inventory. `query` matches asset code, serial number, hostname or MAC address "
          "(containment; MAC in any spelling), a management IP address, an IPv4 CIDR such as 10.1.2.0/24 or an "
          "IPv4 prefix such as \"10.1.2.\". Filter by status and by location (a location includes its "
          "sub-locations). Returns the matching assets with model, category, vendor and location names, newest "
          "first, and the total number of matches.",
      .input_schema = {{"type", "object"},
                       {"properties",
                        {{"query", {{"type", "string"}, {"minLength", 1}, {"maxLength", 200},
                                    {"description", "code, serial, hostname, MAC, IP, CIDR or free text"}}},
                         {"status", {{"type", "array"}, {"maxItems", 6}, {"items", {{"type", "string"}, {"enum", kStatuses}}},
                                     {"description", "only assets in these statuses"}}},
                         {"locationId", uuid_schema("only assets at this location or below it")},
                         {"limit", {{"type", "integer"}, {"minimum", 1}, {"maximum", 50},
                                    {"description", "how many assets to return (default 10)"}}}}},
                       {"additionalProperties", false}},
      .output_schema = {{"type", "object"},
                        {"properties",
                         {{"total", {{"type", "integer"}}},
                          {"totalExact", {{"type", "boolean"}}},
                          {"items", {{"type", "array"}, {"items", {{"type", "object"}}}}}}},
                        {"required", {"total", "items"}}},
      .min_role = Role::user,
      .read_only = true,
      .run = [assets](const json& a, const Caller&) -> Task<json> {
        assets::Filter f;
        if (a.contains("query")) f.search = a["query"].get<std::string>();
        if (a.contains("status"))
          for (const auto& s : a["status"]) f.statuses.push_back(s.get<std::string>());
        if (a.contains("locationId")) f.location_id = id_arg(a, "locationId");
        http::Paging p{.page = 1, .page_size = a.value("limit", 10)};
        http::Sort s{"created_at", true};
        auto [rows, total] = co_await assets->list(f, p, s);
        co_return json{{"total", total.value}, {"totalExact", total.exact}, {"items", std::move(rows)}};
      },
  });

  r.add(Tool{
      .name = "get_asset",
      .title = "Asset detail and timeline",
      .description =
          "One asset in detail: model, category, vendor, location with its path, the open assignment (who or "
          "what uses it), and its timeline of events (status changes, assignments, moves, repairs), newest "
          "first. Give `id`, or `code` (asset code, hostname or serial number — it must identify one asset).",
      .input_schema = {{"type", "object"},
                       {"properties",
                        {{"id", uuid_schema("the asset's id")},
                         {"code", {{"type", "string"}, {"minLength", 1}, {"maxLength", 200},
                                   {"description", "asset code, hostname or serial number"}}},
                         {"events", {{"type", "integer"}, {"minimum", 0}, {"maximum", 100},
                                     {"description", "how many timeline events (default 20)"}}}}},
                       {"additionalProperties", false}},
      .output_schema = {{"type", "object"},
                        {"properties", {{"asset", {{"type", "object"}}}, {"timeline", {{"type", "array"}}},
                                        {"timelineTotal", {{"type", "integer"}}}}},
                        {"required", {"asset", "timeline"}}},
      .min_role = Role::user,
      .read_only = true,
      .run = [assets](const json& a, const Caller&) -> Task<json> {
        std::string id;
        if (a.contains("id")) {
          id = id_arg(a, "id");
        } else if (a.contains("code")) {
          std::string code = a["code"].get<std::string>();
          assets::Filter f;
          f.search = code;
          http::Paging p{.page = 1, .page_size = 20};
          http::Sort s{"created_at", true};
          auto [rows, total] = co_await assets->list(f, p, s);
          id = pick_asset(rows, code);
        } else {
          throw ValidationError("arguments", "give id or code");
        }
        auto asset = co_await assets->find(id);
        auto detail = co_await assets->detail(asset);
        http::Paging p{.page = 1, .page_size = a.value("events", 20)};
        json timeline = json::array();
        long long timeline_total = 0;
        if (p.page_size > 0) {
          auto [events, total] = co_await assets->events(id, p);
          timeline = std::move(events);
          timeline_total = total;
        }
        co_return json{{"asset", std::move(detail)}, {"timeline", std::move(timeline)}, {"timelineTotal", timeline_total}};
      },
  });

  // A write tool: the status route's parsing and service call (admin, as POST /api/v1/assets/{id}/status),
  // so the status table, the asset_events row and the audit carry the request id exactly as the REST call.
  r.add(Tool{
      .name = "set_asset_status",
      .title = "Change an asset's status (admin)",
      .description =
          "Administrators only: move an asset to another status along the allowed transitions (in_stock, in_use, "
          "in_repair, retired, disposed, lost), with an optional note. A forbidden transition fails with the "
          "allowed ones listed. Recorded in the asset's timeline with the request id.",
      .input_schema = {{"type", "object"},
                       {"properties",
                        {{"id", uuid_schema("the asset's id")},
                         {"status", {{"type", "string"}, {"enum", kStatuses}}},
                         {"note", {{"type", "string"}, {"maxLength", 2000}}}}},
                       {"required", {"id", "status"}},
                       {"additionalProperties", false}},
      .output_schema = {{"type", "object"}, {"properties", {{"asset", {{"type", "object"}}}}}, {"required", {"asset"}}},
      .min_role = Role::admin,
      .read_only = false,
      .run = [assets](const json& a, const Caller& by) -> Task<json> {
        json body = {{"status", a["status"]}};
        if (a.contains("note")) body["note"] = a["note"];
        auto change = assets::parse_status_change(body);
        std::string id = id_arg(a, "id");
        std::optional<std::string> expected;
        auto asset = co_await assets->change_status(id, change, expected, by);
        co_return json{{"asset", to_json(asset)}};
      },
  });
}

}  // namespace netops::tools
