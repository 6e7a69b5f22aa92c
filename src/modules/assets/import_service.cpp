#include "modules/assets/import_service.hpp"

#include "core/csv.hpp"

namespace netops::assets {

namespace {

// Thrown inside the import transaction to roll it back while keeping the report (dry run, atomic failure).
struct Rollback {};

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
  ParsedFile file = co_await ctx_.blocking.run(std::move(parse));
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
    auto names = co_await repo_.csv_names(tx);
    auto current = co_await repo_.lock_by_codes(tx, codes);
    std::unordered_map<std::string, const Asset*> existing;
    std::vector<std::string> ids;
    for (auto& a : current) {
      existing[*a.get("asset_code")] = &a;
      ids.push_back(a.id);
    }
    auto assigned = co_await repo_.assigned(tx, ids);
    // Phase 2, validate every row and column: off the event loop too.
    auto validate = [&] { return plan_import(file, names, existing, assigned, opts); };
    plan = co_await ctx_.blocking.run(std::move(validate));
    auto& r = plan.report;
    if (!opts.skip_invalid && r.invalid > 0) throw Rollback{};

    // Phase 3, apply: multi-row statements, then one IMPORTED event per written row.
    std::vector<const Values*> new_rows;
    std::vector<RowPlan*> new_plans;
    std::vector<std::pair<std::string, const Values*>> changed;
    std::vector<std::string> event_ids, payloads;
    for (auto& rp : plan.rows) {
      if (rp.action == RowPlan::Action::create) {
        new_rows.push_back(&rp.values);
        new_plans.push_back(&rp);
      } else if (rp.action == RowPlan::Action::update) {
        changed.emplace_back(rp.id, &rp.values);
        event_ids.push_back(rp.id);
        payloads.push_back(nlohmann::json{{"action", "updated"}, {"row", rp.row}, {"changes", rp.changes}}.dump());
      } else if (rp.action == RowPlan::Action::unchanged) {
        ++r.unchanged;
      }
    }
    auto inserted = co_await repo_.insert(tx, plan.columns, new_rows);
    for (auto* rp : new_plans) {
      auto it = inserted.find(*rp->values.at("asset_code"));
      if (it == inserted.end()) {  // created by someone else since the rows were locked
        r.add({rp->row, file.lines[rp->row - 2], "assetCode", "already exists (created concurrently by another request)"});
        --r.valid;
        ++r.invalid;
        rp->action = RowPlan::Action::invalid;
        continue;
      }
      auto set = values_json(rp->values);
      nlohmann::json after = nlohmann::json::object();  // the fields the row sets; nulls say nothing new
      for (auto& [k, v] : set.items())
        if (!v.is_null()) after[k] = v;
      if (!after.contains("status")) after["status"] = "in_stock";
      event_ids.push_back(it->second);
      payloads.push_back(nlohmann::json{{"action", "created"}, {"row", rp->row}, {"after", after}}.dump());
      ++r.created;
    }
    if (!opts.skip_invalid && r.invalid > 0) throw Rollback{};
    co_await repo_.update(tx, plan.columns, changed);
    r.updated = changed.size();
    co_await repo_.imported_events(tx, event_ids, payloads, who);
    r.skipped = r.invalid;
    if (opts.dry_run) throw Rollback{};
    committed = true;
  };
  try {
    co_await ctx_.db.transaction(in_tx);
  } catch (const Rollback&) {
  }
  auto& r = plan.report;
  bool failed = !opts.skip_invalid && r.invalid > 0;
  if (failed) {  // atomic: nothing was (or would be) written
    r.created = r.updated = r.unchanged = 0;
    r.skipped = r.rows;
  }
  if (committed) co_await assets_->changed();
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
