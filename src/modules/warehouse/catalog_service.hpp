#pragma once
// Warehouses and spare parts (SPEC §3 "Warehouse & repair"): admin writes, users read; codes unique (409);
// every change writes an ops_events row in its transaction; a row with stock, movements, documents or
// repair lines is not deleted (409 naming them).
#include <memory>
#include <optional>
#include <string>

#include "core/caller.hpp"
#include "kit/context.hpp"
#include "modules/ops_events/ops_event_service.hpp"
#include "modules/warehouse/catalog_repo.hpp"

namespace netops::warehouse {

class CatalogService {
 public:
  CatalogService(AppContext& ctx, std::shared_ptr<ops_events::OpsEventService> ops, const CatalogKind& kind)
      : ctx_(ctx), repo_(ctx.db, kind), ops_(std::move(ops)), kind_(kind) {}

  Task<db::Page<Item>> list(const CatalogFilter& f, const db::PageRequest& p, const db::Sort& s);
  Task<Item> get(const std::string& id);  // 404 when absent
  Task<Item> create(const ItemInput& in, const Caller& by);
  Task<Item> update(const std::string& id, const ItemInput& in, const std::optional<std::string>& expected_etag,
                    const Caller& by);
  Task<void> remove(const std::string& id, const Caller& by);
  const CatalogKind& kind() const { return kind_; }

 private:
  AppContext& ctx_;
  CatalogRepo repo_;
  std::shared_ptr<ops_events::OpsEventService> ops_;
  const CatalogKind& kind_;
};

}  // namespace netops::warehouse
