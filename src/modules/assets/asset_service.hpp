#pragma once
// Asset rules (SPEC §3 "Assets", §4.4): create/update/delete with every field error at once, the status
// state machine, one open assignment per asset, moves, and an asset_events row for every change in the
// same transaction. Writers lock the asset row (SELECT … FOR UPDATE) first, so concurrent operations
// on one asset serialize instead of interleaving.
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>

#include "core/detached.hpp"
#include "kit/context.hpp"
#include "http/listing.hpp"
#include "modules/assets/asset_repo.hpp"
#include "kit/file_store.hpp"
#include "modules/audit/audit_service.hpp"

#include "modules/assets/assets_settings.hpp"

namespace netops::assets {

class AssetService {
 public:
  AssetService(AppContext& ctx, std::shared_ptr<audit::AuditService> audit)
      : ctx_(ctx), settings_(load_section(ctx.config, assets_section())), repo_(ctx.db), audit_(std::move(audit)),
        files_(ctx.config.storage_dir) {}

  // A list total: exact, or (a list too large to count on the request path) a lower bound.
  struct Total {
    long long value = 0;
    bool exact = true;
  };
  // Counted only when the page does not already tell it (see service.cpp).
  Task<std::pair<nlohmann::json, Total>> list(const Filter& f, const http::Paging& p, const http::Sort& s);
  Task<nlohmann::json> list_after(const Filter& f, const std::optional<std::string>& after, long long limit);
  Task<nlohmann::json> status_counts(const Filter& f);
  Task<Asset> find(const std::string& id);  // 404 when absent
  // The asset with model/category/vendor/location, its open assignment and its 10 newest events.
  Task<nlohmann::json> detail(const Asset& a);

  // expected_etag: the If-Match of the request, checked against the locked asset (412 when stale).
  Task<Asset> create(const Values& values, const Caller& who);
  Task<Asset> update(const std::string& id, const Values& patch, const std::optional<std::string>& expected_etag,
                     const Caller& who);
  Task<void> remove(const std::string& id, const std::optional<std::string>& expected_etag, const Caller& who);
  Task<Asset> change_status(const std::string& id, const StatusChange& change,
                            const std::optional<std::string>& expected_etag, const Caller& who);
  // {"asset", "assignment"}
  Task<nlohmann::json> assign(const std::string& id, const NewAssignment& a,
                              const std::optional<std::string>& expected_etag, const Caller& who);
  Task<nlohmann::json> return_asset(const std::string& id, const std::optional<std::string>& note,
                                    const std::optional<std::string>& expected_etag, const Caller& who);
  Task<Asset> move(const std::string& id, const MoveInput& m, const std::optional<std::string>& expected_etag,
                   const Caller& who);
  Task<std::pair<nlohmann::json, long long>> assignments(const std::string& id, const http::Paging& p);

  // ---- the same rules inside another module's transaction ------------------------------------------
  // What the routes above run, without opening a transaction or refreshing cached totals: a workflow, an
  // inventory close or a repair order applies asset effects in its own transaction through these (never
  // through a second copy of a rule), then calls changed() after its commit.
  Task<Asset> lock(db::Tx& tx, const std::string& id);  // SELECT … FOR UPDATE; 404 when absent
  Task<Asset> change_status_in(db::Tx& tx, const std::string& id, const StatusChange& change,
                               const std::optional<std::string>& expected_etag, const Caller& who);
  Task<nlohmann::json> assign_in(db::Tx& tx, const std::string& id, const NewAssignment& a,
                                 const std::optional<std::string>& expected_etag, const Caller& who);
  Task<nlohmann::json> return_in(db::Tx& tx, const std::string& id, const std::optional<std::string>& note,
                                 const std::optional<std::string>& expected_etag, const Caller& who);
  Task<Asset> move_in(db::Tx& tx, const std::string& id, const MoveInput& m,
                      const std::optional<std::string>& expected_etag, const Caller& who);
  // One asset_events row (INVENTORY_*, REQUEST_*, …) written by another module about this asset.
  Task<void> record_event(db::Tx& tx, const std::string& id, std::string_view type, const nlohmann::json& payload,
                          const Caller& who);
  // Repair holds (maintenance tickets and repair orders): opening one puts the asset in_repair (409 when the
  // status table forbids it, e.g. disposed) and writes event_type (MAINT_OPEN, …) with the status change.
  // Releasing one — after the caller has closed or canceled its own row — restores in_use (open assignment)
  // or in_stock once no other open ticket or repair order holds the asset, and writes event_type
  // (MAINT_CLOSE, …); while another hold remains the status stays and the payload says stillOpen.
  Task<Asset> hold_for_repair(db::Tx& tx, const std::string& id, std::string_view event_type,
                              const nlohmann::json& payload, const Caller& who);
  Task<Asset> release_from_repair(db::Tx& tx, const std::string& id, std::string_view event_type,
                                  const nlohmann::json& payload, const Caller& who);
  Task<std::pair<nlohmann::json, long long>> events(const std::string& id, const http::Paging& p);

  // Bumped after every committed asset write: keys the cached totals of large lists (service.cpp).
  Task<void> changed();
  DetachedTasks& background() { return background_; }  // exact list totals being counted

 private:
  Task<Asset> locked(db::Tx& tx, const std::string& id, const std::optional<std::string>& expected_etag);
  Task<std::string> count_key(std::string_view kind, const Filter& f);
  Task<Total> counted_total(const Filter& f);

  // Exact counts running in the background, by cache key (so one filter is counted once at a time).
  std::mutex counting_mu_;
  std::set<std::string> counting_;
  DetachedTasks background_;

  AppContext& ctx_;
  const AssetsSettings settings_;
  AssetRepo repo_;
  std::shared_ptr<audit::AuditService> audit_;
  FileStore files_;
};

}  // namespace netops::assets
