#include "modules/assets/import_plan.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "core/csv.hpp"
#include "core/text.hpp"

namespace netops::assets {

namespace {

std::string fold(std::string_view s) {
  std::string out;
  for (char c : s)
    if (!std::isspace(static_cast<unsigned char>(c))) out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// Header text → column. API names and snake_case, case-insensitive; references by name (or id).
std::optional<FileColumn> column_for(const std::string& header) {
  FileColumn fc;
  fc.header = header;
  auto h = fold(header);
  if (h.rfind("spec.", 0) == 0) {
    auto key = std::string(trim(std::string_view(header).substr(header.find('.') + 1)));
    if (key.empty()) return std::nullopt;
    fc.role = FileColumn::Role::spec;
    fc.spec_key = key;
    return fc;
  }
  if (h == "model" || h == "modelid" || h == "model_id" || h == "modelname") fc.role = FileColumn::Role::model;
  else if (h == "vendor" || h == "vendorid" || h == "vendor_id" || h == "vendorname") fc.role = FileColumn::Role::vendor;
  else if (h == "location" || h == "locationid" || h == "location_id" || h == "locationpath") fc.role = FileColumn::Role::location;
  else {
    for (auto& c : columns())
      if (h == fold(c.api) || h == c.snake) {
        fc.column = &c;
        return fc;
      }
    return std::nullopt;
  }
  return fc;
}

const char* ref_sql(FileColumn::Role r) {
  return r == FileColumn::Role::model ? "model_id" : r == FileColumn::Role::vendor ? "vendor_id" : "location_id";
}

// A spec cell agrees with the model's value: same text, or the same number however it is spelled.
bool same_spec_value(const nlohmann::json& model_value, std::string_view cell) {
  if (model_value.is_string()) return model_value.get<std::string>() == cell;
  if (model_value.is_number()) {
    double a = model_value.get<double>(), b = 0;
    auto [p, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), b);
    return ec == std::errc() && p == cell.data() + cell.size() && a == b;
  }
  return model_value.dump() == cell;  // booleans, arrays, objects as JSON text
}

}  // namespace

void ImportReport::add(RowError e) {
  ++error_count;
  if (errors.size() < kMaxReportedErrors) errors.push_back(std::move(e));
}

nlohmann::json ImportReport::to_json() const {
  nlohmann::json errs = nlohmann::json::array();
  for (auto& e : errors)
    errs.push_back({{"row", e.row}, {"line", e.line}, {"column", e.column.empty() ? nlohmann::json() : nlohmann::json(e.column)},
                    {"reason", e.reason}});
  return {{"dryRun", opts.dry_run},
          {"mode", opts.skip_invalid ? "skipInvalid" : "atomic"},
          {"upsertBy", opts.upsert ? nlohmann::json("assetCode") : nlohmann::json()},
          {"rows", rows},
          {"valid", valid},
          {"invalid", invalid},
          {"created", created},
          {"updated", updated},
          {"unchanged", unchanged},
          {"skipped", skipped},
          {"errorCount", error_count},
          {"errorsTruncated", error_count > errors.size()},
          {"errors", std::move(errs)}};
}

ParsedFile parse_file(std::string_view text, const ParseLimits& limits) {
  ParsedFile out;
  // PostgreSQL refuses text that is not UTF-8 (or holds NUL): say where, before anything else.
  if (auto at = invalid_text_at(text)) {
    auto line = static_cast<std::size_t>(std::count(text.begin(), text.begin() + static_cast<long>(*at), '\n')) + 1;
    out.fatal.push_back({0, line, "", "the file is not UTF-8 text (a byte that is not UTF-8, or NUL, at line " +
                                             std::to_string(line) + "): save it as UTF-8 CSV"});
    return out;
  }
  csv::Reader reader(text);
  reader.keep_at_most(limits.max_columns + 1);
  std::vector<std::string> fields;
  try {
    if (!reader.next(fields)) {
      out.fatal.push_back({1, 1, "", "the file is empty: a header row is required"});
      return out;
    }
    if (fields.size() > limits.max_columns) {
      out.fatal.push_back({1, reader.record_line(), "", "the header has more than " +
                                                            std::to_string(limits.max_columns) + " columns"});
      return out;
    }
    bool has_code = false;
    std::unordered_set<std::string> seen;
    for (auto& h : fields) {
      auto fc = column_for(h);
      if (!fc) {
        out.fatal.push_back({1, reader.record_line(), h, "unknown column"});
        continue;
      }
      std::string key = fc->column ? std::string(fc->column->sql)
                                   : fc->role == FileColumn::Role::spec ? "spec." + fc->spec_key : ref_sql(fc->role);
      if (!seen.insert(key).second) out.fatal.push_back({1, reader.record_line(), h, "duplicate column"});
      has_code |= key == "asset_code";
      out.columns.push_back(std::move(*fc));
    }
    if (!has_code) out.fatal.push_back({1, reader.record_line(), "assetCode", "the assetCode column is required"});
    // A record wider than the header is an error of its row: keep one field more than the header, so
    // the row is refused, and remember its true width for the message.
    reader.keep_at_most(out.columns.size() + 1);
    std::size_t cells = 0;
    while (reader.next(fields)) {
      if (out.records.size() >= limits.max_rows) {
        out.fatal.push_back({out.records.size() + 2, reader.record_line(), "",
                             "the file has more than " + std::to_string(limits.max_rows) +
                                 " data rows (NETOPS_IMPORT_MAX_ROWS): split it"});
        out.records.clear();
        out.lines.clear();
        return out;
      }
      cells += fields.size();
      if (cells > limits.max_cells) {
        out.fatal.push_back({out.records.size() + 2, reader.record_line(), "",
                             "the file has more than " + std::to_string(limits.max_cells) + " fields: split it"});
        out.records.clear();
        out.lines.clear();
        return out;
      }
      if (reader.fields_in_record() > fields.size()) out.widths[out.records.size()] = reader.fields_in_record();
      out.records.push_back(fields);
      out.lines.push_back(reader.record_line());
    }
  } catch (const csv::Error& e) {
    out.fatal.push_back({out.records.size() + 2, e.line(), "", "CSV syntax: " + e.message()});
  }
  return out;
}

ImportPlanner::ImportPlanner(const ParsedFile& file, const CsvNames& names,
                             const std::unordered_map<std::string, const Asset*>& existing,
                             const std::unordered_set<std::string>& assigned, const ImportOptions& opts)
    : file_(file), names_(names), existing_(existing), assigned_(assigned), opts_(opts) {
  Plan& plan = plan_;
  plan.report.opts = opts;
  plan.report.rows = file.records.size();
  for (auto& c : columns()) {  // the asset columns this file sets, in table order (asset_code first)
    for (auto& fc : file.columns) {
      bool sets = fc.column == &c || (fc.role != FileColumn::Role::asset && fc.role != FileColumn::Role::spec &&
                                      c.sql == ref_sql(fc.role));
      if (sets) plan.columns.push_back(&c);
    }
  }
  plan.rows.resize(file.records.size());
}

Plan plan_import(const ParsedFile& file, const CsvNames& names,
                 const std::unordered_map<std::string, const Asset*>& existing,
                 const std::unordered_set<std::string>& assigned, const ImportOptions& opts) {
  ImportPlanner planner(file, names, existing, assigned, opts);
  planner.rows(0, file.records.size());
  return std::move(planner.plan());
}

void ImportPlanner::rows(std::size_t from, std::size_t to) {
  const ParsedFile& file = file_;
  const CsvNames& names = names_;
  const auto& existing = existing_;
  const auto& assigned = assigned_;
  const ImportOptions& opts = opts_;
  Plan& plan = plan_;
  auto& first_row_of_code = first_row_of_code_;
  for (std::size_t i = from; i < to && i < file.records.size(); ++i) {
    const auto& rec = file.records[i];
    RowPlan rp;
    rp.row = i + 2;
    const std::size_t line = file.lines[i];
    bool ok = true;
    auto fail = [&](const std::string& column, std::string reason) {
      plan.report.add({rp.row, line, column, std::move(reason)});
      ok = false;
    };
    if (rec.size() != file.columns.size()) {
      auto wide = file.widths.find(i);
      std::size_t width = wide == file.widths.end() ? rec.size() : wide->second;
      fail("", "has " + std::to_string(width) + " fields, the header has " + std::to_string(file.columns.size()));
    } else {
      std::vector<std::pair<const FileColumn*, std::string_view>> specs;
      for (std::size_t k = 0; k < rec.size(); ++k) {
        const auto& fc = file.columns[k];
        const std::string& cell = rec[k];
        if (fc.role == FileColumn::Role::spec) {
          if (!trim(cell).empty()) specs.emplace_back(&fc, trim(cell));
          continue;
        }
        if (fc.role != FileColumn::Role::asset) {
          auto text = std::string(trim(cell));
          if (text.empty()) {
            rp.values[ref_sql(fc.role)] = std::nullopt;
            continue;
          }
          auto r = fc.role == FileColumn::Role::model    ? names.model(text)
                   : fc.role == FileColumn::Role::vendor ? names.vendor(text)
                                                         : names.location(text);
          if (r.id) rp.values[ref_sql(fc.role)] = *r.id;
          else fail(fc.header, r.error);
          continue;
        }
        const Column& c = *fc.column;
        bool blank = c.kind == Kind::note ? cell.empty() : trim(cell).empty();
        if (blank && c.kind == Kind::status) continue;  // default (new) or unchanged (existing)
        if (blank && c.kind != Kind::code) {            // an empty cell clears the field
          rp.values[std::string(c.sql)] = std::nullopt;
          continue;
        }
        auto checked = check_value(c, cell);
        if (!checked.ok()) fail(fc.header, checked.error);
        else rp.values[std::string(c.sql)] = checked.value;
      }
      auto code_it = rp.values.find("asset_code");
      const Asset* current = nullptr;
      if (code_it != rp.values.end() && code_it->second) {
        const std::string& code = *code_it->second;
        auto [first, inserted] = first_row_of_code.emplace(code, rp.row);
        if (!inserted) fail("assetCode", "duplicate assetCode in this file (first at row " + std::to_string(first->second) + ")");
        if (auto e = existing.find(code); e != existing.end()) {
          current = e->second;
          if (!opts.upsert) fail("assetCode", "already exists (import with upsertBy=assetCode to update existing assets)");
        }
      }
      // Spec values are the model's (assets have no spec of their own): a cell may only repeat them.
      auto model_it = rp.values.find("model_id");
      std::optional<std::string> model = model_it != rp.values.end() ? model_it->second
                                         : current                     ? current->get("model_id")
                                                                       : std::nullopt;
      for (auto& [fc, cell] : specs) {
        const nlohmann::json* spec = model ? names.model_spec(*model) : nullptr;
        if (!model) fail(fc->header, "spec values belong to the model, and this row has no model");
        else if (!spec || !spec->contains(fc->spec_key))
          fail(fc->header, "spec values belong to the model; model \"" + names.model_name(*model) + "\" has no " + fc->spec_key);
        else if (!same_spec_value((*spec)[fc->spec_key], cell))
          fail(fc->header, "spec values belong to the model; model \"" + names.model_name(*model) + "\" has " +
                               fc->spec_key + " = " + (*spec)[fc->spec_key].dump());
      }
      Values merged = current ? current->values : Values{};
      for (auto& [k, v] : rp.values) merged[k] = v;
      auto bought = merged.find("purchase_date"), ends = merged.find("warranty_end");
      if (ok && bought != merged.end() && ends != merged.end() && bought->second && ends->second &&
          *ends->second < *bought->second)  // ISO dates compare as text
        fail("warrantyEnd", "must not be before purchaseDate");
      if (ok && current) {
        rp.id = current->id;
        rp.changes = changes(current->values, rp.values);
        if (rp.changes.contains("status")) {
          auto from = current->status(), to = *merged["status"];
          if (!transition_allowed(from, to)) {
            std::string allowed;
            for (auto& s : allowed_next(from)) allowed += (allowed.empty() ? "" : ", ") + s;
            fail("status", "cannot change from " + from + " to " + to + " (allowed: " + (allowed.empty() ? "none" : allowed) + ")");
          } else if (requires_no_assignment(to) && assigned.count(current->id)) {
            fail("status", "the asset is assigned; return it before setting " + to);
          }
        }
      }
      if (ok) rp.action = !current ? RowPlan::Action::create
                          : rp.changes.empty() ? RowPlan::Action::unchanged
                                               : RowPlan::Action::update;
    }
    if (ok) ++plan.report.valid;
    else ++plan.report.invalid;
    if (!ok) rp.action = RowPlan::Action::invalid;
    event_payload(rp);
    plan.rows[i] = std::move(rp);
  }
}

void event_payload(RowPlan& rp) {
  if (rp.action == RowPlan::Action::create) {
    const nlohmann::json set = values_json(rp.values);
    nlohmann::json after = nlohmann::json::object();  // the fields the row sets; nulls say nothing new
    for (auto it = set.begin(); it != set.end(); ++it)
      if (!it->is_null()) after[it.key()] = *it;
    if (!after.contains("status")) after["status"] = "in_stock";
    rp.event = nlohmann::json{{"action", "created"}, {"row", rp.row}, {"after", std::move(after)}}.dump();
  } else if (rp.action == RowPlan::Action::update) {
    rp.event = nlohmann::json{{"action", "updated"}, {"row", rp.row}, {"changes", rp.changes}}.dump();
  }
}

std::vector<std::string> csv_header() {
  std::vector<std::string> out;
  for (auto& c : columns()) {
    if (c.sql == "model_id") out.emplace_back("model");
    else if (c.sql == "vendor_id") out.emplace_back("vendor");
    else if (c.sql == "location_id") out.emplace_back("location");
    else out.emplace_back(c.api);
  }
  return out;
}

std::vector<std::string> csv_record(const Asset& a, const CsvNames& names) {
  std::vector<std::string> out;
  out.reserve(columns().size());
  for (auto& c : columns()) {
    const auto& v = a.get(c.sql);
    if (!v) out.emplace_back();
    else if (c.sql == "model_id") out.push_back(names.model_text(*v));
    else if (c.sql == "vendor_id") out.push_back(names.vendor_text(*v));
    else if (c.sql == "location_id") out.push_back(names.location_text(*v));
    else out.push_back(*v);
  }
  return out;
}

}  // namespace netops::assets
