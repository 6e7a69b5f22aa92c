#pragma once
// Upstream URLs: http:// and https:// only, as the HTTP client needs them.
#include <cstdint>
#include <string>
#include <string_view>

namespace netops::llm {

struct UpstreamUrl {
  bool tls = false;
  std::string host;       // lower-cased; an IPv6 literal without its brackets
  std::uint16_t port = 0;  // the scheme's default when the URL has none
  std::string target;     // path + query, "/" when empty; never the fragment
  std::string host_header() const;  // host[:port] as the Host header wants it (port only when not default)
  std::string origin() const;       // scheme://host:port — the pool key, and what error messages name
  bool host_is_ip() const;
};

// Throws std::invalid_argument on anything else (other schemes, user info, bad ports).
UpstreamUrl parse_url(std::string_view url);

}  // namespace netops::llm
