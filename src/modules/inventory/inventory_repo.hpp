#pragma once
// SQL of inventory sessions and items. Nothing else.
#include <optional>
#include <string>
#include <vector>

#include "core/caller.hpp"
#include "db/db.hpp"
#include "db/page.hpp"
#include "modules/inventory/types.hpp"

namespace netops::inventory {

// An asset a scan names: its id and recorded location.
struct ScannedAsset {
  std::string id;
  std::optional<std::string> location_id;
};

class InventoryRepo {
 public:
  explicit InventoryRepo(db::Db& db) : db_(db) {}

  Task<db::Page<Session>> list(const SessionFilter& f, const db::PageRequest& p, const db::Sort& s);
  Task<std::optional<Session>> find(const std::string& id);
  Task<std::optional<Session>> lock(db::Tx& tx, const std::string& id);   // FOR UPDATE (transitions, edits)
  Task<std::optional<Session>> share(db::Tx& tx, const std::string& id);  // FOR SHARE (scans: close waits)
  Task<Session> insert(db::Tx& tx, const NewSession& in, const Caller& by);
  Task<Session> rename(db::Tx& tx, const std::string& id, const std::string& name);
  Task<Session> set_status(db::Tx& tx, const std::string& id, const std::string& status);
  Task<void> remove(db::Tx& tx, const std::string& id);
  Task<bool> location_exists(db::Tx& tx, const std::string& id);

  // One INSERT … SELECT: every asset of the location's subtree that is not disposed, as missing.
  Task<long long> snapshot(db::Tx& tx, const std::string& session_id, const std::string& location_id);

  // The asset a scan names (nullopt: no such asset); serial numbers matching several assets: 422.
  Task<std::optional<ScannedAsset>> asset_by_id(db::Tx& tx, const std::string& id);
  Task<std::optional<ScannedAsset>> asset_by_code(db::Tx& tx, const std::string& code);
  Task<std::vector<ScannedAsset>> assets_by_serial(db::Tx& tx, const std::string& serial);
  // Upserts of one scan; nullopt when the item already says exactly this (a repeated scan changes nothing).
  Task<std::optional<std::string>> scan_asset(db::Tx& tx, const std::string& session_id, const ScannedAsset& a,
                                              const Scan& s);
  Task<std::optional<std::string>> scan_unknown(db::Tx& tx, const std::string& session_id, const Scan& s);
  Task<std::optional<std::string>> item_of_asset(db::Tx& tx, const std::string& session_id, const std::string& asset_id);
  Task<std::optional<std::string>> item_of_code(db::Tx& tx, const std::string& session_id, const std::string& code);
  Task<nlohmann::json> item(db::Tx& tx, const std::string& item_id);

  Task<Counts> counts(const std::string& session_id);
  Task<Counts> counts(db::Tx& tx, const std::string& session_id);
  // Report rows, oldest item first (by id); status optional.
  Task<nlohmann::json> items(const std::string& session_id, const std::optional<std::string>& status,
                             const db::PageRequest& p);
  // Keyset batch for the CSV export: items with id > after, by id.
  Task<std::vector<std::vector<std::string>>> csv_rows(const std::string& session_id,
                                                      const std::optional<std::string>& status,
                                                      const std::string& after, long long limit);

  // Close: one asset_events row per asset item (INVENTORY_FOUND / _MOVED / _MISSING), in one statement, with
  // the columns AssetService::record_event writes (actor, correlation id, clock_timestamp()).
  Task<long long> write_close_events(db::Tx& tx, const Session& s, bool apply_moves, const Caller& by);
  // (asset id, scanned location id) of every moved item, by asset id (the lock order of the moves).
  Task<std::vector<std::pair<std::string, std::string>>> moved_items(db::Tx& tx, const std::string& session_id);

 private:
  db::Db& db_;
};

}  // namespace netops::inventory
