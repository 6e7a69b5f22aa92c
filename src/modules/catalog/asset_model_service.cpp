#include "modules/catalog/asset_model_service.hpp"

#include <algorithm>

#include "core/json.hpp"
#include "modules/assets/asset_totals.hpp"
#include "modules/audit/audited.hpp"

namespace netops::catalog {

namespace {

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

void apply(AssetModel& m, const AssetModelInput& in) {
  if (in.model) m.model = *in.model;
  if (in.brand) m.brand = *in.brand;
  if (in.category_id) m.category_id = *in.category_id;
  if (in.vendor_id) m.vendor_id = *in.vendor_id;
  if (in.spec_version_id) m.spec_version_id = *in.spec_version_id;
  if (in.spec) m.spec = *in.spec;
}

}  // namespace

Task<db::Page<AssetModel>> AssetModelService::list(AssetModelFilter f, const db::PageRequest& p, const db::Sort& s) {
  Validation v;
  for (const auto& sv : f.spec_values) {
    if (!sv.raw) {
      v.add("query", "parameter names must be UTF-8 text without NUL characters");
      continue;
    }
    const auto& key = sv.key;
    const auto name = "spec." + key;
    auto defs = co_await versions_.active_filterable(key, f.category_id);
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
      auto value = typed(d, *sv.raw);
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

Task<AssetModel> AssetModelService::get(const std::string& id) {
  auto m = co_await repo_.find(id);
  if (!m) throw NotFound("asset model");
  co_return *m;
}

Task<nlohmann::json> AssetModelService::validate_spec(db::Tx& tx, AssetModel& m, bool version_given) {
  if (!m.category_id) {
    Validation v;
    if (version_given && m.spec_version_id) v.add("specVersionId", "needs a categoryId");
    if (!m.spec.empty()) v.add("spec", "a model without a category has no spec schema; set categoryId");
    v.throw_if_any();
    m.spec_version_id = std::nullopt;
    co_return m.spec;
  }
  auto category = co_await categories_.share(tx, *m.category_id);
  if (!category) throw Unprocessable("categoryId: no such asset category", {{"field", "categoryId"}});
  std::optional<SpecVersion> version;
  if (version_given && m.spec_version_id) {
    version = co_await versions_.version(*m.spec_version_id, &tx);
    if (!version || version->owner_id != *m.category_id)
      throw Unprocessable("specVersionId: not a spec version of this category", {{"field", "specVersionId"}});
    if (version->status == "draft")
      throw Unprocessable("specVersionId: a draft cannot validate models; publish it first",
                          {{"field", "specVersionId"}, {"status", "draft"}});
  } else {
    version = co_await versions_.with_status(tx, *m.category_id, "active");
    if (!version) throw Unprocessable("the category has no active spec version", {{"field", "categoryId"}});
  }
  auto defs = co_await versions_.defs(version->id, &tx);
  specs::ValidateOptions opts;
  opts.version = version->version;
  auto r = specs::validate_values(defs, m.spec, opts);
  if (!r.ok()) {
    Validation v;
    specs::report(r.issues, v, "spec.");
    v.throw_if_any("spec does not satisfy spec version " + std::to_string(version->version));
  }
  m.spec_version_id = version->id;
  co_return r.normalized;
}

Task<AssetModel> AssetModelService::create(const AssetModelInput& in, const Caller& by) {
  AssetModel out;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {  // named: GCC 12 mishandles temporaries in co_await
    audit::Change change{"asset_model.created", "asset_model", ""};
    audit::Insert<AssetModel> insert = [&](db::Tx& t) -> Task<AssetModel> {
      AssetModel m;
      apply(m, in);
      m.spec = co_await validate_spec(t, m, in.spec_version_id.has_value());
      auto id = co_await repo_.insert(t, m);
      auto found = co_await repo_.find(id, &t);
      co_return *found;
    };
    std::function<std::string(const AssetModel&)> id_of = [](const AssetModel& m) { return m.id; };
    out = co_await audit::audited_create(tx, *audit_, by, change, insert, id_of);
  };
  co_await ctx_.db.transaction(in_tx);
  co_return out;
}

Task<AssetModel> AssetModelService::update(const std::string& id, const AssetModelInput& in,
                                           const std::optional<std::string>& expected_etag, const Caller& by) {
  AssetModel out;
  std::optional<std::string> before_category;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {
    nlohmann::json before, after;
    audit::Change change{"asset_model.updated", "asset_model", id, expected_etag};
    change.annotate = [&](nlohmann::json& d) {  // the catalog's audit rows carry both states
      d["before"] = before;
      d["after"] = after;
    };
    audit::Lock<AssetModel> lock = [&](db::Tx& t) -> Task<std::optional<AssetModel>> {
      auto m = co_await repo_.find(id, &t, true);
      if (!m) throw NotFound("asset model");
      co_return m;
    };
    audit::Write<AssetModel> write = [&](db::Tx& t, const AssetModel& current) -> Task<AssetModel> {
      before = to_json(current);
      before_category = current.category_id;
      AssetModel m = current;
      if (!m.spec.is_object()) m.spec = nlohmann::json::object();
      apply(m, in);
      if (in.spec || in.category_id || in.spec_version_id)
        m.spec = co_await validate_spec(t, m, in.spec_version_id.has_value());
      co_await repo_.update(t, id, m);
      auto found = co_await repo_.find(id, &t);
      after = to_json(*found);
      co_return *found;
    };
    out = co_await audit::audited_update(tx, *audit_, by, change, lock, write);
  };
  co_await ctx_.db.transaction(in_tx);
  if (out.category_id != before_category) co_await assets::totals_changed(ctx_.redis);
  co_return out;
}

Task<void> AssetModelService::remove(const std::string& id, const Caller& by) {
  auto in_tx = [&](db::Tx& tx) -> Task<void> {
    audit::Change change{"asset_model.deleted", "asset_model", id};
    audit::Lock<AssetModel> lock = [&](db::Tx& t) -> Task<std::optional<AssetModel>> {
      auto m = co_await repo_.find(id, &t, true);
      if (!m) throw NotFound("asset model");
      co_return m;
    };
    audit::Remove<AssetModel> remove = [&](db::Tx& t, const AssetModel&) -> Task<void> {
      auto assets = co_await repo_.asset_count(t, id);
      std::vector<Reference> refs{{"assets", "asset", "assets", assets}};
      refuse_if_referenced("asset model", refs);
      co_await repo_.remove(t, id);
    };
    co_await audit::audited_delete(tx, *audit_, by, change, lock, remove);
  };
  co_await ctx_.db.transaction(in_tx);
}

}  // namespace netops::catalog
