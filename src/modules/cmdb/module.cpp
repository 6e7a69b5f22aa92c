#include "modules/cmdb/module.hpp"

namespace netops::cmdb {

Module<CmdbServices> register_module(AppContext& ctx, std::shared_ptr<audit::AuditService> audit,
                                     std::shared_ptr<ops_events::OpsEventService> ops) {
  (void)audit;
  CmdbServices s;
  s.versions = std::make_shared<catalog::SpecVersionService>(ctx, ci_type_spec_owner(ctx.db, ops));
  s.types = std::make_shared<CiTypeService>(ctx, ops, s.versions);
  s.cis = std::make_shared<CiService>(ctx, ops, s.versions);
  s.rel_types = std::make_shared<RelTypeService>(ctx, ops);
  s.relationships = std::make_shared<RelationshipService>(ctx, ops);
  s.services = std::make_shared<ServiceService>(ctx, ops);
  s.graph = std::make_shared<GraphService>(ctx);
  s.reports = std::make_shared<ReportRepo>(ctx.db);
  register_ci_type_routes(ctx, s);
  register_ci_routes(ctx, s, ops);
  register_relationship_type_routes(ctx, s);
  register_relationship_routes(ctx, s);
  register_service_routes(ctx, s);
  register_graph_routes(ctx, s);
  register_report_routes(ctx, s);
  return {std::make_shared<CmdbServices>(std::move(s)), {}};
}

}  // namespace netops::cmdb
