#include "llm/egress.hpp"

#include <boost/asio/ip/address.hpp>
#include <charconv>
#include <atomic>
#include <stdexcept>

#include "core/error.hpp"
#include "llm/url.hpp"

namespace netops::llm {

namespace {

using Bytes = std::vector<unsigned char>;

std::optional<Bytes> bytes_of(std::string_view text) {
  boost::system::error_code ec;
  auto a = boost::asio::ip::make_address(std::string(text), ec);
  if (ec) return std::nullopt;
  if (a.is_v6() && a.to_v6().is_v4_mapped())  // ::ffff:169.254.169.254 is 169.254.169.254
    a = boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, a.to_v6());
  if (a.is_v4()) {
    auto b = a.to_v4().to_bytes();
    return Bytes(b.begin(), b.end());
  }
  auto b = a.to_v6().to_bytes();
  return Bytes(b.begin(), b.end());
}

bool in(const Bytes& a, const Bytes& net, int prefix) {
  if (a.size() != net.size()) return false;
  for (int i = 0; i < prefix; ++i) {
    unsigned mask = 0x80u >> (i % 8);
    if ((a[std::size_t(i / 8)] & mask) != (net[std::size_t(i / 8)] & mask)) return false;
  }
  return true;
}

struct Rule {
  const char* cidr;
  const char* what;
  bool always;  // refused by default; else only with deny_private
};

// Metadata first, so the message names the most specific rule.
const Rule kRules[] = {
    {"169.254.169.254/32", "a cloud metadata address", true},
    {"169.254.170.2/32", "a cloud metadata address", true},
    {"fd00:ec2::254/128", "a cloud metadata address", true},
    {"100.100.100.200/32", "a cloud metadata address", true},
    {"169.254.0.0/16", "link-local (169.254.0.0/16)", true},
    {"fe80::/10", "link-local (fe80::/10)", true},
    {"127.0.0.0/8", "loopback (127.0.0.0/8)", false},
    {"::1/128", "loopback (::1)", false},
    {"10.0.0.0/8", "private (10.0.0.0/8)", false},
    {"172.16.0.0/12", "private (172.16.0.0/12)", false},
    {"192.168.0.0/16", "private (192.168.0.0/16)", false},
    {"100.64.0.0/10", "shared address space (100.64.0.0/10)", false},
    {"fc00::/7", "private (fc00::/7)", false},
    {"0.0.0.0/8", "unspecified (0.0.0.0/8)", false},
    {"::/128", "unspecified (::)", false},
};

std::optional<EgressPolicy::Net> parse_net(std::string_view item) {
  auto slash = item.find('/');
  auto addr = bytes_of(item.substr(0, slash));
  if (!addr) return std::nullopt;
  int max = addr->size() == 4 ? 32 : 128, prefix = max;
  if (slash != std::string_view::npos) {
    auto p = item.substr(slash + 1);
    auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), prefix);
    if (p.empty() || ec != std::errc() || end != p.data() + p.size() || prefix < 0 || prefix > max) return std::nullopt;
  }
  return EgressPolicy::Net{std::move(*addr), prefix};
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Set once at start-up (tests may set it again): a replaced policy is never freed, so a reference
// handed out earlier stays valid.
std::atomic<const EgressPolicy*> current{new EgressPolicy()};

}  // namespace

EgressPolicy EgressPolicy::make(bool deny_private, std::string_view allow) {
  EgressPolicy p;
  p.deny_private = deny_private;
  while (!allow.empty()) {
    auto comma = allow.find(',');
    auto item = trim(allow.substr(0, comma));
    allow = comma == std::string_view::npos ? std::string_view() : allow.substr(comma + 1);
    if (item.empty()) continue;
    auto net = parse_net(item);
    if (!net)
      throw std::invalid_argument("NETOPS_EGRESS_ALLOW: '" + std::string(item) +
                                  "' is not an IP address or CIDR (e.g. 169.254.169.254 or 10.0.0.0/8)");
    p.allow.push_back(std::move(*net));
  }
  return p;
}

void set_egress_policy(EgressPolicy p) { current.store(new EgressPolicy(std::move(p)), std::memory_order_release); }

const EgressPolicy& egress_policy() { return *current.load(std::memory_order_acquire); }

std::optional<std::string> egress_refusal(std::string_view address, const EgressPolicy& p) {
  auto a = bytes_of(address);
  if (!a) return std::nullopt;  // not an address: nothing to say
  for (const auto& n : p.allow)
    if (in(*a, n.bytes, n.prefix)) return std::nullopt;
  for (const auto& r : kRules) {
    if (!r.always && !p.deny_private) continue;
    auto net = parse_net(r.cidr);
    if (net && in(*a, net->bytes, net->prefix))
      return std::string(address) + " is " + r.what + ": provider calls there are refused" +
             (r.always ? " (NETOPS_EGRESS_ALLOW can allow it)"
                       : " because NETOPS_EGRESS_DENY_PRIVATE=true (NETOPS_EGRESS_ALLOW can allow it)");
  }
  return std::nullopt;
}

std::optional<std::string> endpoint_egress_refusal(std::string_view url, const EgressPolicy& p) {
  UpstreamUrl u;
  try {
    u = parse_url(url);
  } catch (const std::invalid_argument&) {
    return std::nullopt;
  }
  if (u.host == "metadata.google.internal" || u.host == "metadata.google.internal." || u.host == "metadata") {
    for (const auto& n : p.allow)  // allowed only by allowing the address it stands for
      if (in(*bytes_of("169.254.169.254"), n.bytes, n.prefix)) return std::nullopt;
    return u.host + " is a cloud metadata host: provider calls there are refused (NETOPS_EGRESS_ALLOW can allow "
                    "169.254.169.254)";
  }
  return egress_refusal(u.host, p);
}

void require_egress_allowed(std::string_view url, const char* field) {
  if (auto why = endpoint_egress_refusal(url))
    throw Unprocessable(std::string(field) + ": " + *why, {{"field", field}, {"rule", "egress"}});
}

}  // namespace netops::llm
