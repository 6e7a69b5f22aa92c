#include "modules/audit/audit_service.hpp"

namespace netops::audit {

Task<void> AuditService::record(db::Tx& tx, const Caller& by, std::string action, std::string resource,
                                nlohmann::json details) {
  std::optional<std::string> user;
  if (by.authenticated()) user = by.user_id;
  Entry e{std::move(user), std::move(action), std::move(resource), std::move(details), by.request_id};
  co_await repo_.insert(tx, e);
}

nlohmann::json changes(const nlohmann::json& before, const nlohmann::json& after) {
  nlohmann::json out = nlohmann::json::object();
  for (auto& [k, v] : after.items()) {
    auto it = before.find(k);
    if (it == before.end() || *it != v)
      out[k] = {{"before", it == before.end() ? nlohmann::json() : *it}, {"after", v}};
  }
  return out;
}

nlohmann::json to_json(const LogEntry& e) {
  auto opt = [](const std::optional<std::string>& s) { return s ? nlohmann::json(*s) : nlohmann::json(); };
  return {{"id", e.id},         {"correlationId", opt(e.correlation_id)}, {"userId", opt(e.user_id)},
          {"action", e.action}, {"resource", opt(e.resource)},           {"details", e.details},
          {"createdAt", e.created_at}};
}

}  // namespace netops::audit
