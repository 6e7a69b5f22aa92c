#include "modules/users/users_repo.hpp"

#include "db/where.hpp"

namespace netops::users {

namespace q {
const std::string kSelect = std::string("SELECT ") + kUserColumns + " FROM users";
const std::string kFindSql = kSelect + " WHERE id = $1";
const std::string kLockSql = kSelect + " WHERE id = $1 FOR UPDATE";
const std::string kLoginSql = kSelect + " WHERE email = lower($1) OR username = $1 ORDER BY (email = lower($1)) DESC LIMIT 1";
const std::string kInsertSql = std::string("INSERT INTO users (email, name, username, password_hash, role, tier) "
                                           "VALUES (lower($1), $2, $3, $4, $5, $6) RETURNING ") + kUserColumns;
const std::string kUpdateSql = std::string(
    "UPDATE users SET name = COALESCE($2, name), role = COALESCE($3, role), tier = COALESCE($4, tier), "
    "status = COALESCE($5, status), is_active = COALESCE($6, is_active), updated_at = now() "
    "WHERE id = $1 RETURNING ") + kUserColumns;
const std::string kListSql = std::string("SELECT ") + kUserColumns + ", count(*) OVER () AS total FROM users";
const db::Query kFind{"users.find", kFindSql};
const db::Query kLock{"users.lock", kLockSql};
const db::Query kFindByLogin{"users.find_by_login", kLoginSql};
const db::Query kInsert{"users.insert", kInsertSql};
const db::Query kUpdate{"users.update", kUpdateSql};
constexpr db::Query kSetPassword{"users.set_password",
                                 "UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1"};
constexpr db::Query kTouchLogin{"users.touch_login", "UPDATE users SET last_login_at = now() WHERE id = $1"};
constexpr db::Query kDelete{"users.delete", "DELETE FROM users WHERE id = $1"};
constexpr db::Query kAny{"users.any", "SELECT EXISTS (SELECT 1 FROM users)"};
constexpr db::Query kInsertFirstAdmin{
    "users.insert_first_admin",
    "INSERT INTO users (email, name, username, password_hash, role, tier, status, is_active) "
    "SELECT $1, 'Administrator', 'admin', $2, 'super_admin', 'unlimited', 'active', true "
    "WHERE NOT EXISTS (SELECT 1 FROM users) ON CONFLICT DO NOTHING RETURNING id"};
}  // namespace q

namespace {
std::optional<User> first(const db::Result& r) {
  if (r.empty()) return std::nullopt;
  return user_from_row(r.front());
}
std::optional<std::string> role_text(const std::optional<Role>& r) {
  if (!r) return std::nullopt;
  return std::string(role_name(*r));
}
std::optional<std::string> tier_text(const std::optional<Tier>& t) {
  if (!t) return std::nullopt;
  return std::string(tier_name(*t));
}
}  // namespace

Task<std::optional<User>> UserRepo::find(const std::string& id) {
  co_return first(co_await db_.query(q::kFind, db::Params(id)));
}

Task<std::optional<User>> UserRepo::lock(db::Tx& tx, const std::string& id) {
  co_return first(co_await tx.query(q::kLock, db::Params(id)));
}

Task<std::optional<User>> UserRepo::find_by_login(const std::string& login) {
  co_return first(co_await db_.query(q::kFindByLogin, db::Params(login)));
}

Task<bool> UserRepo::any() {
  auto r = co_await db_.query(q::kAny);
  co_return r.front().get<bool>(0);
}

Task<bool> UserRepo::insert_first_admin(const std::string& email, const std::string& password_hash) {
  auto r = co_await db_.query(q::kInsertFirstAdmin, db::Params(email, password_hash));
  co_return !r.empty();
}

Task<User> UserRepo::insert(db::Tx& tx, const NewUser& u) {
  auto r = co_await tx.query(q::kInsert, db::Params(u.email, u.name, u.username, u.password_hash,
                                                    std::string(role_name(u.role)), std::string(tier_name(u.tier))));
  co_return user_from_row(r.front());
}

Task<User> UserRepo::update(db::Tx& tx, const std::string& id, const UserPatch& p) {
  auto r = co_await tx.query(q::kUpdate,
                             db::Params(id, p.name, role_text(p.role), tier_text(p.tier), p.status, p.is_active));
  co_return user_from_row(r.front());
}

Task<void> UserRepo::set_password(db::Tx& tx, const std::string& id, const std::string& hash) {
  co_await tx.query(q::kSetPassword, db::Params(id, hash));
}

Task<void> UserRepo::touch_login(const std::string& id) { co_await db_.query(q::kTouchLogin, db::Params(id)); }

Task<void> UserRepo::remove(db::Tx& tx, const std::string& id) { co_await tx.query(q::kDelete, db::Params(id)); }

Task<db::Page<User>> UserRepo::list(const UserFilter& f, const db::PageRequest& p, const db::Sort& s) {
  db::Where w;
  w.eq("role", f.role).eq("tier", f.tier).eq("status", f.status).eq("is_active", f.is_active);
  if (f.search) w.add("(email ILIKE {} OR name ILIKE {} OR username ILIKE {})", db::like_contains(*f.search));
  auto sql = q::kListSql + w.sql() + w.order_and_window(s, p);
  auto rows = co_await db_.query(sql, w.take_params());
  co_return db::page_of<User>(rows, p, [](const db::Row& r) { return user_from_row(r); });
}

}  // namespace netops::users
