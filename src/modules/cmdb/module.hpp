#pragma once
// The CMDB (SPEC §3 "CMDB", §4.6): /api/v1/cmdb/types (+ versions and attribute definitions: the catalog's
// one spec lifecycle), /cis, /relationship-types, /relationships, /services (+ members), graph and impact,
// reports. Reads need Role::user, writes Role::admin. Every change writes an ops event in its transaction.
#include <memory>

#include "kit/context.hpp"
#include "kit/module.hpp"
#include "modules/audit/audit_service.hpp"
#include "modules/catalog/spec_version_service.hpp"
#include "modules/cmdb/ci_service.hpp"
#include "modules/cmdb/ci_type_service.hpp"
#include "modules/cmdb/graph_service.hpp"
#include "modules/cmdb/relationship_service.hpp"
#include "modules/cmdb/relationship_type_service.hpp"
#include "modules/cmdb/report_repo.hpp"
#include "modules/cmdb/service_service.hpp"
#include "modules/ops_events/ops_event_service.hpp"

namespace netops::cmdb {

struct CmdbServices {
  std::shared_ptr<catalog::SpecVersionService> versions;
  std::shared_ptr<CiTypeService> types;
  std::shared_ptr<CiService> cis;
  std::shared_ptr<RelTypeService> rel_types;
  std::shared_ptr<RelationshipService> relationships;
  std::shared_ptr<ServiceService> services;
  std::shared_ptr<GraphService> graph;
  std::shared_ptr<ReportRepo> reports;
};

// audit: unused today (the CMDB's trail is ops_events), received so the CMDB can write audit rows without a
// change of signature.
Module<CmdbServices> register_module(AppContext& ctx, std::shared_ptr<audit::AuditService> audit,
                                     std::shared_ptr<ops_events::OpsEventService> ops);

// One per <resource>_routes.cpp, called by register_module.
void register_ci_type_routes(AppContext& ctx, const CmdbServices& s);
void register_ci_routes(AppContext& ctx, const CmdbServices& s, std::shared_ptr<ops_events::OpsEventService> ops);
void register_relationship_type_routes(AppContext& ctx, const CmdbServices& s);
void register_relationship_routes(AppContext& ctx, const CmdbServices& s);
void register_service_routes(AppContext& ctx, const CmdbServices& s);
void register_graph_routes(AppContext& ctx, const CmdbServices& s);
void register_report_routes(AppContext& ctx, const CmdbServices& s);

}  // namespace netops::cmdb
