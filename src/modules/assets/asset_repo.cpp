#include "modules/assets/asset_repo.hpp"

#include "db/array.hpp"
#include "modules/assets/asset_rules.hpp"

namespace netops::assets {

namespace q {
const std::string kFindSql = "SELECT " + asset_columns() + " FROM assets a WHERE a.id = $1";
const std::string kLockSql = kFindSql + " FOR UPDATE";
const db::Query kFind{"assets.find", kFindSql};
const db::Query kLock{"assets.lock", kLockSql};
constexpr db::Query kDelete{"assets.delete", "DELETE FROM assets WHERE id = $1"};
constexpr db::Query kMissingRefs{
    "assets.missing_refs",
    "SELECT ($1::uuid IS NULL OR EXISTS (SELECT 1 FROM asset_models WHERE id = $1::uuid)) AS model_ok, "
    "($2::uuid IS NULL OR EXISTS (SELECT 1 FROM locations WHERE id = $2::uuid)) AS location_ok, "
    "($3::uuid IS NULL OR EXISTS (SELECT 1 FROM vendors WHERE id = $3::uuid)) AS vendor_ok"};
// The location's path of names ("Site 1/Building 2/Floor 3") from its path of ids.
constexpr db::Query kReferences{
    "assets.references",
    "SELECT m.id AS model_id, m.model, m.brand, c.id AS category_id, c.name AS category_name, "
    "v.id AS vendor_id, v.name AS vendor_name, l.id AS location_id, l.name AS location_name, "
    "l.path AS location_path, (SELECT string_agg(p.name, '/' ORDER BY t.ord) "
    "  FROM unnest(string_to_array(btrim(l.path, '/'), '/')) WITH ORDINALITY AS t(pid, ord) "
    "  JOIN locations p ON p.id = t.pid::uuid) AS location_name_path "
    "FROM assets a LEFT JOIN asset_models m ON m.id = a.model_id "
    "LEFT JOIN asset_categories c ON c.id = m.category_id LEFT JOIN vendors v ON v.id = a.vendor_id "
    "LEFT JOIN locations l ON l.id = a.location_id WHERE a.id = $1"};

constexpr const char* kAssignmentCols = "id, asset_id, assignee_type, assignee_id, assignee_name, assigned_at, returned_at, note";
const std::string kOpenSql =
    std::string("SELECT ") + kAssignmentCols + " FROM asset_assignments WHERE asset_id = $1 AND returned_at IS NULL";
const std::string kCloseSql =
    std::string("UPDATE asset_assignments SET returned_at = now() WHERE id = $1 RETURNING ") + kAssignmentCols;
const std::string kInsertAssignmentSql =
    std::string("INSERT INTO asset_assignments (asset_id, assignee_type, assignee_id, assignee_name, note) "
                "VALUES ($1, $2, $3, $4, $5) RETURNING ") + kAssignmentCols;
const std::string kAssignmentsSql = std::string("SELECT ") + kAssignmentCols +
                                    ", count(*) OVER () AS total FROM asset_assignments WHERE asset_id = $1 "
                                    "ORDER BY assigned_at DESC, id DESC LIMIT $2 OFFSET $3";
const db::Query kOpen{"assets.open_assignment", kOpenSql};
const db::Query kClose{"assets.close_assignment", kCloseSql};
const db::Query kInsertAssignment{"assets.insert_assignment", kInsertAssignmentSql};
const db::Query kAssignments{"assets.assignments", kAssignmentsSql};
constexpr db::Query kOpenRepairHolds{
    "assets.open_repair_holds",
    "SELECT (SELECT count(*) FROM maintenance_tickets WHERE asset_id = $1 AND status IN ('open', 'in_progress')) + "
    "(SELECT count(*) FROM repair_orders WHERE asset_id = $1 AND status NOT IN ('closed', 'canceled')) AS n"};
constexpr db::Query kCountAssignments{"assets.count_assignments",
                                      "SELECT count(*) AS n FROM asset_assignments WHERE asset_id = $1"};

// clock_timestamp(), not now(): events of one transaction (UNASSIGNED then ASSIGNED) keep their order.
constexpr db::Query kAddEvent{"assets.add_event",
                              "INSERT INTO asset_events (asset_id, event_type, payload, actor_user_id, "
                              "correlation_id, created_at) VALUES ($1, $2, $3::jsonb, $4, $5, clock_timestamp())"};
constexpr db::Query kEvents{"assets.events",
                            "SELECT id, asset_id, event_type, payload, actor_user_id, correlation_id, created_at, "
                            "count(*) OVER () AS total FROM asset_events WHERE asset_id = $1 "
                            "ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3"};
constexpr db::Query kCountEvents{"assets.count_events", "SELECT count(*) AS n FROM asset_events WHERE asset_id = $1"};

// set_config(…, true) is SET LOCAL: it ends with the transaction.
constexpr db::Query kBitmapOnly{"assets.bitmap_only",
                                "SELECT set_config('enable_seqscan', 'off', true), "
                                "set_config('enable_indexscan', 'off', true), "
                                "set_config('enable_indexonlyscan', 'off', true)"};

constexpr db::Query kTimeout{"assets.statement_timeout", "SELECT set_config('statement_timeout', $1, true)"};

// List rows carry the names a table view shows; the joins run per returned row (after LIMIT).
const std::string kListSelect =
    "SELECT " + asset_columns() +
    ", m.model AS model_name, m.brand AS model_brand, m.category_id, c.name AS category_name, "
    "l.name AS location_name, v.name AS vendor_name FROM assets a "
    "LEFT JOIN asset_models m ON m.id = a.model_id LEFT JOIN asset_categories c ON c.id = m.category_id "
    "LEFT JOIN locations l ON l.id = a.location_id LEFT JOIN vendors v ON v.id = a.vendor_id";
}  // namespace q

namespace {
std::optional<Asset> first(const db::Result& r) {
  if (r.empty()) return std::nullopt;
  return asset_from_row(r.front());
}

std::optional<std::string> value_of(const Values& v, std::string_view column) {
  auto it = v.find(column);
  return it == v.end() ? std::nullopt : it->second;
}

// The page's rows plus a total that stays right past the last page (count(*) OVER () sees no rows there).
template <class CountFn>
Task<std::pair<nlohmann::json, long long>> paged(db::Result rows, const http::Paging& p, nlohmann::json (*map)(const db::Row&),
                                                 CountFn count) {
  nlohmann::json out = nlohmann::json::array();
  long long total = 0;
  for (auto r : rows) {
    total = r.get<std::int64_t>("total");
    out.push_back(map(r));
  }
  if (rows.empty() && p.offset() > 0) total = co_await count();
  co_return std::make_pair(std::move(out), total);
}
}  // namespace

std::string where_sql(const Filter& f, db::Params& params) {
  std::string w = " WHERE true";
  if (!f.statuses.empty()) {
    std::string list;
    for (auto& s : f.statuses) list += (list.empty() ? "" : ", ") + params.push(s);
    w += " AND a.status IN (" + list + ")";
  }
  // Resolved beforehand (resolve_locations), one location is a plain "=": the planner then walks
  // idx_assets_location_created in order instead of filtering the created_at walk. Otherwise the subtree
  // by materialized path (the location's own path is a prefix of every descendant's), as an array so
  // the assets side is a plain = ANY on location_id.
  if (f.location_ids && f.location_ids->size() == 1) {
    w += " AND a.location_id = " + params.push(f.location_ids->front()) + "::uuid";
  } else if (f.location_ids) {
    std::vector<std::optional<std::string>> ids(f.location_ids->begin(), f.location_ids->end());
    w += " AND a.location_id = ANY (" + params.push(db::array_literal(ids)) + "::uuid[])";
  } else if (f.location_id) {
    w += " AND a.location_id = ANY (ARRAY(SELECT l.id FROM locations l WHERE l.path LIKE "
         "(SELECT path FROM locations WHERE id = " + params.push(*f.location_id) + "::uuid) || '%'))";
  }
  if (f.category_id)
    w += " AND a.model_id IN (SELECT id FROM asset_models WHERE category_id = " + params.push(*f.category_id) + "::uuid)";
  if (f.model_id) w += " AND a.model_id = " + params.push(*f.model_id) + "::uuid";
  if (f.vendor_id) w += " AND a.vendor_id = " + params.push(*f.vendor_id) + "::uuid";
  if (f.warranty_before) w += " AND a.warranty_end < " + params.push(*f.warranty_before) + "::date";
  if (!f.ids.empty()) {
    std::vector<std::optional<std::string>> ids(f.ids.begin(), f.ids.end());
    w += " AND a.id = ANY (" + params.push(db::array_literal(ids)) + "::uuid[])";
  }
  if (f.search) {
    auto plan = plan_search(*f.search);
    std::vector<std::string> any;
    if (!plan.text.empty()) {
      // ≥ 3 characters: containment, served by the trigram GIN indexes. Shorter terms have no trigram,
      // so they match by prefix on the lower() text_pattern_ops indexes instead.
      bool contains = plan.text.size() >= 3;
      auto pattern = [&](const std::string& t) { return contains ? "%" + db::like_escape(t) + "%" : db::like_escape(t) + "%"; };
      auto text = params.push(pattern(plan.text));
      static constexpr const char* kTextColumns[] = {"asset_code", "serial_no", "hostname", "mac_address"};
      for (std::string col : kTextColumns) {
        if (col == "mac_address" && plan.mac_prefix) continue;
        any.push_back(contains ? "a." + col + " ILIKE " + text : "lower(a." + col + ") LIKE " + text);
      }
    }
    if (plan.mac_prefix) any.push_back("lower(a.mac_address) LIKE " + params.push(db::like_escape(*plan.mac_prefix) + "%"));
    // lower(): the index of the prefix above serves it (migration 0021), whatever case a MAC was stored in.
    if (plan.mac) any.push_back("lower(a.mac_address) = " + params.push(*plan.mac));
    if (plan.cidr) any.push_back("a.mgmt_ip <<= " + params.push(*plan.cidr) + "::inet");
    for (auto& [lo, hi] : plan.ip_ranges)
      any.push_back("a.mgmt_ip BETWEEN " + params.push(lo) + "::inet AND " + params.push(hi) + "::inet");
    if (!any.empty()) {
      std::string ors;
      for (auto& c : any) ors += (ors.empty() ? "" : " OR ") + c;
      w += " AND (" + ors + ")";
    }
  }
  return w;
}

Task<void> AssetRepo::resolve_locations(Filter& f) {
  // Subtree by materialized path: the location's own path is a prefix of every descendant's.
  static constexpr db::Query kSubtree{
      "assets.location_subtree",
      "SELECT l.id FROM locations l WHERE l.path LIKE (SELECT path FROM locations WHERE id = $1::uuid) || '%'"};
  if (!f.location_id || f.location_ids) co_return;
  auto rows = co_await db_.query(kSubtree, db::Params(*f.location_id));
  std::vector<std::string> ids;
  ids.reserve(static_cast<std::size_t>(rows.size()));
  for (auto r : rows) ids.push_back(r.get<std::string>("id"));
  f.location_ids = std::move(ids);
}

Task<std::optional<Asset>> AssetRepo::find(const std::string& id) {
  co_return first(co_await db_.query(q::kFind, db::Params(id)));
}

Task<std::optional<Asset>> AssetRepo::lock(db::Tx& tx, const std::string& id) {
  co_return first(co_await tx.query(q::kLock, db::Params(id)));
}

Task<Asset> AssetRepo::insert(db::Tx& tx, const Values& v) {
  db::Params params;
  std::string cols, vals;
  for (auto& c : columns()) {
    auto it = v.find(c.sql);
    if (it == v.end()) continue;
    cols += (cols.empty() ? "" : ", ") + std::string(c.sql);
    vals += (vals.empty() ? "" : ", ") + params.push(it->second) + std::string(c.cast);
  }
  std::string sql = "INSERT INTO assets AS a (" + cols + ") VALUES (" + vals + ") RETURNING " + asset_columns();
  auto r = co_await tx.query(sql, std::move(params));
  co_return asset_from_row(r.front());
}

Task<Asset> AssetRepo::update(db::Tx& tx, const std::string& id, const Values& v) {
  db::Params params(id);
  std::string sets;
  for (auto& c : columns()) {
    auto it = v.find(c.sql);
    if (it == v.end()) continue;
    sets += std::string(c.sql) + " = " + params.push(it->second) + std::string(c.cast) + ", ";
  }
  std::string sql = "UPDATE assets AS a SET " + sets + "updated_at = now() WHERE a.id = $1 RETURNING " + asset_columns();
  auto r = co_await tx.query(sql, std::move(params));
  co_return asset_from_row(r.front());
}

Task<void> AssetRepo::remove(db::Tx& tx, const std::string& id) { co_await tx.query(q::kDelete, db::Params(id)); }

Task<std::vector<std::string>> AssetRepo::missing_refs(db::Tx& tx, const Values& v) {
  auto r = co_await tx.query(q::kMissingRefs, db::Params(value_of(v, "model_id"), value_of(v, "location_id"),
                                                         value_of(v, "vendor_id")));
  std::vector<std::string> out;
  auto row = r.front();
  if (!row.get<bool>("model_ok")) out.emplace_back("modelId");
  if (!row.get<bool>("location_ok")) out.emplace_back("locationId");
  if (!row.get<bool>("vendor_ok")) out.emplace_back("vendorId");
  co_return out;
}

Task<nlohmann::json> AssetRepo::linked_cis(const std::string& id) {
  static constexpr db::Query kLinkedCis{
      "assets.linked_cis",
      "SELECT COALESCE(jsonb_agg(jsonb_build_object('id', id, 'ciCode', ci_code, 'name', name, 'status', status) "
      "ORDER BY ci_code), '[]') AS cis FROM cmdb_cis WHERE asset_id = $1"};
  auto r = co_await db_.query(kLinkedCis, db::Params(id));
  co_return r.front().json("cis");
}

Task<nlohmann::json> AssetRepo::references(const std::string& id) {
  auto r = co_await db_.query(q::kReferences, db::Params(id));
  nlohmann::json out = {{"model", nullptr}, {"category", nullptr}, {"vendor", nullptr}, {"location", nullptr}};
  if (r.empty()) co_return out;
  auto row = r.front();
  if (!row.is_null("model_id"))
    out["model"] = {{"id", row.json("model_id")}, {"name", row.json("model")}, {"brand", row.json("brand")}};
  if (!row.is_null("category_id"))
    out["category"] = {{"id", row.json("category_id")}, {"name", row.json("category_name")}};
  if (!row.is_null("vendor_id")) out["vendor"] = {{"id", row.json("vendor_id")}, {"name", row.json("vendor_name")}};
  if (!row.is_null("location_id"))
    out["location"] = {{"id", row.json("location_id")}, {"name", row.json("location_name")},
                       {"path", row.json("location_path")}, {"namePath", row.json("location_name_path")}};
  co_return out;
}

namespace {
std::string page_sql(const std::string& where, db::Params& params, const http::Paging& p, const http::Sort& s) {
  // id breaks ties in the sort's direction so pages never overlap or skip.
  return q::kListSelect + where + " ORDER BY a." + s.sql() + ", a.id " + (s.descending ? "DESC" : "ASC") +
         " LIMIT " + params.push(p.page_size) + " OFFSET " + params.push(p.offset());
}
}  // namespace

Task<nlohmann::json> AssetRepo::list(const Filter& f, const http::Paging& p, const http::Sort& s, ListPlan plan) {
  db::Params params;
  auto where = where_sql(f, params);
  auto sql = page_sql(where, params, p, s);
  db::Result rows;
  if (!plan.bitmap_only && plan.timeout_ms == 0) {
    rows = co_await db_.query(sql, std::move(params));
  } else {
    auto in_tx = [&](db::Tx& tx) -> Task<void> {  // named: GCC 12 mishandles temporaries in co_await
      if (plan.bitmap_only) co_await tx.query(q::kBitmapOnly);
      if (plan.timeout_ms > 0) co_await tx.query(q::kTimeout, db::Params(std::to_string(plan.timeout_ms) + "ms"));
      rows = co_await tx.query(sql, std::move(params));
    };
    co_await db_.transaction(in_tx);
  }
  nlohmann::json out = nlohmann::json::array();
  for (auto r : rows) out.push_back(list_item_json(r));
  co_return out;
}

// The planner cannot estimate trigram matches: for a term that matches 4 rows it may expect 10,000 and
// walk the created_at index backwards "until 50 match" — through the whole table (1.2 s on 1,000,000
// rows). Finding the matches first with bitmap index scans only (the other scan kinds switched off for
// this one statement) costs milliseconds for any selective term; the page is then sorted from those ids.
Task<std::vector<std::string>> AssetRepo::search_ids(const Filter& f, long long cap) {
  db::Params params;
  auto where = where_sql(f, params);
  const std::string sql = "SELECT a.id FROM assets a" + where + " LIMIT " + params.push(cap);
  std::vector<std::string> out;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {  // named: GCC 12 mishandles temporaries in co_await
    co_await tx.query(q::kBitmapOnly);
    auto rows = co_await tx.query(sql, std::move(params));
    for (auto r : rows) out.push_back(r.get<std::string>("id"));
  };
  co_await db_.transaction(in_tx);
  co_return out;
}

Task<nlohmann::json> AssetRepo::list_ids(const std::vector<std::string>& ids, const http::Paging& p,
                                         const http::Sort& s) {
  db::Params params;
  std::string list = "{";
  for (auto& id : ids) list += (list.size() > 1 ? "," : "") + id;  // UUIDs: no quoting needed
  auto where = " WHERE a.id = ANY (" + params.push(list + "}") + "::uuid[])";
  auto sql = page_sql(where, params, p, s);
  auto rows = co_await db_.query(sql, std::move(params));
  nlohmann::json out = nlohmann::json::array();
  for (auto r : rows) out.push_back(list_item_json(r));
  co_return out;
}

Task<nlohmann::json> AssetRepo::list_after(const Filter& f, const std::optional<std::string>& after, long long limit) {
  db::Params params;
  auto where = where_sql(f, params);
  if (after) where += " AND a.id > " + params.push(*after) + "::uuid";
  std::string sql = q::kListSelect + where + " ORDER BY a.id LIMIT " + params.push(limit);
  auto rows = co_await db_.query(sql, std::move(params));
  nlohmann::json out = nlohmann::json::array();
  for (auto r : rows) out.push_back(list_item_json(r));
  co_return out;
}

Task<long long> AssetRepo::count(const Filter& f, std::optional<long long> limit) {
  db::Params params;
  auto where = where_sql(f, params);
  auto sql = limit ? "SELECT count(*) AS n FROM (SELECT 1 FROM assets a" + where + " LIMIT " + params.push(*limit) + ") s"
                   : "SELECT count(*) AS n FROM assets a" + where;
  auto r = co_await db_.query(sql, std::move(params));
  co_return r.front().get<std::int64_t>("n");
}

Task<nlohmann::json> AssetRepo::status_counts(const Filter& f) {
  db::Params params;
  auto sql = "SELECT a.status, count(*) AS n FROM assets a" + where_sql(f, params) + " GROUP BY a.status";
  auto rows = co_await db_.query(sql, std::move(params));
  nlohmann::json out = nlohmann::json::object();
  for (auto s : kStatuses) out[std::string(s)] = 0;
  for (auto r : rows) out[r.get<std::string>("status")] = r.get<std::int64_t>("n");
  co_return out;
}

Task<std::optional<nlohmann::json>> AssetRepo::open_assignment(const std::string& asset_id) {
  auto r = co_await db_.query(q::kOpen, db::Params(asset_id));
  if (r.empty()) co_return std::nullopt;
  co_return assignment_json(r.front());
}

Task<std::optional<nlohmann::json>> AssetRepo::open_assignment(db::Tx& tx, const std::string& asset_id) {
  auto r = co_await tx.query(q::kOpen, db::Params(asset_id));
  if (r.empty()) co_return std::nullopt;
  co_return assignment_json(r.front());
}

Task<long long> AssetRepo::open_repair_holds(db::Tx& tx, const std::string& asset_id) {
  auto r = co_await tx.query(q::kOpenRepairHolds, db::Params(asset_id));
  co_return r.front().get<std::int64_t>("n");
}

Task<nlohmann::json> AssetRepo::close_assignment(db::Tx& tx, const std::string& assignment_id) {
  auto r = co_await tx.query(q::kClose, db::Params(assignment_id));
  co_return assignment_json(r.front());
}

Task<nlohmann::json> AssetRepo::insert_assignment(db::Tx& tx, const std::string& asset_id, const NewAssignment& a) {
  auto r = co_await tx.query(q::kInsertAssignment,
                             db::Params(asset_id, a.assignee_type, a.assignee_id, a.assignee_name, a.note));
  co_return assignment_json(r.front());
}

Task<std::pair<nlohmann::json, long long>> AssetRepo::assignments(const std::string& asset_id, const http::Paging& p) {
  auto rows = co_await db_.query(q::kAssignments, db::Params(asset_id, p.page_size, p.offset()));
  auto count = [&]() -> Task<long long> {
    auto r = co_await db_.query(q::kCountAssignments, db::Params(asset_id));
    co_return r.front().get<std::int64_t>("n");
  };
  co_return co_await paged(std::move(rows), p, &assignment_json, count);
}

Task<void> AssetRepo::add_event(db::Tx& tx, const std::string& asset_id, std::string_view type,
                                const nlohmann::json& payload, const Caller& who) {
  co_await tx.query(q::kAddEvent, db::Params(asset_id, type, payload, who.user_id, who.request_id));
}

Task<std::pair<nlohmann::json, long long>> AssetRepo::events(const std::string& asset_id, const http::Paging& p) {
  auto rows = co_await db_.query(q::kEvents, db::Params(asset_id, p.page_size, p.offset()));
  auto count = [&]() -> Task<long long> {
    auto r = co_await db_.query(q::kCountEvents, db::Params(asset_id));
    co_return r.front().get<std::int64_t>("n");
  };
  co_return co_await paged(std::move(rows), p, &event_json, count);
}

}  // namespace netops::assets
