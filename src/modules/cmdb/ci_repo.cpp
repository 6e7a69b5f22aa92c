#include "modules/cmdb/ci_repo.hpp"

#include "db/where.hpp"

namespace netops::cmdb {

namespace {
const std::string kColumns =
    "c.id, c.type_id, t.code AS type_code, c.name, c.ci_code, c.status, c.environment, c.asset_id, c.location_id, "
    "c.owner_team, c.notes, c.created_at, c.updated_at, "
    "(SELECT jsonb_object_agg(a.key, a.value) FROM cmdb_ci_attr_values a WHERE a.ci_id = c.id) AS attributes, "
    "(SELECT a.version_id FROM cmdb_ci_attr_values a WHERE a.ci_id = c.id LIMIT 1) AS attr_version_id";
const std::string kFrom = " FROM cmdb_cis c JOIN cmdb_ci_types t ON t.id = c.type_id";
const std::string kFindSql = "SELECT " + kColumns + kFrom + " WHERE c.id = $1";
const db::Query kFind{"cmdb_cis.find", kFindSql};
constexpr db::Query kLock{"cmdb_cis.lock", "SELECT id FROM cmdb_cis WHERE id = $1 FOR UPDATE"};
constexpr db::Query kMissing{
    "cmdb_cis.missing_refs",
    "SELECT ($1::uuid IS NOT NULL AND NOT EXISTS (SELECT 1 FROM cmdb_ci_types WHERE id = $1::uuid)) AS type, "
    "($2::uuid IS NOT NULL AND NOT EXISTS (SELECT 1 FROM assets WHERE id = $2::uuid)) AS asset, "
    "($3::uuid IS NOT NULL AND NOT EXISTS (SELECT 1 FROM locations WHERE id = $3::uuid)) AS location"};
constexpr db::Query kDeleteAttrs{"cmdb_cis.attrs_delete", "DELETE FROM cmdb_ci_attr_values WHERE ci_id = $1"};
constexpr db::Query kInsertAttrs{
    "cmdb_cis.attrs_insert",
    "INSERT INTO cmdb_ci_attr_values (ci_id, version_id, key, value) SELECT $1, $2, e.key, e.value "
    "FROM jsonb_each($3::jsonb) e"};
constexpr db::Query kDepRels{
    "cmdb_cis.dependent_relationships",
    "SELECT r.id, rt.code AS rel_type_code, f.ci_code AS from_code, t.ci_code AS to_code FROM cmdb_relationships r "
    "JOIN cmdb_relationship_types rt ON rt.id = r.rel_type_id JOIN cmdb_cis f ON f.id = r.from_ci_id "
    "JOIN cmdb_cis t ON t.id = r.to_ci_id WHERE r.status = 'active' AND (r.from_ci_id = $1 OR r.to_ci_id = $1) "
    "ORDER BY rt.code, f.ci_code, t.ci_code"};
constexpr db::Query kDepServices{
    "cmdb_cis.dependent_services",
    "SELECT m.id, s.id AS service_id, s.code, m.role FROM cmdb_service_members m "
    "JOIN cmdb_services s ON s.id = m.service_id WHERE m.ci_id = $1 ORDER BY s.code"};
constexpr db::Query kRetireRels{
    "cmdb_cis.retire_relationships",
    "UPDATE cmdb_relationships SET status = 'retired' WHERE status = 'active' AND (from_ci_id = $1 OR to_ci_id = $1) "
    "RETURNING id"};
constexpr db::Query kRemoveMembers{"cmdb_cis.remove_memberships", "DELETE FROM cmdb_service_members WHERE ci_id = $1"};
constexpr db::Query kDelete{"cmdb_cis.delete", "DELETE FROM cmdb_cis WHERE id = $1"};
constexpr db::Query kFilterable{
    "cmdb_cis.filterable",
    "SELECT EXISTS (SELECT 1 FROM cmdb_ci_type_attr_defs d JOIN cmdb_ci_type_versions v ON v.id = d.version_id "
    "WHERE v.status = 'active' AND d.key = $1 AND d.is_filterable AND ($2::uuid IS NULL OR v.type_id = $2::uuid)) AS ok"};

void where_of(const CiFilter& f, db::Where& w) {
  if (f.type_id) w.add("c.type_id = {}::uuid", *f.type_id);
  if (f.type_code) w.add("t.code = {}", *f.type_code);
  if (f.status) w.add("c.status = {}", *f.status);
  if (f.environment) w.add("c.environment = {}", *f.environment);
  if (f.owner_team) w.add("c.owner_team = {}", *f.owner_team);
  if (f.asset_id) w.add("c.asset_id = {}::uuid", *f.asset_id);
  // Subtree by materialised path: the location's path is a prefix of every descendant's.
  if (f.location_id)
    w.add("c.location_id = ANY (ARRAY(SELECT l.id FROM locations l WHERE l.path LIKE "
          "(SELECT path FROM locations WHERE id = {}::uuid) || '%'))",
          *f.location_id);
  if (f.search) w.add("(c.ci_code ILIKE {} OR c.name ILIKE {})", db::like_contains(*f.search));
  for (auto& [key, value] : f.attrs) {
    auto k = w.param(key);
    auto v = w.param(value);  // no "{}" placeholder here: the JSON path literal '{}' would be taken for one
    w.add("EXISTS (SELECT 1 FROM cmdb_ci_attr_values a WHERE a.ci_id = c.id AND a.key = " + k +
          " AND (a.value #>> '{}') = " + v + ")");
  }
}

// The columns an input sets, as (column, value) pairs; nullopt clears.
std::vector<std::pair<std::string, std::optional<std::string>>> columns_of(const CiInput& in) {
  std::vector<std::pair<std::string, std::optional<std::string>>> cols;
  auto set = [&](const char* c, const std::optional<std::string>& v) {
    if (v) cols.emplace_back(c, *v);
  };
  auto clear = [&](const char* c, const Clearable& v) {
    if (v) cols.emplace_back(c, *v);
  };
  set("type_id", in.type_id);
  set("name", in.name);
  set("ci_code", in.ci_code);
  set("status", in.status);
  set("environment", in.environment);
  clear("asset_id", in.asset_id);
  clear("location_id", in.location_id);
  clear("owner_team", in.owner_team);
  clear("notes", in.notes);
  return cols;
}

bool is_uuid_column(const std::string& c) { return c == "type_id" || c == "asset_id" || c == "location_id"; }
}  // namespace

Task<db::Page<Ci>> CiRepo::list(const CiFilter& f, const db::PageRequest& p, const db::Sort& s) {
  db::Where w;
  where_of(f, w);
  auto sql = "SELECT " + kColumns + ", count(*) OVER () AS total" + kFrom + w.sql();
  sql += w.order_and_window(s, p, "c.id");
  auto rows = co_await db_.query(sql, w.take_params());
  co_return db::page_of<Ci>(rows, p, ci_from_row);
}

Task<std::vector<Ci>> CiRepo::export_rows(const CiFilter& f, long long limit) {
  db::Where w;
  where_of(f, w);
  auto sql = "SELECT " + kColumns + kFrom + w.sql() + " ORDER BY c.ci_code LIMIT " + w.param(limit);
  auto rows = co_await db_.query(sql, w.take_params());
  std::vector<Ci> out;
  for (auto r : rows) out.push_back(ci_from_row(r));
  co_return out;
}

Task<std::optional<Ci>> CiRepo::find(const std::string& id, db::Tx* tx) {
  db::Result r;
  if (tx) r = co_await tx->query(kFind, db::Params(id));
  else r = co_await db_.query(kFind, db::Params(id));
  if (r.empty()) co_return std::nullopt;
  co_return ci_from_row(r.front());
}

Task<bool> CiRepo::lock(db::Tx& tx, const std::string& id) {
  auto r = co_await tx.query(kLock, db::Params(id));
  co_return !r.empty();
}

Task<std::vector<std::string>> CiRepo::missing_refs(db::Tx& tx, const std::optional<std::string>& type_id,
                                                    const std::optional<std::string>& asset_id,
                                                    const std::optional<std::string>& location_id) {
  auto r = co_await tx.query(kMissing, db::Params(type_id, asset_id, location_id));
  std::vector<std::string> out;
  auto row = r.front();
  if (row.get<bool>("type")) out.push_back("typeId");
  if (row.get<bool>("asset")) out.push_back("assetId");
  if (row.get<bool>("location")) out.push_back("locationId");
  co_return out;
}

Task<std::string> CiRepo::insert(db::Tx& tx, const CiInput& in) {
  auto cols = columns_of(in);
  db::Params params;
  std::string names, values;
  for (auto& [c, v] : cols) {
    names += (names.empty() ? "" : ", ") + c;
    values += (values.empty() ? "" : ", ") + params.push(v) + (is_uuid_column(c) ? "::uuid" : "");
  }
  auto sql = "INSERT INTO cmdb_cis (" + names + ") VALUES (" + values + ") RETURNING id";
  auto r = co_await tx.query(sql, std::move(params));
  co_return r.front().get<std::string>("id");
}

Task<void> CiRepo::update(db::Tx& tx, const std::string& id, const CiInput& in) {
  auto cols = columns_of(in);
  db::Params params;
  params.add(id);
  std::string sets = "updated_at = now()";
  for (auto& [c, v] : cols) sets += ", " + c + " = " + params.push(v) + (is_uuid_column(c) ? "::uuid" : "");
  auto sql = "UPDATE cmdb_cis SET " + sets + " WHERE id = $1";
  co_await tx.query(sql, std::move(params));
}

Task<void> CiRepo::replace_attributes(db::Tx& tx, const std::string& id, const std::optional<std::string>& version_id,
                                      const nlohmann::json& values) {
  co_await tx.query(kDeleteAttrs, db::Params(id));
  if (version_id && !values.empty()) co_await tx.query(kInsertAttrs, db::Params(id, *version_id, values));
}

Task<CiDependents> CiRepo::dependents(db::Tx& tx, const std::string& id) {
  CiDependents out;
  auto rels = co_await tx.query(kDepRels, db::Params(id));
  for (auto r : rels)
    out.relationships.push_back({{"id", r.get<std::string>("id")},
                                 {"relTypeCode", r.get<std::string>("rel_type_code")},
                                 {"fromCiCode", r.get<std::string>("from_code")},
                                 {"toCiCode", r.get<std::string>("to_code")}});
  auto services = co_await tx.query(kDepServices, db::Params(id));
  for (auto r : services)
    out.services.push_back({{"memberId", r.get<std::string>("id")},
                            {"serviceId", r.get<std::string>("service_id")},
                            {"serviceCode", r.get<std::string>("code")},
                            {"role", r.opt<std::string>("role") ? nlohmann::json(*r.opt<std::string>("role"))
                                                                 : nlohmann::json()}});
  co_return out;
}

Task<std::vector<std::string>> CiRepo::retire_relationships(db::Tx& tx, const std::string& id) {
  auto rows = co_await tx.query(kRetireRels, db::Params(id));
  std::vector<std::string> out;
  for (auto r : rows) out.push_back(r.get<std::string>("id"));
  co_return out;
}

Task<void> CiRepo::remove_memberships(db::Tx& tx, const std::string& id) {
  co_await tx.query(kRemoveMembers, db::Params(id));
}

Task<void> CiRepo::remove(db::Tx& tx, const std::string& id) { co_await tx.query(kDelete, db::Params(id)); }

Task<bool> CiRepo::filterable(const std::string& key, const std::optional<std::string>& type_id) {
  auto r = co_await db_.query(kFilterable, db::Params(key, type_id));
  co_return r.front().get<bool>("ok");
}

}  // namespace netops::cmdb
