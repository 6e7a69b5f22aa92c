#pragma once
#include <optional>
#include <string>

#include "db/db.hpp"

namespace netops::auth {

class AuthRepo {
 public:
  explicit AuthRepo(db::Db& db) : db_(db) {}
  Task<std::int64_t> count_users();
  // Inserts the first super_admin unless a user with that email exists; true when inserted.
  Task<bool> insert_first_admin(const std::string& email, const std::string& password_hash);

 private:
  db::Db& db_;
};

}  // namespace netops::auth
