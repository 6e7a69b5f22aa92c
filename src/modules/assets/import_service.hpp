#pragma once
// CSV import and export of assets (SPEC §3): parse → validate → apply, all in one transaction that a
// dry run or an atomic failure rolls back; the export streams the same columns in keyset batches.
#include <memory>
#include <nlohmann/json.hpp>

#include "kit/context.hpp"
#include "modules/assets/import_repo.hpp"
#include "modules/assets/import_plan.hpp"
#include "modules/assets/asset_service.hpp"

#include "modules/assets/assets_settings.hpp"

namespace netops::assets {

struct ImportResult {
  bool ok = true;  // false: atomic mode with errors (or an unreadable file), nothing written → 422
  nlohmann::json report;
};

class ImportService;

// The CSV export of the assets matching a filter, as chunks: the header row with the first batch, then one
// chunk per keyset batch of 1,000 assets; nullopt once the last batch was given. The route streams them.
class CsvExport {
 public:
  CsvExport(std::shared_ptr<ImportService> svc, Filter f, std::shared_ptr<const CsvNames> names)
      : svc_(std::move(svc)), filter_(std::move(f)), names_(std::move(names)) {}
  Task<std::optional<std::string>> next();

 private:
  std::shared_ptr<ImportService> svc_;
  Filter filter_;
  std::shared_ptr<const CsvNames> names_;
  std::optional<std::string> after_;
  bool first_ = true, done_ = false;
};

class ImportService : public std::enable_shared_from_this<ImportService> {
 public:
  ImportService(AppContext& ctx, std::shared_ptr<AssetService> assets)
      : ctx_(ctx), settings_(load_section(ctx.config, assets_section())), assets_(std::move(assets)), repo_(ctx.db) {}
  Task<ImportResult> import_csv(const std::string& text, const ImportOptions& opts, const Caller& who);
  // The CSV export of every asset matching f (model, vendor and location names resolved once, here).
  Task<CsvExport> export_csv(const Filter& f);

 private:
  friend class CsvExport;
  AppContext& ctx_;
  const AssetsSettings settings_;
  std::shared_ptr<AssetService> assets_;
  ImportRepo repo_;
};

}  // namespace netops::assets
