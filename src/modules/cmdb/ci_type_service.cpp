#include "modules/cmdb/ci_type_service.hpp"

#include "core/etag.hpp"

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
  auto in_tx = [&](db::Tx& tx) -> Task<void> {
    auto locked = co_await repo_.lock(tx, id);
    if (!locked) throw NotFound("CI type");
    auto before = co_await repo_.find(id, &tx);
    auto before_json = to_json(*before);
    check_expected_etag(if_match, before_json);
    out = co_await repo_.update(tx, id, in);
    nlohmann::json payload = {{"before", before_json}, {"after", to_json(out)}};
    co_await ops_->record(tx, "cmdb_type", id, "updated", payload, by);
  };
  co_await ctx_.db.transaction(in_tx);
  co_return out;
}

Task<void> CiTypeService::remove(const std::string& id, const Caller& by) {
  auto in_tx = [&](db::Tx& tx) -> Task<void> {
    auto locked = co_await repo_.lock(tx, id);
    if (!locked) throw NotFound("CI type");
    auto before = co_await repo_.find(id, &tx);
    auto cis = co_await repo_.ci_count(tx, id);
    auto rel_types = co_await repo_.rel_type_refs(tx, id);
    if (cis > 0 || rel_types > 0)
      throw Conflict("CI type is used by " + std::to_string(cis) + " CI(s) and " + std::to_string(rel_types) +
                         " relationship type(s)",
                     {{"cis", cis}, {"relationshipTypes", rel_types}});
    co_await repo_.remove(tx, id);
    nlohmann::json payload = {{"before", to_json(*before)}};
    co_await ops_->record(tx, "cmdb_type", id, "deleted", payload, by);
  };
  co_await ctx_.db.transaction(in_tx);
}

}  // namespace netops::cmdb
