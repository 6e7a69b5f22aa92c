#include "modules/users/types.hpp"

namespace netops::users {

User user_from_row(const db::Row& r) {
  User u;
  u.id = r.get<std::string>("id");
  u.email = r.get<std::string>("email");
  u.name = r.get<std::string>("name");
  u.username = r.opt<std::string>("username");
  u.role = r.get<std::string>("role");
  u.tier = r.get<std::string>("tier");
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
          {"role", u.role},
          {"tier", u.tier},
          {"status", u.status},
          {"isActive", u.is_active},
          {"lastLoginAt", u.last_login_at},
          {"createdAt", u.created_at},
          {"updatedAt", u.updated_at}};
}

bool valid_role(const std::string& r) { return r == "user" || r == "admin" || r == "super_admin"; }
bool valid_tier(const std::string& t) { return t == "free" || t == "pro" || t == "enterprise" || t == "unlimited"; }
bool valid_status(const std::string& s) { return s == "active" || s == "inactive" || s == "suspended"; }

}  // namespace netops::users
