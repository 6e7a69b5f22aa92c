#include "modules/assets/import_repo.hpp"

#include "db/array.hpp"
#include "modules/assets/asset_repo.hpp"

namespace netops::assets {

namespace q {
constexpr db::Query kModels{"assets.catalog_models", "SELECT id, model, spec FROM asset_models"};
constexpr db::Query kVendors{"assets.catalog_vendors", "SELECT id, name FROM vendors"};
constexpr db::Query kLocations{"assets.catalog_locations", "SELECT id, name, path FROM locations"};
const std::string kLockByCodesSql =
    "SELECT " + asset_columns() + " FROM assets a WHERE a.asset_code = ANY ($1::text[]) ORDER BY a.id FOR UPDATE";
const db::Query kLockByCodes{"assets.lock_by_codes", kLockByCodesSql};
constexpr db::Query kAssigned{"assets.assigned",
                              "SELECT asset_id FROM asset_assignments "
                              "WHERE asset_id = ANY ($1::uuid[]) AND returned_at IS NULL"};
constexpr db::Query kImportedEvents{
    "assets.imported_events",
    "INSERT INTO asset_events (asset_id, event_type, payload, actor_user_id, correlation_id, created_at) "
    "SELECT v.id, 'IMPORTED', v.payload, $3, $4, clock_timestamp() "
    "FROM unnest($1::uuid[], $2::jsonb[]) AS v(id, payload)"};
}  // namespace q

namespace {

template <class Exec>
Task<CsvNames> load_csv_names(Exec& ex) {
  CsvNames c;
  auto models = co_await ex.query(q::kModels);
  for (auto r : models)
    c.add_model(r.template get<std::string>("id"), r.template get<std::string>("model"), r.json("spec"));
  auto vendors = co_await ex.query(q::kVendors);
  for (auto r : vendors) c.add_vendor(r.template get<std::string>("id"), r.template get<std::string>("name"));
  auto locations = co_await ex.query(q::kLocations);
  for (auto r : locations)
    c.add_location(r.template get<std::string>("id"), r.template get<std::string>("name"),
                   r.template get<std::string>("path"));
  c.finish();
  co_return c;
}

std::vector<std::optional<std::string>> column_of(const std::vector<const Values*>& rows, std::string_view sql,
                                                  std::size_t from, std::size_t to) {
  std::vector<std::optional<std::string>> out;
  out.reserve(to - from);
  for (std::size_t i = from; i < to; ++i) {
    auto it = rows[i]->find(sql);
    out.push_back(it == rows[i]->end() ? std::nullopt : it->second);
  }
  return out;
}

// "v.col::cast" — a status left empty in the file becomes the default (insert) or stays (update).
std::string cast_expr(const Column& c, bool update) {
  std::string v = "v." + std::string(c.sql) + std::string(c.cast);
  if (c.kind == Kind::status) return "COALESCE(" + v + (update ? ", a.status)" : ", 'in_stock')");
  return v;
}

}  // namespace

Task<CsvNames> ImportRepo::csv_names() { co_return co_await load_csv_names(db_); }
Task<CsvNames> ImportRepo::csv_names(db::Tx& tx) { co_return co_await load_csv_names(tx); }

Task<std::vector<Asset>> ImportRepo::lock_by_codes(db::Tx& tx, const std::vector<std::string>& codes) {
  std::vector<std::optional<std::string>> items(codes.begin(), codes.end());
  // pg_trgm (≥ 1.6) lets the trigram GIN index answer "=", and for a long list of codes the planner
  // prefers it to the unique btree — minutes instead of milliseconds. GIN is bitmap-only, so turning
  // bitmap scans off for this one statement leaves the btree.
  co_await tx.query(std::string_view("SET LOCAL enable_bitmapscan = off"));
  auto rows = co_await tx.query(q::kLockByCodes, db::Params(db::array_literal(items)));
  co_await tx.query(std::string_view("SET LOCAL enable_bitmapscan = DEFAULT"));
  std::vector<Asset> out;
  out.reserve(static_cast<std::size_t>(rows.size()));
  for (auto r : rows) out.push_back(asset_from_row(r));
  co_return out;
}

Task<std::unordered_set<std::string>> ImportRepo::assigned(db::Tx& tx, const std::vector<std::string>& asset_ids) {
  std::unordered_set<std::string> out;
  if (asset_ids.empty()) co_return out;
  std::vector<std::optional<std::string>> items(asset_ids.begin(), asset_ids.end());
  auto rows = co_await tx.query(q::kAssigned, db::Params(db::array_literal(items)));
  for (auto r : rows) out.insert(r.get<std::string>("asset_id"));
  co_return out;
}

Task<std::unordered_set<std::string>> ImportRepo::insert(db::Tx& tx, const std::vector<const Column*>& cols,
                                                          const std::vector<const RowPlan*>& rows, const Caller& who) {
  std::string names, selects, aliases, arrays;
  for (std::size_t i = 0; i < cols.size(); ++i) {
    std::string sep = i ? ", " : "";
    names += sep + std::string(cols[i]->sql);
    selects += sep + cast_expr(*cols[i], false);
    aliases += sep + std::string(cols[i]->sql);
    arrays += sep + "$" + std::to_string(i + 1) + "::text[]";
  }
  const std::string events = "$" + std::to_string(cols.size() + 1) + "::jsonb[]";
  const std::string actor = "$" + std::to_string(cols.size() + 2);
  const std::string correlation = "$" + std::to_string(cols.size() + 3);
  // The rows and their events in one statement: the events come from what was inserted (RETURNING), so a
  // row skipped by ON CONFLICT gets none, and no second round trip carries the new ids back.
  // clock_timestamp(): rows of one import get distinct created_at values, so "newest first" stays a
  // cheap, stable index order instead of one huge tie.
  const std::string sql = "WITH v AS (SELECT * FROM unnest(" + arrays + ", " + events + ") AS v(" + aliases +
                          ", event)), ins AS (INSERT INTO assets (" + names + ", created_at, updated_at) SELECT " +
                          selects + ", clock_timestamp(), clock_timestamp() FROM v ON CONFLICT (asset_code) DO NOTHING "
                          "RETURNING id, asset_code), ev AS (INSERT INTO asset_events (asset_id, event_type, payload, "
                          "actor_user_id, correlation_id, created_at) SELECT ins.id, 'IMPORTED', v.event, " + actor +
                          ", " + correlation + ", clock_timestamp() FROM ins JOIN v ON v.asset_code = ins.asset_code) "
                          "SELECT asset_code FROM ins";
  std::vector<const Values*> values;
  values.reserve(rows.size());
  for (auto* rp : rows) values.push_back(&rp->values);
  std::unordered_set<std::string> out;
  for (std::size_t from = 0; from < rows.size(); from += kBatchRows) {
    std::size_t to = std::min(rows.size(), from + kBatchRows);
    db::Params params;
    for (auto* c : cols) params.add(db::array_literal(column_of(values, c->sql, from, to)));
    std::vector<std::optional<std::string>> docs;
    docs.reserve(to - from);
    for (std::size_t i = from; i < to; ++i) docs.emplace_back(rows[i]->event);
    params.add(db::array_literal(docs));
    params.add(who.user_id);
    params.add(who.request_id);
    auto inserted = co_await tx.query(sql, std::move(params));
    for (auto r : inserted) out.insert(r.get<std::string>("asset_code"));
  }
  co_return out;
}

Task<void> ImportRepo::update(db::Tx& tx, const std::vector<const Column*>& cols,
                            const std::vector<std::pair<std::string, const Values*>>& rows) {
  if (rows.empty()) co_return;
  std::string sets, aliases = "id", arrays = "$1::uuid[]";
  for (std::size_t i = 0; i < cols.size(); ++i) {
    sets += std::string(cols[i]->sql) + " = " + cast_expr(*cols[i], true) + ", ";
    aliases += ", " + std::string(cols[i]->sql);
    arrays += ", $" + std::to_string(i + 2) + "::text[]";
  }
  const std::string sql = "UPDATE assets AS a SET " + sets + "updated_at = now() FROM unnest(" + arrays + ") AS v(" +
                          aliases + ") WHERE a.id = v.id";
  std::vector<const Values*> values;
  values.reserve(rows.size());
  for (auto& [id, v] : rows) values.push_back(v);
  for (std::size_t from = 0; from < rows.size(); from += kBatchRows) {
    std::size_t to = std::min(rows.size(), from + kBatchRows);
    std::vector<std::optional<std::string>> ids;
    for (std::size_t i = from; i < to; ++i) ids.emplace_back(rows[i].first);
    db::Params params;
    params.add(db::array_literal(ids));
    for (auto* c : cols) params.add(db::array_literal(column_of(values, c->sql, from, to)));
    co_await tx.query(sql, std::move(params));
  }
}

Task<void> ImportRepo::imported_events(db::Tx& tx, const std::vector<std::string>& asset_ids,
                                     const std::vector<std::string>& payloads, const Caller& who) {
  for (std::size_t from = 0; from < asset_ids.size(); from += kBatchRows) {
    std::size_t to = std::min(asset_ids.size(), from + kBatchRows);
    std::vector<std::optional<std::string>> ids(asset_ids.begin() + static_cast<long>(from),
                                                asset_ids.begin() + static_cast<long>(to));
    std::vector<std::optional<std::string>> docs(payloads.begin() + static_cast<long>(from),
                                                 payloads.begin() + static_cast<long>(to));
    co_await tx.query(q::kImportedEvents, db::Params(db::array_literal(ids), db::array_literal(docs), who.user_id, who.request_id));
  }
}

Task<std::vector<Asset>> ImportRepo::export_batch(const Filter& f, const std::optional<std::string>& after,
                                                long long limit) {
  db::Params params;
  auto where = where_sql(f, params);
  if (after) where += " AND a.id > " + params.push(*after) + "::uuid";
  auto sql = "SELECT " + asset_columns() + " FROM assets a" + where + " ORDER BY a.id LIMIT " + params.push(limit);
  auto rows = co_await db_.query(sql, std::move(params));
  std::vector<Asset> out;
  out.reserve(static_cast<std::size_t>(rows.size()));
  for (auto r : rows) out.push_back(asset_from_row(r));
  co_return out;
}

}  // namespace netops::assets
