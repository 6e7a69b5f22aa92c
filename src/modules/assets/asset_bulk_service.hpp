#pragma once
// Bulk actions on selected assets (POST /api/v1/assets/bulk/{status,move,assign}): one transaction per call,
// each asset through the same rule as its single route (AssetService::change_status_in / move_in /
// assign_in: the status table, the assignment rules, one asset_events row per asset), all or nothing.
//
// Atomic: every asset is tried (each inside a SAVEPOINT, so one refusal does not hide the others'); if any
// is refused the whole transaction rolls back and the answer is 422 UNPROCESSABLE with
// details.failed (each id with the refusal's code, status, message and details) and details.results (every
// id, ok or not) — nothing changed. Otherwise 200 with one result per id, in the order given.
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "modules/assets/asset_service.hpp"

namespace netops::assets {

// At most this many ids a call: one transaction holds every selected asset's row lock until it commits.
inline constexpr std::size_t kBulkMaxIds = 500;

// The body's "ids": 1–kBulkMaxIds distinct UUIDs (lower-cased); 400 naming "ids" otherwise.
std::vector<std::string> parse_bulk_ids(const nlohmann::json& body);

class AssetBulkService {
 public:
  explicit AssetBulkService(AppContext& ctx, std::shared_ptr<AssetService> assets)
      : ctx_(ctx), assets_(std::move(assets)) {}

  // Each answers {"results": [{"id", "ok": true, "asset"}…], "count"}; throws 422 (nothing changed)
  // when any asset is refused.
  Task<nlohmann::json> change_status(const std::vector<std::string>& ids, const StatusChange& change,
                                     const Caller& who);
  Task<nlohmann::json> move(const std::vector<std::string>& ids, const MoveInput& m, const Caller& who);
  Task<nlohmann::json> assign(const std::vector<std::string>& ids, const NewAssignment& a, const Caller& who);

 private:
  // Runs `one` for every id inside one transaction (row locks taken in id order, so two bulk calls over
  // overlapping selections cannot deadlock), each in its own savepoint.
  using One = std::function<Task<nlohmann::json>(db::Tx&, const std::string&)>;
  Task<nlohmann::json> run(const std::vector<std::string>& ids, std::string_view action, const One& one);

  AppContext& ctx_;
  std::shared_ptr<AssetService> assets_;
};

}  // namespace netops::assets
