#include "core/caller.hpp"

namespace netops {

std::string_view role_name(Role r) {
  switch (r) {
    case Role::anonymous: return "anonymous";
    case Role::user: return "user";
    case Role::admin: return "admin";
    case Role::super_admin: return "super_admin";
  }
  return "anonymous";
}

std::optional<Role> parse_role(std::string_view s) {
  if (s == "user") return Role::user;
  if (s == "admin") return Role::admin;
  if (s == "super_admin") return Role::super_admin;
  return std::nullopt;
}

std::string_view tier_name(Tier t) {
  switch (t) {
    case Tier::free: return "free";
    case Tier::pro: return "pro";
    case Tier::enterprise: return "enterprise";
    case Tier::unlimited: return "unlimited";
  }
  return "free";
}

std::optional<Tier> parse_tier(std::string_view s) {
  for (auto t : kTiers)
    if (tier_name(t) == s) return t;
  return std::nullopt;
}

std::string_view tier_names_text() { return "free, pro, enterprise or unlimited"; }

}  // namespace netops
