#include "modules/assets/import_service.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <optional>

#include "core/csv.hpp"

namespace netops::assets {

namespace {

// Thrown inside the import transaction to roll it back while keeping the report (dry run, atomic failure).
struct Rollback {};

// Milliseconds per phase of one import, for the log line that says where its time went.
struct PhaseClock {
  using Clock = std::chrono::steady_clock;
  Clock::time_point start = Clock::now(), last = start;
  std::string text;
  void mark(const char* phase) {
    auto now = Clock::now();
    text += fmt::format(" {}={}ms", phase, std::chrono::duration_cast<std::chrono::milliseconds>(now - last).count());
    last = now;
  }
  long long total_ms() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
  }
};

// Rows validated per range; the database writes one range while the next is validated.
constexpr std::size_t kChunkRows = 10 * kBatchRows;

// Runs both tasks at once on this worker and waits for both: neither is cancelled when the other fails
// (a statement in flight always finishes, so the connection stays usable). The first failure is rethrown.
template <class A, class B>
Task<A> both(Task<A> a, Task<B> b) {
  namespace asio = boost::asio;
  auto ex = co_await asio::this_coro::executor;
  auto [order, ea, ra, eb, rb] =
      co_await asio::experimental::make_parallel_group(asio::co_spawn(ex, std::move(a), asio::deferred),
                                                       asio::co_spawn(ex, std::move(b), asio::deferred))
          .async_wait(asio::experimental::wait_for_all(), asio::use_awaitable);
  (void)order;
  (void)rb;
  if (ea) std::rethrow_exception(ea);
  if (eb) std::rethrow_exception(eb);
  co_return std::move(ra);
}

std::string trimmed(const std::string& s) {
  auto b = s.find_first_not_of(" \t\r\n"), e = s.find_last_not_of(" \t\r\n");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

}  // namespace

Task<ImportResult> ImportService::import_csv(const std::string& text, const ImportOptions& opts, const Caller& who) {
  // Phase 1, parse: off the event loop (a 100,000-row file is tens of megabytes).
  ParseLimits limits;
  limits.max_rows = settings_.import_max_rows;
  auto parse = [&text, limits] { return parse_file(text, limits); };
  PhaseClock clock;
  ParsedFile file = co_await ctx_.blocking.run(std::move(parse));
  clock.mark("parse");
  ImportReport report;
  report.opts = opts;
  report.rows = file.records.size();
  if (!file.fatal.empty()) {  // no usable header or unreadable CSV: no row can be judged
    for (auto& e : file.fatal) report.add(e);
    report.invalid = report.skipped = report.rows;
    ImportResult unreadable{false, report.to_json()};
    co_return unreadable;
  }
  std::size_t code_col = 0;
  while (!file.columns[code_col].column || file.columns[code_col].column->sql != "asset_code") ++code_col;
  std::vector<std::string> codes;
  codes.reserve(file.records.size());
  for (auto& rec : file.records)
    if (rec.size() > code_col && !trimmed(rec[code_col]).empty()) codes.push_back(trimmed(rec[code_col]));

  // What the planner reads; it outlives the transaction, whose report it holds.
  CsvNames names;
  std::vector<Asset> current;
  std::unordered_map<std::string, const Asset*> existing;
  std::unordered_set<std::string> assigned;
  std::optional<ImportPlanner> planner;
  bool committed = false;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {  // named: GCC 12 mishandles temporaries in co_await
    clock.mark("begin");
    names = co_await repo_.csv_names(tx);
    clock.mark("names");
    current = co_await repo_.lock_by_codes(tx, codes);
    clock.mark("lock");
    std::vector<std::string> ids;
    for (auto& a : current) {
      existing[*a.get("asset_code")] = &a;
      ids.push_back(a.id);
    }
    assigned = co_await repo_.assigned(tx, ids);
    // Phases 2 and 3, validate and apply, overlapped: the rows are validated (off the event loop) in
    // ranges of kChunkRows, and while the database writes one range the next is validated. A range is
    // written in statements of kBatchRows rows, each row with its IMPORTED event. Atomic mode writes
    // nothing more once a row failed, but still validates every row for the report.
    planner.emplace(file, names, existing, assigned, opts);
    Plan& p = planner->plan();
    auto& r = p.report;
    const std::size_t n = file.records.size();
    auto validate = [&planner, n](std::size_t from) {
      return [&planner, n, from] {
        planner->rows(from, std::min(n, from + kChunkRows));
        return true;
      };
    };
    co_await ctx_.blocking.run(validate(0));
    std::unordered_set<std::string> inserted;
    for (std::size_t from = 0; from < n; from += kChunkRows) {
      std::vector<const RowPlan*> new_rows;
      if (opts.skip_invalid || r.invalid == 0)
        for (std::size_t i = from; i < std::min(n, from + kChunkRows); ++i)
          if (p.rows[i].action == RowPlan::Action::create) new_rows.push_back(&p.rows[i]);
      auto write = repo_.insert(tx, p.columns, new_rows, who);
      std::unordered_set<std::string> written;
      if (from + kChunkRows < n)
        written = co_await both(std::move(write), ctx_.blocking.run(validate(from + kChunkRows)));
      else
        written = co_await std::move(write);
      inserted.merge(written);
    }
    clock.mark("validate_insert");
    if (!opts.skip_invalid && r.invalid > 0) throw Rollback{};
    std::vector<std::pair<std::string, const Values*>> changed;
    std::vector<std::string> event_ids, payloads;
    for (auto& rp : p.rows) {
      if (rp.action == RowPlan::Action::update) {
        changed.emplace_back(rp.id, &rp.values);
        event_ids.push_back(rp.id);
        payloads.push_back(rp.event);
      } else if (rp.action == RowPlan::Action::unchanged) {
        ++r.unchanged;
      } else if (rp.action == RowPlan::Action::create) {
        if (inserted.count(*rp.values.at("asset_code"))) {
          ++r.created;
          continue;
        }
        // Created by someone else since the rows were locked.
        r.add({rp.row, file.lines[rp.row - 2], "assetCode", "already exists (created concurrently by another request)"});
        --r.valid;
        ++r.invalid;
        rp.action = RowPlan::Action::invalid;
      }
    }
    if (!opts.skip_invalid && r.invalid > 0) throw Rollback{};
    co_await repo_.update(tx, p.columns, changed);
    r.updated = changed.size();
    clock.mark("update");
    co_await repo_.imported_events(tx, event_ids, payloads, who);
    clock.mark("update_events");
    r.skipped = r.invalid;
    if (opts.dry_run) throw Rollback{};
    committed = true;

  };
  try {
    co_await ctx_.db.transaction(in_tx);
  } catch (const Rollback&) {
  }
  clock.mark(committed ? "commit" : "rollback");
  auto& r = planner->plan().report;
  bool failed = !opts.skip_invalid && r.invalid > 0;
  if (failed) {  // atomic: nothing was (or would be) written
    r.created = r.updated = r.unchanged = 0;
    r.skipped = r.rows;
  }
  if (committed) co_await assets_->changed();
  spdlog::info("assets: import of {} rows{} in {} ms:{}", file.records.size(), opts.dry_run ? " (dry run)" : "",
               clock.total_ms(), clock.text);
  ImportResult result{!failed, r.to_json()};
  co_return result;
}

Task<CsvExport> ImportService::export_csv(const Filter& f) {
  auto names = std::make_shared<const CsvNames>(co_await repo_.csv_names());
  co_return CsvExport(shared_from_this(), f, std::move(names));
}

// Keyset batches by id: constant cost per batch however deep the export, and no connection is held
// while the client reads (each batch is its own statement, so the file is not one snapshot).
Task<std::optional<std::string>> CsvExport::next() {
  if (done_) co_return std::nullopt;
  std::string chunk;
  if (first_) csv::append_record(chunk, csv_header());
  first_ = false;
  auto batch = co_await svc_->repo_.export_batch(filter_, after_, static_cast<long long>(kBatchRows));
  for (auto& a : batch) csv::append_record(chunk, csv_record(a, *names_));
  if (!batch.empty()) after_ = batch.back().id;
  if (batch.size() < kBatchRows) done_ = true;
  co_return chunk;
}

}  // namespace netops::assets
