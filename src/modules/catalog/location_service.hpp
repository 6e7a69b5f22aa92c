#pragma once
// Locations (SPEC §3 "Assets"): a tree kept as a materialised path '/<ancestor ids>/<own id>/'. A move
// re-paths the whole subtree in one UPDATE; every tree change takes one transaction-scoped advisory lock,
// so two concurrent moves cannot together build a cycle that neither would build alone. A move changes
// which assets a location filter matches: the assets' cached list totals are told (assets/asset_totals.hpp).
#include <memory>
#include <optional>
#include <string>

#include "core/caller.hpp"
#include "kit/context.hpp"
#include "modules/audit/audit_service.hpp"
#include "modules/catalog/location_repo.hpp"

namespace netops::catalog {

class LocationService {
 public:
  LocationService(AppContext& ctx, std::shared_ptr<audit::AuditService> audit)
      : ctx_(ctx), repo_(ctx.db), audit_(std::move(audit)) {}

  Task<db::Page<Location>> list(const ListFilter& f, const db::PageRequest& p, const db::Sort& s);
  Task<Location> get(const std::string& id);       // 404 when absent
  Task<LocationTree> tree(const std::string& id);  // the location and its whole subtree
  Task<Location> create(const LocationInput& in, const Caller& by);
  // name and/or parentId; a parent change moves the whole subtree (409 on a cycle)
  Task<Location> update(const std::string& id, const LocationInput& in,
                        const std::optional<std::string>& expected_etag, const Caller& by);
  Task<void> remove(const std::string& id, const Caller& by);

 private:
  AppContext& ctx_;
  LocationRepo repo_;
  std::shared_ptr<audit::AuditService> audit_;
};

}  // namespace netops::catalog
