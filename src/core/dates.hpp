#pragma once
// UTC calendar dates in the form the API and SQL use (YYYY-MM-DD).
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace netops {

std::string iso_date(std::chrono::sys_days d);
std::string utc_date(std::chrono::system_clock::time_point t);  // the UTC day t falls on
// Exactly YYYY-MM-DD naming a real calendar date (leap years included); nullopt otherwise.
std::optional<std::chrono::sys_days> parse_iso_date(std::string_view s);

}  // namespace netops
