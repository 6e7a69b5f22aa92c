// The audit trail (admins): audit_log — AuditService::list, exactly as GET /api/admin/audit-logs (admin).
#include "modules/tools/builtin.hpp"

namespace netops::tools {

using nlohmann::json;

void add_audit_tools(Registry& r, const ToolDeps& d) {
  auto audit = d.audit;
  r.add(Tool{
      .name = "audit_log",
      .title = "Audit trail (admin)",
      .description =
          "Administrators only: the newest audit rows (who changed what, with the request id), filtered by "
          "action (e.g. asset.updated, tool.invoked) and/or resource (e.g. asset:<id>, tool:find_assets).",
      .input_schema = {{"type", "object"},
                       {"properties",
                        {{"action", {{"type", "string"}, {"minLength", 1}, {"maxLength", 100}}},
                         {"resource", {{"type", "string"}, {"minLength", 1}, {"maxLength", 200}}},
                         {"limit", {{"type", "integer"}, {"minimum", 1}, {"maximum", 50},
                                    {"description", "default 20"}}}}},
                       {"additionalProperties", false}},
      .output_schema = {{"type", "object"},
                        {"properties", {{"total", {{"type", "integer"}}}, {"items", {{"type", "array"}}}}},
                        {"required", {"items"}}},
      .min_role = Role::admin,
      .read_only = true,
      .run = [audit](const json& a, const Caller&) -> Task<json> {
        audit::Filter f;
        if (a.contains("action")) f.action = a["action"].get<std::string>();
        if (a.contains("resource")) f.resource = a["resource"].get<std::string>();
        db::PageRequest p{.page = 1, .page_size = a.value("limit", 20)};
        auto page = co_await audit->list(f, p);
        json items = json::array();
        for (const auto& e : page.items) items.push_back(to_json(e));
        co_return json{{"total", page.total}, {"items", std::move(items)}};
      },
  });
}

}  // namespace netops::tools
