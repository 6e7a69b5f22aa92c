#include "modules/ops_events/ops_event_service.hpp"

namespace netops::ops_events {

Task<void> OpsEventService::record(db::Tx& tx, std::string_view entity_type, const std::string& entity_id,
                                   std::string_view event_type, const nlohmann::json& payload, const Caller& by) {
  std::optional<std::string> actor;
  if (!by.user_id.empty()) actor = by.user_id;
  co_await repo_.insert(tx, entity_type, entity_id, event_type, payload, actor, by.request_id);
}

Task<db::Page<OpsEvent>> OpsEventService::history(const std::string& entity_type, const std::string& entity_id,
                                                  const db::PageRequest& p) {
  Filter f;
  f.entity_type = entity_type;
  f.entity_id = entity_id;
  co_return co_await repo_.list(f, p);
}

}  // namespace netops::ops_events
