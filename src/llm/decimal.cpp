#include "llm/decimal.hpp"

#include <limits>
#include <stdexcept>

namespace netops {

namespace {

constexpr __int128 kMax = std::numeric_limits<std::int64_t>::max();
constexpr __int128 kMin = std::numeric_limits<std::int64_t>::min();

std::int64_t checked(__int128 v) {
  if (v > kMax || v < kMin) throw std::overflow_error("decimal overflow");
  return static_cast<std::int64_t>(v);
}

// Integer division rounding half away from zero; d > 0.
__int128 div_round(__int128 n, __int128 d) {
  __int128 q = n / d, r = n % d;
  if (r < 0) r = -r;
  if (2 * r >= d) q += n < 0 ? -1 : 1;
  return q;
}

}  // namespace

Decimal Decimal::from_int(std::int64_t units) { return Decimal(checked(__int128(units) * kOne)); }

Decimal Decimal::parse(std::string_view text) {
  auto junk = [&] { return std::invalid_argument("not a decimal: '" + std::string(text.substr(0, 40)) + "'"); };
  std::size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) negative = text[i++] == '-';
  __int128 value = 0;
  std::size_t int_digits = 0;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, ++int_digits) {
    value = value * 10 + (text[i] - '0');
    if (value > kMax) throw std::out_of_range("decimal out of range");
  }
  if (int_digits == 0) throw junk();
  int frac_digits = 0;
  if (i < text.size() && text[i] == '.') {
    ++i;
    std::size_t start = i;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
      if (frac_digits < kScale) {
        value = value * 10 + (text[i] - '0');
        ++frac_digits;
      } else if (text[i] != '0') {
        throw std::invalid_argument("more than 12 decimals: '" + std::string(text.substr(0, 40)) + "'");
      }
    }
    if (i == start) throw junk();
  }
  if (i != text.size()) throw junk();
  for (; frac_digits < kScale; ++frac_digits) value *= 10;
  if (negative) value = -value;
  if (value > kMax || value < kMin) throw std::out_of_range("decimal out of range");
  return Decimal(static_cast<std::int64_t>(value));
}

std::string Decimal::to_string(int scale) const {
  if (scale < 0 || scale > kScale) throw std::invalid_argument("decimal scale must be 0..12");
  __int128 unit = 1;
  for (int k = scale; k < kScale; ++k) unit *= 10;
  __int128 scaled = div_round(pico_, unit);  // value in units of 10^-scale
  bool negative = scaled < 0;
  unsigned __int128 mag = negative ? -scaled : scaled;
  std::string digits;
  do {
    digits.insert(digits.begin(), char('0' + int(mag % 10)));
    mag /= 10;
  } while (mag > 0);
  if (scale > 0) {
    if (digits.size() <= std::size_t(scale)) digits.insert(0, std::size_t(scale) + 1 - digits.size(), '0');
    digits.insert(digits.size() - std::size_t(scale), 1, '.');
  }
  return negative ? "-" + digits : digits;
}

Decimal Decimal::operator+(Decimal other) const { return Decimal(checked(__int128(pico_) + other.pico_)); }
Decimal Decimal::operator-(Decimal other) const { return Decimal(checked(__int128(pico_) - other.pico_)); }
Decimal Decimal::operator-() const { return Decimal(checked(-__int128(pico_))); }
Decimal Decimal::times(std::int64_t n) const { return Decimal(checked(__int128(pico_) * n)); }

Decimal Decimal::divided_by(std::int64_t n) const {
  if (n == 0) throw std::domain_error("decimal division by zero");
  __int128 num = pico_, den = n;
  if (den < 0) num = -num, den = -den;
  return Decimal(checked(div_round(num, den)));
}

Decimal decimal_from_wide_ratio(__int128 numerator_pico, std::int64_t denominator) {
  if (denominator <= 0) throw std::domain_error("decimal ratio needs a positive denominator");
  return Decimal::from_raw(checked(div_round(numerator_pico, denominator)));
}

}  // namespace netops
