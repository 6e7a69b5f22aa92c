#include "modules/cmdb/service_service.hpp"

#include "core/etag.hpp"
#include "modules/ops_events/tracked.hpp"

namespace netops::cmdb {

Task<Service> ServiceService::get(const std::string& id) {
  auto s = co_await repo_.find(id);
  if (!s) throw NotFound("service");
  co_return *s;
}

Task<Service> ServiceService::create(const ServiceInput& in, const Caller& by) {
  Service out;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {  // named: GCC 12 mishandles temporaries in co_await
    auto id = co_await repo_.insert(tx, in);
    auto found = co_await repo_.find(id, &tx);
    out = *found;
    nlohmann::json payload = {{"after", to_json(out)}};
    co_await ops_->record(tx, "cmdb_service", id, "created", payload, by);
  };
  co_await ctx_.db.transaction(in_tx);
  co_return out;
}

Task<Service> ServiceService::update(const std::string& id, const ServiceInput& in,
                                     const std::optional<std::string>& if_match, const Caller& by) {
  Service out;
  ops_events::Change change{"cmdb_service", "updated", "service", id, if_match};
  ops_events::Load<Service> load = [&](db::Tx& t) { return ops_events::lock_then_find(repo_, t, id); };
  ops_events::Apply<Service> apply = [&](db::Tx& t, const Service&) -> Task<Service> {
    co_await repo_.update(t, id, in);
    auto found = co_await repo_.find(id, &t);
    co_return *found;
  };
  auto in_tx = [&](db::Tx& tx) -> Task<void> {
    out = co_await ops_events::tracked_update(tx, *ops_, by, change, load, apply);
  };
  co_await ctx_.db.transaction(in_tx);
  co_return out;
}

Task<void> ServiceService::remove(const std::string& id, const std::optional<std::string>& if_match,
                                  const Caller& by) {
  ops_events::Change change{"cmdb_service", "deleted", "service", id, if_match};
  ops_events::Load<Service> load = [&](db::Tx& t) { return ops_events::lock_then_find(repo_, t, id); };
  ops_events::Drop<Service> drop = [&](db::Tx& t, const Service&) -> Task<nlohmann::json> {
    auto members = co_await repo_.members(id, &t);
    nlohmann::json list = nlohmann::json::array();
    for (auto& m : members) list.push_back(to_json(m));
    co_await repo_.remove(t, id);  // members go with it (ON DELETE CASCADE)
    co_return nlohmann::json{{"members", list}};
  };
  auto in_tx = [&](db::Tx& tx) -> Task<void> {
    co_await ops_events::tracked_delete(tx, *ops_, by, change, load, drop);
  };
  co_await ctx_.db.transaction(in_tx);
}

Task<std::vector<Member>> ServiceService::members(const std::string& service_id) {
  auto s = co_await repo_.find(service_id);
  if (!s) throw NotFound("service");
  co_return co_await repo_.members(service_id);
}

Task<Member> ServiceService::add_member(const std::string& service_id, const std::string& ci_id,
                                        const std::optional<std::string>& role, const Caller& by) {
  Member out;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {
    auto locked = co_await repo_.lock(tx, service_id);
    if (!locked) throw NotFound("service");
    auto ci = co_await repo_.ci_exists(tx, ci_id);
    if (!ci) throw NotFound("CI (ciId)");
    auto existing = co_await repo_.member_of(tx, service_id, ci_id);
    if (existing) throw Conflict("the CI is already a member of this service", {{"memberId", *existing}});
    auto id = co_await repo_.add_member(tx, service_id, ci_id, role);
    auto found = co_await repo_.member(tx, id);
    out = *found;
    nlohmann::json payload = {{"after", to_json(out)}};
    co_await ops_->record(tx, "cmdb_service", service_id, "member_added", payload, by);
  };
  co_await ctx_.db.transaction(in_tx);
  co_return out;
}

Task<void> ServiceService::remove_member(const std::string& service_id, const std::string& member_id,
                                         const Caller& by) {
  auto in_tx = [&](db::Tx& tx) -> Task<void> {
    auto locked = co_await repo_.lock(tx, service_id);
    if (!locked) throw NotFound("service");
    auto m = co_await repo_.member(tx, member_id);
    if (!m || m->service_id != service_id) throw NotFound("service member");
    co_await repo_.remove_member(tx, member_id);
    nlohmann::json payload = {{"before", to_json(*m)}};
    co_await ops_->record(tx, "cmdb_service", service_id, "member_removed", payload, by);
  };
  co_await ctx_.db.transaction(in_tx);
}

}  // namespace netops::cmdb
