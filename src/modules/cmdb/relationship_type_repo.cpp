#include "modules/cmdb/relationship_type_repo.hpp"

#include "db/where.hpp"

namespace netops::cmdb {

namespace {
constexpr const char* kColumns =
    "id, code, name, reverse_name, allowed_from_type_id, allowed_to_type_id, min_up, min_up_percent, created_at";
const std::string kFindSql = std::string("SELECT ") + kColumns + " FROM cmdb_relationship_types WHERE id = $1";
const std::string kLockSql = kFindSql + " FOR UPDATE";
const db::Query kFind{"cmdb_rel_types.find", kFindSql};
const db::Query kLock{"cmdb_rel_types.lock", kLockSql};
constexpr db::Query kMissing{
    "cmdb_rel_types.missing_refs",
    "SELECT ($1::uuid IS NOT NULL AND NOT EXISTS (SELECT 1 FROM cmdb_ci_types WHERE id = $1::uuid)) AS from_missing, "
    "($2::uuid IS NOT NULL AND NOT EXISTS (SELECT 1 FROM cmdb_ci_types WHERE id = $2::uuid)) AS to_missing"};
constexpr db::Query kRelationships{"cmdb_rel_types.relationships",
                                   "SELECT count(*) AS n FROM cmdb_relationships WHERE rel_type_id = $1"};
constexpr db::Query kDelete{"cmdb_rel_types.delete", "DELETE FROM cmdb_relationship_types WHERE id = $1"};

std::vector<std::pair<std::string, std::optional<std::string>>> columns_of(const RelTypeInput& in) {
  std::vector<std::pair<std::string, std::optional<std::string>>> cols;
  if (in.code) cols.emplace_back("code", *in.code);
  if (in.name) cols.emplace_back("name", *in.name);
  if (in.reverse_name) cols.emplace_back("reverse_name", *in.reverse_name);
  if (in.allowed_from_type_id) cols.emplace_back("allowed_from_type_id", *in.allowed_from_type_id);
  if (in.allowed_to_type_id) cols.emplace_back("allowed_to_type_id", *in.allowed_to_type_id);
  if (in.min_up) {
    cols.emplace_back("min_up", *in.min_up ? std::optional<std::string>(std::to_string((*in.min_up)->first))
                                           : std::nullopt);
    cols.emplace_back("min_up_percent", *in.min_up && (*in.min_up)->second ? "t" : "f");
  }
  return cols;
}

std::string cast_of(const std::string& c) {
  if (c == "allowed_from_type_id" || c == "allowed_to_type_id") return "::uuid";
  if (c == "min_up") return "::int";
  if (c == "min_up_percent") return "::boolean";
  return "";
}
}  // namespace

Task<db::Page<RelType>> RelTypeRepo::list(const RelTypeFilter& f, const db::PageRequest& p, const db::Sort& s) {
  db::Where w;
  if (f.search) w.add("(code ILIKE {} OR name ILIKE {})", db::like_contains(*f.search));
  auto sql = std::string("SELECT ") + kColumns + ", count(*) OVER () AS total FROM cmdb_relationship_types" + w.sql();
  sql += w.order_and_window(s, p, "id");
  auto rows = co_await db_.query(sql, w.take_params());
  co_return db::page_of<RelType>(rows, p, rel_type_from_row);
}

Task<std::optional<RelType>> RelTypeRepo::find(const std::string& id, db::Tx* tx, bool lock) {
  db::Result r;
  if (tx) r = co_await tx->query(lock ? kLock : kFind, db::Params(id));
  else r = co_await db_.query(kFind, db::Params(id));
  if (r.empty()) co_return std::nullopt;
  co_return rel_type_from_row(r.front());
}

Task<std::string> RelTypeRepo::insert(db::Tx& tx, const RelTypeInput& in) {
  db::Params params;
  std::string names, values;
  for (auto& [c, v] : columns_of(in)) {
    names += (names.empty() ? "" : ", ") + c;
    values += (values.empty() ? "" : ", ") + params.push(v) + cast_of(c);
  }
  auto sql = "INSERT INTO cmdb_relationship_types (" + names + ") VALUES (" + values + ") RETURNING id";
  auto r = co_await tx.query(sql, std::move(params));
  co_return r.front().get<std::string>("id");
}

Task<void> RelTypeRepo::update(db::Tx& tx, const std::string& id, const RelTypeInput& in) {
  auto cols = columns_of(in);
  if (cols.empty()) co_return;
  db::Params params;
  params.add(id);
  std::string sets;
  for (auto& [c, v] : cols) sets += (sets.empty() ? "" : ", ") + c + " = " + params.push(v) + cast_of(c);
  auto sql = "UPDATE cmdb_relationship_types SET " + sets + " WHERE id = $1";
  co_await tx.query(sql, std::move(params));
}

Task<std::vector<std::string>> RelTypeRepo::missing_refs(db::Tx& tx, const std::optional<std::string>& from,
                                                         const std::optional<std::string>& to) {
  auto r = co_await tx.query(kMissing, db::Params(from, to));
  std::vector<std::string> out;
  if (r.front().get<bool>("from_missing")) out.push_back("allowedFromTypeId");
  if (r.front().get<bool>("to_missing")) out.push_back("allowedToTypeId");
  co_return out;
}

Task<long long> RelTypeRepo::relationships(db::Tx& tx, const std::string& id) {
  auto r = co_await tx.query(kRelationships, db::Params(id));
  co_return r.front().get<std::int64_t>("n");
}

Task<void> RelTypeRepo::remove(db::Tx& tx, const std::string& id) { co_await tx.query(kDelete, db::Params(id)); }

}  // namespace netops::cmdb
