#pragma once
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace netops::ops_events {

// One row of ops_events as read back: what happened to which operations object, by whom, in which request.
struct OpsEvent {
  std::string id, entity_type, entity_id, event_type;
  nlohmann::json payload;
  std::optional<std::string> actor_user_id, correlation_id;
  nlohmann::json created_at;
};
nlohmann::json to_json(const OpsEvent& e);

struct Filter {
  std::optional<std::string> entity_type, entity_id, event_type, actor_user_id, correlation_id, from, to;
};

}  // namespace netops::ops_events
