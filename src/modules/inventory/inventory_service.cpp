#include "modules/inventory/inventory_service.hpp"

#include "core/error.hpp"
#include "core/etag.hpp"
#include "modules/inventory/inventory_rules.hpp"

namespace netops::inventory {

Task<db::Page<Session>> InventoryService::list(const SessionFilter& f, const db::PageRequest& p, const db::Sort& s) {
  co_return co_await repo_.list(f, p, s);
}

Task<Session> InventoryService::get(const std::string& id) {
  auto s = co_await repo_.find(id);
  if (!s) throw NotFound("inventory session");
  co_return std::move(*s);
}

Task<Counts> InventoryService::counts(const std::string& id) { co_return co_await repo_.counts(id); }

Task<Session> InventoryService::locked(db::Tx& tx, const std::string& id) {
  auto s = co_await repo_.lock(tx, id);
  if (!s) throw NotFound("inventory session");
  co_return std::move(*s);
}

Task<void> InventoryService::audit(db::Tx& tx, const Caller& by, std::string_view action, const std::string& id,
                                   const nlohmann::json& details) {
  std::string resource = "inventory_session:" + id;
  std::string act(action);
  nlohmann::json d = details;
  co_await audit_->record(tx, by, act, resource, d);
}

Task<Session> InventoryService::create(const NewSession& in, const Caller& by) {
  std::optional<Session> out;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {  // named: GCC 12 mishandles temporaries in co_await
    if (!co_await repo_.location_exists(tx, in.location_id))
      throw Unprocessable("unknown locationId", {{"errors", {{{"field", "locationId"}, {"issue", "does not exist"}}}}});
    out = co_await repo_.insert(tx, in, by);
    nlohmann::json details = {{"after", to_json(*out)}};
    co_await audit(tx, by, "inventory.created", out->id, details);
  };
  co_await ctx_.db.transaction(in_tx);
  co_return std::move(*out);
}

Task<Session> InventoryService::update(const std::string& id, const SessionPatch& in,
                                       const std::optional<std::string>& expected_etag, const Caller& by) {
  std::optional<Session> out;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {
    auto current = co_await locked(tx, id);
    auto before = to_json(current);
    check_expected_etag(expected_etag, before);
    if (!session_editable(current.status))
      throw Conflict("the session is " + current.status + ": it can no longer be changed", {{"status", current.status}});
    if (in.name && *in.name != current.name) out = co_await repo_.rename(tx, id, *in.name);
    else out = current;
    auto after = to_json(*out);
    if (after != before) {
      nlohmann::json details = {{"changes", audit::changes(before, after)}};
      co_await audit(tx, by, "inventory.updated", id, details);
    }
  };
  co_await ctx_.db.transaction(in_tx);
  co_return std::move(*out);
}

Task<void> InventoryService::remove(const std::string& id, const Caller& by) {
  auto in_tx = [&](db::Tx& tx) -> Task<void> {
    auto current = co_await locked(tx, id);
    // A started session is evidence (its items and the assets' INVENTORY_* events): cancel it instead.
    if (current.status != "draft" && current.status != "canceled")
      throw Conflict("only a draft or canceled session can be deleted (this one is " + current.status + ")",
                     {{"status", current.status}});
    co_await repo_.remove(tx, id);
    nlohmann::json details = {{"before", to_json(current)}};
    co_await audit(tx, by, "inventory.deleted", id, details);
  };
  co_await ctx_.db.transaction(in_tx);
}

Task<std::pair<Session, long long>> InventoryService::start(const std::string& id, const Caller& by) {
  std::optional<Session> out;
  long long items = 0;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {
    auto current = co_await locked(tx, id);
    auto next = next_session_status(current.status, "start");
    if (!current.location_id || !co_await repo_.location_exists(tx, *current.location_id))
      throw Unprocessable("the session's location no longer exists", {{"field", "locationId"}});
    items = co_await repo_.snapshot(tx, id, *current.location_id);
    out = co_await repo_.set_status(tx, id, next);
    nlohmann::json details = {{"changes", audit::changes(to_json(current), to_json(*out))}, {"expectedItems", items}};
    co_await audit(tx, by, "inventory.started", id, details);
  };
  co_await ctx_.db.transaction(in_tx);
  co_return std::make_pair(std::move(*out), items);
}

Task<ScanResult> InventoryService::scan(const std::string& id, const Scan& scan, const Caller& by) {
  ScanResult out;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {
    // FOR SHARE: scans run side by side, a close (FOR UPDATE) waits for them and later scans see it closed.
    auto session = co_await repo_.share(tx, id);
    if (!session) throw NotFound("inventory session");
    if (session->status != "in_progress")
      throw Conflict("scans are accepted only while the session is in_progress (it is " + session->status + ")",
                     {{"status", session->status}});
    if (!co_await repo_.location_exists(tx, scan.scanned_location_id))
      throw Unprocessable("unknown scannedLocationId",
                          {{"errors", {{{"field", "scannedLocationId"}, {"issue", "does not exist"}}}}});
    std::optional<ScannedAsset> asset;
    if (scan.asset_id) {
      asset = co_await repo_.asset_by_id(tx, *scan.asset_id);
    } else if (scan.asset_code) {
      asset = co_await repo_.asset_by_code(tx, *scan.asset_code);
    } else {
      auto found = co_await repo_.assets_by_serial(tx, *scan.serial_no);
      if (found.size() > 1) {
        nlohmann::json ids = nlohmann::json::array();
        for (auto& a : found) ids.push_back(a.id);
        throw Unprocessable("serialNo matches several assets: scan by assetCode or assetId",
                            {{"field", "serialNo"}, {"assetIds", ids}});
      }
      if (!found.empty()) asset = found.front();
    }
    std::optional<std::string> item_id;
    if (asset) {
      item_id = co_await repo_.scan_asset(tx, id, *asset, scan);
      if (!item_id) {
        out.duplicate = true;
        item_id = co_await repo_.item_of_asset(tx, id, asset->id);
      }
    } else {
      item_id = co_await repo_.scan_unknown(tx, id, scan);
      if (!item_id) {
        out.duplicate = true;
        item_id = co_await repo_.item_of_code(tx, id, scan.code());
      }
    }
    if (!item_id) throw Conflict("the item changed during the scan, retry");
    out.item = co_await repo_.item(tx, *item_id);
  };
  co_await ctx_.db.transaction(in_tx);
  co_return out;
}

Task<CloseResult> InventoryService::close(const std::string& id, bool apply_moves, const Caller& by) {
  CloseResult out;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {
    auto current = co_await locked(tx, id);
    auto next = next_session_status(current.status, "close");
    out.events = co_await repo_.write_close_events(tx, current, apply_moves, by);
    if (apply_moves) {
      // Through the assets module's move rule (its MOVED event), in asset id order (the lock order).
      auto moved = co_await repo_.moved_items(tx, id);  // named: GCC 12 and temporaries in co_await
      for (auto& [asset_id, location_id] : moved) {
        assets::MoveInput m{location_id, "inventory session " + current.name + " (" + id + ")"};
        std::optional<std::string> any;
        auto before = co_await assets_->lock(tx, asset_id);
        auto after = co_await assets_->move_in(tx, asset_id, m, any, by);
        if (before.get("location_id") != after.get("location_id")) ++out.moved;
      }
    }
    out.session = co_await repo_.set_status(tx, id, next);
    out.counts = co_await repo_.counts(tx, id);
    nlohmann::json details = {{"changes", audit::changes(to_json(current), to_json(out.session))},
                              {"counts", to_json(out.counts)},
                              {"applyMoves", apply_moves},
                              {"moved", out.moved},
                              {"events", out.events}};
    co_await audit(tx, by, "inventory.closed", id, details);
  };
  co_await ctx_.db.transaction(in_tx);
  if (out.events > 0) co_await assets_->changed();
  co_return out;
}

Task<Session> InventoryService::cancel(const std::string& id, const Caller& by) {
  std::optional<Session> out;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {
    auto current = co_await locked(tx, id);
    auto next = next_session_status(current.status, "cancel");
    out = co_await repo_.set_status(tx, id, next);
    nlohmann::json details = {{"changes", audit::changes(to_json(current), to_json(*out))}};
    co_await audit(tx, by, "inventory.canceled", id, details);
  };
  co_await ctx_.db.transaction(in_tx);
  co_return std::move(*out);
}

Task<nlohmann::json> InventoryService::items(const std::string& id, const std::optional<std::string>& status,
                                             const db::PageRequest& p) {
  co_return co_await repo_.items(id, status, p);
}

Task<std::vector<std::vector<std::string>>> InventoryService::csv_rows(const std::string& id,
                                                                      const std::optional<std::string>& status,
                                                                      const std::string& after, long long limit) {
  co_return co_await repo_.csv_rows(id, status, after, limit);
}

}  // namespace netops::inventory
