#pragma once
// IP addresses and networks (CIDR) for NETOPS_TRUSTED_PROXIES, and the client address of a request
// that came through trusted proxies (X-Forwarded-For).
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace netops {

struct IpNetwork {
  std::array<std::uint8_t, 16> bytes{};  // IPv4 as IPv4-mapped IPv6 (::ffff:a.b.c.d)
  int prefix = 128;                      // over the 128-bit form
  bool contains(const std::array<std::uint8_t, 16>& ip) const;
};

// "10.0.0.1", "10.0.0.0/8", "::1", "fd00::/8"; nullopt when malformed.
std::optional<IpNetwork> parse_network(std::string_view text);
std::optional<std::array<std::uint8_t, 16>> parse_ip(std::string_view text);

class TrustedProxies {
 public:
  TrustedProxies() = default;
  explicit TrustedProxies(std::vector<IpNetwork> nets) : nets_(std::move(nets)) {}
  // Parses a comma-separated list; throws std::invalid_argument naming the bad entry.
  static TrustedProxies parse(std::string_view list);
  bool empty() const { return nets_.empty(); }
  bool trusted(std::string_view ip) const;
  // The client address: the TCP peer, unless the peer is a trusted proxy — then the rightmost address of
  // X-Forwarded-For that is not itself trusted (the leftmost when all are). Entries that are not IP
  // addresses end the walk (nothing left of a forged entry is believed).
  std::string client_ip(std::string_view peer, std::optional<std::string_view> forwarded_for) const;

 private:
  std::vector<IpNetwork> nets_;
};

}  // namespace netops
