#pragma once
// SQL of assets, assignments and events, and nothing else (bulk import/export SQL: bulk_repo.hpp,
// attachments: attachment_repo in attachments.hpp).
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "db/db.hpp"
#include "http/listing.hpp"
#include "modules/assets/types.hpp"

namespace netops::assets {


struct ListPlan {
  int timeout_ms = 0;
  bool bitmap_only = false;
};

class AssetRepo {
 public:
  explicit AssetRepo(db::Db& db) : db_(db) {}

  Task<std::optional<Asset>> find(const std::string& id);
  Task<std::optional<Asset>> lock(db::Tx& tx, const std::string& id);  // SELECT … FOR UPDATE
  Task<Asset> insert(db::Tx& tx, const Values& v);
  Task<Asset> update(db::Tx& tx, const std::string& id, const Values& v);  // only the columns in v
  Task<void> remove(db::Tx& tx, const std::string& id);
  // The API names of the reference fields in v (modelId, locationId, vendorId) whose row is missing.
  Task<std::vector<std::string>> missing_refs(db::Tx& tx, const Values& v);
  // {model, category, vendor, location} objects (null when unset) for the detail view.
  Task<nlohmann::json> references(const std::string& id);
  // The CMDB CIs linked to the asset, [{id, ciCode, name, status}] by code (read-only; the CMDB owns them).
  Task<nlohmann::json> linked_cis(const std::string& id);

  // One page of list rows (list_item_json) — see repo.cpp for how the filters use the indexes.
  // plan: bitmap index scans only, and/or a statement timeout (503 SERVICE_UNAVAILABLE when it expires).
  Task<nlohmann::json> list(const Filter& f, const http::Paging& p, const http::Sort& s, ListPlan plan = {});
  // Fills f.location_ids with the subtree of f.location_id (one round trip), so the list and count
  // statements name the locations and the planner can walk one location's assets in order.
  Task<void> resolve_locations(Filter& f);
  // Up to `cap` ids matching f (a search), found with bitmap index scans only; then a page of them.
  Task<std::vector<std::string>> search_ids(const Filter& f, long long cap);
  Task<nlohmann::json> list_ids(const std::vector<std::string>& ids, const http::Paging& p, const http::Sort& s);
  Task<nlohmann::json> list_after(const Filter& f, const std::optional<std::string>& after, long long limit);
  Task<long long> count(const Filter& f, std::optional<long long> limit = std::nullopt);  // at most limit
  Task<nlohmann::json> status_counts(const Filter& f);

  Task<std::optional<nlohmann::json>> open_assignment(const std::string& asset_id);
  Task<std::optional<nlohmann::json>> open_assignment(db::Tx& tx, const std::string& asset_id);
  // Open maintenance tickets (open, in_progress) and repair orders (not closed or canceled) of the asset.
  Task<long long> open_repair_holds(db::Tx& tx, const std::string& asset_id);
  Task<nlohmann::json> close_assignment(db::Tx& tx, const std::string& assignment_id);
  Task<nlohmann::json> insert_assignment(db::Tx& tx, const std::string& asset_id, const NewAssignment& a);
  Task<std::pair<nlohmann::json, long long>> assignments(const std::string& asset_id, const http::Paging& p);

  Task<void> add_event(db::Tx& tx, const std::string& asset_id, std::string_view type, const nlohmann::json& payload,
                       const Caller& who);
  Task<std::pair<nlohmann::json, long long>> events(const std::string& asset_id, const http::Paging& p);

 private:
  db::Db& db_;
};

// The WHERE clause (" WHERE …") of a filter over `assets a`, parameters appended to params.
std::string where_sql(const Filter& f, db::Params& params);

}  // namespace netops::assets
