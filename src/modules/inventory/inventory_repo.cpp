#include "modules/inventory/inventory_repo.hpp"

#include "core/error.hpp"
#include "db/where.hpp"

namespace netops::inventory {

namespace q {
const std::string kSelect = std::string("SELECT ") + kSessionColumns + " FROM inventory_sessions";
const std::string kFindSql = kSelect + " WHERE id = $1";
const std::string kLockSql = kSelect + " WHERE id = $1 FOR UPDATE";
const std::string kShareSql = kSelect + " WHERE id = $1 FOR SHARE";
const std::string kInsertSql = std::string("INSERT INTO inventory_sessions (name, location_id, status, created_by, "
                                           "correlation_id) VALUES ($1, $2, 'draft', $3, $4) RETURNING ") +
                               kSessionColumns;
const std::string kRenameSql =
    std::string("UPDATE inventory_sessions SET name = $2 WHERE id = $1 RETURNING ") + kSessionColumns;
const std::string kStatusSql =
    std::string("UPDATE inventory_sessions SET status = $2, "
                "started_at = CASE WHEN $2 = 'in_progress' THEN now() ELSE started_at END, "
                "closed_at = CASE WHEN $2 IN ('closed', 'canceled') THEN now() ELSE closed_at END "
                "WHERE id = $1 RETURNING ") +
    kSessionColumns;
const db::Query kFind{"inventory.find", kFindSql};
const db::Query kLock{"inventory.lock", kLockSql};
const db::Query kShare{"inventory.share", kShareSql};
const db::Query kInsert{"inventory.insert", kInsertSql};
const db::Query kRename{"inventory.rename", kRenameSql};
const db::Query kStatus{"inventory.set_status", kStatusSql};
constexpr db::Query kDelete{"inventory.delete", "DELETE FROM inventory_sessions WHERE id = $1"};
constexpr db::Query kLocationExists{"inventory.location_exists", "SELECT 1 FROM locations WHERE id = $1"};

// The subtree by materialised path, as the assets list filters it (the location's own path is a prefix of
// every descendant's); ids and '/' only, so the path needs no LIKE escaping.
constexpr db::Query kSnapshot{
    "inventory.snapshot",
    "INSERT INTO inventory_items (session_id, asset_id, expected_location_id, status, expected) "
    "SELECT $1, a.id, a.location_id, 'missing', true FROM assets a "
    "WHERE a.status <> 'disposed' AND a.location_id = ANY (ARRAY("
    "  SELECT l.id FROM locations l WHERE l.path LIKE (SELECT path FROM locations WHERE id = $2) || '%')) "
    "ON CONFLICT DO NOTHING"};

constexpr db::Query kAssetById{"inventory.asset_by_id", "SELECT id, location_id FROM assets WHERE id = $1"};
constexpr db::Query kAssetByCode{"inventory.asset_by_code", "SELECT id, location_id FROM assets WHERE asset_code = $1"};
constexpr db::Query kAssetsBySerial{"inventory.assets_by_serial",
                                    "SELECT id, location_id FROM assets WHERE serial_no = $1 ORDER BY id LIMIT 5"};

// A scan of an asset. New row: an asset not expected here, moved, its recorded location as expected.
// Existing row: found when expected and scanned where expected, else moved. A repeat of what the row
// already says updates nothing (the WHERE), so a double-firing scanner changes nothing; two identical
// scans at once meet on the unique index (session_id, asset_id) and the second sees the first's row.
constexpr db::Query kScanAsset{
    "inventory.scan_asset",
    "INSERT INTO inventory_items AS i (session_id, asset_id, expected_location_id, scanned_location_id, scanned_at, "
    "status, note, scanned_code, expected) VALUES ($1, $2, $3, $4, now(), 'moved', $5, $6, false) "
    "ON CONFLICT (session_id, asset_id) WHERE asset_id IS NOT NULL DO UPDATE SET "
    "scanned_location_id = EXCLUDED.scanned_location_id, scanned_at = EXCLUDED.scanned_at, "
    "status = CASE WHEN i.expected AND i.expected_location_id = EXCLUDED.scanned_location_id THEN 'found' "
    "ELSE 'moved' END, note = COALESCE(EXCLUDED.note, i.note), scanned_code = EXCLUDED.scanned_code "
    "WHERE i.status = 'missing' OR i.scanned_location_id IS DISTINCT FROM EXCLUDED.scanned_location_id "
    "RETURNING i.id"};
constexpr db::Query kScanUnknown{
    "inventory.scan_unknown",
    "INSERT INTO inventory_items AS i (session_id, scanned_location_id, scanned_at, status, note, scanned_code, "
    "expected) VALUES ($1, $2, now(), 'unknown', $3, $4, false) "
    "ON CONFLICT (session_id, scanned_code) WHERE status = 'unknown' AND scanned_code IS NOT NULL DO UPDATE SET "
    "scanned_location_id = EXCLUDED.scanned_location_id, scanned_at = EXCLUDED.scanned_at, "
    "note = COALESCE(EXCLUDED.note, i.note) "
    "WHERE i.scanned_location_id IS DISTINCT FROM EXCLUDED.scanned_location_id "
    "RETURNING i.id"};
constexpr db::Query kItemOfAsset{"inventory.item_of_asset",
                                 "SELECT id FROM inventory_items WHERE session_id = $1 AND asset_id = $2"};
constexpr db::Query kItemOfCode{
    "inventory.item_of_code",
    "SELECT id FROM inventory_items WHERE session_id = $1 AND status = 'unknown' AND scanned_code = $2"};
const std::string kItemSql = std::string(kItemSelect) + " WHERE i.id = $1";
const db::Query kItem{"inventory.item", kItemSql};
constexpr db::Query kCounts{"inventory.counts",
                            "SELECT status, count(*) AS n FROM inventory_items WHERE session_id = $1 GROUP BY status"};

// The shape of AssetService::record_event (assets.add_event) for every asset item of the session at once.
constexpr db::Query kCloseEvents{
    "inventory.close_events",
    "INSERT INTO asset_events (asset_id, event_type, payload, actor_user_id, correlation_id, created_at) "
    "SELECT i.asset_id, CASE i.status WHEN 'found' THEN 'INVENTORY_FOUND' WHEN 'moved' THEN 'INVENTORY_MOVED' "
    "ELSE 'INVENTORY_MISSING' END, "
    "jsonb_build_object('sessionId', i.session_id, 'sessionName', $2::text, 'itemId', i.id, 'status', i.status, "
    "'expected', i.expected, 'expectedLocationId', i.expected_location_id, "
    "'scannedLocationId', i.scanned_location_id, 'scannedAt', i.scanned_at, 'note', i.note, "
    "'applyMoves', $5::boolean), $3, $4, clock_timestamp() "
    "FROM inventory_items i "
    "WHERE i.session_id = $1 AND i.asset_id IS NOT NULL AND i.status IN ('found', 'moved', 'missing')"};
constexpr db::Query kMovedItems{
    "inventory.moved_items",
    "SELECT asset_id, scanned_location_id FROM inventory_items WHERE session_id = $1 AND status = 'moved' "
    "AND asset_id IS NOT NULL AND scanned_location_id IS NOT NULL ORDER BY asset_id"};
}  // namespace q

namespace {
Counts counts_of(const db::Result& rows) {
  Counts c;
  for (auto r : rows) {
    auto status = r.get<std::string>("status");
    auto n = r.get<std::int64_t>("n");
    if (status == "found") c.found = n;
    else if (status == "moved") c.moved = n;
    else if (status == "missing") c.missing = n;
    else if (status == "unknown") c.unknown = n;
  }
  return c;
}
std::optional<Session> first_session(const db::Result& r) {
  if (r.empty()) return std::nullopt;
  return session_from_row(r.front());
}
ScannedAsset scanned_of(const db::Row& r) {
  return ScannedAsset{r.get<std::string>("id"), r.opt<std::string>("location_id")};
}
std::optional<std::string> first_id(const db::Result& r) {
  if (r.empty()) return std::nullopt;
  return r.front().get<std::string>("id");
}
}  // namespace

Task<db::Page<Session>> InventoryRepo::list(const SessionFilter& f, const db::PageRequest& p, const db::Sort& s) {
  db::Where w;
  w.eq("status", f.status);
  w.eq("location_id", f.location_id);
  auto sql = std::string("SELECT ") + kSessionColumns + ", count(*) OVER () AS total FROM inventory_sessions" + w.sql();
  sql += w.order_and_window(s, p, "id");
  auto rows = co_await db_.query(sql, w.take_params());
  co_return db::page_of<Session>(rows, p, session_from_row);
}

Task<std::optional<Session>> InventoryRepo::find(const std::string& id) {
  auto r = co_await db_.query(q::kFind, db::Params(id));
  co_return first_session(r);
}

Task<std::optional<Session>> InventoryRepo::lock(db::Tx& tx, const std::string& id) {
  auto r = co_await tx.query(q::kLock, db::Params(id));
  co_return first_session(r);
}

Task<std::optional<Session>> InventoryRepo::share(db::Tx& tx, const std::string& id) {
  auto r = co_await tx.query(q::kShare, db::Params(id));
  co_return first_session(r);
}

Task<Session> InventoryRepo::insert(db::Tx& tx, const NewSession& in, const Caller& by) {
  auto r = co_await tx.query(q::kInsert, db::Params(in.name, in.location_id, by.user_id, by.request_id));
  co_return session_from_row(r.front());
}

Task<Session> InventoryRepo::rename(db::Tx& tx, const std::string& id, const std::string& name) {
  auto r = co_await tx.query(q::kRename, db::Params(id, name));
  co_return session_from_row(r.front());
}

Task<Session> InventoryRepo::set_status(db::Tx& tx, const std::string& id, const std::string& status) {
  auto r = co_await tx.query(q::kStatus, db::Params(id, status));
  co_return session_from_row(r.front());
}

Task<void> InventoryRepo::remove(db::Tx& tx, const std::string& id) { co_await tx.query(q::kDelete, db::Params(id)); }

Task<bool> InventoryRepo::location_exists(db::Tx& tx, const std::string& id) {
  auto r = co_await tx.query(q::kLocationExists, db::Params(id));
  co_return !r.empty();
}

Task<long long> InventoryRepo::snapshot(db::Tx& tx, const std::string& session_id, const std::string& location_id) {
  auto r = co_await tx.query(q::kSnapshot, db::Params(session_id, location_id));
  co_return r.affected();
}

Task<std::optional<ScannedAsset>> InventoryRepo::asset_by_id(db::Tx& tx, const std::string& id) {
  auto r = co_await tx.query(q::kAssetById, db::Params(id));
  if (r.empty()) co_return std::nullopt;
  co_return scanned_of(r.front());
}

Task<std::optional<ScannedAsset>> InventoryRepo::asset_by_code(db::Tx& tx, const std::string& code) {
  auto r = co_await tx.query(q::kAssetByCode, db::Params(code));
  if (r.empty()) co_return std::nullopt;
  co_return scanned_of(r.front());
}

Task<std::vector<ScannedAsset>> InventoryRepo::assets_by_serial(db::Tx& tx, const std::string& serial) {
  auto r = co_await tx.query(q::kAssetsBySerial, db::Params(serial));
  std::vector<ScannedAsset> out;
  for (auto row : r) out.push_back(scanned_of(row));
  co_return out;
}

Task<std::optional<std::string>> InventoryRepo::scan_asset(db::Tx& tx, const std::string& session_id,
                                                           const ScannedAsset& a, const Scan& s) {
  auto code = s.code();
  auto r = co_await tx.query(q::kScanAsset,
                             db::Params(session_id, a.id, a.location_id, s.scanned_location_id, s.note, code));
  co_return first_id(r);
}

Task<std::optional<std::string>> InventoryRepo::scan_unknown(db::Tx& tx, const std::string& session_id,
                                                             const Scan& s) {
  auto code = s.code();
  auto r = co_await tx.query(q::kScanUnknown, db::Params(session_id, s.scanned_location_id, s.note, code));
  co_return first_id(r);
}

Task<std::optional<std::string>> InventoryRepo::item_of_asset(db::Tx& tx, const std::string& session_id,
                                                              const std::string& asset_id) {
  auto r = co_await tx.query(q::kItemOfAsset, db::Params(session_id, asset_id));
  co_return first_id(r);
}

Task<std::optional<std::string>> InventoryRepo::item_of_code(db::Tx& tx, const std::string& session_id,
                                                             const std::string& code) {
  auto r = co_await tx.query(q::kItemOfCode, db::Params(session_id, code));
  co_return first_id(r);
}

Task<nlohmann::json> InventoryRepo::item(db::Tx& tx, const std::string& item_id) {
  auto r = co_await tx.query(q::kItem, db::Params(item_id));
  if (r.empty()) throw NotFound("inventory item");
  co_return item_json(r.front());
}

Task<Counts> InventoryRepo::counts(const std::string& session_id) {
  auto r = co_await db_.query(q::kCounts, db::Params(session_id));
  co_return counts_of(r);
}

Task<Counts> InventoryRepo::counts(db::Tx& tx, const std::string& session_id) {
  auto r = co_await tx.query(q::kCounts, db::Params(session_id));
  co_return counts_of(r);
}

Task<nlohmann::json> InventoryRepo::items(const std::string& session_id, const std::optional<std::string>& status,
                                          const db::PageRequest& p) {
  db::Where w;
  w.eq("i.session_id", session_id);
  w.eq("i.status", status);
  auto sql = std::string(kItemSelect) + w.sql() + " ORDER BY i.id LIMIT " + w.param(p.page_size) + " OFFSET " +
             w.param(p.offset());
  auto rows = co_await db_.query(sql, w.take_params());
  nlohmann::json out = nlohmann::json::array();
  for (auto r : rows) out.push_back(item_json(r));
  co_return out;
}

Task<std::vector<std::vector<std::string>>> InventoryRepo::csv_rows(const std::string& session_id,
                                                                   const std::optional<std::string>& status,
                                                                   const std::string& after, long long limit) {
  db::Where w;
  w.eq("i.session_id", session_id);
  w.eq("i.status", status);
  if (!after.empty()) w.add("i.id > {}::uuid", after);
  auto sql = std::string(kItemSelect) + w.sql() + " ORDER BY i.id LIMIT " + w.param(limit);
  auto rows = co_await db_.query(sql, w.take_params());
  std::vector<std::vector<std::string>> out;
  out.reserve(static_cast<std::size_t>(rows.size()));
  for (auto r : rows) {
    auto s = [&](const char* col) { return r.opt<std::string>(col).value_or(""); };
    auto t = r.timestamp("scanned_at");
    out.push_back({s("id"), r.get<std::string>("status"), s("asset_id"), s("asset_code"), s("serial_no"),
                   s("hostname"), s("expected_location_id"), s("expected_location_name"), s("scanned_location_id"),
                   s("scanned_location_name"), s("scanned_code"), t.is_string() ? t.get<std::string>() : "",
                   s("note")});
  }
  co_return out;
}

Task<long long> InventoryRepo::write_close_events(db::Tx& tx, const Session& s, bool apply_moves, const Caller& by) {
  auto r = co_await tx.query(q::kCloseEvents, db::Params(s.id, s.name, by.user_id, by.request_id, apply_moves));
  co_return r.affected();
}

Task<std::vector<std::pair<std::string, std::string>>> InventoryRepo::moved_items(db::Tx& tx,
                                                                                 const std::string& session_id) {
  auto r = co_await tx.query(q::kMovedItems, db::Params(session_id));
  std::vector<std::pair<std::string, std::string>> out;
  for (auto row : r) out.emplace_back(row.get<std::string>("asset_id"), row.get<std::string>("scanned_location_id"));
  co_return out;
}

}  // namespace netops::inventory
