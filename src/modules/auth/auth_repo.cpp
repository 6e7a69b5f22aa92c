#include "modules/auth/auth_repo.hpp"

namespace netops::auth {

namespace q {
constexpr db::Query kInsertSession{
    "auth.insert_session",
    "INSERT INTO sessions (id, user_id, token, refresh_token, expires_at, refresh_expires_at, ip_address, "
    "user_agent, last_activity_at) VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5), "
    "now() + make_interval(secs => $6), $7, $8, now())"};
constexpr db::Query kRotate{
    "auth.rotate_refresh",
    "WITH s AS (UPDATE sessions SET refresh_token = $2, token = $3, expires_at = now() + make_interval(secs => $4), "
    "last_activity_at = now() WHERE refresh_token = $1 AND NOT is_revoked AND refresh_expires_at > now() "
    "RETURNING id, user_id, refresh_expires_at) "
    "SELECT s.id, s.user_id, u.role, u.tier, u.is_active AND u.status = 'active' AS active, "
    "extract(epoch FROM s.refresh_expires_at)::bigint AS refresh_exp FROM s JOIN users u ON u.id = s.user_id"};
constexpr db::Query kSetAccessHash{"auth.set_access_hash", "UPDATE sessions SET token = $2 WHERE id = $1"};
constexpr db::Query kRemember{"auth.remember_rotated",
                              "INSERT INTO session_refresh_tokens (token_hash, session_id) VALUES ($1, $2) "
                              "ON CONFLICT DO NOTHING"};
constexpr db::Query kRotatedSession{"auth.rotated_session",
                                    "SELECT session_id FROM session_refresh_tokens WHERE token_hash = $1"};
constexpr db::Query kSessionState{
    "auth.session_state",
    "SELECT s.id, s.user_id, s.is_revoked OR s.refresh_expires_at <= now() AS revoked, u.role, u.tier, "
    "u.is_active AND u.status = 'active' AS active, extract(epoch FROM s.refresh_expires_at)::bigint AS refresh_exp "
    "FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = $1"};
constexpr db::Query kRevokeSession{"auth.revoke_session", "UPDATE sessions SET is_revoked = true WHERE id = $1"};
constexpr db::Query kRevokeUserSessions{
    "auth.revoke_user_sessions",
    "UPDATE sessions SET is_revoked = true WHERE user_id = $1 AND NOT is_revoked AND id::text <> $2 RETURNING id"};
constexpr db::Query kTouchSession{"auth.touch_session", "UPDATE sessions SET last_activity_at = now() WHERE id = $1"};

constexpr const char* kKeyColumns =
    "id, user_id, name, key_prefix, scopes, expires_at, last_used_at, revoked_at, created_at";
const std::string kInsertKeySql = std::string("INSERT INTO api_keys (user_id, name, key_hash, key_prefix, scopes, "
                                              "expires_at) VALUES ($1, $2, $3, $4, $5, $6::timestamptz) RETURNING ") +
                                  kKeyColumns;
const std::string kListKeysSql = std::string("SELECT ") + kKeyColumns +
                                 " FROM api_keys WHERE ($1::uuid IS NULL OR user_id = $1) ORDER BY created_at DESC";
const std::string kFindKeySql = std::string("SELECT ") + kKeyColumns + " FROM api_keys WHERE id = $1";
const db::Query kInsertKey{"auth.insert_key", kInsertKeySql};
const db::Query kListKeys{"auth.list_keys", kListKeysSql};
const db::Query kFindKey{"auth.find_key", kFindKeySql};
constexpr db::Query kRevokeKey{"auth.revoke_key",
                               "UPDATE api_keys SET revoked_at = COALESCE(revoked_at, now()) WHERE id = $1 "
                               "RETURNING key_hash"};
constexpr db::Query kKeyState{
    "auth.key_state",
    "SELECT k.id, k.user_id, u.role, u.tier, k.revoked_at IS NOT NULL AS revoked, "
    "u.is_active AND u.status = 'active' AS active, COALESCE(extract(epoch FROM k.expires_at)::bigint, 0) AS exp, "
    "k.scopes "
    "FROM api_keys k JOIN users u ON u.id = k.user_id WHERE k.key_hash = $1"};
constexpr db::Query kKeyHashesOf{"auth.key_hashes_of", "SELECT key_hash FROM api_keys WHERE user_id = $1"};
constexpr db::Query kTouchKey{"auth.touch_key", "UPDATE api_keys SET last_used_at = now() WHERE id = $1"};
}  // namespace q

Task<void> AuthRepo::insert_session(db::Tx& tx, const NewSession& s) {
  co_await tx.query(q::kInsertSession, db::Params(s.id, s.user_id, s.access_hash, s.refresh_hash, s.access_ttl_s,
                                                  s.refresh_ttl_s, s.ip, s.user_agent));
}

Task<std::optional<SessionState>> AuthRepo::rotate_refresh(db::Tx& tx, const std::string& old_hash,
                                                           const std::string& new_refresh, const std::string& new_access,
                                                           int access_ttl_s) {
  auto r = co_await tx.query(q::kRotate, db::Params(old_hash, new_refresh, new_access, access_ttl_s));
  if (r.empty()) co_return std::nullopt;
  auto row = r.front();
  co_return SessionState{row.get<std::string>("id"), row.get<std::string>("user_id"), row.get<std::string>("role"),
                         row.get<std::string>("tier"), false, row.get<bool>("active"),
                         row.get<std::int64_t>("refresh_exp")};
}

Task<void> AuthRepo::set_access_hash(db::Tx& tx, const std::string& session_id, const std::string& hash) {
  co_await tx.query(q::kSetAccessHash, db::Params(session_id, hash));
}

Task<void> AuthRepo::remember_rotated(db::Tx& tx, const std::string& old_hash, const std::string& session_id) {
  co_await tx.query(q::kRemember, db::Params(old_hash, session_id));
}

Task<std::optional<std::string>> AuthRepo::rotated_session(const std::string& old_hash) {
  auto r = co_await db_.query(q::kRotatedSession, db::Params(old_hash));
  if (r.empty()) co_return std::nullopt;
  co_return r.front().get<std::string>(0);
}

Task<std::optional<SessionState>> AuthRepo::session_state(const std::string& session_id) {
  auto r = co_await db_.query(q::kSessionState, db::Params(session_id));
  if (r.empty()) co_return std::nullopt;
  auto row = r.front();
  co_return SessionState{row.get<std::string>("id"),   row.get<std::string>("user_id"), row.get<std::string>("role"),
                         row.get<std::string>("tier"), row.get<bool>("revoked"),        row.get<bool>("active"),
                         row.get<std::int64_t>("refresh_exp")};
}

Task<void> AuthRepo::revoke_session(const std::string& session_id) {
  co_await db_.query(q::kRevokeSession, db::Params(session_id));
}

Task<std::vector<std::string>> AuthRepo::revoke_user_sessions(db::Tx& tx, const std::string& user_id,
                                                              const std::string& keep) {
  auto r = co_await tx.query(q::kRevokeUserSessions, db::Params(user_id, keep));
  std::vector<std::string> ids;
  for (auto row : r) ids.push_back(row.get<std::string>(0));
  co_return ids;
}

Task<void> AuthRepo::touch_session(const std::string& session_id) {
  co_await db_.query(q::kTouchSession, db::Params(session_id));
}

Task<ApiKey> AuthRepo::insert_key(db::Tx& tx, const std::string& user_id, const NewKeyInput& in,
                                  const std::string& hash, const std::string& prefix) {
  auto r = co_await tx.query(q::kInsertKey, db::Params(user_id, in.name, hash, prefix, in.scopes, in.expires_at));
  co_return api_key_from_row(r.front());
}

Task<std::vector<ApiKey>> AuthRepo::list_keys(const std::optional<std::string>& user_id) {
  auto r = co_await db_.query(q::kListKeys, db::Params(user_id));
  std::vector<ApiKey> out;
  for (auto row : r) out.push_back(api_key_from_row(row));
  co_return out;
}

Task<std::optional<ApiKey>> AuthRepo::find_key(const std::string& id) {
  auto r = co_await db_.query(q::kFindKey, db::Params(id));
  if (r.empty()) co_return std::nullopt;
  co_return api_key_from_row(r.front());
}

Task<std::optional<std::string>> AuthRepo::revoke_key(db::Tx& tx, const std::string& id) {
  auto r = co_await tx.query(q::kRevokeKey, db::Params(id));
  if (r.empty()) co_return std::nullopt;
  co_return r.front().get<std::string>(0);
}

Task<std::optional<ApiKeyState>> AuthRepo::key_state(const std::string& hash) {
  auto r = co_await db_.query(q::kKeyState, db::Params(hash));
  if (r.empty()) co_return std::nullopt;
  auto row = r.front();
  ApiKeyState k{row.get<std::string>("id"),   row.get<std::string>("user_id"), row.get<std::string>("role"),
                row.get<std::string>("tier"), row.get<bool>("revoked"),        row.get<bool>("active"),
                row.get<std::int64_t>("exp"), {}};
  auto scopes = row.json("scopes");
  if (scopes.is_array())
    for (auto& s : scopes)
      if (s.is_string()) k.scopes.push_back(s.get<std::string>());
  co_return k;
}

Task<std::vector<std::string>> AuthRepo::key_hashes_of(const std::string& user_id) {
  auto r = co_await db_.query(q::kKeyHashesOf, db::Params(user_id));
  std::vector<std::string> out;
  for (auto row : r) out.push_back(row.get<std::string>(0));
  co_return out;
}

Task<std::vector<std::string>> AuthRepo::key_hashes_of(db::Tx& tx, const std::string& user_id) {
  auto r = co_await tx.query(q::kKeyHashesOf, db::Params(user_id));
  std::vector<std::string> out;
  for (auto row : r) out.push_back(row.get<std::string>(0));
  co_return out;
}

Task<void> AuthRepo::touch_key(const std::string& id) { co_await db_.query(q::kTouchKey, db::Params(id)); }

}  // namespace netops::auth
