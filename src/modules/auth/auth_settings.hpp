#pragma once
#include "core/config.hpp"
#include "core/tier.hpp"

namespace netops::auth {

struct AuthSettings {
  int access_token_ttl_s = 900;             // 15 minutes
  int refresh_token_ttl_s = 7 * 24 * 3600;  // 7 days
  // Requests per minute by users.tier; 0 = unlimited (the unlimited tier always is).
  long long rate_limit_free = 100, rate_limit_pro = 1000, rate_limit_enterprise = 10000;
  int login_max_failures = 10;   // per account and per client IP …
  int login_window_s = 15 * 60;  // … within this window
  int auth_failures_per_min = 100;  // 401s per client IP per minute before 429
  int auth_cache_max_age_ms = 1000;  // in-process copies of keys/sessions (0 = none; see session_cache.hpp)
  bool rate_limit_exact = false;     // NETOPS_RATE_LIMIT_MODE=exact: one Redis script per request
  long long rate_limit(Tier t) const;
};
const ConfigSection<AuthSettings>& auth_section();

}  // namespace netops::auth
