#include "modules/reminders/reminder_rules.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace netops::reminders {

std::string webhook_signature(std::string_view secret, std::string_view body) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()), reinterpret_cast<const unsigned char*>(body.data()),
       body.size(), md, &len);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "sha256=";
  out.reserve(7 + 2 * len);
  for (unsigned i = 0; i < len; ++i) {
    out += kHex[md[i] >> 4];
    out += kHex[md[i] & 15];
  }
  return out;
}

long long retry_delay_ms(int attempts, long long base_ms, long long max_ms) {
  if (attempts < 1) attempts = 1;
  long long d = base_ms;
  for (int i = 1; i < attempts && d < max_ms; ++i) d *= 2;
  return d < max_ms ? d : max_ms;
}

bool valid_reminder_status(std::string_view s) {
  return s == "pending" || s == "sent" || s == "canceled" || s == "failed";
}

bool valid_reminder_type(std::string_view s) { return s == "warranty_expiring" || s == "maintenance_due"; }

bool cancelable(std::string_view status, std::string_view channel, bool read) {
  if (status == "pending" || status == "failed") return true;
  return status == "sent" && channel == "ui" && !read;
}

}  // namespace netops::reminders
