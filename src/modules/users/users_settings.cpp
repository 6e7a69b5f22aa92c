#include "modules/users/users_settings.hpp"

// GCC 12 reports a false -Wstringop-overread inside libstdc++'s std::string here (the family of GCC bugs
// 105329/105651 that CMakeLists.txt already silences for the other warnings of it).
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ < 13
#pragma GCC diagnostic ignored "-Wstringop-overread"
#endif

#include <cctype>

namespace netops::users {

const ConfigSection<UsersSettings>& users_section() {
  static const ConfigSection<UsersSettings> s{
      "users",
      {{"NETOPS_ADMIN_EMAIL", "admin@localhost", "first super_admin's email"},
       {"NETOPS_ADMIN_PASSWORD", "(generated, printed once)", "first super_admin's password (>= 10 chars)"}},
      [](ConfigReader& r, UsersSettings& s) {
        if (auto v = r.str("NETOPS_ADMIN_EMAIL")) {
          if (v->find('@') == std::string::npos) r.problem("NETOPS_ADMIN_EMAIL: must be an email address");
          s.admin_email = *v;
        }
        for (auto& ch : s.admin_email) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        if (auto v = r.str("NETOPS_ADMIN_PASSWORD")) {
          if (v->size() < 10) r.problem("NETOPS_ADMIN_PASSWORD: must be at least 10 characters");
          s.admin_password = *v;
        }
      }};
  return s;
}

}  // namespace netops::users
