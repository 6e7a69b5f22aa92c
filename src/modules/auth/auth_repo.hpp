#pragma once
// SQL of sessions, rotated refresh tokens and API keys (the auth module's tables); users are read through
// the users module, except for the joins that give the authenticator a session's or key's role and status.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "db/db.hpp"
#include "modules/auth/types.hpp"

namespace netops::auth {

class AuthRepo {
 public:
  explicit AuthRepo(db::Db& db) : db_(db) {}

  Task<void> insert_session(db::Tx& tx, const NewSession& s);
  // Swaps the refresh token when old_hash is the live one; nullopt otherwise. Returns the session.
  Task<std::optional<SessionState>> rotate_refresh(db::Tx& tx, const std::string& old_hash, const std::string& new_refresh,
                                                   const std::string& new_access, int access_ttl_s);
  Task<void> set_access_hash(db::Tx& tx, const std::string& session_id, const std::string& hash);
  Task<void> remember_rotated(db::Tx& tx, const std::string& old_hash, const std::string& session_id);
  Task<std::optional<std::string>> rotated_session(const std::string& old_hash);
  Task<std::optional<SessionState>> session_state(const std::string& session_id);
  Task<void> revoke_session(const std::string& session_id);
  // Revokes every live session of the user except `keep` (may be empty); returns their ids.
  Task<std::vector<std::string>> revoke_user_sessions(db::Tx& tx, const std::string& user_id, const std::string& keep);
  Task<void> touch_session(const std::string& session_id);

  Task<ApiKey> insert_key(db::Tx& tx, const std::string& user_id, const NewKeyInput& in, const std::string& hash,
                          const std::string& prefix);
  Task<std::vector<ApiKey>> list_keys(const std::optional<std::string>& user_id);  // newest first
  Task<std::optional<ApiKey>> find_key(const std::string& id);
  Task<std::optional<std::string>> revoke_key(db::Tx& tx, const std::string& id);  // returns the key hash
  Task<std::optional<ApiKeyState>> key_state(const std::string& hash);
  Task<std::vector<std::string>> key_hashes_of(const std::string& user_id);
  // Inside the transaction that changes or deletes the user (before a cascade removes the rows).
  Task<std::vector<std::string>> key_hashes_of(db::Tx& tx, const std::string& user_id);
  Task<void> touch_key(const std::string& id);

 private:
  db::Db& db_;
};

}  // namespace netops::auth
