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
       {"NETOPS_AUTH_FAILURES_PER_MIN", "100", "401 answers per client IP per minute before 429 (0 = no limit)"},
       {"NETOPS_AUTH_CACHE_MAX_AGE_MS", "1000",
        "in-process copies of API keys and sessions: never served older than this; revocations reach every "
        "instance through Redis pub/sub (0 = no copies, one Redis read per request)"},
       {"NETOPS_RATE_LIMIT_MODE", "local",
        "local: limits counted in process from credits reserved atomically in Redis (never over the limit, "
        "no round trip per request); exact: one Redis script per request"}},
      [](ConfigReader& r, AuthSettings& s) {
        r.number<int>("NETOPS_ACCESS_TOKEN_TTL_S", s.access_token_ttl_s, 1, 86400);
        r.number<int>("NETOPS_REFRESH_TOKEN_TTL_S", s.refresh_token_ttl_s, 60, 365 * 86400);
        r.number<long long>("NETOPS_RATE_LIMIT_FREE", s.rate_limit_free, 0, 100000000);
        r.number<long long>("NETOPS_RATE_LIMIT_PRO", s.rate_limit_pro, 0, 100000000);
        r.number<long long>("NETOPS_RATE_LIMIT_ENTERPRISE", s.rate_limit_enterprise, 0, 100000000);
        r.number<int>("NETOPS_LOGIN_MAX_FAILURES", s.login_max_failures, 1, 1000000);
        r.number<int>("NETOPS_LOGIN_WINDOW_S", s.login_window_s, 1, 86400);
        r.number<int>("NETOPS_AUTH_FAILURES_PER_MIN", s.auth_failures_per_min, 0, 100000000);
        r.number<int>("NETOPS_AUTH_CACHE_MAX_AGE_MS", s.auth_cache_max_age_ms, 0, 3600000);
        if (auto m = r.str("NETOPS_RATE_LIMIT_MODE")) {
          if (*m == "exact") s.rate_limit_exact = true;
          else if (*m == "local") s.rate_limit_exact = false;
          else r.problem("NETOPS_RATE_LIMIT_MODE must be local or exact, not \"" + *m + "\"");
        }
      }};
  return s;
}

}  // namespace netops::auth
