#include "modules/maintenance/ticket_service.hpp"

#include "modules/audit/audited.hpp"
#include "modules/maintenance/ticket_rules.hpp"

namespace netops::maintenance {

namespace {
constexpr const char* kResource = "maintenance_ticket";
}

Task<db::Page<Ticket>> TicketService::list(const TicketFilter& f, const db::PageRequest& p, const db::Sort& s) {
  co_return co_await repo_.list(f, p, s);
}

Task<Ticket> TicketService::get(const std::string& id) {
  auto t = co_await repo_.find(id);
  if (!t) throw NotFound(kResource);
  co_return *t;
}

Task<Ticket> TicketService::create(const NewTicket& in, const Caller& by) {
  Ticket out;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {  // named: GCC 12 mishandles temporaries in co_await
    // The asset row first (FOR UPDATE): the same order as every asset writer, and a clear 422 when absent.
    bool found = true;
    try {
      co_await assets_->lock(tx, in.asset_id);
    } catch (const AppError& e) {
      if (e.code() != ErrorCode::not_found) throw;
      found = false;
    }
    if (!found)
      throw Unprocessable("unknown assetId", {{"errors", {{{"field", "assetId"}, {"issue", "does not exist"}}}}});
    audit::Change change{"maintenance_ticket.opened", kResource, ""};
    audit::Insert<Ticket> insert = [&](db::Tx& t) -> Task<Ticket> {
      auto ticket = co_await repo_.insert(t, in, by);
      nlohmann::json payload = {{"ticketId", ticket.id}, {"title", ticket.title}, {"severity", ticket.severity}};
      co_await assets_->hold_for_repair(t, ticket.asset_id, "MAINT_OPEN", payload, by);  // 409 when refused
      co_return ticket;
    };
    std::function<std::string(const Ticket&)> id_of = [](const Ticket& t) { return t.id; };
    out = co_await audit::audited_create(tx, *audit_, by, change, insert, id_of);
  };
  co_await ctx_.db.transaction(in_tx);
  co_await assets_->changed();
  co_return out;
}

Task<Ticket> TicketService::update(const std::string& id, const TicketPatch& patch,
                                   const std::optional<std::string>& expected_etag, const Caller& by) {
  Ticket out;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {
    audit::Change change{"maintenance_ticket.updated", kResource, id, expected_etag};
    audit::Lock<Ticket> lock = [&](db::Tx& t) -> Task<std::optional<Ticket>> { co_return co_await repo_.lock(t, id); };
    audit::Write<Ticket> write = [&](db::Tx& t, const Ticket& current) -> Task<Ticket> {
      if (ticket_final(current.status))
        throw Conflict("a " + current.status + " ticket cannot be edited", {{"status", current.status}});
      if (patch.empty()) co_return current;
      co_return co_await repo_.update(t, id, patch);
    };
    out = co_await audit::audited_update(tx, *audit_, by, change, lock, write);
  };
  co_await ctx_.db.transaction(in_tx);
  co_return out;
}

Task<Ticket> TicketService::change_status(const std::string& id, const TicketStatusChange& c,
                                          const std::optional<std::string>& expected_etag, const Caller& by) {
  Ticket out;
  bool released = false;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {
    audit::Change change{"maintenance_ticket.status_changed", kResource, id, expected_etag};
    audit::Lock<Ticket> lock = [&](db::Tx& t) -> Task<std::optional<Ticket>> { co_return co_await repo_.lock(t, id); };
    audit::Write<Ticket> write = [&](db::Tx& t, const Ticket& current) -> Task<Ticket> {
      check_ticket_transition(current.status, c.to);  // 409 with the allowed next states
      // Our row first: release_from_repair counts the holds still open, and this one must not be among them.
      auto updated = co_await repo_.set_status(t, id, c);
      if (ticket_final(c.to)) {
        nlohmann::json payload = {{"ticketId", id}, {"status", c.to}};
        co_await assets_->release_from_repair(t, current.asset_id, "MAINT_CLOSE", payload, by);
        released = true;
      }
      co_return updated;
    };
    out = co_await audit::audited_update(tx, *audit_, by, change, lock, write);
  };
  co_await ctx_.db.transaction(in_tx);
  if (released) co_await assets_->changed();
  co_return out;
}

Task<void> TicketService::remove(const std::string& id, const std::optional<std::string>& expected_etag,
                                 const Caller& by) {
  auto in_tx = [&](db::Tx& tx) -> Task<void> {
    audit::Change change{"maintenance_ticket.deleted", kResource, id, expected_etag};
    audit::Lock<Ticket> lock = [&](db::Tx& t) -> Task<std::optional<Ticket>> { co_return co_await repo_.lock(t, id); };
    audit::Remove<Ticket> remove = [&](db::Tx& t, const Ticket& current) -> Task<void> {
      if (current.status != "canceled")
        throw Conflict("only a canceled ticket can be deleted (this one is " + current.status + ")",
                       {{"status", current.status}});
      co_await repo_.remove(t, id);
    };
    co_await audit::audited_delete(tx, *audit_, by, change, lock, remove);
  };
  co_await ctx_.db.transaction(in_tx);
}

}  // namespace netops::maintenance
