#include "modules/catalog/spec_version_service.hpp"

#include "modules/audit/audited.hpp"
#include "modules/catalog/asset_category_repo.hpp"
#include "modules/catalog/asset_model_repo.hpp"
#include "modules/catalog/catalog_body.hpp"

namespace netops::catalog {

namespace {
nlohmann::json opt_json(const std::optional<std::string>& v) { return v ? nlohmann::json(*v) : nlohmann::json(); }

std::string replace_id(std::string path, const std::string& id) {
  if (auto at = path.find("{id}"); at != std::string::npos) path.replace(at, 4, id);
  return path;
}
}  // namespace

SpecOwner category_spec_owner(db::Db& db, std::shared_ptr<audit::AuditService> audit) {
  auto categories = std::make_shared<AssetCategoryRepo>(db);
  auto models = std::make_shared<AssetModelRepo>(db);
  SpecOwner o;
  o.tables = SpecVersionRepo::asset_categories();
  o.noun = "asset category";
  o.owner_key = kSpecOwner;
  o.subjects = "Models";
  o.subject_version_key = "specVersionId";
  o.drafts_path = "/api/v1/asset-categories/{id}/spec-versions";
  o.exists = [categories](const std::string& id) -> Task<bool> {
    auto found = co_await categories->find(id);
    co_return found.has_value();
  };
  o.lock_owner = [categories](db::Tx& tx, const std::string& id) -> Task<bool> {
    co_return co_await categories->lock(tx, id);
  };
  o.subjects_of = [models](db::Tx& tx, const std::string& id) -> Task<std::vector<SpecSubject>> {
    auto rows = co_await models->of_category(tx, id);
    std::vector<SpecSubject> out;
    for (auto& m : rows)
      out.push_back(SpecSubject{m.id, {{"model", m.model}, {"brand", opt_json(m.brand)}}, m.spec, m.spec_version_id});
    co_return out;
  };
  o.record = [audit](db::Tx& tx, const Caller& by, const SpecChange& c) -> Task<void> {
    std::string resource = (c.kind == "def" ? "asset_spec_def:" : "asset_spec_version:") + c.id;
    std::string action = c.action;
    nlohmann::json details = c.details;
    co_await audit->record(tx, by, std::move(action), std::move(resource), std::move(details));
  };
  return o;
}

nlohmann::json SpecVersionService::to_json(const SpecVersion& v) const {
  return catalog::to_json(v, owner_.owner_key.c_str());
}

nlohmann::json SpecVersionService::to_json(const SpecVersionDetail& d) const {
  auto out = to_json(d.version);
  out["defs"] = nlohmann::json::array();
  for (auto& def : d.defs) out["defs"].push_back(specs::def_to_json(def));
  return out;
}

nlohmann::json SpecVersionService::to_json(const SpecDraft& d) const {
  auto out = to_json(d.version);
  out["copiedFromVersionId"] = opt_json(d.copied_from_version_id);
  return out;
}

nlohmann::json SpecVersionService::to_json(const SpecPublish& r) const {
  nlohmann::json failing = nlohmann::json::array();
  for (auto& n : r.non_conforming) {
    nlohmann::json errors = nlohmann::json::array();
    for (auto& i : n.errors) errors.push_back({{"key", i.key}, {"issue", i.issue}});
    nlohmann::json row = n.subject.identity;
    row["id"] = n.subject.id;
    row[owner_.subject_version_key] = opt_json(n.subject.version_id);
    row["errors"] = std::move(errors);
    failing.push_back(std::move(row));
  }
  return {{"version", to_json(r.version)},
          {"retiredVersionId", opt_json(r.retired_version_id)},
          {"checked" + owner_.subjects, r.checked},
          {"nonConforming" + owner_.subjects, std::move(failing)}};
}

Task<std::vector<SpecVersion>> SpecVersionService::versions(const std::string& owner_id) {
  auto found = co_await owner_.exists(owner_id);
  if (!found) throw NotFound(owner_.noun);
  co_return co_await repo_.versions(owner_id);
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
                       "; definitions can only change in a draft (create one with POST " +
                       replace_id(owner_.drafts_path, v->owner_id) + ")",
                   {{"status", v->status}, {"versionId", v->id}});
  co_return *v;
}

Task<SpecVersion> SpecVersionService::create_first(db::Tx& tx, const std::string& owner_id,
                                                   const std::vector<specs::FieldDef>& defs, const Caller& by) {
  if (!defs.empty()) {
    auto issues = specs::validate_definitions(defs);
    if (!issues.empty()) {
      Validation val;
      specs::report(issues, val);
      val.throw_if_any("the definitions are invalid");
    }
  }
  std::optional<std::string> created_by = by.user_id;
  std::string status = defs.empty() ? "draft" : "active";
  auto created = co_await repo_.create_version(tx, owner_id, status, created_by);
  for (auto& d : defs) {
    auto stored = co_await repo_.insert_def(tx, created.id, d);
    (void)stored;
  }
  created.def_count = static_cast<long long>(defs.size());
  SpecChange change{"version", "spec_version.created", created.id, owner_id, {{"after", to_json(created)}}};
  co_await owner_.record(tx, by, change);
  co_return created;
}

Task<SpecDraft> SpecVersionService::create_draft(const std::string& owner_id, const Caller& by) {
  SpecDraft out;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {  // named: GCC 12 mishandles temporaries in co_await
    auto locked = co_await owner_.lock_owner(tx, owner_id);  // serialises version numbering
    if (!locked) throw NotFound(owner_.noun);
    auto draft = co_await repo_.with_status(tx, owner_id, "draft");
    if (draft)
      throw Conflict(owner_.noun + " already has a draft version (" + std::to_string(draft->version) +
                         "); edit or publish it, or delete it first",
                     {{"draftVersionId", draft->id}, {"version", draft->version}});
    auto active = co_await repo_.with_status(tx, owner_id, "active");
    std::optional<std::string> created_by = by.user_id;
    auto created = co_await repo_.create_version(tx, owner_id, "draft", created_by);
    if (active) created.def_count = co_await repo_.copy_defs(tx, active->id, created.id);
    out = SpecDraft{created, active ? std::optional<std::string>(active->id) : std::nullopt};
    SpecChange change{"version", "spec_version.created", created.id, owner_id, {{"after", to_json(out)}}};
    co_await owner_.record(tx, by, change);
  };
  co_await ctx_.db.transaction(in_tx);
  co_return out;
}

Task<void> SpecVersionService::delete_draft(const std::string& id, const Caller& by) {
  auto in_tx = [&](db::Tx& tx) -> Task<void> {
    auto v = co_await lock_draft(tx, id);
    co_await repo_.delete_version(tx, id);
    SpecChange change{"version", "spec_version.deleted", id, v.owner_id, {{"before", to_json(v)}}};
    co_await owner_.record(tx, by, change);
  };
  co_await ctx_.db.transaction(in_tx);
}

Task<SpecPublish> SpecVersionService::publish(const std::string& id, const Caller& by) {
  SpecPublish out;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {
    auto peek = co_await repo_.version(id, &tx);
    if (!peek) throw NotFound("spec version");
    co_await owner_.lock_owner(tx, peek->owner_id);  // owner first, then version: one lock order
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

    // Subjects keep the version they were validated against; the report says which ones would fail now.
    auto subjects = co_await owner_.subjects_of(tx, v.owner_id);
    SpecPublish report{v, active ? std::optional<std::string>(active->id) : std::nullopt, subjects.size(), {}};
    specs::ValidateOptions opts;
    opts.version = v.version;
    for (auto& s : subjects) {
      auto r = specs::validate_values(defs, s.values, opts);
      if (r.ok()) continue;
      report.non_conforming.push_back(NonConforming{s, r.issues});
    }
    out = std::move(report);
    nlohmann::json details = {{owner_.owner_key, v.owner_id},
                              {"version", v.version},
                              {"retiredVersionId", opt_json(out.retired_version_id)},
                              {"nonConforming" + owner_.subjects, out.non_conforming.size()}};
    SpecChange change{"version", "spec_version.published", id, v.owner_id, std::move(details)};
    co_await owner_.record(tx, by, change);
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
    auto v = co_await lock_draft(tx, version_id);
    auto existing = co_await repo_.defs(version_id, &tx);
    for (auto& d : existing)
      if (d.key == def.key)
        throw Conflict("a field with key '" + def.key + "' already exists in this version",
                       {{"key", def.key}, {"id", d.id}});
    auto stored = co_await repo_.insert_def(tx, version_id, def);
    out = SpecDef{stored, version_id};
    SpecChange change{"def", "spec_def.created", stored.id, v.owner_id, {{"after", catalog::to_json(out)}}};
    co_await owner_.record(tx, by, change);
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
    auto v = co_await lock_draft(tx, version_id);
    // Read again under the draft's lock: a concurrent delete may have committed in between.
    found = co_await repo_.def(id, &tx);
    if (!found) throw NotFound("spec field definition");
    auto before = catalog::to_json(SpecDef{found->first, version_id});
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
    auto after = catalog::to_json(out);
    nlohmann::json details = {{"before", before}, {"after", after}, {"changes", audit::changes(before, after)}};
    SpecChange change{"def", "spec_def.updated", id, v.owner_id, std::move(details)};
    co_await owner_.record(tx, by, change);
  };
  co_await ctx_.db.transaction(in_tx);
  co_return out;
}

Task<void> SpecVersionService::delete_def(const std::string& id, const Caller& by) {
  auto in_tx = [&](db::Tx& tx) -> Task<void> {
    auto found = co_await repo_.def(id, &tx);
    if (!found) throw NotFound("spec field definition");
    auto v = co_await lock_draft(tx, found->second);
    co_await repo_.delete_def(tx, id);
    SpecChange change{"def", "spec_def.deleted", id, v.owner_id,
                      {{"before", catalog::to_json(SpecDef{found->first, found->second})}}};
    co_await owner_.record(tx, by, change);
  };
  co_await ctx_.db.transaction(in_tx);
}

}  // namespace netops::catalog
