#pragma once
// The pure rules of reminders: webhook signatures, retry backoff, which reminders may be canceled, the
// webhook body. No I/O, so all of it is unit-tested directly.
#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace netops::reminders {

// "sha256=<lower-case hex HMAC-SHA256 of body keyed with secret>" (OpenSSL HMAC).
std::string webhook_signature(std::string_view secret, std::string_view body);

// The wait before the next attempt after `attempts` failed ones (attempts ≥ 1): base · 2^(attempts−1),
// at most max_ms.
long long retry_delay_ms(int attempts, long long base_ms, long long max_ms);

bool valid_reminder_status(std::string_view s);  // pending | sent | canceled | failed
bool valid_reminder_type(std::string_view s);    // warranty_expiring | maintenance_due
// A reminder may be canceled while it is pending or failed, and a ui reminder also once listed (sent) until
// it is read; a delivered webhook cannot be taken back, and canceled is final.
bool cancelable(std::string_view status, std::string_view channel, bool read);

}  // namespace netops::reminders
