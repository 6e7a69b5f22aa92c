#pragma once
#include <optional>
#include <string>

#include "db/db.hpp"
#include "db/page.hpp"
#include "modules/users/types.hpp"

namespace netops::users {

class UserRepo {
 public:
  explicit UserRepo(db::Db& db) : db_(db) {}
  Task<std::optional<User>> find(const std::string& id);
  Task<std::optional<User>> lock(db::Tx& tx, const std::string& id);  // SELECT … FOR UPDATE
  Task<std::optional<User>> find_by_login(const std::string& email_or_username);
  Task<bool> any();
  // The first super_admin, only while the table is empty; false when a user exists (another instance won).
  Task<bool> insert_first_admin(const std::string& email, const std::string& password_hash);
  Task<User> insert(db::Tx& tx, const NewUser& u);
  Task<User> update(db::Tx& tx, const std::string& id, const UserPatch& p);
  Task<void> set_password(db::Tx& tx, const std::string& id, const std::string& hash);
  Task<void> touch_login(const std::string& id);
  Task<void> remove(db::Tx& tx, const std::string& id);
  Task<db::Page<User>> list(const UserFilter& f, const db::PageRequest& p, const db::Sort& s);

 private:
  db::Db& db_;
};

}  // namespace netops::users
