#pragma once
// Asset models (SPEC §3 "Assets", §4.4): spec values validated against the category's active spec version
// (or the version the caller names), every error at once keyed "spec.<key>"; list filters including
// spec.<key>=value on filterable fields, answered through `spec @> …` and the GIN index on
// asset_models.spec. A model given another category changes the assets' list totals (asset_totals.hpp).
#include <memory>
#include <optional>
#include <string>

#include "core/caller.hpp"
#include "kit/context.hpp"
#include "modules/audit/audit_service.hpp"
#include "modules/catalog/asset_category_repo.hpp"
#include "modules/catalog/asset_model_repo.hpp"
#include "modules/catalog/spec_version_repo.hpp"

namespace netops::catalog {

class AssetModelService {
 public:
  AssetModelService(AppContext& ctx, std::shared_ptr<audit::AuditService> audit)
      : ctx_(ctx), repo_(ctx.db), categories_(ctx.db), versions_(ctx.db, SpecVersionRepo::asset_categories()),
        audit_(std::move(audit)) {}

  // 400 naming spec.<key> when not a filterable field (of the category, when given) or when its value
  // fits none of the fields of that key; the route has checked categoryId and vendorId.
  Task<db::Page<AssetModel>> list(AssetModelFilter f, const db::PageRequest& p, const db::Sort& s);
  Task<AssetModel> get(const std::string& id);  // 404 when absent
  Task<AssetModel> create(const AssetModelInput& in, const Caller& by);
  Task<AssetModel> update(const std::string& id, const AssetModelInput& in,
                          const std::optional<std::string>& expected_etag, const Caller& by);
  Task<void> remove(const std::string& id, const Caller& by);  // 409 while assets use it

 private:
  // The schema the model's spec is checked against, and the check (throws on any error); returns the
  // normalized spec and stamps the version on the model.
  Task<nlohmann::json> validate_spec(db::Tx& tx, AssetModel& m, bool version_given);

  AppContext& ctx_;
  AssetModelRepo repo_;
  AssetCategoryRepo categories_;
  SpecVersionRepo versions_;
  std::shared_ptr<audit::AuditService> audit_;
};

}  // namespace netops::catalog
