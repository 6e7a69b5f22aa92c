#include "modules/warehouse/document_service.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <deque>
#include <memory>
#include <mutex>

#include "core/error.hpp"
#include "core/etag.hpp"
#include "modules/warehouse/stock_math.hpp"

namespace netops::warehouse {

namespace {

// The document row a create writes, from its input and its author.
NewDocument new_document(const DocumentInput& in, const Caller& by) {
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
  return d;
}

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
  // Created and posted at once (the common case of the API and the benchmark): 4 round trips.
  if (post && in.lines && !in.lines->empty()) {
    std::vector<DocLine> shape;
    for (auto& l : *in.lines) {
      DocLine dl;
      dl.part_id = l.part_id.value_or("");
      dl.qty = l.qty.value_or(0);
      if (l.adjust_direction) dl.adjust_direction = *l.adjust_direction;
      shape.push_back(std::move(dl));
    }
    validate_shape(in.doc_type.value_or(""), in.warehouse_id.value_or(std::nullopt),
                   in.target_warehouse_id.value_or(std::nullopt), shape);
    co_return co_await create_posted_batched(in, by);
  }
  Document out;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {  // named: GCC 12 mishandles temporaries in co_await
    NewDocument d = new_document(in, by);
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
                                                                            const Caller& by,
                                                                            const nlohmann::json& events) {
  auto actor = actor_of(by);
  auto applied = co_await stock_.apply_all(tx, effects, actor, by.request_id, events);
  if (applied.missing) throw Unprocessable("a warehouse or part of the document no longer exists");
  if (!applied.shorts.empty()) {  // nothing was written; the caller's transaction rolls back
    std::vector<nlohmann::json> described;
    for (auto& s : applied.shorts) {
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
  co_return applied.costs;
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
  // The status first: the stock rows are locked by apply_effects, the last statement before the commit,
  // which also writes the "posted" event with the movements and their costs (one round trip under lock).
  out.document = co_await repo_.set_status(tx, id, "posted", by.user_id);
  nlohmann::json events = nlohmann::json::array();
  events.push_back(posted_event(id));
  out.costs = co_await apply_effects(tx, effects, by, events);
  co_return out;
}

nlohmann::json DocumentService::posted_event(const std::string& id) {
  return {{"entityType", "stock_document"},
          {"entityId", id},
          {"eventType", "posted"},
          {"payload", {{"from", "draft"}, {"to", "posted"}}},
          {"withMovements", true}};
}

Task<Document> DocumentService::create_posted(const DocumentInput& in, const Caller& by) {
  Document out;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {  // named: GCC 12 mishandles temporaries in co_await
    out = co_await create_posted_in(tx, in, by);
  };
  co_await ctx_.db.transaction(in_tx);
  co_return out;
}

Task<Document> DocumentService::create_posted_in(db::Tx& tx, const DocumentInput& in, const Caller& by) {
  Document out;
  {
    NewDocument d = new_document(in, by);
    // One statement: the document (already posted: nobody sees it before the commit) and its lines, as stored
    // (costs rounded by the column, as a posting of a stored draft would read them).
    auto made = co_await repo_.insert_posted(tx, d, *in.lines, by.user_id);
    if (!made.document.warehouse_id)
      throw Unprocessable("the warehouse of stock document " + made.document.code + " no longer exists");
    validate_shape(made.document.doc_type, made.document.warehouse_id, made.document.target_warehouse_id, made.lines);
    auto effects = effects_of(made.document.doc_type, made.document.id, *made.document.warehouse_id,
                              made.document.target_warehouse_id, made.lines);
    // The trail as if created, then posted: the "created" event shows the draft it was.
    nlohmann::json draft = made.document.json;
    draft["status"] = "draft";
    draft["postedAt"] = nullptr;
    draft["approvedBy"] = nullptr;
    draft["lineCount"] = made.lines.size();
    nlohmann::json events = nlohmann::json::array();
    events.push_back({{"entityType", "stock_document"},
                      {"entityId", made.document.id},
                      {"eventType", "created"},
                      {"payload", {{"after", draft}}}});
    events.push_back(posted_event(made.document.id));
    co_await apply_effects(tx, effects, by, events);
    out = std::move(made.document);
    out.json["lines"] = std::move(made.lines_json);
  }
  co_return out;
}

// ---- group commit ------------------------------------------------------------------------------------------
// Create-and-post requests of the whole process (every worker thread) queue up while a batch is being written;
// the next batch takes them all (at most kMaxBatch) and posts them with ONE statement, warehouse_post_batch
// (migration 0017), which is its own transaction: the stock rows of every document of the batch are locked
// first, in (warehouse, part) order (so batches and single postings keep one global lock order), then each
// document is created and posted inside its own exception block — a subtransaction: a document refused (422
// NOT_ENOUGH_STOCK, a vanished warehouse or part, any error) is rolled back alone and the others go on, each
// seeing the stock the previous ones left —, then the statement commits (one WAL flush for the batch). Every
// request is answered after that commit, with its own document or its own error, as if posted alone. A
// document refused for anything but a shortfall or a vanished row is posted again alone by its own request
// (create_posted), so that it gets exactly the answer a lone posting gives; a batch whose statement fails as a
// whole (nothing of it committed) posts every document alone likewise.
//
// One queue for the process rather than one per worker: two workers' batches would only take turns on the same
// hot rows; one batch of 16 holds them once. The batch runs on the worker that started draining (its
// connection pool); each waiting request is woken on its own executor.
struct PostJob {
  explicit PostJob(const boost::asio::any_io_executor& e) : ex(e), timer(e) {}
  boost::asio::any_io_executor ex;  // the waiting request's worker
  const DocumentInput* in = nullptr;
  const Caller* by = nullptr;
  std::optional<Document> out;
  std::exception_ptr error;
  bool alone = false;  // to be posted by itself (create_posted), by the waiting request
  bool done = false;   // set on the request's own executor
  boost::asio::steady_timer timer;  // cancelled when done
};

struct PostQueue {
  std::mutex mutex;  // the queue is shared by every worker thread
  std::deque<std::shared_ptr<PostJob>> jobs;
  bool draining = false;
};

namespace {
// ≤ 32 documents: each document's exception block that writes takes a subtransaction id, and more than 64 in
// one transaction overflow PostgreSQL's per-backend cache of them (every snapshot then consults pg_subtrans).
constexpr std::size_t kMaxBatch = 32;

Document document_of(nlohmann::json j) {
  Document d;
  auto text = [&j](const char* k) -> std::optional<std::string> {
    auto it = j.find(k);
    if (it == j.end() || !it->is_string()) return std::nullopt;
    return it->get<std::string>();
  };
  d.id = text("id").value_or("");
  d.doc_type = text("docType").value_or("");
  d.code = text("code").value_or("");
  d.status = text("status").value_or("");
  d.warehouse_id = text("warehouseId");
  d.target_warehouse_id = text("targetWarehouseId");
  d.reversal_of_id = text("reversalOfId");
  d.reversed_by_id = text("reversedById");
  d.ref_type = text("refType");
  d.ref_id = text("refId");
  d.json = std::move(j);
  return d;
}
}  // namespace

DocumentService::DocumentService(AppContext& ctx, std::shared_ptr<ops_events::OpsEventService> ops)
    : ctx_(ctx), repo_(ctx.db), stock_(ctx.db), ops_(std::move(ops)), posts_(std::make_unique<PostQueue>()) {}

DocumentService::~DocumentService() = default;

Task<Document> DocumentService::create_posted_batched(const DocumentInput& in, const Caller& by) {
  auto ex = co_await boost::asio::this_coro::executor;
  auto job = std::make_shared<PostJob>(ex);
  job->in = &in;
  job->by = &by;
  job->timer.expires_at(boost::asio::steady_timer::time_point::max());
  bool start = false;
  {
    std::lock_guard lock(posts_->mutex);
    posts_->jobs.push_back(job);
    if (!posts_->draining) posts_->draining = start = true;
  }
  if (start) boost::asio::co_spawn(ex, drain(), boost::asio::detached);
  if (!job->done) co_await job->timer.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
  if (job->alone) co_return co_await create_posted(in, by);
  if (job->error) std::rethrow_exception(job->error);
  if (!job->out) throw AppError(ErrorCode::internal, "internal error");
  co_return std::move(*job->out);
}

Task<void> DocumentService::drain() {
  for (;;) {
    std::vector<std::shared_ptr<PostJob>> batch;
    {
      std::lock_guard lock(posts_->mutex);
      if (posts_->jobs.empty()) {
        posts_->draining = false;
        break;
      }
      while (!posts_->jobs.empty() && batch.size() < kMaxBatch) {
        batch.push_back(std::move(posts_->jobs.front()));
        posts_->jobs.pop_front();
      }
    }
    try {
      co_await run_batch(batch);
    } catch (...) {  // the statement failed as a whole: nothing of the batch was committed
      for (auto& j : batch) {
        j->out.reset();
        j->error = nullptr;
        j->alone = true;
      }
    }
    for (auto& j : batch)  // wake each request on its own worker (the timer is not thread-safe)
      boost::asio::post(j->ex, [j] {
        j->done = true;
        j->timer.cancel();
      });
  }
}

Task<void> DocumentService::run_batch(std::vector<std::shared_ptr<PostJob>>& batch) {
  nlohmann::json docs = nlohmann::json::array();
  for (auto& j : batch) {
    const auto& in = *j->in;
    const auto& by = *j->by;
    NewDocument d = new_document(in, by);
    // The effects of the lines as given (create() validated their shape); the statement sets the document id
    // and rounds each cost as the line column stores it.
    std::vector<DocLine> lines;
    for (auto& l : *in.lines) {
      DocLine dl;
      dl.part_id = l.part_id.value_or("");
      dl.qty = l.qty.value_or(0);
      if (l.unit_cost && *l.unit_cost) dl.unit_cost = **l.unit_cost;
      if (l.adjust_direction && *l.adjust_direction) dl.adjust_direction = **l.adjust_direction;
      lines.push_back(std::move(dl));
    }
    auto effects = effects_of(d.doc_type, "", d.warehouse_id.value_or(""), d.target_warehouse_id, lines);
    for (auto& e : effects) e.ref_id.reset();
    docs.push_back(DocumentRepo::batch_entry(d, *in.lines, by.user_id, actor_of(by), effects_json(effects)));
  }
  auto outcomes = co_await repo_.post_batch(docs);
  for (std::size_t i = 0; i < batch.size(); ++i) {
    auto& j = batch[i];
    if (i >= outcomes.size()) {  // cannot happen (one row per document); answer it alone rather than guess
      j->alone = true;
      continue;
    }
    auto& o = outcomes[i];
    try {
      if (o.document) {
        j->out = document_of(std::move(*o.document));
      } else if (o.missing) {
        throw Unprocessable("a warehouse or part of the document no longer exists");
      } else if (o.shorts.is_array() && !o.shorts.empty()) {
        not_enough(o.shorts.get<std::vector<nlohmann::json>>());
      } else {
        j->alone = true;  // o.error: answered exactly by a posting of its own
      }
    } catch (...) {
      j->error = std::current_exception();
    }
  }
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
  // Links and status first; the stock rows are locked by the last statement, which writes the events too.
  auto posted = co_await repo_.set_status(tx, rev.id, "posted", by.user_id);
  co_await repo_.set_reversed_by(tx, orig->id, rev.id);
  nlohmann::json events = nlohmann::json::array();
  events.push_back({{"entityType", "stock_document"},
                    {"entityId", orig->id},
                    {"eventType", "reversed"},
                    {"payload", {{"reversedById", rev.id}, {"reversalCode", rev.code}}}});
  events.push_back({{"entityType", "stock_document"},
                    {"entityId", rev.id},
                    {"eventType", "posted"},
                    {"payload", {{"reversalOfId", orig->id}, {"reversalOfCode", orig->code}, {"to", "posted"}}}});
  co_await apply_effects(tx, effects, by, events);
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
