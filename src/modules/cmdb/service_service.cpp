#include "modules/cmdb/service_service.hpp"

#include "core/etag.hpp"

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
  auto in_tx = [&](db::Tx& tx) -> Task<void> {
    auto locked = co_await repo_.lock(tx, id);
    if (!locked) throw NotFound("service");
    auto current = co_await repo_.find(id, &tx);
    auto before = to_json(*current);
    check_expected_etag(if_match, before);
    co_await repo_.update(tx, id, in);
    auto found = co_await repo_.find(id, &tx);
    out = *found;
    nlohmann::json payload = {{"before", before}, {"after", to_json(out)}};
    co_await ops_->record(tx, "cmdb_service", id, "updated", payload, by);
  };
  co_await ctx_.db.transaction(in_tx);
  co_return out;
}

Task<void> ServiceService::remove(const std::string& id, const std::optional<std::string>& if_match,
                                  const Caller& by) {
  auto in_tx = [&](db::Tx& tx) -> Task<void> {
    auto locked = co_await repo_.lock(tx, id);
    if (!locked) throw NotFound("service");
    auto current = co_await repo_.find(id, &tx);
    auto before = to_json(*current);
    check_expected_etag(if_match, before);
    auto members = co_await repo_.members(id, &tx);
    nlohmann::json list = nlohmann::json::array();
    for (auto& m : members) list.push_back(to_json(m));
    co_await repo_.remove(tx, id);  // members go with it (ON DELETE CASCADE)
    nlohmann::json payload = {{"before", before}, {"members", list}};
    co_await ops_->record(tx, "cmdb_service", id, "deleted", payload, by);
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
