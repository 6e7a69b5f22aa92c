#include "modules/cmdb/ci_type_repo.hpp"

#include "db/where.hpp"

namespace netops::cmdb {

namespace {
const std::string kColumns =
    "t.id, t.code, t.name, t.description, t.created_at, "
    "(SELECT v.id FROM cmdb_ci_type_versions v WHERE v.type_id = t.id AND v.status = 'active') AS active_version_id, "
    "(SELECT v.version FROM cmdb_ci_type_versions v WHERE v.type_id = t.id AND v.status = 'active') AS active_version, "
    "(SELECT v.id FROM cmdb_ci_type_versions v WHERE v.type_id = t.id AND v.status = 'draft' ORDER BY v.version DESC "
    "LIMIT 1) AS draft_version_id";
const std::string kFindSql = "SELECT " + kColumns + " FROM cmdb_ci_types t WHERE t.id = $1";
const db::Query kFind{"cmdb_types.find", kFindSql};
constexpr db::Query kLock{"cmdb_types.lock", "SELECT id FROM cmdb_ci_types WHERE id = $1 FOR UPDATE"};
constexpr db::Query kInsert{"cmdb_types.insert",
                            "INSERT INTO cmdb_ci_types (code, name, description) VALUES ($1, $2, $3) RETURNING id"};
constexpr db::Query kUpdate{"cmdb_types.update",
                            "UPDATE cmdb_ci_types SET code = COALESCE($2, code), name = COALESCE($3, name), "
                            "description = CASE WHEN $4::boolean THEN $5 ELSE description END WHERE id = $1"};
constexpr db::Query kCiCount{"cmdb_types.ci_count", "SELECT count(*) AS n FROM cmdb_cis WHERE type_id = $1"};
constexpr db::Query kRelRefs{"cmdb_types.rel_type_refs",
                             "SELECT count(*) AS n FROM cmdb_relationship_types "
                             "WHERE allowed_from_type_id = $1 OR allowed_to_type_id = $1"};
constexpr db::Query kDelete{"cmdb_types.delete", "DELETE FROM cmdb_ci_types WHERE id = $1"};
constexpr db::Query kSubjects{
    "cmdb_types.subjects",
    "SELECT c.id, c.ci_code, c.name, "
    "COALESCE((SELECT jsonb_object_agg(a.key, a.value) FROM cmdb_ci_attr_values a WHERE a.ci_id = c.id), '{}') AS attrs, "
    "(SELECT a.version_id FROM cmdb_ci_attr_values a WHERE a.ci_id = c.id LIMIT 1) AS version_id "
    "FROM cmdb_cis c WHERE c.type_id = $1 ORDER BY c.ci_code"};
}  // namespace

Task<db::Page<CiType>> CiTypeRepo::list(const TypeFilter& f, const db::PageRequest& p, const db::Sort& s) {
  db::Where w;
  if (f.search) w.add("(t.code ILIKE {} OR t.name ILIKE {})", db::like_contains(*f.search));
  auto sql = "SELECT " + kColumns + ", count(*) OVER () AS total FROM cmdb_ci_types t" + w.sql();
  sql += w.order_and_window(s, p, "t.id");
  auto rows = co_await db_.query(sql, w.take_params());
  co_return db::page_of<CiType>(rows, p, ci_type_from_row);
}

Task<std::optional<CiType>> CiTypeRepo::find(const std::string& id, db::Tx* tx) {
  db::Result r;
  if (tx) r = co_await tx->query(kFind, db::Params(id));
  else r = co_await db_.query(kFind, db::Params(id));
  if (r.empty()) co_return std::nullopt;
  co_return ci_type_from_row(r.front());
}

Task<bool> CiTypeRepo::lock(db::Tx& tx, const std::string& id) {
  auto r = co_await tx.query(kLock, db::Params(id));
  co_return !r.empty();
}

Task<CiType> CiTypeRepo::insert(db::Tx& tx, const CiTypeInput& in) {
  std::optional<std::string> description = in.description ? *in.description : std::nullopt;
  auto r = co_await tx.query(kInsert, db::Params(*in.code, *in.name, description));
  auto id = r.front().get<std::string>("id");
  auto found = co_await find(id, &tx);
  co_return *found;
}

Task<CiType> CiTypeRepo::update(db::Tx& tx, const std::string& id, const CiTypeInput& in) {
  std::optional<std::string> description = in.description ? *in.description : std::nullopt;
  co_await tx.query(kUpdate, db::Params(id, in.code, in.name, in.description.has_value(), description));
  auto found = co_await find(id, &tx);
  co_return *found;
}

Task<long long> CiTypeRepo::ci_count(db::Tx& tx, const std::string& id) {
  auto r = co_await tx.query(kCiCount, db::Params(id));
  co_return r.front().get<std::int64_t>("n");
}

Task<long long> CiTypeRepo::rel_type_refs(db::Tx& tx, const std::string& id) {
  auto r = co_await tx.query(kRelRefs, db::Params(id));
  co_return r.front().get<std::int64_t>("n");
}

Task<void> CiTypeRepo::remove(db::Tx& tx, const std::string& id) { co_await tx.query(kDelete, db::Params(id)); }

Task<std::vector<catalog::SpecSubject>> CiTypeRepo::subjects(db::Tx& tx, const std::string& id) {
  auto rows = co_await tx.query(kSubjects, db::Params(id));
  std::vector<catalog::SpecSubject> out;
  for (auto r : rows)
    out.push_back(catalog::SpecSubject{r.get<std::string>("id"),
                                       {{"ciCode", r.get<std::string>("ci_code")}, {"name", r.get<std::string>("name")}},
                                       r.json("attrs"),
                                       r.opt<std::string>("version_id")});
  co_return out;
}

}  // namespace netops::cmdb
