#include "modules/repair/repair_service.hpp"

#include <algorithm>
#include <exception>
#include <tuple>

#include "core/error.hpp"
#include "core/etag.hpp"

namespace netops::repair {

Task<db::Page<RepairOrder>> RepairService::list(const OrderFilter& f, const db::PageRequest& p, const db::Sort& s) {
  co_return co_await repo_.list(f, p, s);
}

Task<void> RepairService::require(const std::string& id) {
  auto o = co_await repo_.find(id);
  if (!o) throw NotFound("repair order");
}

Task<RepairOrder> RepairService::get(const std::string& id) {
  auto o = co_await repo_.find(id);
  if (!o) throw NotFound("repair order");
  o->json["parts"] = co_await repo_.parts_json(id);
  o->json["reservations"] = co_await repo_.reservations_json(id);
  co_return *o;
}

Task<RepairOrder> RepairService::full(db::Tx& tx, RepairOrder o) {
  o.json["parts"] = co_await repo_.parts_json(tx, o.id);
  o.json["reservations"] = co_await repo_.reservations_json(tx, o.id);
  co_return o;
}

Task<RepairOrder> RepairService::locked(db::Tx& tx, const std::string& id, bool must_be_open) {
  auto o = co_await repo_.lock(tx, id);
  if (!o) throw NotFound("repair order");
  if (must_be_open && !is_open(o->status))
    throw Conflict("repair order " + o->code + " is " + o->status, {{"status", o->status}});
  co_return *o;
}

Task<RepairOrder> RepairService::create(const OrderInput& in, const Caller& by) {
  RepairOrder out;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {  // named: GCC 12 mishandles temporaries in co_await
    std::exception_ptr missing;
    try {
      co_await assets_->lock(tx, *in.asset_id);
    } catch (const AppError& e) {
      if (e.code() != ErrorCode::not_found) throw;
      missing = std::current_exception();
    }
    if (missing) throw AppError(ErrorCode::unprocessable, "assetId: no asset with this id", {{"field", "assetId"}});
    auto ci = co_await repo_.ci_of_asset(tx, *in.asset_id);
    Columns cols = in.columns;
    cols.emplace_back("asset_id", *in.asset_id);
    cols.emplace_back("ci_id", ci);
    cols.emplace_back("status", "open");
    cols.emplace_back("created_by", by.user_id);
    cols.emplace_back("correlation_id", by.request_id);
    auto order = co_await repo_.insert(tx, cols);
    nlohmann::json hold = {{"repairOrderId", order.id}, {"code", order.code}};
    co_await assets_->hold_for_repair(tx, order.asset_id, "REPAIR_OPEN", hold, by);
    out = co_await full(tx, order);
    nlohmann::json payload = {{"after", to_json(out)}};
    co_await ops_->record(tx, "repair_order", order.id, "created", payload, by);
  };
  co_await ctx_.db.transaction(in_tx);
  co_await assets_->changed();
  co_return out;
}

Task<RepairOrder> RepairService::update(const std::string& id, const OrderInput& in,
                                        const std::optional<std::string>& expected_etag, const Caller& by) {
  RepairOrder out;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {
    auto current = co_await locked(tx, id, true);
    auto before = co_await full(tx, current);
    check_expected_etag(expected_etag, to_json(before));
    auto type = in.repair_type.value_or(before.json.value("repairType", "internal"));
    std::optional<std::string> vendor;
    if (in.vendor_id) vendor = *in.vendor_id;
    else if (before.json["vendorId"].is_string()) vendor = before.json["vendorId"].get<std::string>();
    if (type == "vendor" && !vendor) throw ValidationError("vendorId", "is required for a vendor repair");
    auto updated = co_await repo_.update(tx, id, in.columns);
    out = co_await full(tx, updated);
    nlohmann::json payload = {{"before", to_json(before)}, {"after", to_json(out)}};
    co_await ops_->record(tx, "repair_order", id, "updated", payload, by);
  };
  co_await ctx_.db.transaction(in_tx);
  co_return out;
}

Task<void> RepairService::remove(const std::string& id, const std::optional<std::string>&, const Caller&) {
  co_await require(id);
  throw Conflict("a repair order is not deleted: cancel it");
}

Task<void> RepairService::release_all(db::Tx& tx, const RepairOrder& o, const Caller& by) {
  auto open = co_await repo_.open_reservations(tx, o.id);
  // Stock rows in the posting lock order, so a release never waits in the opposite order of a posting.
  std::sort(open.begin(), open.end(), [](const Reservation& a, const Reservation& b) {
    return std::tie(a.warehouse_id, a.part_id) < std::tie(b.warehouse_id, b.part_id);
  });
  for (auto& r : open) {
    co_await docs_->release_in(tx, r.warehouse_id, r.part_id, r.qty, "repair_order", o.id, by);
    co_await repo_.set_reservation(tx, r.id, "released", r.qty);
  }
}

Task<RepairOrder> RepairService::change_status(const std::string& id, const StatusChange& c,
                                               const std::optional<std::string>& expected_etag, const Caller& by) {
  RepairOrder out;
  bool released = false;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {
    auto current = co_await locked(tx, id, false);
    auto before = co_await full(tx, current);
    check_expected_etag(expected_etag, to_json(before));
    auto& next = allowed_next(current.status);
    if (std::find(next.begin(), next.end(), c.status) == next.end())
      throw Conflict("repair order " + current.code + " cannot go from " + current.status + " to " + c.status,
                     {{"from", current.status}, {"to", c.status}, {"allowed", next}});
    bool ending = c.status == "closed" || c.status == "canceled";
    if (ending) co_await release_all(tx, current, by);
    auto updated = co_await repo_.set_status(tx, id, c);  // our row first: the asset counts open holds
    if (ending) {
      nlohmann::json payload = {{"repairOrderId", id},
                                {"code", updated.code},
                                {"status", c.status},
                                {"downtimeMinutes", updated.json["downtimeMinutes"]}};
      co_await assets_->release_from_repair(tx, updated.asset_id, "REPAIR_CLOSE", payload, by);
      released = true;
    }
    out = co_await full(tx, updated);
    nlohmann::json payload = {{"from", current.status}, {"to", c.status}, {"note", c.note ? nlohmann::json(*c.note) : nlohmann::json()}};
    co_await ops_->record(tx, "repair_order", id, "status_changed", payload, by);
  };
  co_await ctx_.db.transaction(in_tx);
  if (released) co_await assets_->changed();
  co_return out;
}

Task<nlohmann::json> RepairService::parts(const std::string& id) {
  co_await require(id);
  co_return co_await repo_.parts_json(id);
}

Task<nlohmann::json> RepairService::add_part(const std::string& id, const PartInput& in, const Caller& by) {
  nlohmann::json out;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {
    auto order = co_await locked(tx, id, true);
    NewPart p;
    p.order_id = id;
    p.action = in.action;
    p.qty = in.qty;
    p.part_id = in.part_id;
    p.part_name = in.part_name;
    p.warehouse_id = in.warehouse_id;
    p.serial_no = in.serial_no;
    p.note = in.note;
    p.unit_cost = in.unit_cost;
    if (in.part_id) {
      // What the order holds of this part in this warehouse is consumed first (oldest reservation first).
      auto open = co_await repo_.open_reservations(tx, id);
      int consume = 0;
      for (auto& r : open) {
        if (r.part_id != *in.part_id || r.warehouse_id != *in.warehouse_id) continue;
        int take = std::min(r.qty, in.qty - consume);
        if (take <= 0) break;
        consume += take;
        if (take == r.qty) {
          co_await repo_.set_reservation(tx, r.id, "consumed", r.qty);
        } else {
          co_await repo_.set_reservation(tx, r.id, "open", r.qty - take);
          ReservationInput taken{r.part_id, r.warehouse_id, take};
          co_await repo_.insert_reservation(tx, id, taken, "consumed", by.user_id);
        }
      }
      warehouse::IssueRequest issue;
      issue.warehouse_id = *in.warehouse_id;
      issue.part_id = *in.part_id;
      issue.qty = in.qty;
      issue.ref_type = "repair_order";
      issue.ref_id = id;
      issue.note = "Repair order " + order.code;
      issue.serial_no = in.serial_no;
      issue.consume_reserved = consume;
      auto posted = co_await docs_->issue_in(tx, issue, by);
      p.unit_cost = posted.costs.back();
      p.stock_document_id = posted.document.id;
    }
    out = co_await repo_.insert_part(tx, p);
    auto updated = co_await repo_.recompute_costs(tx, id);
    nlohmann::json payload = {{"part", out}, {"partsCost", updated.json["partsCost"]}};
    co_await ops_->record(tx, "repair_order", id, "part_added", payload, by);
  };
  co_await ctx_.db.transaction(in_tx);
  co_return out;
}

Task<nlohmann::json> RepairService::remove_part(const std::string& id, const std::string& line_id, const Caller& by) {
  nlohmann::json out;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {
    co_await locked(tx, id, true);
    auto line = co_await repo_.find_part(tx, id, line_id);
    if (!line) throw NotFound("repair order part");
    if ((*line)["returned"].get<bool>()) throw Conflict("the part line is already returned");
    std::optional<std::string> return_doc;
    if ((*line)["stockDocumentId"].is_string()) {
      auto doc_id = (*line)["stockDocumentId"].get<std::string>();
      auto rev = co_await docs_->reverse_in(tx, doc_id, by);
      return_doc = rev.id;
    }
    out = co_await repo_.mark_returned(tx, line_id, return_doc);
    auto updated = co_await repo_.recompute_costs(tx, id);
    nlohmann::json payload = {{"part", out}, {"partsCost", updated.json["partsCost"]}};
    co_await ops_->record(tx, "repair_order", id, "part_returned", payload, by);
  };
  co_await ctx_.db.transaction(in_tx);
  co_return out;
}

Task<nlohmann::json> RepairService::reservations(const std::string& id) {
  co_await require(id);
  co_return co_await repo_.reservations_json(id);
}

Task<nlohmann::json> RepairService::reserve(const std::string& id, const ReservationInput& in, const Caller& by) {
  nlohmann::json out;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {
    auto order = co_await locked(tx, id, true);
    if (order.status != "waiting_parts")
      throw Conflict("repair order " + order.code + " is " + order.status + "; parts are reserved while waiting_parts",
                     {{"status", order.status}});
    co_await docs_->reserve_in(tx, in.warehouse_id, in.part_id, in.qty, "repair_order", id, by);
    out = co_await repo_.insert_reservation(tx, id, in, "open", by.user_id);
    nlohmann::json payload = {{"reservation", out}};
    co_await ops_->record(tx, "repair_order", id, "part_reserved", payload, by);
  };
  co_await ctx_.db.transaction(in_tx);
  co_return out;
}

Task<nlohmann::json> RepairService::release(const std::string& id, const std::string& reservation_id,
                                            const Caller& by) {
  nlohmann::json out;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {
    co_await locked(tx, id, false);
    auto open = co_await repo_.open_reservations(tx, id);
    auto it = std::find_if(open.begin(), open.end(), [&](const Reservation& r) { return r.id == reservation_id; });
    if (it == open.end()) {
      auto all = co_await repo_.reservations_json(tx, id);
      for (auto& r : all)
        if (r["id"] == reservation_id) throw Conflict("the reservation is " + r["status"].get<std::string>());
      throw NotFound("reservation");
    }
    co_await docs_->release_in(tx, it->warehouse_id, it->part_id, it->qty, "repair_order", id, by);
    co_await repo_.set_reservation(tx, it->id, "released", it->qty);
    auto all = co_await repo_.reservations_json(tx, id);
    for (auto& r : all)
      if (r["id"] == reservation_id) out = r;
    nlohmann::json payload = {{"reservation", out}};
    co_await ops_->record(tx, "repair_order", id, "part_released", payload, by);
  };
  co_await ctx_.db.transaction(in_tx);
  co_return out;
}

}  // namespace netops::repair
