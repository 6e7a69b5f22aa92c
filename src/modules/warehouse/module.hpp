#pragma once
#include <memory>

#include "kit/context.hpp"
#include "kit/module.hpp"
#include "modules/audit/audit_service.hpp"
#include "modules/ops_events/ops_event_service.hpp"
#include "modules/warehouse/catalog_service.hpp"
#include "modules/warehouse/document_service.hpp"
#include "modules/warehouse/stock_repo.hpp"

namespace netops::warehouse {

// /api/v1/warehouse/…: warehouses, parts, stock (+ reports, verify), documents (post, cancel, reverse),
// the movements ledger. The service other modules call is the document service (issue, reverse, reserve
// and release inside their own transaction).
Module<DocumentService> register_module(AppContext& ctx, std::shared_ptr<audit::AuditService> audit,
                                        std::shared_ptr<ops_events::OpsEventService> ops);

// The routes, by resource (module.cpp wires them).
void register_catalog_routes(AppContext& ctx, std::shared_ptr<ops_events::OpsEventService> ops);
void register_document_routes(AppContext& ctx, std::shared_ptr<DocumentService> docs,
                              std::shared_ptr<ops_events::OpsEventService> ops);
void register_stock_routes(AppContext& ctx, std::shared_ptr<StockRepo> stock);

}  // namespace netops::warehouse
