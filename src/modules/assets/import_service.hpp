#pragma once
// CSV import and export of assets (SPEC §3): parse → validate → apply, all in one transaction that a
// dry run or an atomic failure rolls back; the export streams the same columns in keyset batches.
#include <memory>
#include <nlohmann/json.hpp>

#include "kit/context.hpp"
#include "http/response.hpp"
#include "modules/assets/bulk_repo.hpp"
#include "modules/assets/import_plan.hpp"
#include "modules/assets/service.hpp"

namespace netops::assets {

struct ImportResult {
  bool ok = true;  // false: atomic mode with errors (or an unreadable file), nothing written → 422
  nlohmann::json report;
};

class ImportService : public std::enable_shared_from_this<ImportService> {
 public:
  ImportService(AppContext& ctx, std::shared_ptr<AssetsService> assets)
      : ctx_(ctx), assets_(std::move(assets)), bulk_(ctx.db) {}
  Task<ImportResult> import_csv(const std::string& text, const ImportOptions& opts, const Who& who);
  // The CSV export of every asset matching f, streamed in batches of 1,000 (header row first).
  Task<http::Response> export_csv(const Filter& f);

 private:
  AppContext& ctx_;
  std::shared_ptr<AssetsService> assets_;
  BulkRepo bulk_;
};

}  // namespace netops::assets
