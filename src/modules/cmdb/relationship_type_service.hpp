#pragma once
// Relationship types: allowedFromTypeId / allowedToTypeId restrict the CI types a relationship of the type
// may link (null = any); minUp declares redundancy (README.md). A type still used by relationships is not
// deleted (409). Ops events of entity cmdb_relationship_type.
#include <memory>

#include "core/caller.hpp"
#include "kit/context.hpp"
#include "modules/cmdb/relationship_type_repo.hpp"
#include "modules/ops_events/ops_event_service.hpp"

namespace netops::cmdb {

class RelTypeService {
 public:
  RelTypeService(AppContext& ctx, std::shared_ptr<ops_events::OpsEventService> ops)
      : ctx_(ctx), repo_(ctx.db), ops_(std::move(ops)) {}
  Task<db::Page<RelType>> list(const RelTypeFilter& f, const db::PageRequest& p, const db::Sort& s) {
    co_return co_await repo_.list(f, p, s);
  }
  Task<RelType> get(const std::string& id);
  Task<RelType> create(const RelTypeInput& in, const Caller& by);
  Task<RelType> update(const std::string& id, const RelTypeInput& in, const std::optional<std::string>& if_match,
                       const Caller& by);
  Task<void> remove(const std::string& id, const Caller& by);

 private:
  AppContext& ctx_;
  RelTypeRepo repo_;
  std::shared_ptr<ops_events::OpsEventService> ops_;
};

}  // namespace netops::cmdb
