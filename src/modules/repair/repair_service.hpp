#pragma once
// Repair orders (SPEC §3, §4.7): RO-YYYY-NNNNNN codes, the transition table, the asset held in_repair while
// the order is open (AssetService), downtime, labor and parts cost; parts issued through a generated,
// posted issue document in the order's transaction (the warehouse's DocumentService, same posting code as
// /post) and returned through its reversal; reservations while waiting_parts. ops_events for every change.
// Lock order: the repair order row, then stock rows (in (warehouse, part) order), then the asset.
#include <memory>
#include <optional>
#include <string>

#include "core/caller.hpp"
#include "kit/context.hpp"
#include "modules/assets/asset_service.hpp"
#include "modules/ops_events/ops_event_service.hpp"
#include "modules/repair/repair_repo.hpp"
#include "modules/warehouse/document_service.hpp"

namespace netops::repair {

class RepairService {
 public:
  RepairService(AppContext& ctx, std::shared_ptr<ops_events::OpsEventService> ops,
                std::shared_ptr<assets::AssetService> assets, std::shared_ptr<warehouse::DocumentService> docs)
      : ctx_(ctx), repo_(ctx.db), ops_(std::move(ops)), assets_(std::move(assets)), docs_(std::move(docs)) {}

  Task<db::Page<RepairOrder>> list(const OrderFilter& f, const db::PageRequest& p, const db::Sort& s);
  Task<RepairOrder> get(const std::string& id);  // with parts and reservations
  Task<void> require(const std::string& id);
  Task<RepairOrder> create(const OrderInput& in, const Caller& by);
  Task<RepairOrder> update(const std::string& id, const OrderInput& in, const std::optional<std::string>& expected_etag,
                           const Caller& by);
  // Repair orders are closed or canceled, never deleted (no DELETE route; http::crud needs the member).
  Task<void> remove(const std::string& id, const std::optional<std::string>& expected_etag, const Caller& by);
  Task<RepairOrder> change_status(const std::string& id, const StatusChange& c,
                                  const std::optional<std::string>& expected_etag, const Caller& by);
  Task<nlohmann::json> parts(const std::string& id);
  Task<nlohmann::json> add_part(const std::string& id, const PartInput& in, const Caller& by);
  Task<nlohmann::json> remove_part(const std::string& id, const std::string& line_id, const Caller& by);
  Task<nlohmann::json> reservations(const std::string& id);
  Task<nlohmann::json> reserve(const std::string& id, const ReservationInput& in, const Caller& by);
  Task<nlohmann::json> release(const std::string& id, const std::string& reservation_id, const Caller& by);

 private:
  Task<RepairOrder> full(db::Tx& tx, RepairOrder o);
  Task<RepairOrder> locked(db::Tx& tx, const std::string& id, bool must_be_open);
  Task<void> release_all(db::Tx& tx, const RepairOrder& o, const Caller& by);

  AppContext& ctx_;
  RepairRepo repo_;
  std::shared_ptr<ops_events::OpsEventService> ops_;
  std::shared_ptr<assets::AssetService> assets_;
  std::shared_ptr<warehouse::DocumentService> docs_;
};

}  // namespace netops::repair
