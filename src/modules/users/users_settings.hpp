#pragma once
#include <optional>
#include <string>

#include "core/config.hpp"

namespace netops::users {

struct UsersSettings {
  std::string admin_email = "admin@localhost";  // the first super_admin, created while users is empty
  std::optional<std::string> admin_password;   // unset: generated and printed once
};
const ConfigSection<UsersSettings>& users_section();

}  // namespace netops::users
