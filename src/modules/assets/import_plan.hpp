#pragma once
// The pure phases of the CSV import (SPEC §3): parse (RFC 4180 records, header → columns) and validate
// (every row, every column, against the CSV names snapshot and the existing rows). The result is a plan
// of what to create/update plus the per-row report; import_service.cpp applies it in one transaction.
// Failures of single rows are values in the report, not exceptions (DuckDB style).
//
// Rows are numbered like a spreadsheet shows them: the header is row 1, the first data row is row 2.
// `line` is the physical line where the record starts (differs when quoted fields hold line breaks).
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "modules/assets/csv_names.hpp"
#include "modules/assets/asset_rules.hpp"
#include "modules/assets/types.hpp"

namespace netops::assets {

struct ImportOptions {
  bool dry_run = false;
  bool skip_invalid = false;  // mode=skipInvalid; default mode=atomic
  bool upsert = false;        // upsertBy=assetCode
};

struct RowError {
  std::size_t row = 0, line = 0;  // 0: the file as a whole
  std::string column, reason;
};

inline constexpr std::size_t kMaxReportedErrors = 1000;

struct ImportReport {
  ImportOptions opts;
  std::size_t rows = 0, valid = 0, invalid = 0, created = 0, updated = 0, unchanged = 0, skipped = 0;
  std::vector<RowError> errors;  // the first kMaxReportedErrors
  std::size_t error_count = 0;
  void add(RowError e);
  nlohmann::json to_json() const;
};

struct FileColumn {
  enum class Role { asset, model, vendor, location, spec };
  std::string header;
  Role role = Role::asset;
  const Column* column = nullptr;  // Role::asset
  std::string spec_key;            // Role::spec
};

struct ParsedFile {
  std::vector<FileColumn> columns;
  std::vector<std::vector<std::string>> records;  // data records only (at most header + 1 fields kept)
  std::vector<std::size_t> lines;                 // start line of each data record
  std::unordered_map<std::size_t, std::size_t> widths;  // record index → its field count, when cut short
  std::vector<RowError> fatal;                    // header or CSV syntax problems: nothing is imported
};

// What one file may hold, so a 64 MiB body of commas or line breaks cannot take gigabytes as strings.
struct ParseLimits {
  std::size_t max_rows = 200'000;       // data records (NETOPS_IMPORT_MAX_ROWS)
  std::size_t max_columns = 256;        // header fields
  std::size_t max_cells = 16'000'000;   // fields kept over the whole file (≤ 0.5 GiB as strings)
};
ParsedFile parse_file(std::string_view text, const ParseLimits& limits = {});

struct RowPlan {
  enum class Action { create, update, unchanged, invalid };
  std::size_t row = 0;
  Action action = Action::invalid;
  Values values;               // the columns this file sets, canonical text
  std::string id;              // existing asset (update / unchanged)
  nlohmann::json changes;      // update: before/after of the changed fields
  std::string event;           // create/update: the IMPORTED event's payload (JSON text), see event_payload
};

struct Plan {
  std::vector<const Column*> columns;  // asset columns the file sets, asset_code first
  std::vector<RowPlan> rows;
  ImportReport report;                 // rows, valid, invalid, unchanged and the row errors
};

// Validates the rows of a file in consecutive ranges, so an import can write the rows validated so far
// while the next range is validated. plan().rows is sized for the whole file up front (a row's address
// never changes); a row is final once rows() covered it. Rows must be given in order, each once.
// existing: the assets of the file's codes, by code; assigned: ids of those with an open assignment.
class ImportPlanner {
 public:
  ImportPlanner(const ParsedFile& file, const CsvNames& names,
                const std::unordered_map<std::string, const Asset*>& existing,
                const std::unordered_set<std::string>& assigned, const ImportOptions& opts);
  // Validates the data records [from, to) (0-based) and fills their RowPlan::event (see event_payload).
  void rows(std::size_t from, std::size_t to);
  Plan& plan() { return plan_; }

 private:
  const ParsedFile& file_;
  const CsvNames& names_;
  const std::unordered_map<std::string, const Asset*>& existing_;
  const std::unordered_set<std::string>& assigned_;
  const ImportOptions opts_;
  Plan plan_;
  std::unordered_map<std::string, std::size_t> first_row_of_code_;
};

// The whole file at once: ImportPlanner over every row.
Plan plan_import(const ParsedFile& file, const CsvNames& names,
                 const std::unordered_map<std::string, const Asset*>& existing,
                 const std::unordered_set<std::string>& assigned, const ImportOptions& opts);

// Fills RowPlan::event of a row to create or update: {"action": "created", "row", "after": the fields
// the row sets} or {"action": "updated", "row", "changes"}. Pure and CPU-bound (100,000 JSON documents for a
// large file): ImportPlanner::rows runs it for the rows it validated, off the event loop.
void event_payload(RowPlan& row);

// The header row of the export, which the import reads back.
std::vector<std::string> csv_header();
// One exported record, in csv_header order, references as CSV names.
std::vector<std::string> csv_record(const Asset& a, const CsvNames& names);

}  // namespace netops::assets
