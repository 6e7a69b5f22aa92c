#pragma once
// Where provider calls may go (issue #10 item 14). A provider endpoint is an admin-set URL the gateway
// calls with its own credentials: pointed at the cloud metadata service it would hand the instance's
// credentials to whoever set it. Checked when an endpoint is created or updated (the URL's host when it is
// an address or a known metadata name) and again at connect time after DNS resolution (a name that
// resolves to a refused address is refused too).
//
// Always refused unless NETOPS_EGRESS_ALLOW lists them: link-local 169.254.0.0/16 and fe80::/10, and the
// cloud metadata addresses (169.254.169.254, 169.254.170.2, fd00:ec2::254, 100.100.100.200,
// metadata.google.internal). With NETOPS_EGRESS_DENY_PRIVATE=true also loopback (127.0.0.0/8, ::1),
// private (10/8, 172.16/12, 192.168/16, fc00::/7), shared 100.64/10 and unspecified (0.0.0.0/8, ::)
// addresses. Loopback stays allowed by default: tests and --demo call a local mock.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "llm/http_client.hpp"

namespace netops::llm {

struct EgressPolicy {
  bool deny_private = false;
  struct Net {
    std::vector<unsigned char> bytes;  // 4 or 16
    int prefix = 0;
  };
  std::vector<Net> allow;  // NETOPS_EGRESS_ALLOW: addresses / CIDRs allowed whatever the rules say

  // allow: comma-separated addresses or CIDRs ("169.254.169.254, 10.0.0.0/8"); throws std::invalid_argument
  // naming the bad item.
  static EgressPolicy make(bool deny_private, std::string_view allow);
};

// The process-wide policy (set once at start-up; the default refuses link-local and metadata only).
void set_egress_policy(EgressPolicy p);
const EgressPolicy& egress_policy();

// nullopt when the address may be called; else the rule that refuses it, e.g.
// "169.254.169.254 is a cloud metadata address (NETOPS_EGRESS_ALLOW can allow it)".
std::optional<std::string> egress_refusal(std::string_view address, const EgressPolicy& p = egress_policy());
// For an endpoint URL being configured: its host checked when it is an address literal or a known metadata
// host name (a DNS name is checked when called). nullopt when allowed or not a parsable URL (the caller's
// own validation says what is wrong with it then).
std::optional<std::string> endpoint_egress_refusal(std::string_view url, const EgressPolicy& p = egress_policy());

// For the provider routes: throws AppError 422 UNPROCESSABLE naming the field and the rule when
// endpoint_egress_refusal() refuses the URL.
void require_egress_allowed(std::string_view url, const char* field);

// Thrown at connect time when every address a host resolves to is refused (a connect failure: the
// gateway reports it as a configuration error of the provider).
class EgressRefused : public UpstreamError {
 public:
  explicit EgressRefused(const std::string& message) : UpstreamError(Kind::connect, message) {}
};

}  // namespace netops::llm
