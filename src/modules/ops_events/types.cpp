#include "modules/ops_events/types.hpp"

namespace netops::ops_events {

nlohmann::json to_json(const OpsEvent& e) {
  return {{"id", e.id},
          {"entityType", e.entity_type},
          {"entityId", e.entity_id},
          {"eventType", e.event_type},
          {"payload", e.payload},
          {"actorUserId", e.actor_user_id ? nlohmann::json(*e.actor_user_id) : nlohmann::json()},
          {"correlationId", e.correlation_id ? nlohmann::json(*e.correlation_id) : nlohmann::json()},
          {"createdAt", e.created_at}};
}

}  // namespace netops::ops_events
