// BigDecimal: exact decimal arithmetic on digit strings, just enough for bounds, steps and precision/scale.
// Digit strings (not __int128) because a JSON double such as 1e300 checked against a step of 0.05
// needs ~300 digits once both are brought to one scale.
#include <algorithm>
#include <cmath>

#include "specs/detail.hpp"

namespace netops::specs::detail {
namespace {

constexpr std::int64_t kMaxDigits = 1000;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

void canonicalize(BigDecimal& d) {
  auto first = d.mag.find_first_not_of('0');
  d.mag = first == std::string::npos ? std::string() : d.mag.substr(first);
  while (!d.mag.empty() && d.mag.back() == '0') {
    d.mag.pop_back();
    --d.scale;
  }
  if (d.mag.empty()) {
    d.neg = false;
    d.scale = 0;
  }
}

// The magnitude as an integer string at `scale` (scale ≥ d.scale).
std::string scaled(const BigDecimal& d, std::int32_t scale) {
  if (d.mag.empty()) return {};
  return d.mag + std::string(static_cast<std::size_t>(scale - d.scale), '0');
}

// Unsigned digit strings without leading zeros (empty = 0).
int cmp_mag(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  return a.compare(b) < 0 ? -1 : (a == b ? 0 : 1);
}

std::string sub_mag(const std::string& a, const std::string& b) {  // a ≥ b
  std::string r(a.size(), '0');
  int borrow = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    int x = a[a.size() - 1 - i] - '0' - borrow;
    int y = i < b.size() ? b[b.size() - 1 - i] - '0' : 0;
    borrow = x < y ? 1 : 0;
    r[r.size() - 1 - i] = static_cast<char>('0' + x - y + borrow * 10);
  }
  auto first = r.find_first_not_of('0');
  return first == std::string::npos ? std::string() : r.substr(first);
}

std::string add_mag(const std::string& a, const std::string& b) {
  std::string r;
  int carry = 0;
  for (std::size_t i = 0; i < std::max(a.size(), b.size()) || carry; ++i) {
    int x = (i < a.size() ? a[a.size() - 1 - i] - '0' : 0) + (i < b.size() ? b[b.size() - 1 - i] - '0' : 0) + carry;
    r.push_back(static_cast<char>('0' + x % 10));
    carry = x / 10;
  }
  std::reverse(r.begin(), r.end());
  return r;
}

// Schoolbook long division remainder; at most nine subtractions per digit of `a`.
std::string mod_mag(const std::string& a, const std::string& b) {
  std::string rem;
  for (char c : a) {
    if (!rem.empty() || c != '0') rem.push_back(c);
    while (cmp_mag(rem, b) >= 0) rem = sub_mag(rem, b);
  }
  return rem;
}

}  // namespace

std::optional<BigDecimal> BigDecimal::parse(std::string_view s) {
  BigDecimal d;
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) d.neg = s[i++] == '-';
  std::size_t start = i;
  while (i < s.size() && is_digit(s[i])) d.mag.push_back(s[i++]);
  if (i == start) return std::nullopt;
  if (i < s.size() && s[i] == '.') {
    std::size_t frac = ++i;
    while (i < s.size() && is_digit(s[i])) d.mag.push_back(s[i++]);
    if (i == frac) return std::nullopt;
    d.scale = static_cast<std::int32_t>(i - frac);
  }
  std::int64_t exp = 0;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    bool eneg = false;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) eneg = s[i++] == '-';
    std::size_t estart = i;
    while (i < s.size() && is_digit(s[i])) {
      exp = exp * 10 + (s[i++] - '0');
      if (exp > kMaxDigits) return std::nullopt;
    }
    if (i == estart) return std::nullopt;
    if (eneg) exp = -exp;
  }
  if (i != s.size() || d.mag.size() > static_cast<std::size_t>(kMaxDigits)) return std::nullopt;
  d.scale = static_cast<std::int32_t>(d.scale - exp);
  canonicalize(d);
  // Bound the written-out size so later alignment never builds enormous strings.
  if (!d.mag.empty() && (d.int_digits() > kMaxDigits || d.frac_digits() > kMaxDigits)) return std::nullopt;
  return d;
}

std::optional<BigDecimal> BigDecimal::from_json(const nlohmann::json& v) {
  if (v.is_number_integer() || v.is_number_unsigned()) return parse(v.dump());
  if (v.is_number_float()) {
    if (!std::isfinite(v.get<double>())) return std::nullopt;
    return parse(v.dump());  // shortest text that round-trips: 0.1 reads as exactly 0.1
  }
  return std::nullopt;
}

int BigDecimal::int_digits() const { return std::max<int>(0, static_cast<int>(mag.size()) - scale); }
int BigDecimal::frac_digits() const { return std::max<int>(0, scale); }

std::string BigDecimal::str() const {
  if (mag.empty()) return "0";
  std::string out = neg ? "-" : "";
  if (scale <= 0) return out + mag + std::string(static_cast<std::size_t>(-scale), '0');
  std::string digits = mag;
  if (digits.size() <= static_cast<std::size_t>(scale))
    digits.insert(0, static_cast<std::size_t>(scale) - digits.size() + 1, '0');
  digits.insert(digits.size() - static_cast<std::size_t>(scale), ".");
  return out + digits;
}

int compare(const BigDecimal& a, const BigDecimal& b) {
  if (a.neg != b.neg) return a.neg ? -1 : 1;  // zero is never negative, so this is exact
  auto s = std::max(a.scale, b.scale);
  int c = cmp_mag(scaled(a, s), scaled(b, s));
  return a.neg ? -c : c;
}

BigDecimal subtract(const BigDecimal& a, const BigDecimal& b) {
  auto s = std::max(a.scale, b.scale);
  auto x = scaled(a, s), y = scaled(b, s);
  BigDecimal r;
  r.scale = s;
  if (a.neg != b.neg) {  // a − (−b) or −a − b: magnitudes add, sign of a
    r.mag = add_mag(x, y);
    r.neg = a.neg;
  } else if (cmp_mag(x, y) >= 0) {
    r.mag = sub_mag(x, y);
    r.neg = a.neg;
  } else {
    r.mag = sub_mag(y, x);
    r.neg = !a.neg;
  }
  canonicalize(r);
  return r;
}

bool is_multiple(const BigDecimal& value, const BigDecimal& step) {
  if (step.is_zero()) return false;
  auto s = std::max(value.scale, step.scale);
  return mod_mag(scaled(value, s), scaled(step, s)).empty();
}

}  // namespace netops::specs::detail
