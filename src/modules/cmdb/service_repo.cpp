#include "modules/cmdb/service_repo.hpp"

#include "db/where.hpp"

namespace netops::cmdb {

namespace {
const std::string kColumns = std::string(
    "s.id, s.code, s.name, s.criticality, s.owner, s.sla, s.status, s.created_at, h.health, h.member_count");
const std::string kFrom = std::string(
    " FROM cmdb_services s CROSS JOIN LATERAL (SELECT ") + kHealthSql +
    " AS health, count(m.id) AS member_count FROM cmdb_service_members m JOIN cmdb_cis c ON c.id = m.ci_id "
    "WHERE m.service_id = s.id) h";
const std::string kFindSql = "SELECT " + kColumns + kFrom + " WHERE s.id = $1";
const db::Query kFind{"cmdb_services.find", kFindSql};
constexpr db::Query kLock{"cmdb_services.lock", "SELECT id FROM cmdb_services WHERE id = $1 FOR UPDATE"};
constexpr db::Query kInsert{"cmdb_services.insert",
                            "INSERT INTO cmdb_services (code, name, criticality, owner, sla, status) "
                            "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id"};
constexpr db::Query kUpdate{
    "cmdb_services.update",
    "UPDATE cmdb_services SET code = COALESCE($2, code), name = COALESCE($3, name), "
    "criticality = CASE WHEN $4::boolean THEN $5 ELSE criticality END, "
    "owner = CASE WHEN $6::boolean THEN $7 ELSE owner END, sla = CASE WHEN $8::boolean THEN $9 ELSE sla END, "
    "status = CASE WHEN $10::boolean THEN $11 ELSE status END WHERE id = $1"};
constexpr db::Query kDelete{"cmdb_services.delete", "DELETE FROM cmdb_services WHERE id = $1"};
constexpr const char* kMemberColumns =
    "m.id, m.service_id, m.ci_id, c.ci_code, c.name AS ci_name, c.status AS ci_status, m.role, m.created_at "
    "FROM cmdb_service_members m JOIN cmdb_cis c ON c.id = m.ci_id";
const std::string kMembersSql = std::string("SELECT ") + kMemberColumns + " WHERE m.service_id = $1 ORDER BY c.ci_code";
const std::string kMemberSql = std::string("SELECT ") + kMemberColumns + " WHERE m.id = $1";
const db::Query kMembers{"cmdb_services.members", kMembersSql};
const db::Query kMember{"cmdb_services.member", kMemberSql};
constexpr db::Query kCiExists{"cmdb_services.ci_exists", "SELECT 1 FROM cmdb_cis WHERE id = $1 FOR KEY SHARE"};
constexpr db::Query kMemberOf{"cmdb_services.member_of",
                              "SELECT id FROM cmdb_service_members WHERE service_id = $1 AND ci_id = $2"};
constexpr db::Query kAddMember{"cmdb_services.add_member",
                               "INSERT INTO cmdb_service_members (service_id, ci_id, role) VALUES ($1, $2, $3) "
                               "RETURNING id"};
constexpr db::Query kRemoveMember{"cmdb_services.remove_member", "DELETE FROM cmdb_service_members WHERE id = $1"};

std::optional<std::string> value_of(const Clearable& c) { return c ? *c : std::nullopt; }
}  // namespace

Task<db::Page<Service>> ServiceRepo::list(const ServiceFilter& f, const db::PageRequest& p, const db::Sort& s) {
  db::Where w;
  if (f.criticality) w.add("s.criticality = {}", *f.criticality);
  if (f.search) w.add("(s.code ILIKE {} OR s.name ILIKE {})", db::like_contains(*f.search));
  if (f.ci_id)
    w.add("EXISTS (SELECT 1 FROM cmdb_service_members x WHERE x.service_id = s.id AND x.ci_id = {}::uuid)", *f.ci_id);
  auto sql = "SELECT " + kColumns + ", count(*) OVER () AS total" + kFrom + w.sql();
  sql += w.order_and_window(s, p, "s.id");
  auto rows = co_await db_.query(sql, w.take_params());
  co_return db::page_of<Service>(rows, p, service_from_row);
}

Task<std::optional<Service>> ServiceRepo::find(const std::string& id, db::Tx* tx) {
  db::Result r;
  if (tx) r = co_await tx->query(kFind, db::Params(id));
  else r = co_await db_.query(kFind, db::Params(id));
  if (r.empty()) co_return std::nullopt;
  co_return service_from_row(r.front());
}

Task<bool> ServiceRepo::lock(db::Tx& tx, const std::string& id) {
  auto r = co_await tx.query(kLock, db::Params(id));
  co_return !r.empty();
}

Task<std::string> ServiceRepo::insert(db::Tx& tx, const ServiceInput& in) {
  auto r = co_await tx.query(kInsert, db::Params(*in.code, *in.name, value_of(in.criticality), value_of(in.owner),
                                                 value_of(in.sla), value_of(in.status)));
  co_return r.front().get<std::string>("id");
}

Task<void> ServiceRepo::update(db::Tx& tx, const std::string& id, const ServiceInput& in) {
  db::Params p(id, in.code, in.name);
  p.add(in.criticality.has_value()).add(value_of(in.criticality));
  p.add(in.owner.has_value()).add(value_of(in.owner));
  p.add(in.sla.has_value()).add(value_of(in.sla));
  p.add(in.status.has_value()).add(value_of(in.status));
  co_await tx.query(kUpdate, std::move(p));
}

Task<void> ServiceRepo::remove(db::Tx& tx, const std::string& id) { co_await tx.query(kDelete, db::Params(id)); }

Task<std::vector<Member>> ServiceRepo::members(const std::string& service_id, db::Tx* tx) {
  db::Result rows;
  if (tx) rows = co_await tx->query(kMembers, db::Params(service_id));
  else rows = co_await db_.query(kMembers, db::Params(service_id));
  std::vector<Member> out;
  for (auto r : rows) out.push_back(member_from_row(r));
  co_return out;
}

Task<std::optional<Member>> ServiceRepo::member(db::Tx& tx, const std::string& member_id) {
  auto r = co_await tx.query(kMember, db::Params(member_id));
  if (r.empty()) co_return std::nullopt;
  co_return member_from_row(r.front());
}

Task<bool> ServiceRepo::ci_exists(db::Tx& tx, const std::string& ci_id) {
  auto r = co_await tx.query(kCiExists, db::Params(ci_id));
  co_return !r.empty();
}

Task<std::optional<std::string>> ServiceRepo::member_of(db::Tx& tx, const std::string& service_id,
                                                        const std::string& ci_id) {
  auto r = co_await tx.query(kMemberOf, db::Params(service_id, ci_id));
  if (r.empty()) co_return std::nullopt;
  co_return r.front().get<std::string>("id");
}

Task<std::string> ServiceRepo::add_member(db::Tx& tx, const std::string& service_id, const std::string& ci_id,
                                          const std::optional<std::string>& role) {
  auto r = co_await tx.query(kAddMember, db::Params(service_id, ci_id, role));
  co_return r.front().get<std::string>("id");
}

Task<void> ServiceRepo::remove_member(db::Tx& tx, const std::string& member_id) {
  co_await tx.query(kRemoveMember, db::Params(member_id));
}

}  // namespace netops::cmdb
