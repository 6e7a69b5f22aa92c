#include "modules/reminders/reminders_settings.hpp"

#include <stdexcept>

#include "llm/url.hpp"

namespace netops::reminders {

const ConfigSection<RemindersSettings>& reminders_section() {
  static const ConfigSection<RemindersSettings> s{
      "reminders",
      {{"NETOPS_REMINDER_INTERVAL_S", "60",
        "seconds between two runs of the reminder job (create, cancel, deliver); 0 = no background job"},
       {"NETOPS_REMINDER_WARRANTY_DAYS", "30", "warranty_expiring reminders for warranties ending within this many days"},
       {"NETOPS_REMINDER_WEBHOOK_URL", "",
        "http(s) URL reminders are POSTed to (channel webhook); unset = channel ui only. Under "
        "NETOPS_EGRESS_DENY_PRIVATE=true a private or loopback receiver must be listed in NETOPS_EGRESS_ALLOW"},
       {"NETOPS_REMINDER_WEBHOOK_SECRET", "", "key of the X-NetOps-Signature HMAC-SHA256 of each webhook body"},
       {"NETOPS_REMINDER_WEBHOOK_TIMEOUT_MS", "10000", "whole webhook call, connect included"},
       {"NETOPS_REMINDER_RETRY_BASE_MS", "5000", "wait before the first webhook retry; doubled after each failure"},
       {"NETOPS_REMINDER_RETRY_MAX_MS", "3600000", "longest wait between two webhook attempts"},
       {"NETOPS_REMINDER_MAX_ATTEMPTS", "15", "webhook attempts before a reminder is marked failed"}},
      [](ConfigReader& r, RemindersSettings& s) {
        r.number<int>("NETOPS_REMINDER_INTERVAL_S", s.interval_s, 0, 86400);
        r.number<int>("NETOPS_REMINDER_WARRANTY_DAYS", s.warranty_days, 0, 3650);
        if (auto url = r.str("NETOPS_REMINDER_WEBHOOK_URL")) {
          try {
            llm::parse_url(*url);
            s.webhook_url = *url;
          } catch (const std::exception& e) {
            r.problem(std::string("NETOPS_REMINDER_WEBHOOK_URL: ") + e.what());
          }
        }
        if (auto secret = r.str("NETOPS_REMINDER_WEBHOOK_SECRET")) s.webhook_secret = *secret;
        r.number<int>("NETOPS_REMINDER_WEBHOOK_TIMEOUT_MS", s.webhook_timeout_ms, 100, 300000);
        r.number<long long>("NETOPS_REMINDER_RETRY_BASE_MS", s.retry_base_ms, 1, 86'400'000);
        r.number<long long>("NETOPS_REMINDER_RETRY_MAX_MS", s.retry_max_ms, 1, 7LL * 86'400'000);
        r.number<int>("NETOPS_REMINDER_MAX_ATTEMPTS", s.max_attempts, 1, 1000);
      }};
  return s;
}

}  // namespace netops::reminders
