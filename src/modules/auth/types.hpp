#pragma once
// The auth module's structs: what a session and an API key are to the authenticator (cached in Redis),
// the API key as the API shows it, and the typed inputs of the login, refresh, password and key routes.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "db/db.hpp"
#include "modules/users/types.hpp"

namespace netops::auth {

// What every authenticated request needs to know about its session (cached in Redis session:{id}).
struct SessionState {
  std::string session_id, user_id, role, tier;
  bool revoked = false;
  bool user_active = true;
  std::int64_t refresh_expires_at = 0;  // unix seconds
};

struct ApiKeyState {
  std::string id, user_id, role, tier;
  bool revoked = false;
  bool user_active = true;
  std::int64_t expires_at = 0;  // unix seconds, 0 = never
  std::vector<std::string> scopes;  // empty = http::default_key_scopes()
};

struct NewSession {
  std::string id, user_id, access_hash, refresh_hash, ip, user_agent;
  int access_ttl_s = 0, refresh_ttl_s = 0;
};

// One row of api_keys as the API shows it (never the key or its hash).
struct ApiKey {
  std::string id, user_id, name, prefix;
  nlohmann::json scopes;  // the stored array
  nlohmann::json expires_at, last_used_at, revoked_at, created_at;
};
ApiKey api_key_from_row(const db::Row& r);
nlohmann::json to_json(const ApiKey& k);

// POST /api/keys, checked by the route (name given, known scopes without duplicates).
struct NewKeyInput {
  std::string name;
  nlohmann::json scopes = nlohmann::json::array();
  std::optional<std::string> expires_at;
};
// The created key: its row and the key itself, shown once.
struct CreatedKey {
  ApiKey key;
  std::string secret;
};
nlohmann::json to_json(const CreatedKey& k);  // the row's shape plus "key"

// POST /api/auth/login: an email or a username, and the password.
struct LoginInput {
  std::string login, password;
};
// POST /api/auth/change-password
struct PasswordChange {
  std::string current, next;
};

// What login and refresh answer.
struct Tokens {
  std::string access, refresh, session_id;
  long long expires_in = 0;  // seconds
  users::User user;
};
nlohmann::json to_json(const Tokens& t);

}  // namespace netops::auth
