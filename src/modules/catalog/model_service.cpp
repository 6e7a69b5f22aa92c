// Asset models: spec values validated against the category's active spec version (or the version the
// caller names), every error at once keyed "spec.<key>"; list filters including spec.<key>=value on
// filterable fields, answered through `spec @> …` and the GIN index on asset_models.spec.
#include <algorithm>

#include "core/ids.hpp"
#include "core/text.hpp"
#include "core/json.hpp"
#include "modules/catalog/service.hpp"

namespace netops::catalog {

namespace {
const std::vector<TextField> kModelFields = {{"model", "model", 255, true}, {"brand", "brand", 255, false}};

struct ModelInput {
  ColumnValues text;
  std::optional<std::optional<std::string>> category_id, vendor_id, spec_version_id;
  std::optional<nlohmann::json> spec;
};

ModelInput parse(const nlohmann::json& body, bool creating) {
  Validation v;
  ModelInput in;
  in.text = read_text_fields(body, kModelFields, creating, v, {"categoryId", "vendorId", "specVersionId", "spec"});
  in.category_id = read_uuid(body, "categoryId", v);
  in.vendor_id = read_uuid(body, "vendorId", v);
  in.spec_version_id = read_uuid(body, "specVersionId", v);
  if (auto it = body.find("spec"); it != body.end()) {
    if (it->is_null()) in.spec = nlohmann::json::object();
    else if (it->is_object()) in.spec = *it;
    else v.add("spec", "must be an object");
  }
  v.throw_if_any();
  return in;
}

// The query value of spec.<key>=value as the JSON the field type stores.
nlohmann::json typed(const specs::FieldDef& d, const std::string& raw) {
  const auto& t = d.field_type;
  if (t == "number" || t == "integer" || t == "port" || t == "json") {
    auto j = parse_json(raw);
    if (!j.is_discarded() && (t == "json" || j.is_number())) return j;
    return raw;
  }
  if (t == "boolean") {
    if (raw == "true") return true;
    if (raw == "false") return false;
    return raw;
  }
  if (t == "multi_enum") return nlohmann::json::array({raw});
  return raw;
}
}  // namespace

Task<Page> ModelService::list(const http::Request& req, const http::Paging& p, const http::Sort& s) {
  ModelFilter f;
  Validation v;
  f.category_id = req.query("categoryId");
  f.vendor_id = req.query("vendorId");
  f.brand = req.query("brand");
  f.search = req.query("search");
  if (f.category_id && !is_uuid(*f.category_id)) v.add("categoryId", "must be a UUID");
  if (f.vendor_id && !is_uuid(*f.vendor_id)) v.add("vendorId", "must be a UUID");
  v.throw_if_any();
  for (const auto& qp : req.query_params) {
    const auto& name = qp.first;
    if (name.rfind("spec.", 0) != 0) continue;
    if (invalid_text_at(name)) {
      v.add("query", "parameter names must be UTF-8 text without NUL characters");
      continue;
    }
    const std::string raw = *req.query(name);  // 400 unless UTF-8 text
    auto key = name.substr(5);
    auto defs = co_await store_.active_filterable(key, f.category_id);
    if (defs.empty()) {
      v.add(name, "is not a filterable spec field" + std::string(f.category_id ? " of this category" : ""));
      continue;
    }
    std::vector<nlohmann::json> docs;
    std::vector<specs::Issue> issues;
    for (auto d : defs) {
      d.required = false;
      d.is_readonly = false;
      d.default_value = nullptr;
      auto value = typed(d, raw);
      auto r = specs::validate_values({d}, nlohmann::json{{key, value}});
      if (!r.ok()) {
        issues.insert(issues.end(), r.issues.begin(), r.issues.end());
        continue;
      }
      nlohmann::json doc = {{key, r.normalized[key]}};
      if (std::find(docs.begin(), docs.end(), doc) == docs.end()) docs.push_back(std::move(doc));
    }
    if (docs.empty()) specs::report(issues, v, "spec.");
    else f.spec_contains.push_back(std::move(docs));
  }
  v.throw_if_any();
  co_return co_await repo_.list(f, p, s);
}

Task<nlohmann::json> ModelService::get(const std::string& id) {
  auto m = co_await repo_.find(id);
  if (!m) throw NotFound("asset model");
  co_return *m;
}

namespace {
// Resolves the schema the model's spec is checked against and checks it (throws on any error).
// Returns the normalized spec.
Task<nlohmann::json> validate_spec(db::Tx& tx, CatalogRepo& catalog, SpecStore& store, ModelRow& row,
                                   bool version_given) {
  if (!row.category_id) {
    Validation v;
    if (version_given && row.spec_version_id) v.add("specVersionId", "needs a categoryId");
    if (!row.spec.empty()) v.add("spec", "a model without a category has no spec schema; set categoryId");
    v.throw_if_any();
    row.spec_version_id = std::nullopt;
    co_return row.spec;
  }
  auto category = co_await catalog.share_category(tx, *row.category_id);
  if (!category) throw Unprocessable("categoryId: no such asset category", {{"field", "categoryId"}});
  std::optional<SpecVersion> version;
  if (version_given && row.spec_version_id) {
    version = co_await store.version(*row.spec_version_id, &tx);
    if (!version || version->owner_id != *row.category_id)
      throw Unprocessable("specVersionId: not a spec version of this category", {{"field", "specVersionId"}});
    if (version->status == "draft")
      throw Unprocessable("specVersionId: a draft cannot validate models; publish it first",
                          {{"field", "specVersionId"}, {"status", "draft"}});
  } else {
    version = co_await store.with_status(tx, *row.category_id, "active");
    if (!version) throw Unprocessable("the category has no active spec version", {{"field", "categoryId"}});
  }
  auto defs = co_await store.defs(version->id, &tx);
  specs::ValidateOptions opts;
  opts.version = version->version;
  auto r = specs::validate_values(defs, row.spec, opts);
  if (!r.ok()) {
    Validation v;
    specs::report(r.issues, v, "spec.");
    v.throw_if_any("spec does not satisfy spec version " + std::to_string(version->version));
  }
  row.spec_version_id = version->id;
  co_return r.normalized;
}

void apply(ModelRow& row, const ModelInput& in) {
  for (auto& [column, value] : in.text) {
    if (column == "model") row.model = *value;
    if (column == "brand") row.brand = value;
  }
  if (in.category_id) row.category_id = *in.category_id;
  if (in.vendor_id) row.vendor_id = *in.vendor_id;
  if (in.spec_version_id) row.spec_version_id = *in.spec_version_id;
  if (in.spec) row.spec = *in.spec;
}
}  // namespace

Task<nlohmann::json> ModelService::create(const nlohmann::json& body, Caller c) {
  auto in = parse(body, true);
  nlohmann::json out;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {
    ModelRow row;
    apply(row, in);
    CatalogRepo catalog(ctx_.db);
    row.spec = co_await validate_spec(tx, catalog, store_, row, in.spec_version_id.has_value());
    auto id = co_await repo_.insert(tx, row);
    auto found = co_await repo_.find(id, &tx);
    out = *found;
    auto e = audit_entry(c.actor, "asset_model.created", "asset_model:" + id, {{"after", out}}, c.request_id);
    co_await audit_.record(tx, e);
  };
  co_await ctx_.db.transaction(in_tx);
  co_return out;
}

Task<nlohmann::json> ModelService::update(const std::string& id, const nlohmann::json& body, Caller c, IfMatch check) {
  auto in = parse(body, false);
  nlohmann::json after, before_category;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {
    auto before = co_await repo_.find(id, &tx, true);
    if (!before) throw NotFound("asset model");
    check(*before);
    before_category = before->value("categoryId", nlohmann::json());
    auto row = model_row(*before);
    apply(row, in);
    if (in.spec || in.category_id || in.spec_version_id) {
      CatalogRepo catalog(ctx_.db);
      row.spec = co_await validate_spec(tx, catalog, store_, row, in.spec_version_id.has_value());
    }
    co_await repo_.update(tx, id, row);
    auto found = co_await repo_.find(id, &tx);
    after = *found;
    auto e = audit_entry(c.actor, "asset_model.updated", "asset_model:" + id,
                         {{"before", *before}, {"after", after}, {"changes", audit::changes(*before, after)}},
                         c.request_id);
    co_await audit_.record(tx, e);
  };
  co_await ctx_.db.transaction(in_tx);
  if (after.value("categoryId", nlohmann::json()) != before_category) co_await asset_totals_changed(ctx_.redis);
  co_return after;
}

Task<void> ModelService::remove(const std::string& id, Caller c) {
  auto in_tx = [&](db::Tx& tx) -> Task<void> {
    auto before = co_await repo_.find(id, &tx, true);
    if (!before) throw NotFound("asset model");
    auto assets = co_await repo_.asset_count(tx, id);
    std::vector<Reference> refs{{"assets", "asset", "assets", assets}};
    refuse_if_referenced("asset model", refs);
    co_await repo_.remove(tx, id);
    auto e = audit_entry(c.actor, "asset_model.deleted", "asset_model:" + id, {{"before", *before}}, c.request_id);
    co_await audit_.record(tx, e);
  };
  co_await ctx_.db.transaction(in_tx);
}

}  // namespace netops::catalog
