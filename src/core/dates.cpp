#include "core/dates.hpp"

#include <cstdio>

namespace netops {

std::string iso_date(std::chrono::sys_days d) {
  std::chrono::year_month_day ymd{d};
  const int y = static_cast<int>(ymd.year());
  const unsigned m = static_cast<unsigned>(ymd.month()), day = static_cast<unsigned>(ymd.day());
  if (y >= 0 && y <= 9999) {  // digits by hand: a gateway request formats a few of these (budget days)
    std::string s = "0000-00-00";
    s[0] = static_cast<char>('0' + y / 1000), s[1] = static_cast<char>('0' + y / 100 % 10);
    s[2] = static_cast<char>('0' + y / 10 % 10), s[3] = static_cast<char>('0' + y % 10);
    s[5] = static_cast<char>('0' + m / 10), s[6] = static_cast<char>('0' + m % 10);
    s[8] = static_cast<char>('0' + day / 10), s[9] = static_cast<char>('0' + day % 10);
    return s;
  }
  char buf[24];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", y, m, day);
  return buf;
}

std::string utc_date(std::chrono::system_clock::time_point t) {
  return iso_date(std::chrono::floor<std::chrono::days>(t));
}

std::optional<std::chrono::sys_days> parse_iso_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  int parts[3] = {0, 0, 0};
  const std::size_t starts[3] = {0, 5, 8}, lens[3] = {4, 2, 2};
  for (int i = 0; i < 3; ++i)
    for (std::size_t k = starts[i]; k < starts[i] + lens[i]; ++k) {
      if (s[k] < '0' || s[k] > '9') return std::nullopt;
      parts[i] = parts[i] * 10 + (s[k] - '0');
    }
  if (parts[0] < 1) return std::nullopt;
  std::chrono::year_month_day ymd{std::chrono::year(parts[0]), std::chrono::month(static_cast<unsigned>(parts[1])),
                                  std::chrono::day(static_cast<unsigned>(parts[2]))};
  if (!ymd.ok()) return std::nullopt;
  return std::chrono::sys_days(ymd);
}

}  // namespace netops
