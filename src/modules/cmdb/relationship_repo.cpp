#include "modules/cmdb/relationship_repo.hpp"

#include "db/where.hpp"

namespace netops::cmdb {

namespace {
const std::string kColumns =
    "r.id, r.rel_type_id, rt.code AS rel_type_code, r.from_ci_id, f.ci_code AS from_ci_code, r.to_ci_id, "
    "t.ci_code AS to_ci_code, r.status, r.since_date::text AS since_date, r.note, r.created_at";
const std::string kFrom =
    " FROM cmdb_relationships r JOIN cmdb_relationship_types rt ON rt.id = r.rel_type_id "
    "JOIN cmdb_cis f ON f.id = r.from_ci_id JOIN cmdb_cis t ON t.id = r.to_ci_id";
const std::string kFindSql = "SELECT " + kColumns + kFrom + " WHERE r.id = $1";
const std::string kLockSql = kFindSql + " FOR UPDATE OF r";
const db::Query kFind{"cmdb_relationships.find", kFindSql};
const db::Query kLock{"cmdb_relationships.lock", kLockSql};
constexpr db::Query kCi{"cmdb_relationships.ci",
                        "SELECT c.id, c.ci_code, c.type_id, t.code AS type_code FROM cmdb_cis c "
                        "JOIN cmdb_ci_types t ON t.id = c.type_id WHERE c.id = $1 FOR KEY SHARE OF c"};
constexpr db::Query kTypeCode{"cmdb_relationships.type_code", "SELECT code FROM cmdb_ci_types WHERE id = $1"};
constexpr db::Query kDuplicate{"cmdb_relationships.duplicate",
                               "SELECT id FROM cmdb_relationships WHERE rel_type_id = $1 AND from_ci_id = $2 "
                               "AND to_ci_id = $3 AND status = 'active'"};
constexpr db::Query kInsert{"cmdb_relationships.insert",
                            "INSERT INTO cmdb_relationships (rel_type_id, from_ci_id, to_ci_id, since_date, note) "
                            "VALUES ($1, $2, $3, $4::date, $5) RETURNING id"};
constexpr db::Query kUpdate{"cmdb_relationships.update",
                            "UPDATE cmdb_relationships SET since_date = CASE WHEN $2::boolean THEN $3::date ELSE "
                            "since_date END, note = CASE WHEN $4::boolean THEN $5 ELSE note END WHERE id = $1"};
constexpr db::Query kRetire{"cmdb_relationships.retire",
                            "UPDATE cmdb_relationships SET status = 'retired' WHERE id = $1"};
}  // namespace

Task<db::Page<Relationship>> RelationshipRepo::list(const RelationshipFilter& f, const db::PageRequest& p,
                                                    const db::Sort& s) {
  db::Where w;
  if (f.ci_id) w.add("(r.from_ci_id = {}::uuid OR r.to_ci_id = {}::uuid)", *f.ci_id);
  if (f.from_ci_id) w.add("r.from_ci_id = {}::uuid", *f.from_ci_id);
  if (f.to_ci_id) w.add("r.to_ci_id = {}::uuid", *f.to_ci_id);
  if (f.rel_type_id) w.add("r.rel_type_id = {}::uuid", *f.rel_type_id);
  if (f.status) w.add("r.status = {}", *f.status);
  auto sql = "SELECT " + kColumns + ", count(*) OVER () AS total" + kFrom + w.sql();
  sql += w.order_and_window(s, p, "r.id");
  auto rows = co_await db_.query(sql, w.take_params());
  co_return db::page_of<Relationship>(rows, p, relationship_from_row);
}

Task<std::optional<Relationship>> RelationshipRepo::find(const std::string& id, db::Tx* tx, bool lock) {
  db::Result r;
  if (tx) r = co_await tx->query(lock ? kLock : kFind, db::Params(id));
  else r = co_await db_.query(kFind, db::Params(id));
  if (r.empty()) co_return std::nullopt;
  co_return relationship_from_row(r.front());
}

Task<std::optional<CiRef>> RelationshipRepo::ci(db::Tx& tx, const std::string& id) {
  auto r = co_await tx.query(kCi, db::Params(id));
  if (r.empty()) co_return std::nullopt;
  auto row = r.front();
  co_return CiRef{row.get<std::string>("id"), row.get<std::string>("ci_code"), row.get<std::string>("type_id"),
                  row.get<std::string>("type_code")};
}

Task<std::optional<std::string>> RelationshipRepo::type_code(db::Tx& tx, const std::string& type_id) {
  auto r = co_await tx.query(kTypeCode, db::Params(type_id));
  if (r.empty()) co_return std::nullopt;
  co_return r.front().get<std::string>("code");
}

Task<std::optional<std::string>> RelationshipRepo::active_duplicate(db::Tx& tx, const RelationshipInput& in) {
  auto r = co_await tx.query(kDuplicate, db::Params(*in.rel_type_id, *in.from_ci_id, *in.to_ci_id));
  if (r.empty()) co_return std::nullopt;
  co_return r.front().get<std::string>("id");
}

Task<std::string> RelationshipRepo::insert(db::Tx& tx, const RelationshipInput& in) {
  std::optional<std::string> since = in.since_date ? *in.since_date : std::nullopt;
  std::optional<std::string> note = in.note ? *in.note : std::nullopt;
  auto r = co_await tx.query(kInsert, db::Params(*in.rel_type_id, *in.from_ci_id, *in.to_ci_id, since, note));
  co_return r.front().get<std::string>("id");
}

Task<void> RelationshipRepo::update(db::Tx& tx, const std::string& id, const RelationshipInput& in) {
  std::optional<std::string> since = in.since_date ? *in.since_date : std::nullopt;
  std::optional<std::string> note = in.note ? *in.note : std::nullopt;
  co_await tx.query(kUpdate, db::Params(id, in.since_date.has_value(), since, in.note.has_value(), note));
}

Task<void> RelationshipRepo::retire(db::Tx& tx, const std::string& id) { co_await tx.query(kRetire, db::Params(id)); }

}  // namespace netops::cmdb
