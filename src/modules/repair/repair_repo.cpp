#include "modules/repair/repair_repo.hpp"

#include "db/where.hpp"

namespace netops::repair {

namespace {

std::string ts(const std::string& c) {
  return "to_char(" + c + " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')";
}

const std::string kJson =
    "json_build_object('id', o.id, 'code', o.code, 'assetId', o.asset_id, 'ciId', o.ci_id, 'title', o.title, "
    "'description', o.description, 'severity', o.severity, 'status', o.status, 'openedAt', " +
    ts("o.opened_at") + ", 'closedAt', " + ts("o.closed_at") +
    ", 'diagnosis', o.diagnosis, 'resolution', o.resolution, 'repairType', o.repair_type, 'technicianName', "
    "o.technician_name, 'vendorId', o.vendor_id, 'laborCost', o.labor_cost, 'partsCost', o.parts_cost, "
    "'totalCost', o.labor_cost + o.parts_cost, 'downtimeMinutes', o.downtime_minutes, 'createdBy', o.created_by, "
    "'correlationId', o.correlation_id, 'createdAt', " +
    ts("o.created_at") + ", 'updatedAt', " + ts("o.updated_at") + ")";
const std::string kCols = kJson + " AS j, o.id, o.code, o.asset_id, o.status";
const std::string kFind = "SELECT " + kCols + " FROM repair_orders o WHERE o.id = $1";
const std::string kLock = kFind + " FOR UPDATE";
const std::string kPartJson =
    "json_build_object('id', rp.id, 'repairOrderId', rp.repair_order_id, 'partId', rp.part_id, 'partCode', "
    "sp.part_code, 'partName', rp.part_name, 'warehouseId', rp.warehouse_id, 'action', rp.action, 'qty', rp.qty, "
    "'unitCost', rp.unit_cost, 'lineCost', round(rp.qty * coalesce(rp.unit_cost, 0), 2), 'serialNo', "
    "rp.serial_no, 'note', rp.note, 'stockDocumentId', rp.stock_document_id, 'returnDocumentId', "
    "rp.return_document_id, 'returned', rp.returned_at IS NOT NULL, 'returnedAt', " +
    ts("rp.returned_at") + ", 'createdAt', " + ts("rp.created_at") + ")";
const std::string kPartsSql = "SELECT coalesce(json_agg(" + kPartJson +
                              " ORDER BY rp.created_at, rp.id), '[]') AS j FROM repair_order_parts rp LEFT JOIN "
                              "spare_parts sp ON sp.id = rp.part_id WHERE rp.repair_order_id = $1";
const std::string kOnePart = "SELECT " + kPartJson +
                             " AS j FROM repair_order_parts rp LEFT JOIN spare_parts sp ON sp.id = rp.part_id "
                             "WHERE rp.repair_order_id = $1 AND rp.id = $2";
const std::string kResJson =
    "json_build_object('id', r.id, 'repairOrderId', r.repair_order_id, 'partId', r.part_id, 'partCode', "
    "sp.part_code, 'warehouseId', r.warehouse_id, 'qty', r.qty, 'status', r.status, 'createdAt', " +
    ts("r.created_at") + ", 'closedAt', " + ts("r.closed_at") + ")";
const std::string kResSql = "SELECT coalesce(json_agg(" + kResJson +
                            " ORDER BY r.created_at, r.id), '[]') AS j FROM repair_order_reservations r JOIN "
                            "spare_parts sp ON sp.id = r.part_id WHERE r.repair_order_id = $1";

RepairOrder from_row(const db::Row& r) {
  return {r.get<std::string>("id"), r.get<std::string>("code"), r.get<std::string>("asset_id"),
          r.get<std::string>("status"), r.get<nlohmann::json>("j")};
}

}  // namespace

Task<db::Page<RepairOrder>> RepairRepo::list(const OrderFilter& f, const db::PageRequest& p, const db::Sort& s) {
  db::Where w;
  if (f.status && *f.status == "active") w.add("o.status NOT IN ('closed', 'canceled')");
  else w.eq("o.status", f.status);
  w.eq("o.asset_id", f.asset_id);
  w.eq("o.severity", f.severity);
  w.eq("o.repair_type", f.repair_type);
  w.eq("o.vendor_id", f.vendor_id);
  if (f.search)
    w.add("(o.code ILIKE {} OR o.title ILIKE {} OR o.technician_name ILIKE {})", db::like_contains(*f.search));
  auto sql = "SELECT " + kCols + ", count(*) OVER () AS total FROM repair_orders o" + w.sql();
  sql += w.order_and_window(s, p, "o.id");
  auto rows = co_await db_.query(sql, w.take_params());
  co_return db::page_of<RepairOrder>(rows, p, from_row);
}

Task<std::optional<RepairOrder>> RepairRepo::find(const std::string& id) {
  auto r = co_await db_.query(kFind, db::Params(id));
  if (r.empty()) co_return std::nullopt;
  co_return from_row(r.front());
}

Task<std::optional<RepairOrder>> RepairRepo::lock(db::Tx& tx, const std::string& id) {
  auto r = co_await tx.query(kLock, db::Params(id));
  if (r.empty()) co_return std::nullopt;
  co_return from_row(r.front());
}

Task<std::optional<std::string>> RepairRepo::ci_of_asset(db::Tx& tx, const std::string& asset_id) {
  static constexpr db::Query kCi{"repair.ci_of_asset",
                                 "SELECT id FROM cmdb_cis WHERE asset_id = $1 ORDER BY (status = 'retired'), "
                                 "created_at LIMIT 1"};
  auto r = co_await tx.query(kCi, db::Params(asset_id));
  if (r.empty()) co_return std::nullopt;
  co_return r.front().get<std::string>("id");
}

Task<RepairOrder> RepairRepo::insert(db::Tx& tx, const Columns& cols) {
  db::Params params;
  std::string names = "code", values =
      "'RO-' || to_char(now() AT TIME ZONE 'UTC', 'YYYY') || '-' || lpad(nextval('repair_order_seq')::text, 6, '0')";
  for (auto& [n, v] : cols) {
    names += ", " + n;
    values += ", " + params.push(v);
  }
  auto sql = "INSERT INTO repair_orders AS o (" + names + ") VALUES (" + values + ") RETURNING " + kCols;
  auto r = co_await tx.query(sql, std::move(params));
  co_return from_row(r.front());
}

Task<RepairOrder> RepairRepo::update(db::Tx& tx, const std::string& id, const Columns& cols) {
  db::Params params;
  std::string sets = "updated_at = now()";
  for (auto& [n, v] : cols) sets += ", " + n + " = " + params.push(v);
  auto sql = "UPDATE repair_orders o SET " + sets + " WHERE id = " + params.push(id) + " RETURNING " + kCols;
  auto r = co_await tx.query(sql, std::move(params));
  co_return from_row(r.front());
}

Task<RepairOrder> RepairRepo::set_status(db::Tx& tx, const std::string& id, const StatusChange& c) {
  static const std::string kSql =
      "UPDATE repair_orders o SET status = $2, diagnosis = coalesce($3, diagnosis), resolution = coalesce($4, "
      "resolution), closed_at = CASE WHEN $2 IN ('closed', 'canceled') THEN now() ELSE closed_at END, "
      "downtime_minutes = CASE WHEN $2 IN ('closed', 'canceled') THEN greatest(0, floor(extract(epoch FROM (now() - "
      "opened_at)) / 60))::int ELSE downtime_minutes END, updated_at = now() WHERE id = $1 RETURNING " +
      kCols;
  auto r = co_await tx.query(kSql, db::Params(id, c.status, c.diagnosis, c.resolution));
  co_return from_row(r.front());
}

Task<RepairOrder> RepairRepo::recompute_costs(db::Tx& tx, const std::string& id) {
  static const std::string kSql =
      "UPDATE repair_orders o SET parts_cost = (SELECT coalesce(round(sum(qty * coalesce(unit_cost, 0)), 2), 0) "
      "FROM repair_order_parts WHERE repair_order_id = $1 AND returned_at IS NULL), updated_at = now() WHERE id = $1 "
      "RETURNING " +
      kCols;
  auto r = co_await tx.query(kSql, db::Params(id));
  co_return from_row(r.front());
}

Task<nlohmann::json> RepairRepo::parts_json(const std::string& order_id) {
  auto r = co_await db_.query(kPartsSql, db::Params(order_id));
  co_return r.front().get<nlohmann::json>("j");
}

Task<nlohmann::json> RepairRepo::parts_json(db::Tx& tx, const std::string& order_id) {
  auto r = co_await tx.query(kPartsSql, db::Params(order_id));
  co_return r.front().get<nlohmann::json>("j");
}

Task<nlohmann::json> RepairRepo::insert_part(db::Tx& tx, const NewPart& p) {
  static constexpr db::Query kInsert{
      "repair.insert_part",
      "INSERT INTO repair_order_parts (repair_order_id, part_id, part_name, warehouse_id, action, qty, unit_cost, "
      "serial_no, note, stock_document_id) VALUES ($1, $2, coalesce($3, (SELECT name FROM spare_parts WHERE id = "
      "$2)), $4, $5, $6, $7, $8, $9, $10) RETURNING id"};
  auto r = co_await tx.query(kInsert, db::Params(p.order_id, p.part_id, p.part_name, p.warehouse_id, p.action, p.qty,
                                                 p.unit_cost, p.serial_no, p.note, p.stock_document_id));
  auto id = r.front().get<std::string>("id");
  auto one = co_await find_part(tx, p.order_id, id);
  co_return *one;
}

Task<std::optional<nlohmann::json>> RepairRepo::find_part(db::Tx& tx, const std::string& order_id,
                                                          const std::string& line_id) {
  auto r = co_await tx.query(kOnePart, db::Params(order_id, line_id));
  if (r.empty()) co_return std::nullopt;
  co_return r.front().get<nlohmann::json>("j");
}

Task<nlohmann::json> RepairRepo::mark_returned(db::Tx& tx, const std::string& line_id,
                                               const std::optional<std::string>& return_document_id) {
  static constexpr db::Query kMark{
      "repair.mark_returned",
      "UPDATE repair_order_parts SET returned_at = now(), return_document_id = $2 WHERE id = $1 "
      "RETURNING repair_order_id"};
  auto r = co_await tx.query(kMark, db::Params(line_id, return_document_id));
  auto order = r.front().get<std::string>("repair_order_id");
  auto one = co_await find_part(tx, order, line_id);
  co_return *one;
}

Task<std::vector<Reservation>> RepairRepo::open_reservations(db::Tx& tx, const std::string& order_id) {
  static constexpr db::Query kOpen{
      "repair.open_reservations",
      "SELECT id, part_id, warehouse_id, qty, status FROM repair_order_reservations WHERE repair_order_id = $1 AND "
      "status = 'open' ORDER BY created_at, id FOR UPDATE"};
  auto rows = co_await tx.query(kOpen, db::Params(order_id));
  std::vector<Reservation> out;
  for (auto r : rows)
    out.push_back({r.get<std::string>("id"), r.get<std::string>("part_id"), r.get<std::string>("warehouse_id"),
                   r.get<std::string>("status"), r.get<int>("qty")});
  co_return out;
}

Task<nlohmann::json> RepairRepo::insert_reservation(db::Tx& tx, const std::string& order_id, const ReservationInput& in,
                                                    const std::string& status, const std::string& by) {
  static constexpr db::Query kInsert{
      "repair.insert_reservation",
      "INSERT INTO repair_order_reservations (repair_order_id, part_id, warehouse_id, qty, status, created_by, "
      "closed_at) VALUES ($1, $2, $3, $4, $5, $6, CASE WHEN $5 = 'open' THEN NULL ELSE now() END) RETURNING id"};
  auto r = co_await tx.query(kInsert, db::Params(order_id, in.part_id, in.warehouse_id, in.qty, status, by));
  auto id = r.front().get<std::string>("id");
  const std::string one = "SELECT " + kResJson +
                          " AS j FROM repair_order_reservations r JOIN spare_parts sp ON sp.id = r.part_id WHERE "
                          "r.id = $1";
  auto j = co_await tx.query(one, db::Params(id));
  co_return j.front().get<nlohmann::json>("j");
}

Task<void> RepairRepo::set_reservation(db::Tx& tx, const std::string& id, const std::string& status, int qty) {
  static constexpr db::Query kSet{
      "repair.set_reservation",
      "UPDATE repair_order_reservations SET status = $2, qty = $3, closed_at = CASE WHEN $2 = 'open' THEN NULL ELSE "
      "now() END WHERE id = $1"};
  co_await tx.query(kSet, db::Params(id, status, qty));
}

Task<nlohmann::json> RepairRepo::reservations_json(const std::string& order_id) {
  auto r = co_await db_.query(kResSql, db::Params(order_id));
  co_return r.front().get<nlohmann::json>("j");
}

Task<nlohmann::json> RepairRepo::reservations_json(db::Tx& tx, const std::string& order_id) {
  auto r = co_await tx.query(kResSql, db::Params(order_id));
  co_return r.front().get<nlohmann::json>("j");
}

}  // namespace netops::repair
