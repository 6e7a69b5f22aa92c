#pragma once
#include <optional>
#include <string>

#include "app/context.hpp"
#include "modules/auth/repo.hpp"

namespace netops::auth {

struct FirstAdmin {
  std::string email;
  std::optional<std::string> generated_password;  // set only when we generated it
};

class AuthService {
 public:
  explicit AuthService(AppContext& ctx) : ctx_(ctx), repo_(ctx.db) {}
  // Creates the first super_admin when the users table is empty; nullopt when users already exist.
  Task<std::optional<FirstAdmin>> bootstrap_admin();

 private:
  AppContext& ctx_;
  AuthRepo repo_;
};

}  // namespace netops::auth
