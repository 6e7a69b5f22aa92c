#pragma once
// Asset categories (SPEC §3 "Assets", §4.4): created with spec version 1 (active, no definitions) in one
// transaction; every write is an audited change; a category still used by asset models is not deleted.
#include <memory>
#include <optional>
#include <string>

#include "core/caller.hpp"
#include "kit/context.hpp"
#include "modules/audit/audit_service.hpp"
#include "modules/catalog/asset_category_repo.hpp"
#include "modules/catalog/spec_version_repo.hpp"

namespace netops::catalog {

class AssetCategoryService {
 public:
  AssetCategoryService(AppContext& ctx, std::shared_ptr<audit::AuditService> audit)
      : ctx_(ctx), repo_(ctx.db), versions_(ctx.db, SpecVersionRepo::asset_categories()), audit_(std::move(audit)) {}

  Task<db::Page<AssetCategory>> list(const ListFilter& f, const db::PageRequest& p, const db::Sort& s);
  Task<AssetCategory> get(const std::string& id);  // 404 when absent
  Task<AssetCategory> create(const AssetCategoryInput& in, const Caller& by);
  Task<AssetCategory> update(const std::string& id, const AssetCategoryInput& in,
                             const std::optional<std::string>& expected_etag, const Caller& by);
  Task<void> remove(const std::string& id, const Caller& by);  // its spec versions go with it

 private:
  AppContext& ctx_;
  AssetCategoryRepo repo_;
  SpecVersionRepo versions_;
  std::shared_ptr<audit::AuditService> audit_;
};

}  // namespace netops::catalog
