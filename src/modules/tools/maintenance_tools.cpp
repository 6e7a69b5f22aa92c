// Maintenance tickets: asset_tickets (the list route filtered by asset) and open_maintenance_ticket (a write
// tool: the create route's parsing and service — the asset goes in_repair with its MAINT_OPEN event and
// the audit row, all with the request id, exactly as POST /api/v1/maintenance/tickets).
#include "modules/maintenance/ticket_body.hpp"
#include "modules/tools/builtin.hpp"

namespace netops::tools {

using nlohmann::json;

void add_maintenance_tools(Registry& r, const ToolDeps& d) {
  auto tickets = d.tickets;
  const json statuses = {"open", "in_progress", "closed", "canceled"};
  r.add(Tool{
      .name = "asset_tickets",
      .title = "Maintenance tickets of an asset",
      .description = "The maintenance tickets of one asset, newest first: by default the open ones (open, "
                     "in_progress); give `status` to see others.",
      .input_schema = {{"type", "object"},
                       {"properties",
                        {{"assetId", uuid_schema("the asset's id (see find_assets)")},
                         {"status", {{"type", "array"}, {"maxItems", 4}, {"items", {{"type", "string"}, {"enum", statuses}}}}},
                         {"limit", {{"type", "integer"}, {"minimum", 1}, {"maximum", 50}}}}},
                       {"required", {"assetId"}},
                       {"additionalProperties", false}},
      .output_schema = {{"type", "object"},
                        {"properties", {{"total", {{"type", "integer"}}}, {"items", {{"type", "array"}}}}},
                        {"required", {"items"}}},
      .min_role = Role::user,
      .read_only = true,
      .run = [tickets](const json& a, const Caller&) -> Task<json> {
        maintenance::TicketFilter f;
        std::string asset = id_arg(a, "assetId");
        f.asset_id = asset;
        if (a.contains("status"))
          for (const auto& s : a["status"]) f.statuses.push_back(s.get<std::string>());
        else
          f.statuses = {"open", "in_progress"};
        db::PageRequest p{.page = 1, .page_size = a.value("limit", 20)};
        db::Sort s{"t.opened_at", true};
        auto page = co_await tickets->list(f, p, s);
        json items = json::array();
        for (const auto& t : page.items) items.push_back(maintenance::to_json(t));
        co_return json{{"total", page.total}, {"items", std::move(items)}};
      },
  });
  r.add(Tool{
      .name = "open_maintenance_ticket",
      .title = "Open a maintenance ticket",
      .description = "Open a maintenance ticket for an asset (title and severity low | medium | high | critical). "
                     "The asset is put in repair and the ticket appears in its timeline. Same rules and role as "
                     "POST /api/v1/maintenance/tickets.",
      .input_schema = {{"type", "object"},
                       {"properties",
                        {{"assetId", uuid_schema("the asset's id")},
                         {"title", {{"type", "string"}, {"minLength", 1}, {"maxLength", 200}}},
                         {"severity", {{"type", "string"}, {"enum", {"low", "medium", "high", "critical"}}}}}},
                       {"required", {"assetId", "title", "severity"}},
                       {"additionalProperties", false}},
      .output_schema = {{"type", "object"}, {"properties", {{"ticket", {{"type", "object"}}}}}, {"required", {"ticket"}}},
      .min_role = Role::user,
      .read_only = false,
      .run = [tickets](const json& a, const Caller& by) -> Task<json> {
        auto in = maintenance::parse_new_ticket(a);
        auto ticket = co_await tickets->create(in, by);
        co_return json{{"ticket", maintenance::to_json(ticket)}};
      },
  });
}

}  // namespace netops::tools
