#pragma once
// Relationships (SPEC §4.6): `from` depends on / runs on `to`. Self-loop 400, unknown CI or type 404, a
// broken type constraint 422 naming the allowed type, a duplicate active (type, from, to) 409 (partial
// unique index). DELETE retires (kept for history); traversals use active relationships only. Ops events of
// entity cmdb_relationship with before/after.
#include <memory>

#include "core/caller.hpp"
#include "kit/context.hpp"
#include "modules/cmdb/relationship_repo.hpp"
#include "modules/cmdb/relationship_type_repo.hpp"
#include "modules/ops_events/ops_event_service.hpp"

namespace netops::cmdb {

class RelationshipService {
 public:
  RelationshipService(AppContext& ctx, std::shared_ptr<ops_events::OpsEventService> ops)
      : ctx_(ctx), repo_(ctx.db), types_(ctx.db), ops_(std::move(ops)) {}
  Task<db::Page<Relationship>> list(const RelationshipFilter& f, const db::PageRequest& p, const db::Sort& s) {
    co_return co_await repo_.list(f, p, s);
  }
  Task<Relationship> get(const std::string& id);
  Task<Relationship> create(const RelationshipInput& in, const Caller& by);
  Task<Relationship> update(const std::string& id, const RelationshipInput& in,
                            const std::optional<std::string>& if_match, const Caller& by);
  // Retires (status retired); 404 when absent, 409 when already retired.
  Task<void> remove(const std::string& id, const std::optional<std::string>& if_match, const Caller& by);

 private:
  AppContext& ctx_;
  RelationshipRepo repo_;
  RelTypeRepo types_;
  std::shared_ptr<ops_events::OpsEventService> ops_;
};

}  // namespace netops::cmdb
