#include "modules/users/repo.hpp"

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
const db::Query kFind{"users.find", kFindSql};
const db::Query kLock{"users.lock", kLockSql};
const db::Query kFindByLogin{"users.find_by_login", kLoginSql};
const db::Query kInsert{"users.insert", kInsertSql};
const db::Query kUpdate{"users.update", kUpdateSql};
constexpr db::Query kSetPassword{"users.set_password",
                                 "UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1"};
constexpr db::Query kTouchLogin{"users.touch_login", "UPDATE users SET last_login_at = now() WHERE id = $1"};
constexpr db::Query kDelete{"users.delete", "DELETE FROM users WHERE id = $1"};
}  // namespace q

namespace {
std::optional<User> first(const db::Result& r) {
  if (r.empty()) return std::nullopt;
  return user_from_row(r.front());
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

Task<User> UserRepo::insert(db::Tx& tx, const NewUser& u) {
  auto r = co_await tx.query(q::kInsert, db::Params(u.email, u.name, u.username, u.password_hash, u.role, u.tier));
  co_return user_from_row(r.front());
}

Task<User> UserRepo::update(db::Tx& tx, const std::string& id, const UserPatch& p) {
  auto r = co_await tx.query(q::kUpdate, db::Params(id, p.name, p.role, p.tier, p.status, p.is_active));
  co_return user_from_row(r.front());
}

Task<void> UserRepo::set_password(db::Tx& tx, const std::string& id, const std::string& hash) {
  co_await tx.query(q::kSetPassword, db::Params(id, hash));
}

Task<void> UserRepo::touch_login(const std::string& id) { co_await db_.query(q::kTouchLogin, db::Params(id)); }

Task<void> UserRepo::remove(db::Tx& tx, const std::string& id) { co_await tx.query(q::kDelete, db::Params(id)); }

Task<std::pair<std::vector<User>, long long>> UserRepo::list(const UserFilter& f, const http::Paging& p,
                                                             const http::Sort& s) {
  db::Params params;
  std::string where = " WHERE true";
  if (f.role) where += " AND role = " + params.push(*f.role);
  if (f.tier) where += " AND tier = " + params.push(*f.tier);
  if (f.status) where += " AND status = " + params.push(*f.status);
  if (f.is_active) where += " AND is_active = " + params.push(*f.is_active);
  if (f.search) {
    auto ph = params.push(db::like_contains(*f.search));
    where += " AND (email ILIKE " + ph + " OR name ILIKE " + ph + " OR username ILIKE " + ph + ")";
  }
  std::string sql = std::string("SELECT ") + kUserColumns + ", count(*) OVER () AS total FROM users" + where +
                    " ORDER BY " + s.sql() + ", id LIMIT " + params.push(p.page_size) + " OFFSET " +
                    params.push(p.offset());
  auto rows = co_await db_.query(sql, std::move(params));
  std::vector<User> out;
  long long total = 0;
  for (auto r : rows) {
    total = r.get<std::int64_t>("total");
    out.push_back(user_from_row(r));
  }
  co_return std::make_pair(std::move(out), total);
}

}  // namespace netops::users
