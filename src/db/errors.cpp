#include "db/errors.hpp"

#include <libpq-fe.h>
#include <spdlog/spdlog.h>

#include <string>

#include "core/error.hpp"

namespace netops::db {

namespace {

std::string field(const PGresult* res, int code) {
  const char* v = PQresultErrorField(res, code);
  return v ? std::string(v) : std::string();
}

// PostgreSQL localises messages (lc_messages), so this English match is best effort: a non-English
// server reports every foreign-key violation as 422.
bool still_referenced(const std::string& primary, const std::string& detail) {
  return primary.rfind("update or delete on table", 0) == 0 ||
         detail.find("is still referenced") != std::string::npos;
}

}  // namespace

[[noreturn]] void throw_unavailable() { throw AppError(ErrorCode::service_unavailable, "database unavailable"); }

[[noreturn]] void throw_pg_error(const PGresult* res, std::string_view label) {
  const std::string state = field(res, PG_DIAG_SQLSTATE);
  const std::string primary = field(res, PG_DIAG_MESSAGE_PRIMARY);
  const std::string detail = field(res, PG_DIAG_MESSAGE_DETAIL);
  const std::string constraint = field(res, PG_DIAG_CONSTRAINT_NAME);

  // The detail ("Key (email)=(a@b.c) already exists.") echoes the caller's own input back to them; it
  // goes into the response, never into a log line.
  if (state == "23505")
    throw AppError(ErrorCode::conflict, detail.empty() ? "duplicate value" : detail, {{"constraint", constraint}});
  if (state == "23503") {
    if (still_referenced(primary, detail))
      throw AppError(ErrorCode::conflict, detail.empty() ? "row is still referenced" : detail,
                     {{"constraint", constraint}, {"table", field(res, PG_DIAG_TABLE_NAME)}});
    throw AppError(ErrorCode::unprocessable, detail.empty() ? "referenced row does not exist" : detail,
                   {{"constraint", constraint}});
  }
  if (state == "23514")
    throw AppError(ErrorCode::validation, "value violates check constraint \"" + constraint + "\"",
                   {{"constraint", constraint}});
  if (state == "23502") {
    const std::string column = field(res, PG_DIAG_COLUMN_NAME);
    throw AppError(ErrorCode::validation, column + " must not be null", {{"column", column}});
  }
  // Malformed or out-of-range input (bad uuid, date, number, too long a string).
  if (state == "22P02" || state == "22007" || state == "22008" || state == "22003" || state == "22001")
    throw AppError(ErrorCode::validation, primary.empty() ? "invalid value" : primary);
  if (state == "40001" || state == "40P01") throw AppError(ErrorCode::conflict, "concurrent update, retry");
  if (state == "55P03") throw AppError(ErrorCode::conflict, "row is locked by another transaction, retry");
  if (state == "57014") throw AppError(ErrorCode::service_unavailable, "database query timed out");

  // Only the primary message: details and hints may quote row values.
  spdlog::error("db: statement `{}` failed: SQLSTATE {}: {}", label, state.empty() ? "?" : state, primary);
  throw AppError(ErrorCode::internal, "internal error");
}

}  // namespace netops::db
