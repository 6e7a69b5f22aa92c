#pragma once
// The HTTP shape of a Served value: which model answered, as the x-netops-* response headers. Routes (the
// completions route here, chat's message route) add them; the service only returns the typed value.
#include "http/response.hpp"
#include "modules/gateway/gateway_service.hpp"

namespace netops::gateway {

inline void add_served_headers(http::Response& r, const Served& s) {
  r.header("x-netops-model", s.model)
      .header("x-netops-provider", s.provider)
      .header("x-netops-tier", std::to_string(s.tier))
      .header("x-netops-attempts", std::to_string(s.attempts))
      .header("x-netops-escalated", s.escalated ? "true" : "false");
}

}  // namespace netops::gateway
