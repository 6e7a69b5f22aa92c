#pragma once
// One error vocabulary: every failure a request can meet is an AppError with an ErrorCode.
// The code decides the HTTP status and the envelope's "code" string (error.cpp holds the only mapping).
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <string_view>

namespace netops {

enum class ErrorCode {
  validation,           // 400 VALIDATION_ERROR
  unauthorized,         // 401 UNAUTHORIZED
  forbidden,            // 403 FORBIDDEN
  not_found,            // 404 NOT_FOUND
  method_not_allowed,   // 405 METHOD_NOT_ALLOWED
  conflict,             // 409 CONFLICT
  precondition_failed,  // 412 PRECONDITION_FAILED
  payload_too_large,    // 413 PAYLOAD_TOO_LARGE
  unsupported_media,    // 415 UNSUPPORTED_MEDIA_TYPE
  unprocessable,        // 422 UNPROCESSABLE
  not_enough_stock,     // 422 NOT_ENOUGH_STOCK
  rate_limited,         // 429 RATE_LIMITED
  budget_exceeded,      // 429 BUDGET_EXCEEDED
  internal,             // 500 INTERNAL_ERROR
  not_implemented,      // 501 NOT_IMPLEMENTED
  upstream_error,       // 502 UPSTREAM_ERROR
  no_provider,          // 503 NO_PROVIDER
  service_unavailable,  // 503 SERVICE_UNAVAILABLE
  upstream_timeout,     // 504 UPSTREAM_TIMEOUT
};

int http_status(ErrorCode code);
std::string_view code_name(ErrorCode code);

class AppError : public std::runtime_error {
 public:
  AppError(ErrorCode code, std::string message, nlohmann::json details = nlohmann::json::object())
      : std::runtime_error(std::move(message)), code_(code), details_(std::move(details)) {}
  ErrorCode code() const { return code_; }
  const nlohmann::json& details() const { return details_; }
  int status() const { return http_status(code_); }

 private:
  ErrorCode code_;
  nlohmann::json details_;
};

// Shorthands services throw; the HTTP layer turns every one into the SPEC §2 envelope.
AppError NotFound(std::string what);
AppError Conflict(std::string message, nlohmann::json details = nlohmann::json::object());
AppError Unprocessable(std::string message, nlohmann::json details = nlohmann::json::object());
AppError Forbidden(std::string message = "insufficient role");
AppError Unauthorized(std::string message = "authentication required");
AppError ValidationError(std::string field, std::string issue);
AppError NotImplemented(std::string what);

// Collects several field errors so a caller sees every problem at once.
class Validation {
 public:
  void add(std::string field, std::string issue);
  bool empty() const { return errors_.empty(); }
  void throw_if_any(std::string message = "request is invalid") const;
  const nlohmann::json& errors() const { return errors_; }

 private:
  nlohmann::json errors_ = nlohmann::json::array();
};

// The error envelope of SPEC §2.
nlohmann::json error_envelope(const AppError& e, std::string_view request_id);

}  // namespace netops
