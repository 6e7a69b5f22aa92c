#pragma once
// Upstream (LLM provider) failures in the one error vocabulary of core/error.hpp; defined in error.cpp
// beside the status and code mapping. (A header of its own so that error.hpp, included everywhere, stays
// as it is.)
#include <nlohmann/json.hpp>
#include <string>

#include "core/error.hpp"

namespace netops {

// How a call to an upstream failed, as the gateway and chat report it to their client.
enum class UpstreamFailure {
  failed,       // an error answer, a broken connection, a stream that ended half-way → 502 UPSTREAM_ERROR
  timed_out,    // no answer in time                                                → 504 UPSTREAM_TIMEOUT
  unavailable,  // nothing could be called (every target's circuit breaker open)    → 503 NO_PROVIDER
};
ErrorCode upstream_error_code(UpstreamFailure kind);

// {"code": "<CODE>", "message": …}: the error object of the envelope (error_envelope), also sent inside an
// SSE event when a stream fails after its response began (no status can change then).
nlohmann::json error_object(ErrorCode code, std::string message);

}  // namespace netops
