#pragma once
// The HTTP shape of a Served value: which model answered, as the x-netops-* response headers. Routes (the
// completions route here, chat's message route) add them; the service only returns the typed value.
#include "http/response.hpp"
#include "modules/gateway/gateway_service.hpp"

namespace netops::gateway {

// Defined out of line: inlined into some routes, GCC 12 reports a false stringop-overread inside std::string.
void add_served_headers(http::Response& r, const Served& s);

}  // namespace netops::gateway
