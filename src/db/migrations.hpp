#pragma once
// Plain SQL files of db/migrations, embedded into the binary (cmake/embed_sql.cmake), applied in
// file-name order under a PostgreSQL advisory lock, each in its own transaction, recorded in
// schema_migrations. Safe on every start and from several instances at once.
#include <string>
#include <vector>

#include "core/task.hpp"

namespace netops::db {

struct Migration {
  std::string name;  // file name, e.g. "0001_core.sql"; the version recorded in schema_migrations
  std::string sql;
};

const std::vector<Migration>& embedded_migrations();

class Db;
// Applies what is missing; returns the names applied by this call (empty when up to date).
Task<std::vector<std::string>> migrate(Db& db, const std::vector<Migration>& all = embedded_migrations());
// True when every embedded migration is recorded in schema_migrations.
Task<bool> migrations_applied(Db& db, const std::vector<Migration>& all = embedded_migrations());

}  // namespace netops::db
