#include "db/migrations.hpp"

#include <spdlog/spdlog.h>

#include <exception>
#include <map>
#include <optional>
#include <set>

#include "core/error.hpp"
#include "core/ids.hpp"
#include "db/connection.hpp"
#include "db/db.hpp"

namespace netops::db {

namespace {

// One key for every instance of the gateway ("netopsMG"), so concurrent starts apply migrations once.
constexpr long long kLockKey = 0x6E65746F70734D47;

constexpr std::string_view kCreateTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY, "
    "applied_at TIMESTAMPTZ NOT NULL DEFAULT now(), checksum TEXT)";
constexpr Query kApplied{"migrations.applied", "SELECT version, checksum FROM schema_migrations"};
constexpr Query kRecord{"migrations.record", "INSERT INTO schema_migrations (version, checksum) VALUES ($1, $2)"};

// Runs inside the advisory lock on `c`.
Task<std::vector<std::string>> apply_missing(Connection& c, const std::vector<Migration>& all) {
  co_await c.exec_script(kCreateTable);
  std::map<std::string, std::optional<std::string>> done;
  for (auto row : co_await c.query(kApplied, Params{}))
    done.emplace(row.get<std::string>(0), row.opt<std::string>(1));

  std::vector<std::string> applied;
  for (const auto& m : all) {
    const std::string checksum = sha256_hex(m.sql);
    if (auto it = done.find(m.name); it != done.end()) {
      if (it->second && *it->second != checksum)
        spdlog::warn("db: migration {} changed after it was applied (checksum differs); not re-applied", m.name);
      continue;
    }
    std::string error;
    try {
      co_await c.exec_script("BEGIN");
      co_await c.exec_script(m.sql);
      co_await c.query(kRecord, Params(m.name, checksum));
      co_await c.exec_script("COMMIT");
    } catch (const std::exception& e) {
      error = c.last_error().empty() ? e.what() : c.last_error();
    }
    if (!error.empty()) {
      if (!c.broken() && c.in_transaction()) {
        try {
          co_await c.exec_script("ROLLBACK");
        } catch (...) {
          c.mark_broken();  // closing the session rolls back and releases the advisory lock
        }
      }
      throw AppError(ErrorCode::internal, "migration " + m.name + " failed: " + error);
    }
    spdlog::info("db: applied migration {}", m.name);
    applied.push_back(m.name);
  }
  co_return applied;
}

}  // namespace

Task<std::vector<std::string>> migrate(Db& db, const std::vector<Migration>& all) {
  Lease lease = co_await db.acquire();
  Connection& c = *lease;
  // Schema changes may legitimately take longer than a request, and the lock may wait for another
  // instance's migrations: lift the per-statement timeout for this session, restore it after.
  co_await c.exec_script("SET statement_timeout = 0");
  co_await c.exec_script("SELECT pg_advisory_lock(" + std::to_string(kLockKey) + ")");
  std::exception_ptr failure;
  std::vector<std::string> applied;
  try {
    applied = co_await apply_missing(c, all);
  } catch (...) {
    failure = std::current_exception();
  }
  if (!c.broken()) {
    try {
      co_await c.exec_script("SELECT pg_advisory_unlock(" + std::to_string(kLockKey) +
                             "); RESET statement_timeout");
    } catch (...) {
      c.mark_broken();  // the lock dies with the session
    }
  }
  if (failure) std::rethrow_exception(failure);
  co_return applied;
}

Task<bool> migrations_applied(Db& db, const std::vector<Migration>& all) {
  auto present = co_await db.query(std::string_view("SELECT to_regclass('schema_migrations') IS NOT NULL"));
  if (!present.front().get<bool>(0)) co_return false;
  std::set<std::string> done;
  for (auto row : co_await db.query(std::string_view("SELECT version FROM schema_migrations")))
    done.insert(row.get<std::string>(0));
  for (const auto& m : all)
    if (!done.contains(m.name)) co_return false;
  co_return true;
}

}  // namespace netops::db
