#pragma once
// Who is asking. The HTTP pipeline builds one Caller per request (identity from the credential, request id,
// client address and user agent from the connection); services receive it and never see the request.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/tier.hpp"

namespace netops {

enum class Role { anonymous = 0, user = 1, admin = 2, super_admin = 3 };
std::string_view role_name(Role r);
std::optional<Role> parse_role(std::string_view s);  // user | admin | super_admin

struct Caller {
  std::string user_id;  // empty: anonymous
  Role role = Role::anonymous;
  Tier tier = Tier::free;
  std::string session_id;  // set for a session token
  std::string api_key_id;  // set for an API key
  std::string request_id;  // the correlation id of audit and event rows
  std::string remote_ip;
  std::string user_agent;  // cleaned, at most 512 bytes (it is stored in sessions and audit rows)
  // When the request's first byte arrived (steady clock; default: unknown). In-process caches use it to
  // serve a copy without re-checking what another check since then already established.
  std::chrono::steady_clock::time_point received{};

  bool authenticated() const { return !user_id.empty(); }
  bool at_least(Role r) const { return static_cast<int>(role) >= static_cast<int>(r); }
};

}  // namespace netops
