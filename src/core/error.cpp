#include "core/error.hpp"

#include "core/upstream_error.hpp"

namespace netops {

namespace {
struct Entry {
  int status;
  std::string_view name;
};

Entry entry(ErrorCode code) {
  switch (code) {
    case ErrorCode::validation: return {400, "VALIDATION_ERROR"};
    case ErrorCode::unauthorized: return {401, "UNAUTHORIZED"};
    case ErrorCode::forbidden: return {403, "FORBIDDEN"};
    case ErrorCode::not_found: return {404, "NOT_FOUND"};
    case ErrorCode::method_not_allowed: return {405, "METHOD_NOT_ALLOWED"};
    case ErrorCode::conflict: return {409, "CONFLICT"};
    case ErrorCode::precondition_failed: return {412, "PRECONDITION_FAILED"};
    case ErrorCode::payload_too_large: return {413, "PAYLOAD_TOO_LARGE"};
    case ErrorCode::unsupported_media: return {415, "UNSUPPORTED_MEDIA_TYPE"};
    case ErrorCode::unprocessable: return {422, "UNPROCESSABLE"};
    case ErrorCode::not_enough_stock: return {422, "NOT_ENOUGH_STOCK"};
    case ErrorCode::rate_limited: return {429, "RATE_LIMITED"};
    case ErrorCode::budget_exceeded: return {429, "BUDGET_EXCEEDED"};
    case ErrorCode::internal: return {500, "INTERNAL_ERROR"};
    case ErrorCode::not_implemented: return {501, "NOT_IMPLEMENTED"};
    case ErrorCode::upstream_error: return {502, "UPSTREAM_ERROR"};
    case ErrorCode::no_provider: return {503, "NO_PROVIDER"};
    case ErrorCode::service_unavailable: return {503, "SERVICE_UNAVAILABLE"};
    case ErrorCode::upstream_timeout: return {504, "UPSTREAM_TIMEOUT"};
  }
  return {500, "INTERNAL_ERROR"};
}
}  // namespace

int http_status(ErrorCode code) { return entry(code).status; }
std::string_view code_name(ErrorCode code) { return entry(code).name; }

ErrorCode upstream_error_code(UpstreamFailure kind) {
  switch (kind) {
    case UpstreamFailure::failed: return ErrorCode::upstream_error;
    case UpstreamFailure::timed_out: return ErrorCode::upstream_timeout;
    case UpstreamFailure::unavailable: return ErrorCode::no_provider;
  }
  return ErrorCode::upstream_error;
}

nlohmann::json error_object(ErrorCode code, std::string message) {
  return {{"code", code_name(code)}, {"message", std::move(message)}};
}

AppError NotFound(std::string what) { return AppError(ErrorCode::not_found, what + " not found"); }
AppError Conflict(std::string message, nlohmann::json details) {
  return AppError(ErrorCode::conflict, std::move(message), std::move(details));
}
AppError Unprocessable(std::string message, nlohmann::json details) {
  return AppError(ErrorCode::unprocessable, std::move(message), std::move(details));
}
AppError Forbidden(std::string message) { return AppError(ErrorCode::forbidden, std::move(message)); }
AppError Unauthorized(std::string message) { return AppError(ErrorCode::unauthorized, std::move(message)); }
AppError ValidationError(std::string field, std::string issue) {
  Validation v;
  v.add(std::move(field), std::move(issue));
  return AppError(ErrorCode::validation, "request is invalid", {{"errors", v.errors()}});
}
AppError NotImplemented(std::string what) {
  return AppError(ErrorCode::not_implemented, std::move(what) + " is not implemented yet");
}

void Validation::add(std::string field, std::string issue) {
  errors_.push_back({{"field", std::move(field)}, {"issue", std::move(issue)}});
}

void Validation::throw_if_any(std::string message) const {
  if (errors_.empty()) return;
  std::string m = std::move(message);
  if (errors_.size() == 1) m = errors_[0]["field"].get<std::string>() + ": " + errors_[0]["issue"].get<std::string>();
  throw AppError(ErrorCode::validation, m, {{"errors", errors_}});
}

nlohmann::json error_envelope(const AppError& e, std::string_view request_id) {
  nlohmann::json err = error_object(e.code(), e.what());
  if (!e.details().is_null() && !e.details().empty()) err["details"] = e.details();
  return {{"error", std::move(err)}, {"requestId", request_id}};
}

}  // namespace netops
