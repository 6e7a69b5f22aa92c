#pragma once
// Inventory sessions (SPEC §3 "Inventory", §4.5): a stock-taking run over a location subtree. /start
// snapshots the expected assets in one statement; scans are idempotent upserts on a unique index; /close
// freezes the result and writes one INVENTORY_* asset event per asset (optionally moving the moved ones
// through the assets module's move rule). Every state change is audited.
#include <memory>
#include <optional>
#include <string>

#include "core/caller.hpp"
#include "kit/context.hpp"
#include "modules/assets/asset_service.hpp"
#include "modules/audit/audit_service.hpp"
#include "modules/inventory/inventory_repo.hpp"

namespace netops::inventory {

struct CloseResult {
  Session session;
  Counts counts;
  long long events = 0;  // INVENTORY_* asset events written
  long long moved = 0;   // assets moved (applyMoves)
};

struct ScanResult {
  nlohmann::json item;
  bool duplicate = false;  // the item already said exactly this: nothing changed
};

class InventoryService {
 public:
  InventoryService(AppContext& ctx, std::shared_ptr<audit::AuditService> audit,
                   std::shared_ptr<assets::AssetService> assets)
      : ctx_(ctx), repo_(ctx.db), audit_(std::move(audit)), assets_(std::move(assets)) {}

  Task<db::Page<Session>> list(const SessionFilter& f, const db::PageRequest& p, const db::Sort& s);
  Task<Session> get(const std::string& id);  // 404 when absent
  Task<Counts> counts(const std::string& id);
  Task<Session> create(const NewSession& in, const Caller& by);
  Task<Session> update(const std::string& id, const SessionPatch& in, const std::optional<std::string>& expected_etag,
                       const Caller& by);
  Task<void> remove(const std::string& id, const Caller& by);

  Task<std::pair<Session, long long>> start(const std::string& id, const Caller& by);  // (session, items snapshotted)
  Task<ScanResult> scan(const std::string& id, const Scan& scan, const Caller& by);
  Task<CloseResult> close(const std::string& id, bool apply_moves, const Caller& by);
  Task<Session> cancel(const std::string& id, const Caller& by);

  Task<nlohmann::json> items(const std::string& id, const std::optional<std::string>& status, const db::PageRequest& p);
  Task<std::vector<std::vector<std::string>>> csv_rows(const std::string& id, const std::optional<std::string>& status,
                                                      const std::string& after, long long limit);

 private:
  Task<Session> locked(db::Tx& tx, const std::string& id);
  Task<void> audit(db::Tx& tx, const Caller& by, std::string_view action, const std::string& id,
                   const nlohmann::json& details);

  AppContext& ctx_;
  InventoryRepo repo_;
  std::shared_ptr<audit::AuditService> audit_;
  std::shared_ptr<assets::AssetService> assets_;
};

}  // namespace netops::inventory
