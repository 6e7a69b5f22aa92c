// The CSV import (POST /api/v1/assets/import) up to the database: RFC 4180 records (core/csv), the header →
// columns and row limits (parse_file), and the validation plan of every row against a names snapshot, with
// and without existing assets (plan_import). Also: whatever the reader accepts, the writer writes back to
// the same records.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/csv.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "modules/assets/import_plan.hpp"
#include "support.hpp"

using namespace netops;

namespace {

void round_trip(std::string_view text) {
  std::vector<std::vector<std::string>> records;
  try {
    records = csv::parse(text);
  } catch (const csv::Error& e) {
    fuzz::check(e.line() >= 1, "csv::Error without a line");
    return;
  }
  std::string written;
  std::size_t kept = 0;
  for (auto& r : records) {
    if (r.size() == 1 && r[0].empty()) continue;  // writes as a blank line, which readers skip
    csv::append_record(written, r);
    ++kept;
  }
  auto again = csv::parse(written);
  fuzz::check(again.size() == kept, "written CSV reads back to another number of records");
  std::size_t i = 0;
  for (auto& r : records) {
    if (r.size() == 1 && r[0].empty()) continue;
    fuzz::check(again[i++] == r, "written CSV reads back to other fields");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  round_trip(text);

  assets::ParseLimits limits;
  limits.max_rows = 200;
  limits.max_columns = 32;
  limits.max_cells = 2000;
  auto file = assets::parse_file(text, limits);
  fuzz::check(file.records.size() <= limits.max_rows, "more rows kept than the limit");
  fuzz::check(file.records.size() == file.lines.size(), "records and lines differ");
  if (!file.fatal.empty()) {
    assets::ImportReport r;
    for (auto& e : file.fatal) r.add(e);
    fuzz::render_like_server(r.to_json());
    return 0;
  }
  for (auto& rec : file.records) fuzz::check(rec.size() <= file.columns.size() + 1, "a record kept too many fields");

  // An existing asset for each code the file names, so upserts, transitions and assignment checks run.
  std::vector<assets::Asset> stock;
  stock.reserve(file.records.size());
  std::unordered_map<std::string, const assets::Asset*> existing;
  std::unordered_set<std::string> assigned;
  for (std::size_t i = 0; i < file.records.size(); ++i) {
    for (std::size_t k = 0; k < file.columns.size() && k < file.records[i].size(); ++k) {
      const auto* col = file.columns[k].column;
      if (!col || col->sql != "asset_code" || file.records[i][k].empty() || i % 2) continue;
      assets::Asset a;
      a.id = "99999999-9999-4999-8999-9999999999" + std::to_string(10 + i % 90);
      a.values["asset_code"] = file.records[i][k];
      a.values["status"] = i % 4 ? "in_use" : "retired";
      a.values["model_id"] = "11111111-1111-4111-8111-111111111111";
      stock.push_back(std::move(a));
      existing[file.records[i][k]] = &stock.back();
      if (i % 3 == 0) assigned.insert(stock.back().id);
    }
  }
  for (bool upsert : {false, true}) {
    assets::ImportOptions opts;
    opts.upsert = upsert;
    opts.skip_invalid = upsert;
    auto plan = assets::plan_import(file, fuzz::csv_names(), upsert ? existing : decltype(existing){}, assigned, opts);
    fuzz::check(plan.rows.size() == file.records.size(), "a row was lost from the plan");
    fuzz::check(plan.report.valid + plan.report.invalid == file.records.size(), "valid + invalid != rows");
    for (auto& row : plan.rows) {
      if (row.action == assets::RowPlan::Action::invalid) continue;
      for (auto& [k, v] : row.values)
        if (v) fuzz::check(!invalid_text_at(*v), "a planned value is not clean text");
    }
    fuzz::render_like_server(plan.report.to_json());
  }
  return 0;
}
