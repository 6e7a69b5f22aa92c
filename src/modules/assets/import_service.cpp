#include "modules/assets/import_service.hpp"

#include <spdlog/spdlog.h>

#include <chrono>

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

  Plan plan;
  bool committed = false;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {  // named: GCC 12 mishandles temporaries in co_await
    clock.mark("begin");
    auto names = co_await repo_.csv_names(tx);
    clock.mark("names");
    auto current = co_await repo_.lock_by_codes(tx, codes);
    clock.mark("lock");
    std::unordered_map<std::string, const Asset*> existing;
    std::vector<std::string> ids;
    for (auto& a : current) {
      existing[*a.get("asset_code")] = &a;
      ids.push_back(a.id);
    }
    auto assigned = co_await repo_.assigned(tx, ids);
    // Phase 2, validate every row and column, and write the events' payloads: off the event loop too.
    auto validate = [&] {
      Plan p = plan_import(file, names, existing, assigned, opts);
      event_payloads(p);
      return p;
    };
    plan = co_await ctx_.blocking.run(std::move(validate));
    clock.mark("validate");
    auto& r = plan.report;
    if (!opts.skip_invalid && r.invalid > 0) throw Rollback{};

    // Phase 3, apply: multi-row statements, each row with its IMPORTED event.
    std::vector<const RowPlan*> new_rows;
    std::vector<std::pair<std::string, const Values*>> changed;
    std::vector<std::string> event_ids, payloads;
    for (auto& rp : plan.rows) {
      if (rp.action == RowPlan::Action::create) {
        new_rows.push_back(&rp);
      } else if (rp.action == RowPlan::Action::update) {
        changed.emplace_back(rp.id, &rp.values);
        event_ids.push_back(rp.id);
        payloads.push_back(rp.event);
      } else if (rp.action == RowPlan::Action::unchanged) {
        ++r.unchanged;
      }
    }
    clock.mark("split");
    auto inserted = co_await repo_.insert(tx, plan.columns, new_rows, who);
    clock.mark("insert");
    for (auto& rp : plan.rows) {
      if (rp.action != RowPlan::Action::create) continue;
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
    if (!opts.skip_invalid && r.invalid > 0) throw Rollback{};
    co_await repo_.update(tx, plan.columns, changed);
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
  auto& r = plan.report;
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
