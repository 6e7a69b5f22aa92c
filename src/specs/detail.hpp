#pragma once
// Internals of the spec engine shared by its .cpp files; not part of its interface.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "specs/engine.hpp"

namespace re2 {
class RE2;
}

namespace netops::specs::detail {

// An exact decimal of any size: ±mag × 10^-scale. NUMERIC bounds and JSON numbers are compared in this
// form so that 0.15 is a multiple of 0.05 (binary doubles would say otherwise). Not netops::Decimal
// (llm/decimal.hpp, money): that one is a fixed 12-decimal int64 with arithmetic and overflow errors;
// this one compares, subtracts and tests multiples of arbitrary precision (1e300 against a step of
// 0.05, a NUMERIC(40,20) bound), and never throws. Canonical: mag has no leading
// or trailing zeros (empty = zero, never negative), so equal values have equal representations.
struct BigDecimal {
  bool neg = false;
  std::string mag;
  std::int32_t scale = 0;

  // [+-]?digits[.digits][(e|E)[+-]digits]; nullopt when malformed or absurdly large (> 1000 digits once
  // written out), which no NUMERIC column or JSON double needs.
  static std::optional<BigDecimal> parse(std::string_view s);
  // A JSON number (integer, unsigned or finite float, read through its shortest round-trip text).
  static std::optional<BigDecimal> from_json(const nlohmann::json& v);

  bool is_zero() const { return mag.empty(); }
  bool is_integer() const { return scale <= 0; }
  int int_digits() const;   // digits before the point, without leading zeros (0.05 → 0, 100 → 3)
  int frac_digits() const;  // digits after the point, without trailing zeros (1.50 → 1)
  std::string str() const;  // plain notation, no exponent: "0.05", "-12", "100"
  bool operator==(const BigDecimal&) const = default;
};
int compare(const BigDecimal& a, const BigDecimal& b);  // <0, 0, >0
BigDecimal subtract(const BigDecimal& a, const BigDecimal& b);
bool is_multiple(const BigDecimal& value, const BigDecimal& step);  // step > 0

// A format check: the canonical form, or why the text is not of the format.
struct Checked {
  std::string value;
  std::string error;
  bool ok() const { return error.empty(); }
};
std::optional<std::size_t> utf8_length(std::string_view s);  // code points; nullopt = invalid UTF-8
Checked check_date(std::string_view s);
Checked check_datetime(std::string_view s);
Checked check_ip(std::string_view s);
Checked check_cidr(std::string_view s);
Checked check_mac(std::string_view s);
Checked check_hostname(std::string_view s);
Checked check_url(std::string_view s);
Checked check_email(std::string_view s);

// The compiled pattern (cached per thread, because validating many models against one version
// would otherwise recompile the same patterns for every row), or nullptr with *error set.
const re2::RE2* compiled_pattern(const std::string& pattern, std::string* error = nullptr);

bool known_type(std::string_view t);

// Validates one present, non-null value against one definition. Writes the canonical form into
// `out` and returns every problem found (a wrong JSON type stops the checks for that value).
// Constraints that do not parse are skipped here: validate_definition reports them.
std::vector<std::string> check_value(const FieldDef& def, const nlohmann::json& v, nlohmann::json& out);

}  // namespace netops::specs::detail
