#pragma once
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "db/query.hpp"

namespace netops::users {

struct User {
  std::string id, email, name;
  std::optional<std::string> username;
  std::string role, tier, status;
  bool is_active = true;
  nlohmann::json last_login_at, created_at, updated_at;
  std::string password_hash;  // never leaves the server
};

User user_from_row(const db::Row& r);
// The API shape: camelCase, no password hash.
nlohmann::json to_json(const User& u);

inline constexpr const char* kUserColumns =
    "id, email, name, username, role, tier, status, is_active, last_login_at, created_at, updated_at, password_hash";

bool valid_role(const std::string& r);
bool valid_tier(const std::string& t);
bool valid_status(const std::string& s);

}  // namespace netops::users
