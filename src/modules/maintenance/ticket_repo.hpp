#pragma once
// SQL of maintenance tickets. Nothing else.
#include <optional>
#include <string>

#include "core/caller.hpp"
#include "db/db.hpp"
#include "db/page.hpp"
#include "modules/maintenance/ticket_types.hpp"

namespace netops::maintenance {

class TicketRepo {
 public:
  explicit TicketRepo(db::Db& db) : db_(db) {}
  Task<db::Page<Ticket>> list(const TicketFilter& f, const db::PageRequest& p, const db::Sort& s);
  Task<std::optional<Ticket>> find(const std::string& id);
  Task<std::optional<Ticket>> lock(db::Tx& tx, const std::string& id);  // FOR UPDATE of the ticket row
  Task<Ticket> insert(db::Tx& tx, const NewTicket& in, const Caller& by);
  Task<Ticket> update(db::Tx& tx, const std::string& id, const TicketPatch& p);
  // status, and closed_at when it becomes closed or canceled; diagnosis/resolution when given.
  Task<Ticket> set_status(db::Tx& tx, const std::string& id, const TicketStatusChange& c);
  Task<void> remove(db::Tx& tx, const std::string& id);

 private:
  db::Db& db_;
};

}  // namespace netops::maintenance
