#pragma once
// Maintenance tickets (SPEC §4.5, issue 12 item 4): any user opens one for an asset, which puts the asset
// in_repair in the same transaction (AssetService::hold_for_repair, event MAINT_OPEN; 409 when the asset's
// status table forbids in_repair, e.g. disposed); admins move it open → in_progress → closed | canceled
// (open → canceled too) and write diagnosis/resolution. Closing or canceling updates the ticket row first,
// then AssetService::release_from_repair restores in_use / in_stock once no other ticket or repair order
// holds the asset (event MAINT_CLOSE). Every change is an audited change.
#include <memory>
#include <optional>
#include <string>

#include "core/caller.hpp"
#include "kit/context.hpp"
#include "modules/assets/asset_service.hpp"
#include "modules/audit/audit_service.hpp"
#include "modules/maintenance/ticket_repo.hpp"

namespace netops::maintenance {

class TicketService {
 public:
  TicketService(AppContext& ctx, std::shared_ptr<audit::AuditService> audit,
                std::shared_ptr<assets::AssetService> assets)
      : ctx_(ctx), repo_(ctx.db), audit_(std::move(audit)), assets_(std::move(assets)) {}

  Task<db::Page<Ticket>> list(const TicketFilter& f, const db::PageRequest& p, const db::Sort& s);
  Task<Ticket> get(const std::string& id);  // 404 when absent
  // 422 when assetId names no asset; 409 when the asset cannot go in_repair.
  Task<Ticket> create(const NewTicket& in, const Caller& by);
  // Title, severity, diagnosis, resolution of an open or in_progress ticket (409 once closed/canceled).
  Task<Ticket> update(const std::string& id, const TicketPatch& patch, const std::optional<std::string>& expected_etag,
                      const Caller& by);
  Task<Ticket> change_status(const std::string& id, const TicketStatusChange& change,
                             const std::optional<std::string>& expected_etag, const Caller& by);
  // Only a canceled ticket may be deleted (409 otherwise): closed ones are the asset's maintenance history.
  Task<void> remove(const std::string& id, const std::optional<std::string>& expected_etag, const Caller& by);

 private:
  AppContext& ctx_;
  TicketRepo repo_;
  std::shared_ptr<audit::AuditService> audit_;
  std::shared_ptr<assets::AssetService> assets_;
};

}  // namespace netops::maintenance
