#include "modules/warehouse/warehouse_body.hpp"

#include <re2/re2.h>

#include "core/error.hpp"
#include "http/body.hpp"

namespace netops::warehouse {

using http::BodyReader;
using nlohmann::json;

namespace {

void text_col(BodyReader& b, const char* f, const char* col, std::size_t max, Columns& cols) {
  std::string v;
  b.text(f, v, max);
  if (!v.empty()) cols.emplace_back(col, v);
}

void opt_text_col(BodyReader& b, const char* f, const char* col, std::size_t max, Columns& cols) {
  if (!b.has(f)) return;
  std::optional<std::string> v;
  b.opt_text(f, v, max);
  cols.emplace_back(col, v);
}

bool code_ok(const std::string& code) {
  static const RE2 kCode(R"([A-Za-z0-9][A-Za-z0-9._/-]{0,63})");
  return RE2::FullMatch(code, kCode);
}

}  // namespace

std::optional<std::string> parse_amount(const json& j, int scale) {
  std::string text;
  if (j.is_number_integer() || j.is_number_unsigned()) text = j.dump();
  else if (j.is_number_float()) text = j.dump();
  else if (j.is_string()) text = j.get<std::string>();
  else return std::nullopt;
  static const RE2 k2(R"(\d{1,10}(\.\d{1,2})?)");
  static const RE2 k4(R"(\d{1,10}(\.\d{1,4})?)");
  if (!RE2::FullMatch(text, scale <= 2 ? k2 : k4)) return std::nullopt;
  return text;
}

ItemInput parse_warehouse(const json& body, bool creating) {
  Validation v;
  BodyReader b(body, v, creating);
  ItemInput in;
  text_col(b, "code", "code", 64, in.columns);
  if (auto* c = b.get("code"); c && c->is_string() && !c->get<std::string>().empty() && !code_ok(c->get<std::string>()))
    v.add("code", "must be 1-64 letters, digits, '.', '_', '/' or '-', starting with a letter or digit");
  text_col(b, "name", "name", 255, in.columns);
  std::optional<std::optional<std::string>> location;
  b.uuid("locationId", location);
  if (location) in.columns.emplace_back("location_id", *location);
  b.only({"code", "name", "locationId"}, {"id", "createdAt"});
  v.throw_if_any();
  return in;
}

ItemInput parse_part(const json& body, bool creating) {
  Validation v;
  json copy = body;
  // "code" is accepted for "partCode" (the representation carries both).
  if (copy.is_object() && copy.contains("code") && !copy.contains("partCode")) copy["partCode"] = copy["code"];
  if (copy.is_object()) copy.erase("code");
  BodyReader b(copy, v, creating);
  ItemInput in;
  text_col(b, "partCode", "part_code", 64, in.columns);
  if (auto* c = b.get("partCode");
      c && c->is_string() && !c->get<std::string>().empty() && !code_ok(c->get<std::string>()))
    v.add("partCode", "must be 1-64 letters, digits, '.', '_', '/' or '-', starting with a letter or digit");
  text_col(b, "name", "name", 255, in.columns);
  opt_text_col(b, "category", "category", 100, in.columns);
  if (b.has("uom")) text_col(b, "uom", "uom", 20, in.columns);
  opt_text_col(b, "manufacturer", "manufacturer", 255, in.columns);
  opt_text_col(b, "model", "model", 255, in.columns);
  if (b.has("spec")) {
    json spec = json::object();
    b.object("spec", spec);
    if (spec.dump().size() > 16384) v.add("spec", "must be at most 16 KiB of JSON");
    in.columns.emplace_back("spec", spec.dump());
  }
  if (b.has("minLevel")) {
    std::optional<int> min_level;
    b.opt_integer("minLevel", min_level, 0, 1000000000);
    if (b.get("minLevel")->is_null()) v.add("minLevel", "must be an integer between 0 and 1000000000");
    if (min_level) in.columns.emplace_back("min_level", std::to_string(*min_level));
  }
  b.only({"partCode", "name", "category", "uom", "manufacturer", "model", "spec", "minLevel"}, {"id", "createdAt"});
  v.throw_if_any();
  return in;
}

LineInput parse_line(const json& body, bool creating, const std::string& prefix) {
  Validation inner;
  BodyReader b(body, inner, creating);
  LineInput in;
  if (!body.is_object()) inner.add("", "must be an object");
  std::optional<std::optional<std::string>> part;
  b.uuid("partId", part);
  if (part) {
    if (!*part) inner.add("partId", "must be a UUID");
    else in.part_id = **part;
  } else if (creating) {
    inner.add("partId", "is required");
  }
  if (b.has("qty")) {
    std::optional<int> qty;
    b.opt_integer("qty", qty, 1, 1000000);
    if (!qty && b.get("qty")->is_null()) inner.add("qty", "must be an integer between 1 and 1000000");
    in.qty = qty;
  } else if (creating) {
    inner.add("qty", "is required");
  }
  if (auto* c = b.get("unitCost")) {
    if (c->is_null()) in.unit_cost = std::optional<std::string>();
    else if (auto a = parse_amount(*c, 2)) in.unit_cost = std::optional<std::string>(*a);
    else inner.add("unitCost", "must be an amount ≥ 0 with at most 2 decimals");
  }
  auto opt = [&b](const char* f, std::size_t max, std::optional<std::optional<std::string>>& out) {
    if (!b.has(f)) return;
    std::optional<std::string> v;
    b.opt_text(f, v, max);
    out = v;
  };
  opt("serialNo", 255, in.serial_no);
  opt("note", 2000, in.note);
  if (b.has("adjustDirection")) {
    std::optional<std::string> d;
    b.opt_one_of("adjustDirection", d, {"plus", "minus"});
    in.adjust_direction = d;
  }
  b.only({"partId", "qty", "unitCost", "serialNo", "note", "adjustDirection"}, {"id", "documentId", "part"});
  Validation v;
  for (auto& e : inner.errors()) v.add(prefix + e["field"].get<std::string>(), e["issue"].get<std::string>());
  v.throw_if_any();
  return in;
}

DocumentInput parse_document(const json& body, bool creating) {
  Validation v;
  BodyReader b(body, v, creating);
  DocumentInput in;
  std::string type;
  b.one_of("docType", type, {"receipt", "issue", "adjust", "transfer"}, creating);
  if (!type.empty()) in.doc_type = type;
  if (b.has("code")) {
    std::string code;
    b.text("code", code, 64);
    if (!code.empty() && !code_ok(code))
      v.add("code", "must be 1-64 letters, digits, '.', '_', '/' or '-', starting with a letter or digit");
    if (!code.empty()) in.code = code;
  }
  std::optional<std::optional<std::string>> wh, target, ref_id;
  b.uuid("warehouseId", wh);
  if (wh) in.warehouse_id = wh;
  else if (creating) v.add("warehouseId", "is required");
  b.uuid("targetWarehouseId", target);
  if (target) in.target_warehouse_id = target;
  if (auto* d = b.get("docDate")) {
    static const RE2 kDate(R"(\d{4}-\d{2}-\d{2})");
    if (!d->is_string() || !RE2::FullMatch(d->get<std::string>(), kDate)) v.add("docDate", "must be a date YYYY-MM-DD");
    else in.doc_date = d->get<std::string>();
  }
  auto opt = [&b](const char* f, std::size_t max, std::optional<std::optional<std::string>>& out) {
    if (!b.has(f)) return;
    std::optional<std::string> val;
    b.opt_text(f, val, max);
    out = val;
  };
  opt("note", 2000, in.note);
  opt("refType", 64, in.ref_type);
  b.uuid("refId", ref_id);
  if (ref_id) in.ref_id = ref_id;
  if (auto* lines = b.get("lines")) {
    if (!lines->is_array()) {
      v.add("lines", "must be an array of lines");
    } else if (lines->size() > kMaxLines) {
      v.add("lines", "at most " + std::to_string(kMaxLines) + " lines");
    } else {
      std::vector<LineInput> out;
      for (std::size_t i = 0; i < lines->size(); ++i) {
        try {
          out.push_back(parse_line((*lines)[i], true, "lines[" + std::to_string(i) + "]."));
        } catch (const AppError& e) {
          for (auto& err : e.details().value("errors", json::array()))
            v.add(err["field"].get<std::string>(), err["issue"].get<std::string>());
        }
      }
      in.lines = std::move(out);
    }
  }
  b.only({"docType", "code", "warehouseId", "targetWarehouseId", "docDate", "note", "refType", "refId", "lines"},
         {"id", "status", "createdAt", "updatedAt", "postedAt", "createdBy", "approvedBy", "reversalOfId",
          "reversedById"});
  v.throw_if_any();
  return in;
}

}  // namespace netops::warehouse
