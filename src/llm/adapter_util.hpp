#pragma once
// Small JSON readers shared by the provider adapters (internal to src/llm). Upstream bodies are untrusted:
// every reader tolerates a missing key or a value of the wrong type instead of throwing.
#include <chrono>
#include <cstdint>
#include <cmath>
#include <limits>
#include <string>

#include <nlohmann/json.hpp>

namespace netops::llm_detail {

inline const std::string* str(const nlohmann::json& obj, const char* key) {
  if (!obj.is_object()) return nullptr;
  auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? &it->get_ref<const std::string&>() : nullptr;
}

inline std::string str_or(const nlohmann::json& obj, const char* key, std::string fallback = {}) {
  auto s = str(obj, key);
  return s ? *s : fallback;
}

// The value at key, or null (never throws, unlike json::value on a non-object).
inline const nlohmann::json& member(const nlohmann::json& obj, const char* key) {
  static const nlohmann::json kNull;
  if (!obj.is_object()) return kNull;
  auto it = obj.find(key);
  return it != obj.end() ? *it : kNull;
}

// An integer field; floats ("12.0" from lax servers) are truncated, values beyond int64 saturate and NaN is
// 0, so no upstream value can make the conversion undefined.
inline std::int64_t int_field(const nlohmann::json& obj, const char* key) {
  constexpr auto kMax = std::numeric_limits<std::int64_t>::max();
  const auto& v = member(obj, key);
  if (v.is_number_unsigned()) {
    auto u = v.get<std::uint64_t>();
    return u > static_cast<std::uint64_t>(kMax) ? kMax : static_cast<std::int64_t>(u);
  }
  if (v.is_number_integer()) return v.get<std::int64_t>();
  if (v.is_number_float()) {
    double d = v.get<double>();
    if (!std::isfinite(d)) return 0;
    if (d >= 9.2e18) return kMax;
    if (d <= -9.2e18) return std::numeric_limits<std::int64_t>::min();
    return static_cast<std::int64_t>(d);
  }
  return 0;
}

// A token count reported by an upstream: never negative and at most 10^12 (no real call comes near), so the
// sums and prices made of such counts cannot overflow whatever an upstream sends (found by fuzzing).
inline constexpr std::int64_t kMaxTokenCount = 1'000'000'000'000;
inline std::int64_t token_count(const nlohmann::json& obj, const char* key) {
  std::int64_t n = int_field(obj, key);
  return n < 0 ? 0 : n > kMaxTokenCount ? kMaxTokenCount : n;
}

// OpenAI message content as plain text: a string, or the concatenated "text" parts of a content array.
inline std::string text_of(const nlohmann::json& content) {
  if (content.is_string()) return content.get<std::string>();
  std::string out;
  if (content.is_array())
    for (const auto& part : content)
      if (str_or(part, "type") == "text") out += str_or(part, "text");
  return out;
}

// `created` timestamps: callers (tests) may fix one; 0 means now.
inline std::int64_t unix_now_or(std::int64_t created) {
  if (created != 0) return created;
  using namespace std::chrono;
  return duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace netops::llm_detail
