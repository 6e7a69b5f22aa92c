#include "modules/gateway/served_headers.hpp"

#include <string>

namespace netops::gateway {

void add_served_headers(http::Response& r, const Served& s) {
  r.header("x-netops-model", s.model)
      .header("x-netops-provider", s.provider)
      .header("x-netops-tier", std::to_string(s.tier))
      .header("x-netops-attempts", std::to_string(s.attempts))
      .header("x-netops-escalated", s.escalated ? "true" : "false");
}

}  // namespace netops::gateway
