#include "modules/auth/types.hpp"

namespace netops::auth {

ApiKey api_key_from_row(const db::Row& r) {
  ApiKey k;
  k.id = r.get<std::string>("id");
  k.user_id = r.get<std::string>("user_id");
  k.name = r.get<std::string>("name");
  k.prefix = r.get<std::string>("key_prefix");
  k.scopes = r.json("scopes");
  k.expires_at = r.timestamp("expires_at");
  k.last_used_at = r.timestamp("last_used_at");
  k.revoked_at = r.timestamp("revoked_at");
  k.created_at = r.timestamp("created_at");
  return k;
}

nlohmann::json to_json(const ApiKey& k) {
  return {{"id", k.id},
          {"userId", k.user_id},
          {"name", k.name},
          {"prefix", k.prefix},
          {"scopes", k.scopes},
          {"expiresAt", k.expires_at},
          {"lastUsedAt", k.last_used_at},
          {"revokedAt", k.revoked_at},
          {"createdAt", k.created_at}};
}

nlohmann::json to_json(const CreatedKey& k) {
  auto j = to_json(k.key);
  j["key"] = k.secret;
  return j;
}

nlohmann::json to_json(const Tokens& t) {
  const users::User& u = t.user;
  return {{"accessToken", t.access},
          {"refreshToken", t.refresh},
          {"tokenType", "Bearer"},
          {"expiresIn", t.expires_in},
          {"sessionId", t.session_id},
          {"user",
           {{"id", u.id},
            {"email", u.email},
            {"name", u.name},
            {"username", u.username ? nlohmann::json(*u.username) : nlohmann::json()},
            {"role", role_name(u.role)},
            {"tier", tier_name(u.tier)}}}};
}

}  // namespace netops::auth
