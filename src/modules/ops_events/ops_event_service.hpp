#pragma once
// The trail of the operations modules (CMDB, warehouse, repair, …; SPEC §3 "ops_events"): every change of
// an operations object writes one row — entity type and id, event type, payload (conventionally
// {"before": …, "after": …} or the facts of the action), the actor and the request's correlation id — in
// the transaction of the change itself, so a change and its event commit or roll back together.
#include <string>
#include <string_view>

#include "core/caller.hpp"
#include "modules/ops_events/ops_event_repo.hpp"

namespace netops::ops_events {

class OpsEventService {
 public:
  explicit OpsEventService(db::Db& db) : repo_(db) {}

  // entity_type: "cmdb_ci", "stock_document", "repair_order", …; event_type: "created", "updated", "posted", …
  Task<void> record(db::Tx& tx, std::string_view entity_type, const std::string& entity_id,
                    std::string_view event_type, const nlohmann::json& payload, const Caller& by);
  // Newest first.
  Task<db::Page<OpsEvent>> list(const Filter& f, const db::PageRequest& p) { co_return co_await repo_.list(f, p); }
  // The history of one object, newest first (what each module's /{id}/history answers).
  Task<db::Page<OpsEvent>> history(const std::string& entity_type, const std::string& entity_id,
                                   const db::PageRequest& p);

 private:
  OpsEventRepo repo_;
};

}  // namespace netops::ops_events
