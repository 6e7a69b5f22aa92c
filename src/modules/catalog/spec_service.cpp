// Spec versions of asset categories (SPEC §4.4): draft → active → retired, one active per category
// (partial unique index), definitions editable only in a draft, publish retires the previous active
// version in the same transaction and reports the models that do not satisfy the new schema.
#include "modules/catalog/service.hpp"

namespace netops::catalog {

namespace {
constexpr const char* kOwner = "categoryId";

nlohmann::json defs_json(const std::vector<specs::FieldDef>& defs) {
  nlohmann::json out = nlohmann::json::array();
  for (auto& d : defs) out.push_back(specs::def_to_json(d));
  return out;
}

// Parses and checks one definition; every problem at once, keyed by the camelCase attribute.
specs::FieldDef checked(const nlohmann::json& body) {
  auto parsed = specs::def_from_json(body);
  Validation v;
  specs::report(parsed.issues, v);
  if (parsed.issues.empty()) specs::report(specs::validate_definition(parsed.def), v);
  v.throw_if_any("the field definition is invalid");
  return parsed.def;
}

nlohmann::json def_out(const specs::FieldDef& d, const std::string& version_id) {
  auto j = specs::def_to_json(d);
  j["versionId"] = version_id;
  return j;
}
}  // namespace

Task<nlohmann::json> SpecService::versions(const std::string& category_id) {
  auto category = co_await repo_.find_category(category_id);
  if (!category) throw NotFound("asset category");
  auto rows = co_await store_.versions(category_id);
  nlohmann::json out = nlohmann::json::array();
  for (auto& v : rows) out.push_back(to_json(v, kOwner));
  co_return out;
}

Task<nlohmann::json> SpecService::version(const std::string& id) {
  auto v = co_await store_.version(id);
  if (!v) throw NotFound("spec version");
  auto defs = co_await store_.defs(id);
  auto out = to_json(*v, kOwner);
  out["defs"] = defs_json(defs);
  co_return out;
}

Task<SpecVersion> SpecService::lock_draft(db::Tx& tx, const std::string& version_id) {
  auto v = co_await store_.version(version_id, &tx, true);
  if (!v) throw NotFound("spec version");
  if (v->status != "draft")
    throw Conflict("spec version " + std::to_string(v->version) + " is " + v->status +
                       "; definitions can only change in a draft (create one with POST /api/v1/asset-categories/" +
                       v->owner_id + "/spec-versions)",
                   {{"status", v->status}, {"versionId", v->id}});
  co_return *v;
}

Task<nlohmann::json> SpecService::create_draft(const std::string& category_id, Caller c) {
  nlohmann::json out;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {
    auto locked = co_await repo_.lock_category(tx, category_id);  // serialises version numbering
    if (!locked) throw NotFound("asset category");
    auto draft = co_await store_.with_status(tx, category_id, "draft");
    if (draft)
      throw Conflict("category already has a draft spec version (" + std::to_string(draft->version) +
                         "); edit or publish it, or delete it first",
                     {{"draftVersionId", draft->id}, {"version", draft->version}});
    auto active = co_await store_.with_status(tx, category_id, "active");
    std::optional<std::string> by = c.actor.user_id;
    auto created = co_await store_.create_version(tx, category_id, "draft", by);
    if (active) created.def_count = co_await store_.copy_defs(tx, active->id, created.id);
    out = to_json(created, kOwner);
    out["copiedFromVersionId"] = active ? nlohmann::json(active->id) : nlohmann::json();
    auto e = audit_entry(c.actor, "spec_version.created", "asset_spec_version:" + created.id, {{"after", out}},
                         c.request_id);
    co_await audit_.record(tx, e);
  };
  co_await ctx_.db.transaction(in_tx);
  co_return out;
}

Task<void> SpecService::delete_draft(const std::string& id, Caller c) {
  auto in_tx = [&](db::Tx& tx) -> Task<void> {
    auto v = co_await lock_draft(tx, id);
    co_await store_.delete_version(tx, id);
    auto e = audit_entry(c.actor, "spec_version.deleted", "asset_spec_version:" + id, {{"before", to_json(v, kOwner)}},
                         c.request_id);
    co_await audit_.record(tx, e);
  };
  co_await ctx_.db.transaction(in_tx);
}

Task<nlohmann::json> SpecService::publish(const std::string& id, Caller c) {
  nlohmann::json out;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {
    auto peek = co_await store_.version(id, &tx);
    if (!peek) throw NotFound("spec version");
    co_await repo_.lock_category(tx, peek->owner_id);  // category first, then version: one lock order
    auto v = co_await lock_draft(tx, id);
    auto defs = co_await store_.defs(id, &tx);
    auto issues = specs::validate_definitions(defs);
    if (!issues.empty()) {
      Validation val;
      specs::report(issues, val);
      val.throw_if_any("the draft's definitions are invalid");
    }
    auto active = co_await store_.with_status(tx, v.owner_id, "active");
    if (active) co_await store_.set_status(tx, active->id, "retired");
    co_await store_.set_status(tx, id, "active");
    v.status = "active";

    // Models keep the version they were validated against; the report says which ones would fail now.
    auto models = co_await models_.of_category(tx, v.owner_id);
    nlohmann::json failing = nlohmann::json::array();
    specs::ValidateOptions opts;
    opts.version = v.version;
    for (auto& m : models) {
      auto r = specs::validate_values(defs, m["spec"], opts);
      if (r.ok()) continue;
      nlohmann::json errors = nlohmann::json::array();
      for (auto& i : r.issues) errors.push_back({{"key", i.key}, {"issue", i.issue}});
      failing.push_back({{"id", m["id"]}, {"model", m["model"]}, {"brand", m["brand"]},
                         {"specVersionId", m["specVersionId"]}, {"errors", std::move(errors)}});
    }
    out = {{"version", to_json(v, kOwner)},
           {"retiredVersionId", active ? nlohmann::json(active->id) : nlohmann::json()},
           {"checkedModels", models.size()},
           {"nonConformingModels", failing}};
    auto e = audit_entry(c.actor, "spec_version.published", "asset_spec_version:" + id,
                         {{"categoryId", v.owner_id},
                          {"version", v.version},
                          {"retiredVersionId", out["retiredVersionId"]},
                          {"nonConformingModels", failing.size()}},
                         c.request_id);
    co_await audit_.record(tx, e);
  };
  co_await ctx_.db.transaction(in_tx);
  co_return out;
}

Task<nlohmann::json> SpecService::defs(const std::string& version_id) {
  auto v = co_await store_.version(version_id);
  if (!v) throw NotFound("spec version");
  auto defs = co_await store_.defs(version_id);
  nlohmann::json out = nlohmann::json::array();
  for (auto& d : defs) out.push_back(def_out(d, version_id));
  co_return out;
}

Task<nlohmann::json> SpecService::add_def(const std::string& version_id, const nlohmann::json& body, Caller c) {
  auto def = checked(body);
  nlohmann::json out;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {
    co_await lock_draft(tx, version_id);
    auto existing = co_await store_.defs(version_id, &tx);
    for (auto& d : existing)
      if (d.key == def.key)
        throw Conflict("a field with key '" + def.key + "' already exists in this version", {{"key", def.key}, {"id", d.id}});
    auto stored = co_await store_.insert_def(tx, version_id, def);
    out = def_out(stored, version_id);
    auto e = audit_entry(c.actor, "spec_def.created", "asset_spec_def:" + stored.id, {{"after", out}}, c.request_id);
    co_await audit_.record(tx, e);
  };
  co_await ctx_.db.transaction(in_tx);
  co_return out;
}

Task<nlohmann::json> SpecService::update_def(const std::string& id, const nlohmann::json& body, Caller c) {
  if (!body.is_object()) throw ValidationError("body", "must be a JSON object");
  nlohmann::json out;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {
    auto found = co_await store_.def(id, &tx);
    if (!found) throw NotFound("spec field definition");
    auto version_id = found->second;
    co_await lock_draft(tx, version_id);
    // Read again under the draft's lock: a concurrent delete may have committed in between.
    found = co_await store_.def(id, &tx);
    if (!found) throw NotFound("spec field definition");
    auto before = def_out(found->first, version_id);
    auto merged = specs::def_to_json(found->first);
    for (auto& [k, val] : body.items()) merged[k] = val;
    merged.erase("id");
    auto def = checked(merged);
    if (def.key != found->first.key) {
      auto existing = co_await store_.defs(version_id, &tx);
      for (auto& d : existing)
        if (d.key == def.key && d.id != id)
          throw Conflict("a field with key '" + def.key + "' already exists in this version", {{"key", def.key}});
    }
    auto stored = co_await store_.update_def(tx, id, def);
    out = def_out(stored, version_id);
    auto e = audit_entry(c.actor, "spec_def.updated", "asset_spec_def:" + id,
                         {{"before", before}, {"after", out}, {"changes", audit::changes(before, out)}}, c.request_id);
    co_await audit_.record(tx, e);
  };
  co_await ctx_.db.transaction(in_tx);
  co_return out;
}

Task<void> SpecService::delete_def(const std::string& id, Caller c) {
  auto in_tx = [&](db::Tx& tx) -> Task<void> {
    auto found = co_await store_.def(id, &tx);
    if (!found) throw NotFound("spec field definition");
    co_await lock_draft(tx, found->second);
    co_await store_.delete_def(tx, id);
    auto e = audit_entry(c.actor, "spec_def.deleted", "asset_spec_def:" + id,
                         {{"before", def_out(found->first, found->second)}}, c.request_id);
    co_await audit_.record(tx, e);
  };
  co_await ctx_.db.transaction(in_tx);
}

}  // namespace netops::catalog
