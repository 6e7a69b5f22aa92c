#include "modules/auth/auth_settings.hpp"

namespace netops::auth {

long long AuthSettings::rate_limit(Tier t) const {
  switch (t) {
    case Tier::free: return rate_limit_free;
    case Tier::pro: return rate_limit_pro;
    case Tier::enterprise: return rate_limit_enterprise;
    case Tier::unlimited: return 0;
  }
  return 0;
}

const ConfigSection<AuthSettings>& auth_section() {
  static const ConfigSection<AuthSettings> s{
      "auth",
      {{"NETOPS_ACCESS_TOKEN_TTL_S", "900", "access token (JWT) lifetime"},
       {"NETOPS_REFRESH_TOKEN_TTL_S", "604800", "refresh token lifetime"},
       {"NETOPS_RATE_LIMIT_FREE", "100", "requests per minute for tier free (0 = unlimited)"},
       {"NETOPS_RATE_LIMIT_PRO", "1000", "requests per minute for tier pro"},
       {"NETOPS_RATE_LIMIT_ENTERPRISE", "10000", "requests per minute for tier enterprise"},
       {"NETOPS_LOGIN_MAX_FAILURES", "10", "failed logins allowed per account and per IP in the window"},
       {"NETOPS_LOGIN_WINDOW_S", "900", "login throttling window"},
       {"NETOPS_AUTH_FAILURES_PER_MIN", "100", "401 answers per client IP per minute before 429 (0 = no limit)"}},
      [](ConfigReader& r, AuthSettings& s) {
        r.number<int>("NETOPS_ACCESS_TOKEN_TTL_S", s.access_token_ttl_s, 1, 86400);
        r.number<int>("NETOPS_REFRESH_TOKEN_TTL_S", s.refresh_token_ttl_s, 60, 365 * 86400);
        r.number<long long>("NETOPS_RATE_LIMIT_FREE", s.rate_limit_free, 0, 100000000);
        r.number<long long>("NETOPS_RATE_LIMIT_PRO", s.rate_limit_pro, 0, 100000000);
        r.number<long long>("NETOPS_RATE_LIMIT_ENTERPRISE", s.rate_limit_enterprise, 0, 100000000);
        r.number<int>("NETOPS_LOGIN_MAX_FAILURES", s.login_max_failures, 1, 1000000);
        r.number<int>("NETOPS_LOGIN_WINDOW_S", s.login_window_s, 1, 86400);
        r.number<int>("NETOPS_AUTH_FAILURES_PER_MIN", s.auth_failures_per_min, 0, 100000000);
      }};
  return s;
}

}  // namespace netops::auth
