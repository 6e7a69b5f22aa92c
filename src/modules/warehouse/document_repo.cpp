#include "modules/warehouse/document_repo.hpp"

#include "db/where.hpp"
#include "modules/warehouse/catalog_repo.hpp"

namespace netops::warehouse {

namespace {

const std::string kDocJson =
    "json_build_object('id', d.id, 'docType', d.doc_type, 'code', d.code, 'status', d.status, 'warehouseId', "
    "d.warehouse_id, 'targetWarehouseId', d.target_warehouse_id, 'docDate', d.doc_date, 'refType', d.ref_type, "
    "'refId', d.ref_id, 'note', d.note, 'createdBy', d.created_by, 'approvedBy', d.approved_by, 'postedAt', " +
    ts("d.posted_at") + ", 'reversalOfId', d.reversal_of_id, 'reversedById', d.reversed_by_id, 'correlationId', " +
    "d.correlation_id, 'createdAt', " + ts("d.created_at") + ", 'updatedAt', " + ts("d.updated_at") + ")";
const std::string kDocCols =
    kDocJson + " AS j, d.id, d.doc_type, d.code, d.status, d.warehouse_id, d.target_warehouse_id, d.reversal_of_id, "
               "d.reversed_by_id, d.ref_type, d.ref_id";
const std::string kFindSql = "SELECT " + kDocCols + " FROM stock_documents d WHERE d.id = $1";
const std::string kLockSql = kFindSql + " FOR UPDATE";
const std::string kLineJson =
    "json_build_object('id', l.id, 'documentId', l.document_id, 'partId', l.part_id, 'partCode', p.part_code, "
    "'partName', p.name, 'qty', l.qty, 'unitCost', l.unit_cost, 'serialNo', l.serial_no, 'note', l.note, "
    "'adjustDirection', l.adjust_direction)";
const std::string kLinesSql = "SELECT " + kLineJson +
                              " AS j, l.id, l.part_id, l.qty, l.unit_cost::text AS unit_cost, l.serial_no, l.note, "
                              "l.adjust_direction FROM stock_document_lines l JOIN spare_parts p ON p.id = l.part_id "
                              "WHERE l.document_id = $1 ORDER BY l.seq_no, l.id";
const std::string kLinesJsonSql =
    "SELECT coalesce(json_agg(" + kLineJson +
    " ORDER BY l.seq_no, l.id), '[]') AS j FROM stock_document_lines l JOIN spare_parts p ON p.id = l.part_id "
    "WHERE l.document_id = $1";
const std::string kInsertSql =
    "INSERT INTO stock_documents AS d (doc_type, code, warehouse_id, target_warehouse_id, doc_date, note, ref_type, "
    "ref_id, reversal_of_id, created_by, correlation_id) VALUES ($1, coalesce($2, 'SD-' || to_char(now() AT TIME "
    "ZONE 'UTC', 'YYYY') || '-' || lpad(nextval('stock_document_seq')::text, 6, '0')), $3, $4, coalesce($5::date, "
    "CURRENT_DATE), $6, $7, $8, $9, $10, $11) RETURNING " +
    kDocCols;
// Document (posted) + lines in one statement; answers the document, the lines' JSON and the lines as stored.
const std::string kInsertPostedSql =
    "WITH d AS (INSERT INTO stock_documents (doc_type, code, warehouse_id, target_warehouse_id, doc_date, note, "
    "ref_type, ref_id, reversal_of_id, created_by, correlation_id, status, approved_by, posted_at) VALUES ($1, "
    "coalesce($2, 'SD-' || to_char(now() AT TIME ZONE 'UTC', 'YYYY') || '-' || lpad(nextval('stock_document_seq')::"
    "text, 6, '0')), $3, $4, coalesce($5::date, CURRENT_DATE), $6, $7, $8, $9, $10, $11, 'posted', $13, now()) "
    "RETURNING *), l AS (INSERT INTO stock_document_lines (document_id, part_id, qty, unit_cost, serial_no, note, "
    "adjust_direction, seq_no) SELECT d.id, (x->>'partId')::uuid, (x->>'qty')::int, (x->>'unitCost')::numeric, "
    "x->>'serialNo', x->>'note', x->>'adjustDirection', n::int FROM d, json_array_elements($12::json) WITH "
    "ORDINALITY AS t(x, n) RETURNING *) SELECT " +
    kDocCols + ", (SELECT coalesce(json_agg(" + kLineJson +
    " ORDER BY l.seq_no, l.id), '[]') FROM l JOIN spare_parts p ON p.id = l.part_id) AS lines_json, (SELECT "
    "coalesce(json_agg(json_build_object('id', l.id, 'partId', l.part_id, 'qty', l.qty, 'unitCost', "
    "l.unit_cost::text, 'adjustDirection', l.adjust_direction) ORDER BY l.seq_no, l.id), '[]') FROM l) AS stored "
    "FROM d";
const std::string kInsertLineSql =
    "INSERT INTO stock_document_lines (document_id, part_id, qty, unit_cost, serial_no, note, adjust_direction, "
    "seq_no) VALUES ($1, $2, $3, $4, $5, $6, $7, (SELECT coalesce(max(seq_no), 0) + 1 FROM stock_document_lines "
    "WHERE document_id = $1)) RETURNING id";
const std::string kStatusSql =
    "UPDATE stock_documents d SET status = $2, approved_by = coalesce($3, approved_by), posted_at = CASE WHEN $2 = "
    "'posted' THEN now() ELSE posted_at END, updated_at = now() WHERE id = $1 RETURNING " +
    kDocCols;

// The lines of an input as the JSON array the insert statements read (json_array_elements).
nlohmann::json lines_array(const std::vector<LineInput>& lines) {
  nlohmann::json arr = nlohmann::json::array();
  for (auto& l : lines) {
    nlohmann::json j = {{"partId", l.part_id ? nlohmann::json(*l.part_id) : nlohmann::json()},
                        {"qty", l.qty ? nlohmann::json(*l.qty) : nlohmann::json()}};
    auto put = [&j](const char* k, const std::optional<std::optional<std::string>>& v) {
      j[k] = v && *v ? nlohmann::json(**v) : nlohmann::json();
    };
    put("unitCost", l.unit_cost);
    put("serialNo", l.serial_no);
    put("note", l.note);
    put("adjustDirection", l.adjust_direction);
    arr.push_back(std::move(j));
  }
  return arr;
}

Document doc_from_row(const db::Row& r) {
  Document d;
  d.json = r.get<nlohmann::json>("j");
  d.id = r.get<std::string>("id");
  d.doc_type = r.get<std::string>("doc_type");
  d.code = r.get<std::string>("code");
  d.status = r.get<std::string>("status");
  d.warehouse_id = r.opt<std::string>("warehouse_id");
  d.target_warehouse_id = r.opt<std::string>("target_warehouse_id");
  d.reversal_of_id = r.opt<std::string>("reversal_of_id");
  d.reversed_by_id = r.opt<std::string>("reversed_by_id");
  d.ref_type = r.opt<std::string>("ref_type");
  d.ref_id = r.opt<std::string>("ref_id");
  return d;
}

template <class T>
std::optional<T> flat(const std::optional<std::optional<T>>& v) {
  return v ? *v : std::nullopt;
}

}  // namespace

Task<db::Page<Document>> DocumentRepo::list(const DocumentFilter& f, const db::PageRequest& p, const db::Sort& s) {
  db::Where w;
  w.eq("d.doc_type", f.doc_type);
  w.eq("d.status", f.status);
  if (f.warehouse_id) w.add("(d.warehouse_id = {} OR d.target_warehouse_id = {})", *f.warehouse_id);
  if (f.part_id) w.add("EXISTS (SELECT 1 FROM stock_document_lines l WHERE l.document_id = d.id AND l.part_id = {})",
                       *f.part_id);
  w.eq("d.ref_type", f.ref_type);
  w.eq("d.ref_id", f.ref_id);
  if (f.from) w.add("d.doc_date >= {}::date", *f.from);
  if (f.to) w.add("d.doc_date <= {}::date", *f.to);
  if (f.search) w.add("(d.code ILIKE {} OR d.note ILIKE {})", db::like_contains(*f.search));
  auto sql = "SELECT " + kDocCols + ", count(*) OVER () AS total FROM stock_documents d" + w.sql();
  sql += w.order_and_window(s, p, "d.id");
  auto rows = co_await db_.query(sql, w.take_params());
  co_return db::page_of<Document>(rows, p, doc_from_row);
}

Task<std::optional<Document>> DocumentRepo::find(const std::string& id) {
  auto r = co_await db_.query(kFindSql, db::Params(id));
  if (r.empty()) co_return std::nullopt;
  co_return doc_from_row(r.front());
}

Task<std::optional<Document>> DocumentRepo::lock(db::Tx& tx, const std::string& id) {
  auto r = co_await tx.query(kLockSql, db::Params(id));
  if (r.empty()) co_return std::nullopt;
  co_return doc_from_row(r.front());
}

Task<std::vector<DocLine>> DocumentRepo::lines(db::Tx& tx, const std::string& id) {
  auto rows = co_await tx.query(kLinesSql, db::Params(id));
  std::vector<DocLine> out;
  for (auto r : rows) {
    DocLine l;
    l.id = r.get<std::string>("id");
    l.part_id = r.get<std::string>("part_id");
    l.qty = r.get<int>("qty");
    l.unit_cost = r.opt<std::string>("unit_cost");
    l.serial_no = r.opt<std::string>("serial_no");
    l.note = r.opt<std::string>("note");
    l.adjust_direction = r.opt<std::string>("adjust_direction");
    out.push_back(std::move(l));
  }
  co_return out;
}

Task<nlohmann::json> DocumentRepo::lines_json(const std::string& id) {
  auto r = co_await db_.query(kLinesJsonSql, db::Params(id));
  co_return r.front().get<nlohmann::json>("j");
}

Task<nlohmann::json> DocumentRepo::lines_json(db::Tx& tx, const std::string& id) {
  auto r = co_await tx.query(kLinesJsonSql, db::Params(id));
  co_return r.front().get<nlohmann::json>("j");
}

Task<Document> DocumentRepo::insert(db::Tx& tx, const NewDocument& d) {
  db::Params params(d.doc_type, d.code, d.warehouse_id, d.target_warehouse_id, d.doc_date, d.note, d.ref_type,
                    d.ref_id, d.reversal_of_id, d.created_by, d.correlation_id);
  auto r = co_await tx.query(kInsertSql, std::move(params));
  co_return doc_from_row(r.front());
}

Task<MadePosted> DocumentRepo::insert_posted(db::Tx& tx, const NewDocument& d, const std::vector<LineInput>& lines,
                                             const std::string& approved_by) {
  db::Params params(d.doc_type, d.code, d.warehouse_id, d.target_warehouse_id, d.doc_date, d.note, d.ref_type,
                    d.ref_id, d.reversal_of_id, d.created_by, d.correlation_id, lines_array(lines), approved_by);
  static const db::Query kInsertPosted{"stock_documents.insert_posted", kInsertPostedSql};  // prepared once
  auto r = co_await tx.query(kInsertPosted, std::move(params));
  auto row = r.front();
  MadePosted out;
  out.document = doc_from_row(row);
  out.lines_json = row.get<nlohmann::json>("lines_json");
  for (auto& j : row.get<nlohmann::json>("stored")) {
    DocLine l;
    l.id = j.at("id").get<std::string>();
    l.part_id = j.at("partId").get<std::string>();
    l.qty = j.at("qty").get<int>();
    if (j.at("unitCost").is_string()) l.unit_cost = j["unitCost"].get<std::string>();
    if (j.at("adjustDirection").is_string()) l.adjust_direction = j["adjustDirection"].get<std::string>();
    out.lines.push_back(std::move(l));
  }
  co_return out;
}

nlohmann::json DocumentRepo::batch_entry(const NewDocument& d, const std::vector<LineInput>& lines,
                                         const std::string& approved_by, const std::optional<std::string>& actor,
                                         nlohmann::json effects) {
  auto opt = [](const std::optional<std::string>& v) { return v ? nlohmann::json(*v) : nlohmann::json(); };
  return {{"docType", d.doc_type},
          {"code", opt(d.code)},
          {"warehouseId", opt(d.warehouse_id)},
          {"targetWarehouseId", opt(d.target_warehouse_id)},
          {"docDate", opt(d.doc_date)},
          {"note", opt(d.note)},
          {"refType", opt(d.ref_type)},
          {"refId", opt(d.ref_id)},
          {"createdBy", d.created_by},
          {"correlationId", d.correlation_id},
          {"approvedBy", approved_by},
          {"actor", opt(actor)},
          {"lines", lines_array(lines)},
          {"effects", std::move(effects)}};
}

Task<std::vector<BatchOutcome>> DocumentRepo::post_batch(const nlohmann::json& docs) {
  static constexpr db::Query kPostBatch{
      "stock_documents.post_batch",
      "SELECT i, doc, shorts, missing, err_state, err_msg FROM warehouse_post_batch($1::jsonb) ORDER BY i"};
  auto rows = co_await db_.query(kPostBatch, db::Params(docs));
  std::vector<BatchOutcome> out;
  out.reserve(static_cast<std::size_t>(rows.size()));
  for (auto r : rows) {
    BatchOutcome o;
    if (auto doc = r.opt<nlohmann::json>("doc")) o.document = std::move(*doc);
    if (auto shorts = r.opt<nlohmann::json>("shorts")) o.shorts = std::move(*shorts);
    o.missing = r.get<bool>("missing");
    if (auto state = r.opt<std::string>("err_state"))
      o.error = *state + ": " + r.opt<std::string>("err_msg").value_or("");
    out.push_back(std::move(o));
  }
  co_return out;
}

Task<Document> DocumentRepo::update(db::Tx& tx, const std::string& id, const DocumentInput& in) {
  db::Params params;
  std::string sets = "updated_at = now()";
  auto set = [&](const char* col, const std::optional<std::string>& v) {
    sets += std::string(", ") + col + " = " + params.push(v);
  };
  if (in.doc_type) set("doc_type", in.doc_type);
  if (in.code) set("code", in.code);
  if (in.warehouse_id) set("warehouse_id", *in.warehouse_id);
  if (in.target_warehouse_id) set("target_warehouse_id", *in.target_warehouse_id);
  if (in.doc_date) sets += ", doc_date = " + params.push(*in.doc_date) + "::date";
  if (in.note) set("note", *in.note);
  if (in.ref_type) set("ref_type", *in.ref_type);
  if (in.ref_id) set("ref_id", *in.ref_id);
  auto sql = "UPDATE stock_documents d SET " + sets + " WHERE id = " + params.push(id) + " RETURNING " + kDocCols;
  auto r = co_await tx.query(sql, std::move(params));
  co_return doc_from_row(r.front());
}

Task<void> DocumentRepo::replace_lines(db::Tx& tx, const std::string& id, const std::vector<LineInput>& lines,
                                       bool fresh) {
  static constexpr db::Query kDelete{"stock_documents.delete_lines",
                                     "DELETE FROM stock_document_lines WHERE document_id = $1"};
  // Every line in one statement: the arrays travel as JSON, each line keeps its position.
  static constexpr db::Query kInsertAll{
      "stock_documents.insert_lines",
      "INSERT INTO stock_document_lines (document_id, part_id, qty, unit_cost, serial_no, note, adjust_direction, "
      "seq_no) SELECT $1, (l->>'partId')::uuid, (l->>'qty')::int, (l->>'unitCost')::numeric, l->>'serialNo', "
      "l->>'note', l->>'adjustDirection', n::int FROM json_array_elements($2::json) WITH ORDINALITY AS t(l, n)"};
  if (!fresh) co_await tx.query(kDelete, db::Params(id));
  if (lines.empty()) co_return;
  auto arr = lines_array(lines);
  co_await tx.query(kInsertAll, db::Params(id, arr));
}

Task<nlohmann::json> DocumentRepo::add_line(db::Tx& tx, const std::string& id, const LineInput& l) {
  db::Params params(id, l.part_id, l.qty, flat(l.unit_cost), flat(l.serial_no), flat(l.note), flat(l.adjust_direction));
  auto r = co_await tx.query(kInsertLineSql, std::move(params));
  auto line_id = r.front().get<std::string>("id");
  const std::string sql = "SELECT " + kLineJson +
                          " AS j FROM stock_document_lines l JOIN spare_parts p ON p.id = l.part_id WHERE l.id = $1";
  auto j = co_await tx.query(sql, db::Params(line_id));
  co_return j.front().get<nlohmann::json>("j");
}

Task<std::optional<nlohmann::json>> DocumentRepo::update_line(db::Tx& tx, const std::string& id,
                                                              const std::string& line_id, const LineInput& l) {
  db::Params params;
  std::string sets;
  auto set = [&](const char* col, const std::optional<std::string>& v) {
    sets += (sets.empty() ? std::string() : std::string(", ")) + col + " = " + params.push(v);
  };
  if (l.part_id) set("part_id", l.part_id);
  if (l.qty) set("qty", std::to_string(*l.qty));
  if (l.unit_cost) set("unit_cost", *l.unit_cost);
  if (l.serial_no) set("serial_no", *l.serial_no);
  if (l.note) set("note", *l.note);
  if (l.adjust_direction) set("adjust_direction", *l.adjust_direction);
  if (sets.empty()) sets = "qty = qty";
  auto sql = "UPDATE stock_document_lines SET " + sets + " WHERE document_id = " + params.push(id) +
             " AND id = " + params.push(line_id) + " RETURNING id";
  auto r = co_await tx.query(sql, std::move(params));
  if (r.empty()) co_return std::nullopt;
  const std::string one = "SELECT " + kLineJson +
                          " AS j FROM stock_document_lines l JOIN spare_parts p ON p.id = l.part_id WHERE l.id = $1";
  auto j = co_await tx.query(one, db::Params(line_id));
  co_return j.front().get<nlohmann::json>("j");
}

Task<bool> DocumentRepo::delete_line(db::Tx& tx, const std::string& id, const std::string& line_id) {
  static constexpr db::Query kDel{"stock_documents.delete_line",
                                  "DELETE FROM stock_document_lines WHERE document_id = $1 AND id = $2"};
  auto r = co_await tx.query(kDel, db::Params(id, line_id));
  co_return r.affected() > 0;
}

Task<void> DocumentRepo::copy_lines_reversed(db::Tx& tx, const std::string& from, const std::string& to) {
  static constexpr db::Query kCopy{
      "stock_documents.copy_lines_reversed",
      "INSERT INTO stock_document_lines (document_id, part_id, qty, unit_cost, serial_no, note, adjust_direction, "
      "seq_no) SELECT $2, part_id, qty, unit_cost, serial_no, note, CASE adjust_direction WHEN 'plus' THEN 'minus' "
      "WHEN 'minus' THEN 'plus' END, seq_no FROM stock_document_lines WHERE document_id = $1"};
  co_await tx.query(kCopy, db::Params(from, to));
}

Task<void> DocumentRepo::remove(db::Tx& tx, const std::string& id) {
  static constexpr db::Query kDel{"stock_documents.delete", "DELETE FROM stock_documents WHERE id = $1"};
  co_await tx.query(kDel, db::Params(id));
}

Task<Document> DocumentRepo::set_status(db::Tx& tx, const std::string& id, const std::string& status,
                                        const std::optional<std::string>& approved_by) {
  auto r = co_await tx.query(kStatusSql, db::Params(id, status, approved_by));
  co_return doc_from_row(r.front());
}

Task<void> DocumentRepo::set_reversed_by(db::Tx& tx, const std::string& id, const std::string& reversal_id) {
  static constexpr db::Query kSet{"stock_documents.set_reversed_by",
                                  "UPDATE stock_documents SET reversed_by_id = $2, updated_at = now() WHERE id = $1"};
  co_await tx.query(kSet, db::Params(id, reversal_id));
}

Task<void> DocumentRepo::touch(db::Tx& tx, const std::string& id) {
  static constexpr db::Query kTouch{"stock_documents.touch",
                                    "UPDATE stock_documents SET updated_at = now() WHERE id = $1"};
  co_await tx.query(kTouch, db::Params(id));
}

}  // namespace netops::warehouse
