#pragma once
// The one place where PostgreSQL errors become AppErrors (db-internal; services only see AppError).
#include <string_view>

struct pg_result;

namespace netops::db {

// Maps the SQLSTATE of a failed statement to an AppError. `label` names the statement in logs (the
// query name, or the start of dynamic SQL); parameter values never reach the log.
[[noreturn]] void throw_pg_error(const pg_result* res, std::string_view label);

// The error every connection-level failure turns into; the libpq message is logged, never returned.
[[noreturn]] void throw_unavailable();

}  // namespace netops::db
