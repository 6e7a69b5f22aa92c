#include "modules/tools/builtin.hpp"

#include <cctype>

namespace netops::tools {

nlohmann::json uuid_schema(const char* description) {
  return {{"type", "string"},
          {"pattern", "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"},
          {"description", description}};
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string id_arg(const nlohmann::json& args, const char* key) { return lower(args.at(key).get<std::string>()); }

void register_builtin_tools(Registry& r, const ToolDeps& d) {
  add_asset_tools(r, d);
  add_location_tools(r, d);
  add_usage_tools(r, d);
  add_audit_tools(r, d);
  if (d.tickets) add_maintenance_tools(r, d);
  if (d.cis && d.graph && d.services) add_cmdb_tools(r, d);
  if (d.stock || d.stock_documents) add_warehouse_tools(r, d);
  if (d.repairs) add_repair_tools(r, d);
  if (d.workflows) add_workflow_tools(r, d);
  if (r.settings().test_tools) add_test_tools(r, d);
}

}  // namespace netops::tools
