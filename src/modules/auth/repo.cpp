#include "modules/auth/repo.hpp"

namespace netops::auth {

namespace q {
constexpr db::Query kCountUsers{"auth.count_users", "SELECT count(*) FROM users"};
constexpr db::Query kInsertFirstAdmin{
    "auth.insert_first_admin",
    "INSERT INTO users (email, name, username, password_hash, role, tier, status, is_active) "
    "SELECT $1, 'Administrator', 'admin', $2, 'super_admin', 'unlimited', 'active', true "
    "WHERE NOT EXISTS (SELECT 1 FROM users) ON CONFLICT DO NOTHING RETURNING id"};
}  // namespace q

Task<std::int64_t> AuthRepo::count_users() {
  auto r = co_await db_.query(q::kCountUsers);
  co_return r.front().get<std::int64_t>(0);
}

Task<bool> AuthRepo::insert_first_admin(const std::string& email, const std::string& password_hash) {
  auto r = co_await db_.query(q::kInsertFirstAdmin, db::Params(email, password_hash));
  co_return !r.empty();
}

}  // namespace netops::auth
