#pragma once
// What the three request bodies of this module share: partial-update fields on top of http::BodyReader
// (absent → nullopt, so one parse serves POST, PATCH and PUT and the service applies only what was sent)
// and exact decimals (prices, credits). Pure; every problem goes into the reader's Validation.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "http/body.hpp"

namespace netops::ai_registry {

template <class T>
using Clearable = std::optional<std::optional<T>>;  // absent → nullopt; null (or "") → a held nullopt: clear

// Required on create (BodyReader::text); the value only when valid.
void read_text(http::BodyReader& b, const char* f, std::optional<std::string>& out, std::size_t max);
void read_opt_text(http::BodyReader& b, const char* f, Clearable<std::string>& out, std::size_t max);
void read_one_of(http::BodyReader& b, const char* f, std::optional<std::string>& out,
                 std::initializer_list<const char*> allowed, bool required);
void read_integer(http::BodyReader& b, const char* f, std::optional<int>& out, long long min, long long max,
                  bool required);
void read_opt_integer(http::BodyReader& b, const char* f, Clearable<int>& out, long long min, long long max);
void read_boolean(http::BodyReader& b, const char* f, std::optional<bool>& out);
void read_object(http::BodyReader& b, const char* f, std::optional<nlohmann::json>& out);  // null → {}
// A NUMERIC(int_digits + frac_digits, frac_digits) value (see decimal_text); null clears.
void read_decimal(http::BodyReader& b, const char* f, Clearable<std::string>& out, int int_digits, int frac_digits,
                  bool allow_negative);

// Exact decimal text for a NUMERIC(int_digits + frac_digits, frac_digits) column from a JSON string or
// number, trailing fractional zeros beyond frac_digits dropped; nullopt when it is not such a number.
std::optional<std::string> decimal_text(const nlohmann::json& value, int int_digits, int frac_digits,
                                        bool allow_negative);

// Applying a partial input onto a struct.
template <class T>
void set_if(T& target, const std::optional<T>& value) {
  if (value) target = *value;
}

}  // namespace netops::ai_registry
