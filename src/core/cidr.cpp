#include "core/cidr.hpp"

#include <arpa/inet.h>

#include <charconv>
#include <stdexcept>

namespace netops {

namespace {
std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}
}  // namespace

std::optional<std::array<std::uint8_t, 16>> parse_ip(std::string_view text) {
  text = trim(text);
  if (text.size() > 2 && text.front() == '[' && text.back() == ']') text = text.substr(1, text.size() - 2);
  if (text.empty() || text.size() > 45) return std::nullopt;
  std::string s(text);
  std::array<std::uint8_t, 16> out{};
  std::uint8_t v4[4];
  if (inet_pton(AF_INET, s.c_str(), v4) == 1) {
    out[10] = out[11] = 0xff;
    for (int i = 0; i < 4; ++i) out[12 + i] = v4[i];
    return out;
  }
  if (inet_pton(AF_INET6, s.c_str(), out.data()) == 1) return out;
  return std::nullopt;
}

std::optional<IpNetwork> parse_network(std::string_view text) {
  text = trim(text);
  auto slash = text.find('/');
  auto ip = parse_ip(text.substr(0, slash));
  if (!ip) return std::nullopt;
  bool v4 = text.substr(0, slash).find(':') == std::string_view::npos;
  IpNetwork n;
  n.bytes = *ip;
  n.prefix = 128;
  if (slash != std::string_view::npos) {
    auto p = text.substr(slash + 1);
    int bits = -1;
    auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), bits);
    if (ec != std::errc() || end != p.data() + p.size() || bits < 0 || bits > (v4 ? 32 : 128)) return std::nullopt;
    n.prefix = v4 ? 96 + bits : bits;
  }
  return n;
}

bool IpNetwork::contains(const std::array<std::uint8_t, 16>& ip) const {
  int full = prefix / 8, rest = prefix % 8;
  for (int i = 0; i < full; ++i)
    if (ip[i] != bytes[i]) return false;
  if (rest == 0) return true;
  std::uint8_t mask = static_cast<std::uint8_t>(0xff << (8 - rest));
  return (ip[full] & mask) == (bytes[full] & mask);
}

TrustedProxies TrustedProxies::parse(std::string_view list) {
  std::vector<IpNetwork> nets;
  while (!list.empty()) {
    auto comma = list.find(',');
    auto item = trim(list.substr(0, comma));
    if (!item.empty()) {
      auto n = parse_network(item);
      if (!n) throw std::invalid_argument("not an IP address or CIDR network: \"" + std::string(item) + "\"");
      nets.push_back(*n);
    }
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return TrustedProxies(std::move(nets));
}

bool TrustedProxies::trusted(std::string_view ip) const {
  auto a = parse_ip(ip);
  if (!a) return false;
  for (auto& n : nets_)
    if (n.contains(*a)) return true;
  return false;
}

std::string TrustedProxies::client_ip(std::string_view peer, std::optional<std::string_view> forwarded_for) const {
  if (nets_.empty() || !forwarded_for || !trusted(peer)) return std::string(peer);
  std::string_view xff = *forwarded_for;
  std::string chosen(peer);
  while (!xff.empty()) {
    auto comma = xff.rfind(',');
    auto item = trim(comma == std::string_view::npos ? xff : xff.substr(comma + 1));
    if (!parse_ip(item)) break;
    chosen = std::string(item);
    if (!trusted(item)) break;
    if (comma == std::string_view::npos) break;
    xff = xff.substr(0, comma);
  }
  return chosen;
}

}  // namespace netops
