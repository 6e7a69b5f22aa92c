#include "llm/url.hpp"

#include <arpa/inet.h>

#include <charconv>
#include <stdexcept>

namespace netops::llm {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

[[noreturn]] void bad(std::string_view url, const char* why) {
  // The URL may carry a key in its query, so only its start is quoted.
  throw std::invalid_argument(std::string("bad upstream url (") + why + "): " +
                              std::string(url.substr(0, url.find_first_of("?#"))));
}

bool is_ipv6(const std::string& h) {
  unsigned char buf[16];
  return inet_pton(AF_INET6, h.c_str(), buf) == 1;
}

}  // namespace

std::string UpstreamUrl::host_header() const {
  std::string h = is_ipv6(host) ? "[" + host + "]" : host;
  if (port != (tls ? 443 : 80)) h += ":" + std::to_string(port);
  return h;
}

std::string UpstreamUrl::origin() const {
  std::string h = is_ipv6(host) ? "[" + host + "]" : host;
  return (tls ? "https://" : "http://") + h + ":" + std::to_string(port);
}

bool UpstreamUrl::host_is_ip() const {
  unsigned char buf[16];
  return is_ipv6(host) || inet_pton(AF_INET, host.c_str(), buf) == 1;
}

UpstreamUrl parse_url(std::string_view url) {
  UpstreamUrl u;
  auto sep = url.find("://");
  if (sep == std::string_view::npos) bad(url, "no scheme");
  std::string scheme = lower(url.substr(0, sep));
  if (scheme == "https")
    u.tls = true;
  else if (scheme != "http")
    bad(url, "scheme must be http or https");
  std::string_view rest = url.substr(sep + 3);
  auto path_at = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, path_at);
  std::string_view target = path_at == std::string_view::npos ? std::string_view() : rest.substr(path_at);
  if (auto hash = target.find('#'); hash != std::string_view::npos) target = target.substr(0, hash);
  if (authority.find('@') != std::string_view::npos) bad(url, "user info is not supported");

  std::string_view host = authority, port;
  if (!authority.empty() && authority.front() == '[') {
    auto close = authority.find(']');
    if (close == std::string_view::npos) bad(url, "unclosed IPv6 literal");
    host = authority.substr(1, close - 1);
    auto after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') bad(url, "junk after IPv6 literal");
      port = after.substr(1);
    }
    if (!is_ipv6(std::string(host))) bad(url, "bad IPv6 literal");
  } else if (auto colon = authority.find(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  if (host.empty()) bad(url, "no host");
  for (char c : host)
    if (static_cast<unsigned char>(c) <= ' ' || c == '/' || c == '\\' || c == '%') bad(url, "bad host");
  u.host = lower(host);
  u.port = u.tls ? 443 : 80;
  if (!port.empty()) {
    unsigned v = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), v);
    if (ec != std::errc{} || end != port.data() + port.size() || v == 0 || v > 65535) bad(url, "bad port");
    u.port = static_cast<std::uint16_t>(v);
  }
  if (target.empty())
    u.target = "/";
  else if (target.front() == '?')
    u.target = "/" + std::string(target);
  else
    u.target = std::string(target);
  for (char c : u.target)
    if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f) bad(url, "whitespace or control byte in path");
  return u;
}

}  // namespace netops::llm
