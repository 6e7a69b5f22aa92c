#include "modules/warehouse/document_service.hpp"

#include "core/error.hpp"
#include "core/etag.hpp"
#include "modules/warehouse/stock_math.hpp"

namespace netops::warehouse {

namespace {

std::optional<std::string> actor_of(const Caller& by) {
  if (by.user_id.empty()) return std::nullopt;
  return by.user_id;
}

// The rules a document's shape must satisfy whatever route changed it (400 naming the field).
void validate_shape(const std::string& doc_type, const std::optional<std::string>& warehouse_id,
                    const std::optional<std::string>& target_id, const std::vector<DocLine>& lines) {
  Validation v;
  if (!warehouse_id) v.add("warehouseId", "is required");
  if (doc_type == "transfer") {
    if (!target_id) v.add("targetWarehouseId", "is required for a transfer");
    else if (warehouse_id && *target_id == *warehouse_id)
      v.add("targetWarehouseId", "must differ from warehouseId");
  } else if (target_id) {
    v.add("targetWarehouseId", "only a transfer has a target warehouse");
  }
  for (std::size_t i = 0; i < lines.size(); ++i) {
    auto f = "lines[" + std::to_string(i) + "].adjustDirection";
    if (doc_type == "adjust" && !lines[i].adjust_direction) v.add(f, "is required for an adjustment (plus or minus)");
    if (doc_type != "adjust" && lines[i].adjust_direction) v.add(f, "only an adjustment has a direction");
  }
  v.throw_if_any();
}

}  // namespace

Task<db::Page<Document>> DocumentService::list(const DocumentFilter& f, const db::PageRequest& p, const db::Sort& s) {
  co_return co_await repo_.list(f, p, s);
}

Task<void> DocumentService::require(const std::string& id) {
  auto d = co_await repo_.find(id);
  if (!d) throw NotFound("stock document");
}

Task<Document> DocumentService::get(const std::string& id) {
  auto d = co_await repo_.find(id);
  if (!d) throw NotFound("stock document");
  d->json["lines"] = co_await repo_.lines_json(id);
  co_return *d;
}

Task<Document> DocumentService::with_lines(db::Tx& tx, Document d) {
  d.json["lines"] = co_await repo_.lines_json(tx, d.id);
  co_return d;
}

Task<void> DocumentService::check_shape(db::Tx& tx, const Document& d) {
  auto lines = co_await repo_.lines(tx, d.id);
  validate_shape(d.doc_type, d.warehouse_id, d.target_warehouse_id, lines);
}

Task<Document> DocumentService::create(const DocumentInput& in, bool post, const Caller& by) {
  Document out;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {  // named: GCC 12 mishandles temporaries in co_await
    NewDocument d;
    d.doc_type = in.doc_type.value_or("");
    d.code = in.code;
    if (in.warehouse_id) d.warehouse_id = *in.warehouse_id;
    if (in.target_warehouse_id) d.target_warehouse_id = *in.target_warehouse_id;
    d.doc_date = in.doc_date;
    if (in.note) d.note = *in.note;
    if (in.ref_type) d.ref_type = *in.ref_type;
    if (in.ref_id) d.ref_id = *in.ref_id;
    d.created_by = by.user_id;
    d.correlation_id = by.request_id;
    if (d.warehouse_id && d.target_warehouse_id && *d.warehouse_id == *d.target_warehouse_id)
      throw ValidationError("targetWarehouseId", "must differ from warehouseId");
    // The shape is checked on the input (no read back): every line is new.
    std::vector<DocLine> shape;
    for (auto& l : in.lines.value_or(std::vector<LineInput>{})) {
      DocLine dl;
      dl.part_id = l.part_id.value_or("");
      dl.qty = l.qty.value_or(0);
      if (l.adjust_direction) dl.adjust_direction = *l.adjust_direction;
      shape.push_back(std::move(dl));
    }
    validate_shape(d.doc_type, d.warehouse_id, d.target_warehouse_id, shape);
    auto doc = co_await repo_.insert(tx, d);
    if (in.lines) co_await repo_.replace_lines(tx, doc.id, *in.lines, /*fresh=*/true);
    nlohmann::json after = doc.json;
    after["lineCount"] = shape.size();
    nlohmann::json payload = {{"after", after}};
    co_await ops_->record(tx, "stock_document", doc.id, "created", payload, by);
    if (post) {
      auto posted = co_await post_in(tx, doc.id, by);
      out = co_await with_lines(tx, posted.document);
    } else {
      out = co_await with_lines(tx, doc);
    }
  };
  co_await ctx_.db.transaction(in_tx);
  co_return out;
}

Task<Document> DocumentService::locked_draft(db::Tx& tx, const std::string& id) {
  auto d = co_await repo_.lock(tx, id);
  if (!d) throw NotFound("stock document");
  if (d->status != "draft")
    throw Conflict("stock document " + d->code + " is " + d->status + "; only a draft can be changed",
                   {{"status", d->status}});
  co_return *d;
}

Task<Document> DocumentService::update(const std::string& id, const DocumentInput& in,
                                       const std::optional<std::string>& expected_etag, const Caller& by) {
  Document out;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {
    auto current = co_await locked_draft(tx, id);
    auto before = co_await with_lines(tx, current);
    check_expected_etag(expected_etag, before.json);
    auto updated = co_await repo_.update(tx, id, in);
    if (in.lines) co_await repo_.replace_lines(tx, id, *in.lines);
    co_await check_shape(tx, updated);
    out = co_await with_lines(tx, updated);
    nlohmann::json payload = {{"before", before.json}, {"after", out.json}};
    co_await ops_->record(tx, "stock_document", id, "updated", payload, by);
  };
  co_await ctx_.db.transaction(in_tx);
  co_return out;
}

Task<void> DocumentService::remove(const std::string& id, const std::optional<std::string>& expected_etag,
                                   const Caller& by) {
  auto in_tx = [&](db::Tx& tx) -> Task<void> {
    auto current = co_await locked_draft(tx, id);
    auto before = co_await with_lines(tx, current);
    check_expected_etag(expected_etag, before.json);
    co_await repo_.remove(tx, id);
    nlohmann::json payload = {{"before", before.json}};
    co_await ops_->record(tx, "stock_document", id, "deleted", payload, by);
  };
  co_await ctx_.db.transaction(in_tx);
}

Task<nlohmann::json> DocumentService::add_line(const std::string& id, const LineInput& line, const Caller& by) {
  nlohmann::json out;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {
    auto doc = co_await locked_draft(tx, id);
    auto lines = co_await repo_.lines(tx, id);
    if (lines.size() >= 500) throw Unprocessable("a document has at most 500 lines");
    out = co_await repo_.add_line(tx, id, line);
    co_await check_shape(tx, doc);
    co_await repo_.touch(tx, id);
    nlohmann::json payload = {{"line", out}};
    co_await ops_->record(tx, "stock_document", id, "line_added", payload, by);
  };
  co_await ctx_.db.transaction(in_tx);
  co_return out;
}

Task<nlohmann::json> DocumentService::update_line(const std::string& id, const std::string& line_id,
                                                  const LineInput& line, const Caller& by) {
  nlohmann::json out;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {
    auto doc = co_await locked_draft(tx, id);
    auto updated = co_await repo_.update_line(tx, id, line_id, line);
    if (!updated) throw NotFound("document line");
    out = *updated;
    co_await check_shape(tx, doc);
    co_await repo_.touch(tx, id);
    nlohmann::json payload = {{"line", out}};
    co_await ops_->record(tx, "stock_document", id, "line_updated", payload, by);
  };
  co_await ctx_.db.transaction(in_tx);
  co_return out;
}

Task<void> DocumentService::delete_line(const std::string& id, const std::string& line_id, const Caller& by) {
  auto in_tx = [&](db::Tx& tx) -> Task<void> {
    co_await locked_draft(tx, id);
    auto deleted = co_await repo_.delete_line(tx, id, line_id);
    if (!deleted) throw NotFound("document line");
    co_await repo_.touch(tx, id);
    nlohmann::json payload = {{"lineId", line_id}};
    co_await ops_->record(tx, "stock_document", id, "line_deleted", payload, by);
  };
  co_await ctx_.db.transaction(in_tx);
}

void DocumentService::not_enough(const std::vector<nlohmann::json>& s) {
  auto& first = s.front();
  std::string msg = "not enough stock of part " + first.value("partCode", first["partId"].get<std::string>()) +
                    " in warehouse " + first.value("warehouseCode", first["warehouseId"].get<std::string>()) +
                    ": available " + std::to_string(first["available"].get<long long>()) + ", asked " +
                    std::to_string(first["requested"].get<long long>());
  nlohmann::json details = first;
  details["shortfalls"] = s;
  throw AppError(ErrorCode::not_enough_stock, msg, details);
}

Task<std::vector<std::optional<std::string>>> DocumentService::apply_effects(db::Tx& tx,
                                                                            const std::vector<Effect>& effects,
                                                                            const Caller& by) {
  auto keys = keys_of(effects);
  auto states = co_await stock_.lock_rows(tx, keys);
  if (states.size() != keys.size()) throw Unprocessable("a warehouse or part of the document no longer exists");
  auto shorts = shortfalls(states, effects);
  if (!shorts.empty()) {
    std::vector<nlohmann::json> described;
    for (auto& s : shorts) {
      auto d = co_await stock_.describe(tx, s.warehouse_id, s.part_id);
      d["warehouseId"] = s.warehouse_id;
      d["partId"] = s.part_id;
      d["available"] = s.available;
      d["requested"] = s.requested;
      d["asked"] = s.requested;
      d["movementType"] = s.movement_type;
      described.push_back(std::move(d));
    }
    not_enough(described);
  }
  std::vector<std::optional<std::string>> costs;
  std::optional<std::string> last_out;
  auto actor = actor_of(by);
  for (auto& e : effects) {
    Effect eff = e;
    if (eff.cost_from_previous) eff.cost = last_out;
    auto cost = co_await stock_.apply(tx, eff, actor, by.request_id);
    if (eff.sign < 0) last_out = cost;
    costs.push_back(cost);
  }
  co_return costs;
}

Task<Posted> DocumentService::post_in(db::Tx& tx, const std::string& id, const Caller& by, std::vector<Effect> first) {
  auto doc = co_await repo_.lock(tx, id);
  if (!doc) throw NotFound("stock document");
  if (doc->status != "draft")
    throw Conflict("stock document " + doc->code + " is " + doc->status + "; only a draft can be posted",
                   {{"status", doc->status}});
  auto lines = co_await repo_.lines(tx, id);
  if (lines.empty()) throw Unprocessable("stock document " + doc->code + " has no lines to post");
  if (!doc->warehouse_id) throw Unprocessable("the warehouse of stock document " + doc->code + " no longer exists");
  validate_shape(doc->doc_type, doc->warehouse_id, doc->target_warehouse_id, lines);
  auto effects = std::move(first);
  auto own = effects_of(doc->doc_type, id, *doc->warehouse_id, doc->target_warehouse_id, lines);
  effects.insert(effects.end(), own.begin(), own.end());
  Posted out;
  out.costs = co_await apply_effects(tx, effects, by);
  out.document = co_await repo_.set_status(tx, id, "posted", by.user_id);
  nlohmann::json moved = nlohmann::json::array();
  for (std::size_t i = 0; i < effects.size(); ++i)
    moved.push_back({{"warehouseId", effects[i].warehouse_id}, {"partId", effects[i].part_id},
                     {"movementType", effects[i].movement_type}, {"qty", effects[i].qty},
                     {"unitCost", out.costs[i] ? nlohmann::json::parse(*out.costs[i]) : nlohmann::json()}});
  nlohmann::json payload = {{"from", "draft"}, {"to", "posted"}, {"movements", moved}};
  co_await ops_->record(tx, "stock_document", id, "posted", payload, by);
  co_return out;
}

Task<Document> DocumentService::post(const std::string& id, const Caller& by) {
  Document out;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {
    auto posted = co_await post_in(tx, id, by);
    out = co_await with_lines(tx, posted.document);
  };
  co_await ctx_.db.transaction(in_tx);
  co_return out;
}

Task<Document> DocumentService::cancel(const std::string& id, const Caller& by) {
  Document out;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {
    auto doc = co_await repo_.lock(tx, id);
    if (!doc) throw NotFound("stock document");
    if (doc->status != "draft")
      throw Conflict("stock document " + doc->code + " is " + doc->status + "; only a draft can be canceled",
                     {{"status", doc->status}});
    auto canceled = co_await repo_.set_status(tx, id, "canceled", std::nullopt);
    out = co_await with_lines(tx, canceled);
    nlohmann::json payload = {{"from", "draft"}, {"to", "canceled"}};
    co_await ops_->record(tx, "stock_document", id, "canceled", payload, by);
  };
  co_await ctx_.db.transaction(in_tx);
  co_return out;
}

Task<Document> DocumentService::reverse_in(db::Tx& tx, const std::string& id, const Caller& by) {
  auto orig = co_await repo_.lock(tx, id);
  if (!orig) throw NotFound("stock document");
  if (orig->status != "posted")
    throw Conflict("stock document " + orig->code + " is " + orig->status + "; only a posted document can be reversed",
                   {{"status", orig->status}});
  if (orig->reversed_by_id)
    throw Conflict("stock document " + orig->code + " is already reversed", {{"reversedById", *orig->reversed_by_id}});
  NewDocument d;
  d.doc_type = orig->doc_type;
  d.warehouse_id = orig->warehouse_id;
  d.target_warehouse_id = orig->target_warehouse_id;
  d.note = "Reversal of " + orig->code;
  d.ref_type = orig->ref_type;
  d.ref_id = orig->ref_id;
  d.reversal_of_id = orig->id;
  d.created_by = by.user_id;
  d.correlation_id = by.request_id;
  auto rev = co_await repo_.insert(tx, d);
  co_await repo_.copy_lines_reversed(tx, orig->id, rev.id);
  auto moved = co_await stock_.document_movements(tx, orig->id);
  auto effects = reversal_of(moved, rev.id);
  co_await apply_effects(tx, effects, by);
  auto posted = co_await repo_.set_status(tx, rev.id, "posted", by.user_id);
  co_await repo_.set_reversed_by(tx, orig->id, rev.id);
  nlohmann::json on_orig = {{"reversedById", rev.id}, {"reversalCode", rev.code}};
  co_await ops_->record(tx, "stock_document", orig->id, "reversed", on_orig, by);
  nlohmann::json on_rev = {{"reversalOfId", orig->id}, {"reversalOfCode", orig->code}, {"to", "posted"}};
  co_await ops_->record(tx, "stock_document", rev.id, "posted", on_rev, by);
  co_return posted;
}

Task<Document> DocumentService::reverse(const std::string& id, const Caller& by) {
  Document out;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {
    auto rev = co_await reverse_in(tx, id, by);
    out = co_await with_lines(tx, rev);
  };
  co_await ctx_.db.transaction(in_tx);
  co_return out;
}

Task<Posted> DocumentService::issue_in(db::Tx& tx, const IssueRequest& r, const Caller& by) {
  NewDocument d;
  d.doc_type = "issue";
  d.warehouse_id = r.warehouse_id;
  d.note = r.note;
  d.ref_type = r.ref_type;
  d.ref_id = r.ref_id;
  d.created_by = by.user_id;
  d.correlation_id = by.request_id;
  auto doc = co_await repo_.insert(tx, d);
  LineInput line;
  line.part_id = r.part_id;
  line.qty = r.qty;
  if (r.serial_no) line.serial_no = std::optional<std::string>(*r.serial_no);
  co_await repo_.add_line(tx, doc.id, line);
  nlohmann::json payload = {{"refType", r.ref_type}, {"refId", r.ref_id}, {"generated", true}};
  co_await ops_->record(tx, "stock_document", doc.id, "created", payload, by);
  std::vector<Effect> first;
  if (r.consume_reserved > 0) {
    Effect rel;
    rel.warehouse_id = r.warehouse_id;
    rel.part_id = r.part_id;
    rel.movement_type = "release";
    rel.qty = r.consume_reserved;
    rel.sign = 0;
    rel.reserved_delta = -r.consume_reserved;
    rel.ref_type = r.ref_type;
    rel.ref_id = r.ref_id;
    first.push_back(rel);
  }
  co_return co_await post_in(tx, doc.id, by, first);
}

Task<void> DocumentService::reserve_in(db::Tx& tx, const std::string& warehouse_id, const std::string& part_id, int qty,
                                       const std::string& ref_type, const std::string& ref_id, const Caller& by) {
  Effect e;
  e.warehouse_id = warehouse_id;
  e.part_id = part_id;
  e.qty = qty;
  e.ref_type = ref_type;
  e.ref_id = ref_id;
  auto actor = actor_of(by);
  auto ok = co_await stock_.reserve(tx, e, actor, by.request_id);
  if (!ok) {
    auto d = co_await stock_.describe(tx, warehouse_id, part_id);
    if (d.empty()) throw Unprocessable("unknown warehouse or part");
    d["warehouseId"] = warehouse_id;
    d["partId"] = part_id;
    d["available"] = d["onHand"].get<long long>() - d["reserved"].get<long long>();
    d["requested"] = qty;
    d["asked"] = qty;
    d["movementType"] = "reserve";
    not_enough({d});
  }
}

Task<void> DocumentService::release_in(db::Tx& tx, const std::string& warehouse_id, const std::string& part_id, int qty,
                                       const std::string& ref_type, const std::string& ref_id, const Caller& by) {
  Effect e;
  e.warehouse_id = warehouse_id;
  e.part_id = part_id;
  e.qty = qty;
  e.ref_type = ref_type;
  e.ref_id = ref_id;
  auto actor = actor_of(by);
  auto ok = co_await stock_.release(tx, e, actor, by.request_id);
  if (!ok) throw Conflict("the reservation to release is not held on the stock row");
}

}  // namespace netops::warehouse
