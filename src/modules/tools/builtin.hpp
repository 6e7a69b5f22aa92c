#pragma once
// The one list of built-in tools and what they need. A tool family is one file (<family>_tools.cpp) with
// one function add_<family>_tools(Registry&, const ToolDeps&); register_builtin_tools calls each.
// Adding a family: see README.md ("Adding a tool").
#include <memory>

#include "kit/context.hpp"
#include "modules/assets/asset_service.hpp"
#include "modules/audit/audit_service.hpp"
#include "modules/catalog/location_service.hpp"
#include "modules/chat/chat_service.hpp"
#include "modules/cmdb/ci_service.hpp"
#include "modules/cmdb/graph_service.hpp"
#include "modules/cmdb/service_service.hpp"
#include "modules/maintenance/ticket_service.hpp"
#include "modules/repair/repair_service.hpp"
#include "modules/warehouse/document_service.hpp"
#include "modules/warehouse/stock_repo.hpp"
#include "modules/workflow/module.hpp"
#include "modules/tools/registry.hpp"

namespace netops::tools {

// The services the built-in tools call (the same the REST routes call). Received by register_module.
struct ToolDeps {
  std::shared_ptr<assets::AssetService> assets;
  std::shared_ptr<catalog::LocationService> locations;
  std::shared_ptr<chat::ChatService> chat;
  std::shared_ptr<audit::AuditService> audit;
  std::shared_ptr<maintenance::TicketService> tickets;
  // Each family is registered only when its services are given (a null service: the family is left out).
  std::shared_ptr<cmdb::CiService> cis;                      // cmdb_tools.cpp
  std::shared_ptr<cmdb::GraphService> graph;
  std::shared_ptr<cmdb::ServiceService> services;
  std::shared_ptr<warehouse::StockRepo> stock;               // warehouse_tools.cpp: the read layer of its stock routes
  std::shared_ptr<warehouse::DocumentService> stock_documents;
  std::shared_ptr<repair::RepairService> repairs;            // repair_tools.cpp
  std::shared_ptr<workflow::WorkflowService> workflows;      // workflow_tools.cpp
};

void register_builtin_tools(Registry& r, const ToolDeps& d);

// One per family file.
void add_asset_tools(Registry& r, const ToolDeps& d);     // asset_tools.cpp
void add_location_tools(Registry& r, const ToolDeps& d);  // location_tools.cpp
void add_usage_tools(Registry& r, const ToolDeps& d);     // usage_tools.cpp
void add_audit_tools(Registry& r, const ToolDeps& d);     // audit_tools.cpp
void add_maintenance_tools(Registry& r, const ToolDeps& d);  // maintenance_tools.cpp
void add_cmdb_tools(Registry& r, const ToolDeps& d);       // cmdb_tools.cpp
void add_warehouse_tools(Registry& r, const ToolDeps& d);  // warehouse_tools.cpp
void add_repair_tools(Registry& r, const ToolDeps& d);     // repair_tools.cpp
void add_workflow_tools(Registry& r, const ToolDeps& d);   // workflow_tools.cpp
void add_test_tools(Registry& r, const ToolDeps& d);      // test_tools.cpp (NETOPS_TOOLS_TEST_TOOLS only)

// Shared schema pieces.
nlohmann::json uuid_schema(const char* description);

// Shared argument handling.
std::string lower(std::string s);  // ASCII lower case (codes and UUIDs compare case-insensitively)
// A UUID argument (the schema checked its shape), lower-cased as the database writes them.
std::string id_arg(const nlohmann::json& args, const char* key);

}  // namespace netops::tools
