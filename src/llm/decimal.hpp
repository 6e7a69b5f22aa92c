#pragma once
// Exact money: a fixed-point decimal with 12 fractional digits (pico-dollars) in one int64.
// Why not double: costs are summed into budgets and stored in NUMERIC columns; binary fractions drift
// (0.1 + 0.2 != 0.3) and a budget check must give the same answer in every instance.
// Range: ±9,223,372.036854775807 — ample for per-call costs and per-user budgets; overflow throws
// std::overflow_error instead of wrapping.
#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

namespace netops {

class Decimal {
 public:
  static constexpr int kScale = 12;
  static constexpr std::int64_t kOne = 1'000'000'000'000;  // 10^kScale raw units per 1

  constexpr Decimal() = default;
  static constexpr Decimal from_raw(std::int64_t pico) { return Decimal(pico); }
  static Decimal from_int(std::int64_t units);  // throws std::overflow_error

  // Plain decimal notation: optional sign, digits, optional '.' and digits ("0.000150", "12", "-1.5",
  // "+.5" is refused: a digit must precede the point). Trailing zeros beyond 12 decimals are accepted
  // (NUMERIC(20,14) output), any other digit beyond the 12th throws std::invalid_argument, as does
  // anything else (empty, spaces, exponents). Values out of range throw std::out_of_range.
  static Decimal parse(std::string_view text);

  // Rounded half away from zero to `scale` decimals (0..12), e.g. scale 6 for DECIMAL(10,6) columns.
  // Always plain notation, never "-0.000000".
  std::string to_string(int scale = 6) const;

  std::int64_t raw() const { return pico_; }
  bool is_zero() const { return pico_ == 0; }

  Decimal operator+(Decimal other) const;  // throws std::overflow_error
  Decimal operator-(Decimal other) const;  // throws std::overflow_error
  Decimal operator-() const;
  Decimal& operator+=(Decimal other) { return *this = *this + other; }
  Decimal& operator-=(Decimal other) { return *this = *this - other; }
  friend constexpr auto operator<=>(Decimal, Decimal) = default;
  friend constexpr bool operator==(Decimal, Decimal) = default;

  Decimal times(std::int64_t n) const;       // exact; throws std::overflow_error
  Decimal divided_by(std::int64_t n) const;  // rounded half away from zero; n == 0 → std::domain_error

 private:
  constexpr explicit Decimal(std::int64_t pico) : pico_(pico) {}
  std::int64_t pico_ = 0;
};

// Divides a wide intermediate (e.g. Σ tokens × price) once, rounding half away from zero, and checks that
// the result fits a Decimal. Pricing multiplies first and divides once so no precision is lost in between.
Decimal decimal_from_wide_ratio(__int128 numerator_pico, std::int64_t denominator);

}  // namespace netops
