#pragma once
// Business services and their members (CIs with a role): CRUD, no duplicate member (409), health rolled up
// from member CI status (README.md). Ops events of entity cmdb_service (member_added / member_removed too).
#include <memory>

#include "core/caller.hpp"
#include "kit/context.hpp"
#include "modules/cmdb/service_repo.hpp"
#include "modules/ops_events/ops_event_service.hpp"

namespace netops::cmdb {

class ServiceService {
 public:
  ServiceService(AppContext& ctx, std::shared_ptr<ops_events::OpsEventService> ops)
      : ctx_(ctx), repo_(ctx.db), ops_(std::move(ops)) {}
  Task<db::Page<Service>> list(const ServiceFilter& f, const db::PageRequest& p, const db::Sort& s) {
    co_return co_await repo_.list(f, p, s);
  }
  Task<Service> get(const std::string& id);
  Task<Service> create(const ServiceInput& in, const Caller& by);
  Task<Service> update(const std::string& id, const ServiceInput& in, const std::optional<std::string>& if_match,
                       const Caller& by);
  Task<void> remove(const std::string& id, const std::optional<std::string>& if_match, const Caller& by);
  Task<std::vector<Member>> members(const std::string& service_id);
  Task<Member> add_member(const std::string& service_id, const std::string& ci_id,
                          const std::optional<std::string>& role, const Caller& by);
  Task<void> remove_member(const std::string& service_id, const std::string& member_id, const Caller& by);

 private:
  AppContext& ctx_;
  ServiceRepo repo_;
  std::shared_ptr<ops_events::OpsEventService> ops_;
};

}  // namespace netops::cmdb
