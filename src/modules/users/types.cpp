#include "modules/users/types.hpp"

namespace netops::users {

User user_from_row(const db::Row& r) {
  User u;
  u.id = r.get<std::string>("id");
  u.email = r.get<std::string>("email");
  u.name = r.get<std::string>("name");
  u.username = r.opt<std::string>("username");
  u.role = parse_role(r.get<std::string>("role")).value_or(Role::user);  // CHECK constraint in the schema
  u.tier = parse_tier(r.get<std::string>("tier")).value_or(Tier::free);
  u.status = r.get<std::string>("status");
  u.is_active = r.get<bool>("is_active");
  u.last_login_at = r.timestamp("last_login_at");
  u.created_at = r.timestamp("created_at");
  u.updated_at = r.timestamp("updated_at");
  u.password_hash = r.get<std::string>("password_hash");
  return u;
}

nlohmann::json to_json(const User& u) {
  return {{"id", u.id},
          {"email", u.email},
          {"name", u.name},
          {"username", u.username ? nlohmann::json(*u.username) : nlohmann::json()},
          {"role", role_name(u.role)},
          {"tier", tier_name(u.tier)},
          {"status", u.status},
          {"isActive", u.is_active},
          {"lastLoginAt", u.last_login_at},
          {"createdAt", u.created_at},
          {"updatedAt", u.updated_at}};
}

User user_from_json(const nlohmann::json& j) {
  User u;
  u.id = j.at("id").get<std::string>();
  u.email = j.at("email").get<std::string>();
  u.name = j.at("name").get<std::string>();
  if (j.at("username").is_string()) u.username = j["username"].get<std::string>();
  u.role = parse_role(j.at("role").get<std::string>()).value_or(Role::user);
  u.tier = parse_tier(j.at("tier").get<std::string>()).value_or(Tier::free);
  u.status = j.at("status").get<std::string>();
  u.is_active = j.at("isActive").get<bool>();
  u.last_login_at = j.at("lastLoginAt");
  u.created_at = j.at("createdAt");
  u.updated_at = j.at("updatedAt");
  return u;
}

bool valid_status(const std::string& s) { return s == "active" || s == "inactive" || s == "suspended"; }

}  // namespace netops::users
