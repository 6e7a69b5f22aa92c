#pragma once
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/caller.hpp"
#include "db/db.hpp"

namespace netops::users {

struct User {
  std::string id, email, name;
  std::optional<std::string> username;
  Role role = Role::user;
  Tier tier = Tier::free;
  std::string status = "active";
  bool is_active = true;
  nlohmann::json last_login_at, created_at, updated_at;
  std::string password_hash;  // never leaves the server (not in to_json)
};

User user_from_row(const db::Row& r);
// The API shape: camelCase, no password hash.
nlohmann::json to_json(const User& u);
// Back from the cached API shape (no password hash).
User user_from_json(const nlohmann::json& j);

inline constexpr const char* kUserColumns =
    "id, email, name, username, role, tier, status, is_active, last_login_at, created_at, updated_at, password_hash";

// POST /api/admin/users, as sent (the service checks the rules).
struct NewUserInput {
  std::optional<std::string> email, name, password, username;
  std::optional<Role> role;
  std::optional<Tier> tier;
};

// What the repo inserts.
struct NewUser {
  std::string email, name;
  std::optional<std::string> username;
  std::string password_hash;
  Role role = Role::user;
  Tier tier = Tier::free;
};

struct UserPatch {
  std::optional<std::string> name, status;
  std::optional<Role> role;
  std::optional<Tier> tier;
  std::optional<bool> is_active;
};

struct UserFilter {
  std::optional<std::string> role, tier, status, search;
  std::optional<bool> is_active;
};

bool valid_status(const std::string& s);

// What another module does when a user's access changes (auth revokes sessions and API keys). Set once at
// registration by the module that owns sessions; called inside the users transaction, then after commit.
struct Revocation {
  std::vector<std::string> sessions;
  std::vector<std::string> key_hashes;
  std::size_t size() const { return sessions.size(); }
};
class AccessRevoker {
 public:
  virtual ~AccessRevoker() = default;
  virtual Task<Revocation> revoke_user(db::Tx& tx, const std::string& user_id) = 0;
  // deleted: the user is gone (its keys are refused outright instead of re-read).
  virtual Task<void> after_user_change(const std::string& user_id, const Revocation& r, bool deleted) = 0;
};

}  // namespace netops::users
