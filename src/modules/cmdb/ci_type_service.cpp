#include "modules/cmdb/ci_type_service.hpp"

#include "core/etag.hpp"
#include "modules/ops_events/tracked.hpp"

namespace netops::cmdb {

catalog::SpecOwner ci_type_spec_owner(db::Db& db, std::shared_ptr<ops_events::OpsEventService> ops) {
  auto types = std::make_shared<CiTypeRepo>(db);
  catalog::SpecOwner o;
  o.tables = CiTypeRepo::tables();
  o.noun = "CI type";
  o.owner_key = "typeId";
  o.subjects = "Cis";
  o.subject_version_key = "versionId";
  o.drafts_path = "/api/v1/cmdb/types/{id}/versions";
  o.exists = [types](const std::string& id) -> Task<bool> {
    auto found = co_await types->find(id);
    co_return found.has_value();
  };
  o.lock_owner = [types](db::Tx& tx, const std::string& id) -> Task<bool> { co_return co_await types->lock(tx, id); };
  o.subjects_of = [types](db::Tx& tx, const std::string& id) -> Task<std::vector<catalog::SpecSubject>> {
    co_return co_await types->subjects(tx, id);
  };
  o.record = [ops](db::Tx& tx, const Caller& by, const catalog::SpecChange& c) -> Task<void> {
    nlohmann::json payload = c.details;
    payload[c.kind == "def" ? "defId" : "versionId"] = c.id;
    std::string event = c.action;
    co_await ops->record(tx, "cmdb_type", c.owner_id, event, payload, by);
  };
  return o;
}

Task<CiType> CiTypeService::get(const std::string& id) {
  auto t = co_await repo_.find(id);
  if (!t) throw NotFound("CI type");
  co_return *t;
}

Task<CiType> CiTypeService::create(const CiTypeInput& in, const Caller& by) {
  CiType out;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {  // named: GCC 12 mishandles temporaries in co_await
    auto created = co_await repo_.insert(tx, in);
    std::vector<specs::FieldDef> defs = in.attributes ? *in.attributes : std::vector<specs::FieldDef>{};
    co_await versions_->create_first(tx, created.id, defs, by);
    auto found = co_await repo_.find(created.id, &tx);
    out = *found;
    nlohmann::json payload = {{"after", to_json(out)}};
    co_await ops_->record(tx, "cmdb_type", out.id, "created", payload, by);
  };
  co_await ctx_.db.transaction(in_tx);
  co_return out;
}

Task<CiType> CiTypeService::update(const std::string& id, const CiTypeInput& in,
                                   const std::optional<std::string>& if_match, const Caller& by) {
  CiType out;
  ops_events::Change change{"cmdb_type", "updated", "CI type", id, if_match};
  ops_events::Load<CiType> load = [&](db::Tx& t) { return ops_events::lock_then_find(repo_, t, id); };
  ops_events::Apply<CiType> apply = [&](db::Tx& t, const CiType&) { return repo_.update(t, id, in); };
  auto in_tx = [&](db::Tx& tx) -> Task<void> {
    out = co_await ops_events::tracked_update(tx, *ops_, by, change, load, apply);
  };
  co_await ctx_.db.transaction(in_tx);
  co_return out;
}

Task<void> CiTypeService::remove(const std::string& id, const Caller& by) {
  ops_events::Change change{"cmdb_type", "deleted", "CI type", id};
  ops_events::Load<CiType> load = [&](db::Tx& t) { return ops_events::lock_then_find(repo_, t, id); };
  ops_events::Drop<CiType> drop = [&](db::Tx& t, const CiType&) -> Task<nlohmann::json> {
    auto cis = co_await repo_.ci_count(t, id);
    auto rel_types = co_await repo_.rel_type_refs(t, id);
    if (cis > 0 || rel_types > 0)
      throw Conflict("CI type is used by " + std::to_string(cis) + " CI(s) and " + std::to_string(rel_types) +
                         " relationship type(s)",
                     {{"cis", cis}, {"relationshipTypes", rel_types}});
    co_await repo_.remove(t, id);
    co_return nlohmann::json::object();
  };
  auto in_tx = [&](db::Tx& tx) -> Task<void> {
    co_await ops_events::tracked_delete(tx, *ops_, by, change, load, drop);
  };
  co_await ctx_.db.transaction(in_tx);
}

}  // namespace netops::cmdb
