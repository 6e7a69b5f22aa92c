#include "modules/catalog/spec_version_service.hpp"

#include "modules/catalog/catalog_body.hpp"

namespace netops::catalog {

Task<std::vector<SpecVersion>> SpecVersionService::versions(const std::string& category_id) {
  auto category = co_await categories_.find(category_id);
  if (!category) throw NotFound("asset category");
  co_return co_await repo_.versions(category_id);
}

Task<SpecVersionDetail> SpecVersionService::version(const std::string& id) {
  auto v = co_await repo_.version(id);
  if (!v) throw NotFound("spec version");
  auto defs = co_await repo_.defs(id);
  co_return SpecVersionDetail{*v, std::move(defs)};
}

Task<SpecVersion> SpecVersionService::lock_draft(db::Tx& tx, const std::string& version_id) {
  auto v = co_await repo_.version(version_id, &tx, true);
  if (!v) throw NotFound("spec version");
  if (v->status != "draft")
    throw Conflict("spec version " + std::to_string(v->version) + " is " + v->status +
                       "; definitions can only change in a draft (create one with POST /api/v1/asset-categories/" +
                       v->owner_id + "/spec-versions)",
                   {{"status", v->status}, {"versionId", v->id}});
  co_return *v;
}

Task<SpecDraft> SpecVersionService::create_draft(const std::string& category_id, const Caller& by) {
  SpecDraft out;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {  // named: GCC 12 mishandles temporaries in co_await
    auto locked = co_await categories_.lock(tx, category_id);  // serialises version numbering
    if (!locked) throw NotFound("asset category");
    auto draft = co_await repo_.with_status(tx, category_id, "draft");
    if (draft)
      throw Conflict("category already has a draft spec version (" + std::to_string(draft->version) +
                         "); edit or publish it, or delete it first",
                     {{"draftVersionId", draft->id}, {"version", draft->version}});
    auto active = co_await repo_.with_status(tx, category_id, "active");
    std::optional<std::string> created_by = by.user_id;
    auto created = co_await repo_.create_version(tx, category_id, "draft", created_by);
    if (active) created.def_count = co_await repo_.copy_defs(tx, active->id, created.id);
    out = SpecDraft{created, active ? std::optional<std::string>(active->id) : std::nullopt};
    nlohmann::json details = {{"after", to_json(out)}};
    std::string resource = "asset_spec_version:" + created.id;
    std::string action = "spec_version.created";
    co_await audit_->record(tx, by, std::move(action), std::move(resource), std::move(details));
  };
  co_await ctx_.db.transaction(in_tx);
  co_return out;
}

Task<void> SpecVersionService::delete_draft(const std::string& id, const Caller& by) {
  auto in_tx = [&](db::Tx& tx) -> Task<void> {
    auto v = co_await lock_draft(tx, id);
    co_await repo_.delete_version(tx, id);
    nlohmann::json details = {{"before", to_json(v, kSpecOwner)}};
    std::string resource = "asset_spec_version:" + id;
    std::string action = "spec_version.deleted";
    co_await audit_->record(tx, by, std::move(action), std::move(resource), std::move(details));
  };
  co_await ctx_.db.transaction(in_tx);
}

Task<PublishReport> SpecVersionService::publish(const std::string& id, const Caller& by) {
  PublishReport out;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {
    auto peek = co_await repo_.version(id, &tx);
    if (!peek) throw NotFound("spec version");
    co_await categories_.lock(tx, peek->owner_id);  // category first, then version: one lock order
    auto v = co_await lock_draft(tx, id);
    auto defs = co_await repo_.defs(id, &tx);
    auto issues = specs::validate_definitions(defs);
    if (!issues.empty()) {
      Validation val;
      specs::report(issues, val);
      val.throw_if_any("the draft's definitions are invalid");
    }
    auto active = co_await repo_.with_status(tx, v.owner_id, "active");
    if (active) co_await repo_.set_status(tx, active->id, "retired");
    co_await repo_.set_status(tx, id, "active");
    v.status = "active";

    // Models keep the version they were validated against; the report says which ones would fail now.
    auto models = co_await models_.of_category(tx, v.owner_id);
    PublishReport report{v, active ? std::optional<std::string>(active->id) : std::nullopt, models.size(), {}};
    specs::ValidateOptions opts;
    opts.version = v.version;
    for (auto& m : models) {
      auto r = specs::validate_values(defs, m.spec, opts);
      if (r.ok()) continue;
      report.non_conforming.push_back(NonConformingModel{m.id, m.model, m.brand, m.spec_version_id, r.issues});
    }
    out = std::move(report);
    nlohmann::json details = {{"categoryId", v.owner_id},
                              {"version", v.version},
                              {"retiredVersionId", to_json(out)["retiredVersionId"]},
                              {"nonConformingModels", out.non_conforming.size()}};
    std::string resource = "asset_spec_version:" + id;
    std::string action = "spec_version.published";
    co_await audit_->record(tx, by, std::move(action), std::move(resource), std::move(details));
  };
  co_await ctx_.db.transaction(in_tx);
  co_return out;
}

Task<std::vector<SpecDef>> SpecVersionService::defs(const std::string& version_id) {
  auto v = co_await repo_.version(version_id);
  if (!v) throw NotFound("spec version");
  auto defs = co_await repo_.defs(version_id);
  std::vector<SpecDef> out;
  for (auto& d : defs) out.push_back(SpecDef{d, version_id});
  co_return out;
}

Task<SpecDef> SpecVersionService::add_def(const std::string& version_id, const specs::FieldDef& def,
                                          const Caller& by) {
  SpecDef out;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {
    co_await lock_draft(tx, version_id);
    auto existing = co_await repo_.defs(version_id, &tx);
    for (auto& d : existing)
      if (d.key == def.key)
        throw Conflict("a field with key '" + def.key + "' already exists in this version",
                       {{"key", def.key}, {"id", d.id}});
    auto stored = co_await repo_.insert_def(tx, version_id, def);
    out = SpecDef{stored, version_id};
    nlohmann::json details = {{"after", to_json(out)}};
    std::string resource = "asset_spec_def:" + stored.id;
    std::string action = "spec_def.created";
    co_await audit_->record(tx, by, std::move(action), std::move(resource), std::move(details));
  };
  co_await ctx_.db.transaction(in_tx);
  co_return out;
}

Task<SpecDef> SpecVersionService::update_def(const std::string& id, const SpecDefPatch& patch, const Caller& by) {
  SpecDef out;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {
    auto found = co_await repo_.def(id, &tx);
    if (!found) throw NotFound("spec field definition");
    auto version_id = found->second;
    co_await lock_draft(tx, version_id);
    // Read again under the draft's lock: a concurrent delete may have committed in between.
    found = co_await repo_.def(id, &tx);
    if (!found) throw NotFound("spec field definition");
    auto before = to_json(SpecDef{found->first, version_id});
    auto merged = specs::def_to_json(found->first);
    for (auto& [k, val] : patch.attributes.items()) merged[k] = val;
    merged.erase("id");
    auto def = parse_spec_def(merged);
    if (def.key != found->first.key) {
      auto existing = co_await repo_.defs(version_id, &tx);
      for (auto& d : existing)
        if (d.key == def.key && d.id != id)
          throw Conflict("a field with key '" + def.key + "' already exists in this version", {{"key", def.key}});
    }
    auto stored = co_await repo_.update_def(tx, id, def);
    out = SpecDef{stored, version_id};
    auto after = to_json(out);
    nlohmann::json details = {{"before", before}, {"after", after}, {"changes", audit::changes(before, after)}};
    std::string resource = "asset_spec_def:" + id;
    std::string action = "spec_def.updated";
    co_await audit_->record(tx, by, std::move(action), std::move(resource), std::move(details));
  };
  co_await ctx_.db.transaction(in_tx);
  co_return out;
}

Task<void> SpecVersionService::delete_def(const std::string& id, const Caller& by) {
  auto in_tx = [&](db::Tx& tx) -> Task<void> {
    auto found = co_await repo_.def(id, &tx);
    if (!found) throw NotFound("spec field definition");
    co_await lock_draft(tx, found->second);
    co_await repo_.delete_def(tx, id);
    nlohmann::json details = {{"before", to_json(SpecDef{found->first, found->second})}};
    std::string resource = "asset_spec_def:" + id;
    std::string action = "spec_def.deleted";
    co_await audit_->record(tx, by, std::move(action), std::move(resource), std::move(details));
  };
  co_await ctx_.db.transaction(in_tx);
}

}  // namespace netops::catalog
