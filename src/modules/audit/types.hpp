#pragma once
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace netops::audit {

// One audit row to write.
struct Entry {
  std::optional<std::string> user_id;
  std::string action;    // e.g. auth.login, user.updated, apikey.revoked
  std::string resource;  // e.g. user:<id>
  nlohmann::json details = nlohmann::json::object();
  std::string correlation_id;
};

// One audit row as read back.
struct LogEntry {
  std::string id;
  std::optional<std::string> correlation_id, user_id, resource;
  std::string action;
  nlohmann::json details, created_at;
};
nlohmann::json to_json(const LogEntry& e);

struct Filter {
  std::optional<std::string> user_id, action, resource, from, to;
};

}  // namespace netops::audit
