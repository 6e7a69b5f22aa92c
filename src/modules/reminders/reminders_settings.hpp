#pragma once
#include <string>

#include "core/config.hpp"

namespace netops::reminders {

struct RemindersSettings {
  int interval_s = 60;        // the job's period; 0 = no background job (POST /run only)
  int warranty_days = 30;     // warranty_expiring: warranty ending within this many days
  std::string webhook_url;    // empty: channel ui only
  std::string webhook_secret;  // HMAC-SHA256 key of X-NetOps-Signature (empty: no signature header)
  int webhook_timeout_ms = 10000;
  long long retry_base_ms = 5000;    // first retry after this long, then doubled per attempt
  long long retry_max_ms = 3600000;  // longest wait between two attempts
  int max_attempts = 15;             // then the reminder is failed (about 3 hours with the defaults)
};
const ConfigSection<RemindersSettings>& reminders_section();

}  // namespace netops::reminders
