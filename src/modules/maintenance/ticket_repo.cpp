#include "modules/maintenance/ticket_repo.hpp"

#include "db/where.hpp"
#include "modules/maintenance/ticket_rules.hpp"

namespace netops::maintenance {

namespace q {
// The asset code comes along for lists and answers; the ticket row is what is locked.
#define TICKET_COLUMNS                                                                                           \
  "t.id, t.asset_id, a.asset_code, t.title, t.severity, t.status, t.diagnosis, t.resolution, t.opened_at, "     \
  "t.closed_at, t.updated_at, t.created_by, t.correlation_id"
#define TICKET_FROM " FROM maintenance_tickets t JOIN assets a ON a.id = t.asset_id"
constexpr db::Query kFind{"maintenance_tickets.find", "SELECT " TICKET_COLUMNS TICKET_FROM " WHERE t.id = $1"};
constexpr db::Query kLock{"maintenance_tickets.lock",
                          "SELECT " TICKET_COLUMNS TICKET_FROM " WHERE t.id = $1 FOR UPDATE OF t"};
constexpr db::Query kInsert{
    "maintenance_tickets.insert",
    "WITH t AS (INSERT INTO maintenance_tickets (asset_id, title, severity, created_by, correlation_id) "
    "VALUES ($1, $2, $3, $4, $5) RETURNING *) SELECT " TICKET_COLUMNS
    " FROM t JOIN assets a ON a.id = t.asset_id"};
// $2..$5: title, severity (NULL keeps), diagnosis, resolution (set when $6 / $7 say so).
constexpr db::Query kUpdate{
    "maintenance_tickets.update",
    "WITH t AS (UPDATE maintenance_tickets SET title = coalesce($2, title), severity = coalesce($3, severity), "
    "diagnosis = CASE WHEN $6::boolean THEN $4 ELSE diagnosis END, "
    "resolution = CASE WHEN $7::boolean THEN $5 ELSE resolution END, updated_at = now() "
    "WHERE id = $1 RETURNING *) SELECT " TICKET_COLUMNS " FROM t JOIN assets a ON a.id = t.asset_id"};
constexpr db::Query kSetStatus{
    "maintenance_tickets.set_status",
    "WITH t AS (UPDATE maintenance_tickets SET status = $2::text, "
    "closed_at = CASE WHEN $2::text IN ('closed', 'canceled') THEN now() ELSE closed_at END, "
    "diagnosis = coalesce($3, diagnosis), resolution = coalesce($4, resolution), updated_at = now() "
    "WHERE id = $1 RETURNING *) SELECT " TICKET_COLUMNS " FROM t JOIN assets a ON a.id = t.asset_id"};
constexpr db::Query kDelete{"maintenance_tickets.delete", "DELETE FROM maintenance_tickets WHERE id = $1"};
}  // namespace q

Task<db::Page<Ticket>> TicketRepo::list(const TicketFilter& f, const db::PageRequest& p, const db::Sort& s) {
  db::Where w;
  w.eq("t.asset_id", f.asset_id);
  w.eq("t.severity", f.severity);
  if (!f.statuses.empty()) {
    std::string joined;
    for (auto& st : f.statuses) joined += (joined.empty() ? "" : ",") + st;
    w.add("t.status = ANY (string_to_array({}, ','))", joined);
  }
  if (f.opened_since) w.add("t.opened_at >= {}::timestamptz", *f.opened_since);
  if (f.opened_before) w.add("t.opened_at < {}::timestamptz", *f.opened_before);
  std::string sql = "SELECT " TICKET_COLUMNS ", count(*) OVER () AS total" TICKET_FROM + w.sql();
  sql += w.order_and_window(s, p, "t.id");
  auto rows = co_await db_.query(sql, w.take_params());
  co_return db::page_of<Ticket>(rows, p, ticket_from_row);
}

Task<std::optional<Ticket>> TicketRepo::find(const std::string& id) {
  auto r = co_await db_.query(q::kFind, db::Params(id));
  if (r.empty()) co_return std::nullopt;
  co_return ticket_from_row(r.front());
}

Task<std::optional<Ticket>> TicketRepo::lock(db::Tx& tx, const std::string& id) {
  auto r = co_await tx.query(q::kLock, db::Params(id));
  if (r.empty()) co_return std::nullopt;
  co_return ticket_from_row(r.front());
}

Task<Ticket> TicketRepo::insert(db::Tx& tx, const NewTicket& in, const Caller& by) {
  std::optional<std::string> who, corr;
  if (!by.user_id.empty()) who = by.user_id;
  if (!by.request_id.empty()) corr = by.request_id;
  auto r = co_await tx.query(q::kInsert, db::Params(in.asset_id, in.title, in.severity, who, corr));
  co_return ticket_from_row(r.front());
}

Task<Ticket> TicketRepo::update(db::Tx& tx, const std::string& id, const TicketPatch& p) {
  std::optional<std::string> diagnosis, resolution;
  if (p.diagnosis) diagnosis = *p.diagnosis;
  if (p.resolution) resolution = *p.resolution;
  auto r = co_await tx.query(q::kUpdate, db::Params(id, p.title, p.severity, diagnosis, resolution,
                                                    p.diagnosis.has_value(), p.resolution.has_value()));
  co_return ticket_from_row(r.front());
}

Task<Ticket> TicketRepo::set_status(db::Tx& tx, const std::string& id, const TicketStatusChange& c) {
  auto r = co_await tx.query(q::kSetStatus, db::Params(id, c.to, c.diagnosis, c.resolution));
  co_return ticket_from_row(r.front());
}

Task<void> TicketRepo::remove(db::Tx& tx, const std::string& id) { co_await tx.query(q::kDelete, db::Params(id)); }

}  // namespace netops::maintenance
