#pragma once
// Spec versions of asset categories (SPEC §4.4): draft → active → retired, one active per category
// (partial unique index), definitions editable only in a draft, publish retires the previous active
// version in the same transaction and reports the models that do not satisfy the new schema. Every
// change writes one audit row in its transaction.
#include <memory>
#include <string>
#include <vector>

#include "core/caller.hpp"
#include "kit/context.hpp"
#include "modules/audit/audit_service.hpp"
#include "modules/catalog/asset_category_repo.hpp"
#include "modules/catalog/asset_model_repo.hpp"
#include "modules/catalog/spec_version_repo.hpp"

namespace netops::catalog {

class SpecVersionService {
 public:
  SpecVersionService(AppContext& ctx, std::shared_ptr<audit::AuditService> audit)
      : ctx_(ctx), categories_(ctx.db), repo_(ctx.db, SpecVersionRepo::asset_categories()), models_(ctx.db),
        audit_(std::move(audit)) {}

  Task<std::vector<SpecVersion>> versions(const std::string& category_id);  // newest first
  Task<SpecVersionDetail> version(const std::string& id);                  // with its definitions
  // A new draft copying the active version's definitions; 409 while a draft exists.
  Task<SpecDraft> create_draft(const std::string& category_id, const Caller& by);
  Task<void> delete_draft(const std::string& id, const Caller& by);
  // Retires the active version and activates the draft; reports the models that do not satisfy it.
  Task<PublishReport> publish(const std::string& id, const Caller& by);

  Task<std::vector<SpecDef>> defs(const std::string& version_id);
  Task<SpecDef> add_def(const std::string& version_id, const specs::FieldDef& def, const Caller& by);
  Task<SpecDef> update_def(const std::string& id, const SpecDefPatch& patch, const Caller& by);
  Task<void> delete_def(const std::string& id, const Caller& by);

 private:
  Task<SpecVersion> lock_draft(db::Tx& tx, const std::string& version_id);  // 404, or 409 unless draft

  AppContext& ctx_;
  AssetCategoryRepo categories_;
  SpecVersionRepo repo_;
  AssetModelRepo models_;
  std::shared_ptr<audit::AuditService> audit_;
};

}  // namespace netops::catalog
