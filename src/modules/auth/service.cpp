#include "modules/auth/service.hpp"

#include "core/password.hpp"

namespace netops::auth {

Task<std::optional<FirstAdmin>> AuthService::bootstrap_admin() {
  if (co_await repo_.count_users() > 0) co_return std::nullopt;
  FirstAdmin admin{ctx_.config.admin_email, std::nullopt};
  std::string password = ctx_.config.admin_password.value_or("");
  if (password.empty()) {
    password = generate_password();
    admin.generated_password = password;
  }
  auto hash_it = [password] { return hash_password(password); };  // named: GCC 12 mishandles temporaries in co_await
  auto hash = co_await ctx_.blocking.run(std::move(hash_it));
  if (!co_await repo_.insert_first_admin(admin.email, hash)) co_return std::nullopt;  // another instance won
  co_return admin;
}

}  // namespace netops::auth
