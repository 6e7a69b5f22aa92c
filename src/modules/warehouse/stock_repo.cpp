#include "modules/warehouse/stock_repo.hpp"

#include "db/where.hpp"
#include "modules/warehouse/catalog_repo.hpp"

namespace netops::warehouse {

namespace q {
constexpr db::Query kApplyAll{
    "stock.apply_all",
    "SELECT ord, unit_cost, short, available, requested, warehouse_id, part_id, movement_type FROM "
    "warehouse_apply_effects($1::jsonb, $2, $3, $4::jsonb)"};
constexpr db::Query kDocMovements{
    "stock.document_movements",
    "SELECT warehouse_id, part_id, movement_type, qty, unit_cost::text AS unit_cost FROM spare_part_movements "
    "WHERE ref_type = 'stock_document' AND ref_id = $1 AND movement_type NOT IN ('reserve', 'release') ORDER BY seq"};
constexpr db::Query kReserve{
    "stock.reserve",
    "WITH s AS (UPDATE spare_part_stock SET reserved = reserved + $3::int, updated_at = now() WHERE warehouse_id = "
    "$1 AND part_id = $2 AND on_hand - reserved >= $3::int RETURNING avg_cost) INSERT INTO spare_part_movements "
    "(warehouse_id, part_id, movement_type, qty, unit_cost, ref_type, ref_id, actor_user_id, correlation_id) "
    "SELECT $1, $2, 'reserve', $3::int, NULL, $4, $5, $6, $7 FROM s RETURNING id"};
constexpr db::Query kRelease{
    "stock.release",
    "WITH s AS (UPDATE spare_part_stock SET reserved = reserved - $3::int, updated_at = now() WHERE warehouse_id = "
    "$1 AND part_id = $2 AND reserved >= $3::int RETURNING avg_cost) INSERT INTO spare_part_movements "
    "(warehouse_id, part_id, movement_type, qty, unit_cost, ref_type, ref_id, actor_user_id, correlation_id) "
    "SELECT $1, $2, 'release', $3::int, NULL, $4, $5, $6, $7 FROM s RETURNING id"};
constexpr db::Query kDescribe{
    "stock.describe",
    "SELECT w.code AS warehouse_code, p.part_code, coalesce(s.on_hand, 0) AS on_hand, coalesce(s.reserved, 0) AS "
    "reserved FROM warehouses w CROSS JOIN spare_parts p LEFT JOIN spare_part_stock s ON s.warehouse_id = w.id AND "
    "s.part_id = p.id WHERE w.id = $1 AND p.id = $2"};
constexpr db::Query kWarehouseExists{"stock.warehouse_exists", "SELECT 1 FROM warehouses WHERE id = $1"};
}  // namespace q

namespace {
const std::string kStockJson =
    "json_build_object('id', s.id, 'warehouseId', s.warehouse_id, 'warehouseCode', w.code, 'warehouseName', w.name, "
    "'partId', s.part_id, 'partCode', p.part_code, 'partName', p.name, 'uom', p.uom, 'onHand', s.on_hand, "
    "'reserved', s.reserved, 'available', s.on_hand - s.reserved, 'avgCost', s.avg_cost, 'value', round(s.on_hand * "
    "s.avg_cost, 2), 'minLevel', p.min_level, 'belowMin', s.on_hand - s.reserved < p.min_level, 'updatedAt', " +
    ts("s.updated_at") + ")";
}  // namespace

nlohmann::json effects_json(const std::vector<Effect>& effects) {
  nlohmann::json arr = nlohmann::json::array();
  for (auto& e : effects) {
    arr.push_back({{"w", e.warehouse_id},
                   {"p", e.part_id},
                   {"t", e.movement_type},
                   {"q", e.qty},
                   {"s", e.sign},
                   {"r", e.reserved_delta},
                   {"c", e.cost ? nlohmann::json(*e.cost) : nlohmann::json()},
                   {"prev", e.cost_from_previous},
                   {"rt", e.ref_type},
                   {"ri", e.ref_id ? nlohmann::json(*e.ref_id) : nlohmann::json()}});
  }
  return arr;
}

Task<Applied> StockRepo::apply_all(db::Tx& tx, const std::vector<Effect>& effects,
                                  const std::optional<std::string>& actor, const std::string& corr,
                                  const nlohmann::json& events) {
  auto arr = effects_json(effects);
  nlohmann::json ev = events.is_array() ? events : nlohmann::json::array();
  auto rows = co_await tx.query(q::kApplyAll, db::Params(arr, actor, corr, ev));
  Applied out;
  for (auto r : rows) {
    int ord = r.get<int>("ord");
    if (ord == 0) {
      out.missing = true;
      break;
    }
    if (r.get<bool>("short")) {
      out.shorts.push_back({r.get<std::string>("warehouse_id"), r.get<std::string>("part_id"),
                            r.get<std::string>("movement_type"), r.get<std::int64_t>("available"),
                            static_cast<long long>(r.get<int>("requested"))});
    } else {
      out.costs.push_back(r.opt<std::string>("unit_cost"));
    }
  }
  co_return out;
}

Task<std::vector<Effect>> StockRepo::document_movements(db::Tx& tx, const std::string& document_id) {
  auto rows = co_await tx.query(q::kDocMovements, db::Params(document_id));
  std::vector<Effect> out;
  for (auto r : rows) {
    Effect e;
    e.warehouse_id = r.get<std::string>("warehouse_id");
    e.part_id = r.get<std::string>("part_id");
    e.movement_type = r.get<std::string>("movement_type");
    e.qty = r.get<int>("qty");
    e.cost = r.opt<std::string>("unit_cost");
    out.push_back(std::move(e));
  }
  co_return out;
}

Task<bool> StockRepo::reserve(db::Tx& tx, const Effect& e, const std::optional<std::string>& actor,
                              const std::string& corr) {
  auto r = co_await tx.query(q::kReserve, db::Params(e.warehouse_id, e.part_id, e.qty, e.ref_type, e.ref_id, actor, corr));
  co_return !r.empty();
}

Task<bool> StockRepo::release(db::Tx& tx, const Effect& e, const std::optional<std::string>& actor,
                              const std::string& corr) {
  auto r = co_await tx.query(q::kRelease, db::Params(e.warehouse_id, e.part_id, e.qty, e.ref_type, e.ref_id, actor, corr));
  co_return !r.empty();
}

Task<nlohmann::json> StockRepo::describe(db::Tx& tx, const std::string& warehouse_id, const std::string& part_id) {
  auto r = co_await tx.query(q::kDescribe, db::Params(warehouse_id, part_id));
  if (r.empty()) co_return nlohmann::json::object();
  auto row = r.front();
  co_return nlohmann::json{{"warehouseCode", row.get<std::string>("warehouse_code")},
                           {"partCode", row.get<std::string>("part_code")},
                           {"onHand", row.get<int>("on_hand")},
                           {"reserved", row.get<int>("reserved")}};
}

Task<bool> StockRepo::warehouse_exists(db::Tx& tx, const std::string& id) {
  auto r = co_await tx.query(q::kWarehouseExists, db::Params(id));
  co_return !r.empty();
}

Task<db::Page<nlohmann::json>> StockRepo::stock(const StockFilter& f, const db::PageRequest& p, const db::Sort& s) {
  db::Where w;
  w.eq("s.warehouse_id", f.warehouse_id);
  w.eq("s.part_id", f.part_id);
  if (f.below_min) w.add("s.on_hand - s.reserved < p.min_level");
  if (f.search)
    w.add("(p.part_code ILIKE {} OR p.name ILIKE {} OR w.code ILIKE {} OR w.name ILIKE {})", db::like_contains(*f.search));
  auto sql = "SELECT " + kStockJson +
             " AS j, count(*) OVER () AS total FROM spare_part_stock s JOIN warehouses w ON w.id = s.warehouse_id "
             "JOIN spare_parts p ON p.id = s.part_id" +
             w.sql();
  sql += w.order_and_window(s, p, "s.id");
  auto rows = co_await db_.query(sql, w.take_params());
  co_return db::page_of<nlohmann::json>(rows, p, [](const db::Row& r) { return r.get<nlohmann::json>("j"); });
}

Task<db::Page<nlohmann::json>> StockRepo::reorder(const std::optional<std::string>& warehouse_id,
                                                  const db::PageRequest& p) {
  db::Where w;
  std::string join = "LEFT JOIN spare_part_stock s ON s.part_id = p.id";
  if (warehouse_id) join += " AND s.warehouse_id = " + w.param(*warehouse_id) + "::uuid";
  auto sql =
      "WITH a AS (SELECT p.id, p.part_code, p.name, p.uom, p.min_level, coalesce(sum(s.on_hand), 0)::int AS on_hand, "
      "coalesce(sum(s.reserved), 0)::int AS reserved, count(s.id) FILTER (WHERE s.on_hand > 0 OR s.reserved > 0) = 0 "
      "AND NOT EXISTS (SELECT 1 FROM spare_part_movements m WHERE m.part_id = p.id) AS never_stocked FROM "
      "spare_parts p " +
      join +
      " GROUP BY p.id) SELECT json_build_object('partId', id, 'partCode', part_code, 'partName', name, 'uom', uom, "
      "'minLevel', min_level, 'onHand', on_hand, 'reserved', reserved, 'available', on_hand - reserved, "
      "'shortage', greatest(min_level - (on_hand - reserved), 0), 'neverStocked', never_stocked) AS j, count(*) "
      "OVER () AS total FROM a WHERE on_hand - reserved <= min_level ORDER BY (min_level - (on_hand - reserved)) "
      "DESC, part_code";
  sql += " LIMIT " + w.param(p.page_size) + " OFFSET " + w.param(p.offset());
  auto rows = co_await db_.query(sql, w.take_params());
  co_return db::page_of<nlohmann::json>(rows, p, [](const db::Row& r) { return r.get<nlohmann::json>("j"); });
}

Task<nlohmann::json> StockRepo::valuation(const std::optional<std::string>& warehouse_id) {
  db::Where w;
  w.add("s.on_hand > 0");
  w.eq("s.warehouse_id", warehouse_id);
  auto rows_sql =
      "SELECT coalesce(json_agg(json_build_object('warehouseId', s.warehouse_id, 'warehouseCode', w.code, 'partId', "
      "s.part_id, 'partCode', p.part_code, 'partName', p.name, 'onHand', s.on_hand, 'avgCost', s.avg_cost, 'value', "
      "round(s.on_hand * s.avg_cost, 2)) ORDER BY w.code, p.part_code), '[]') AS rows, coalesce(sum(s.on_hand), "
      "0)::bigint AS qty, coalesce(sum(round(s.on_hand * s.avg_cost, 2)), 0)::text AS value FROM (SELECT * FROM "
      "spare_part_stock s" +
      w.sql() +
      " ORDER BY s.warehouse_id, s.part_id LIMIT 10000) s JOIN warehouses w ON w.id = s.warehouse_id JOIN "
      "spare_parts p ON p.id = s.part_id";
  auto by_wh_sql =
      "SELECT coalesce(json_agg(json_build_object('warehouseId', x.warehouse_id, 'warehouseCode', x.code, "
      "'quantity', x.qty, 'value', x.value) ORDER BY x.code), '[]') AS j, coalesce(sum(x.qty), 0)::bigint AS qty, "
      "coalesce(sum(x.value), 0)::text AS value, coalesce(sum(x.n), 0)::bigint AS n FROM (SELECT s.warehouse_id, "
      "w.code, sum(s.on_hand) AS qty, sum(round(s.on_hand * s.avg_cost, 2)) AS value, count(*) AS n FROM "
      "spare_part_stock s JOIN warehouses w ON w.id = s.warehouse_id" +
      w.sql() + " GROUP BY s.warehouse_id, w.code) x";
  auto params = w.take_params();
  auto rows = co_await db_.query(rows_sql, params);
  auto totals = co_await db_.query(by_wh_sql, params);
  auto t = totals.front();
  auto value = t.get<std::string>("value");
  co_return nlohmann::json{
      {"rows", rows.front().get<nlohmann::json>("rows")},
      {"byWarehouse", t.get<nlohmann::json>("j")},
      {"totals", {{"quantity", t.get<std::int64_t>("qty")}, {"value", nlohmann::json::parse(value)}}},
      {"rowCount", t.get<std::int64_t>("n")},
      {"truncated", t.get<std::int64_t>("n") > 10000}};
}

Task<std::vector<nlohmann::json>> StockRepo::movements(const MovementFilter& f) {
  db::Where w;
  w.eq("m.warehouse_id", f.warehouse_id);
  w.eq("m.part_id", f.part_id);
  w.eq("m.movement_type", f.movement_type);
  w.eq("m.ref_type", f.ref_type);
  w.eq("m.ref_id", f.ref_id);
  if (f.from) w.add("m.created_at >= {}::timestamptz", *f.from);
  if (f.to) w.add("m.created_at < {}::timestamptz", *f.to);
  if (f.after) w.add("m.seq > coalesce((SELECT seq FROM spare_part_movements WHERE id = {}), 0)", *f.after);
  auto sql =
      "SELECT json_build_object('id', m.id, 'seq', m.seq, 'warehouseId', m.warehouse_id, 'warehouseCode', w.code, "
      "'partId', m.part_id, 'partCode', p.part_code, 'movementType', m.movement_type, 'qty', m.qty, 'unitCost', "
      "m.unit_cost, 'value', round(m.qty * m.unit_cost, 2), 'refType', m.ref_type, 'refId', m.ref_id, 'refCode', "
      "d.code, 'actorUserId', m.actor_user_id, 'correlationId', m.correlation_id, 'createdAt', " +
      ts("m.created_at") +
      ") AS j FROM spare_part_movements m JOIN warehouses w ON w.id = m.warehouse_id JOIN spare_parts p ON p.id = "
      "m.part_id LEFT JOIN stock_documents d ON m.ref_type = 'stock_document' AND d.id = m.ref_id" +
      w.sql() + " ORDER BY m.seq LIMIT " + w.param(f.limit);
  auto rows = co_await db_.query(sql, w.take_params());
  std::vector<nlohmann::json> out;
  out.reserve(static_cast<std::size_t>(rows.size()));
  for (auto r : rows) out.push_back(r.get<nlohmann::json>("j"));
  co_return out;
}

Task<nlohmann::json> StockRepo::verify() {
  static constexpr db::Query kVerify{
      "stock.verify",
      "WITH m AS (SELECT warehouse_id, part_id, sum(CASE WHEN movement_type IN ('in', 'adjust_in', 'transfer_in') "
      "THEN qty WHEN movement_type IN ('out', 'adjust_out', 'transfer_out') THEN -qty ELSE 0 END) AS on_hand, "
      "sum(CASE movement_type WHEN 'reserve' THEN qty WHEN 'release' THEN -qty ELSE 0 END) AS reserved FROM "
      "spare_part_movements GROUP BY warehouse_id, part_id) SELECT coalesce(json_agg(json_build_object("
      "'warehouseId', coalesce(s.warehouse_id, m.warehouse_id), 'partId', coalesce(s.part_id, m.part_id), "
      "'onHand', coalesce(s.on_hand, 0), 'movementsOnHand', coalesce(m.on_hand, 0), 'reserved', "
      "coalesce(s.reserved, 0), 'movementsReserved', coalesce(m.reserved, 0))), '[]') AS j, (SELECT count(*) FROM "
      "spare_part_stock) AS rows_checked FROM spare_part_stock s FULL JOIN m ON m.warehouse_id = s.warehouse_id AND "
      "m.part_id = s.part_id WHERE coalesce(s.on_hand, 0) <> coalesce(m.on_hand, 0) OR coalesce(s.reserved, 0) <> "
      "coalesce(m.reserved, 0)"};
  auto r = co_await db_.query(kVerify);
  auto diffs = r.front().get<nlohmann::json>("j");
  co_return nlohmann::json{{"healthy", diffs.empty()}, {"differences", diffs},
                           {"rowsChecked", r.front().get<std::int64_t>("rows_checked")}};
}

}  // namespace netops::warehouse
