#pragma once
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "db/db.hpp"
#include "http/listing.hpp"

namespace netops::audit {

struct Entry {
  std::optional<std::string> user_id;
  std::string action;  // e.g. auth.login, user.updated, apikey.revoked
  std::string resource;  // e.g. user:<id>
  nlohmann::json details = nlohmann::json::object();
  std::string correlation_id;
};

struct Filter {
  std::optional<std::string> user_id, action, resource, from, to;
};

class AuditRepo {
 public:
  explicit AuditRepo(db::Db& db) : db_(db) {}
  Task<void> insert(db::Tx& tx, const Entry& e);
  Task<void> insert(const Entry& e);
  Task<std::pair<nlohmann::json, long long>> list(const Filter& f, const http::Paging& p);

 private:
  db::Db& db_;
};

}  // namespace netops::audit
