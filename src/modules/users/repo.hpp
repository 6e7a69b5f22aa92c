#pragma once
#include <optional>
#include <string>
#include <vector>

#include "db/db.hpp"
#include "http/listing.hpp"
#include "modules/users/types.hpp"

namespace netops::users {

struct NewUser {
  std::string email, name;
  std::optional<std::string> username;
  std::string password_hash, role = "user", tier = "free";
};

struct UserPatch {
  std::optional<std::string> name, role, tier, status;
  std::optional<bool> is_active;
};

struct UserFilter {
  std::optional<std::string> role, tier, status, search;
  std::optional<bool> is_active;
};

class UserRepo {
 public:
  explicit UserRepo(db::Db& db) : db_(db) {}
  Task<std::optional<User>> find(const std::string& id);
  Task<std::optional<User>> lock(db::Tx& tx, const std::string& id);  // SELECT … FOR UPDATE
  Task<std::optional<User>> find_by_login(const std::string& email_or_username);
  Task<User> insert(db::Tx& tx, const NewUser& u);
  Task<User> update(db::Tx& tx, const std::string& id, const UserPatch& p);
  Task<void> set_password(db::Tx& tx, const std::string& id, const std::string& hash);
  Task<void> touch_login(const std::string& id);
  Task<void> remove(db::Tx& tx, const std::string& id);
  Task<std::pair<std::vector<User>, long long>> list(const UserFilter& f, const http::Paging& p,
                                                     const http::Sort& s);

 private:
  db::Db& db_;
};

}  // namespace netops::users
