#include "modules/warehouse/module.hpp"

namespace netops::warehouse {

Module<DocumentService> register_module(AppContext& ctx, std::shared_ptr<audit::AuditService>,
                                        std::shared_ptr<ops_events::OpsEventService> ops) {
  auto docs = std::make_shared<DocumentService>(ctx, ops);
  register_catalog_routes(ctx, ops);
  register_document_routes(ctx, docs, ops);
  register_stock_routes(ctx, std::make_shared<StockRepo>(ctx.db));
  return {docs, {}};
}

}  // namespace netops::warehouse
