// Text formats of the spec engine: each returns the canonical form or a reason. Strict on purpose:
// what is stored is what later searches and CMDB joins compare, so one value has one spelling.
#include <arpa/inet.h>

#include <array>
#include <cstring>

#include "specs/detail.hpp"

namespace netops::specs::detail {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
std::string lower(std::string_view s) {
  std::string r(s);
  for (auto& c : r) c = lower(c);
  return r;
}

// Reads exactly n digits at s[pos]; -1 when they are not all digits.
int digits(std::string_view s, std::size_t pos, std::size_t n) {
  if (pos + n > s.size()) return -1;
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (!is_digit(s[i])) return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

bool leap(int y) { return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0); }
int days_in_month(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : kDays[m - 1];
}

// Howard Hinnant's days_from_civil / civil_from_days: exact proleptic Gregorian day numbers, used to
// move a datetime to UTC across day, month and year boundaries.
std::int64_t days_from_civil(std::int64_t y, int m, int d) {
  y -= m <= 2;
  std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  std::int64_t yoe = y - era * 400;
  std::int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}
void civil_from_days(std::int64_t z, std::int64_t& y, int& m, int& d) {
  z += 719468;
  std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  std::int64_t doe = z - era * 146097;
  std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  std::int64_t mp = (5 * doy + 2) / 153;
  d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  y = yoe + era * 400 + (m <= 2);
}

std::string two(int v) { return {static_cast<char>('0' + v / 10), static_cast<char>('0' + v % 10)}; }
std::string four(std::int64_t v) { return two(static_cast<int>(v / 100)) + two(static_cast<int>(v % 100)); }

Checked fail(std::string why) { return {{}, std::move(why)}; }

// Parses the date part; returns {y, m, d} or an error. `s` must be exactly YYYY-MM-DD.
Checked date_parts(std::string_view s, int& y, int& m, int& d) {
  static const char* kShape = "must be a date in the form YYYY-MM-DD";
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return fail(kShape);
  y = digits(s, 0, 4), m = digits(s, 5, 2), d = digits(s, 8, 2);
  if (y < 0 || m < 0 || d < 0) return fail(kShape);
  if (y < 1 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m)) return fail("is not a calendar date");
  return {std::string(s), {}};
}

// The hostname rules (RFC 1123 §2.1) shared by hostname, url hosts and email domains.
std::string hostname_error(std::string_view s) {
  if (s.empty()) return "is empty";
  if (s.size() > 253) return "is longer than 253 characters";
  std::size_t start = 0;
  std::string_view last;
  while (true) {
    auto dot = s.find('.', start);
    auto label = s.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (label.empty()) return "has an empty label";
    if (label.size() > 63) return "has a label longer than 63 characters";
    for (char c : label)
      if (!is_alpha(c) && !is_digit(c) && c != '-') return "may only contain letters, digits, '-' and '.'";
    if (label.front() == '-' || label.back() == '-') return "has a label that starts or ends with '-'";
    last = label;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  // RFC 1123: the top-level label is never all-numeric, which keeps 10.0.0.1 out of hostnames.
  bool numeric = true;
  for (char c : last) numeric = numeric && is_digit(c);
  if (numeric) return "has an all-numeric top-level label";
  return {};
}

}  // namespace

std::optional<std::size_t> utf8_length(std::string_view s) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size(); ++n) {
    auto c = static_cast<unsigned char>(s[i]);
    int len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (len == 0 || i + len > s.size()) return std::nullopt;
    std::uint32_t cp = len == 1 ? c : c & (0x7F >> len);
    for (int k = 1; k < len; ++k) {
      auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return std::nullopt;
      cp = (cp << 6) | (cc & 0x3F);
    }
    // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
    static constexpr std::uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return std::nullopt;
    i += static_cast<std::size_t>(len);
  }
  return n;
}

Checked check_date(std::string_view s) {
  int y, m, d;
  return date_parts(s, y, m, d);
}

Checked check_datetime(std::string_view s) {
  static const char* kShape = "must be an RFC 3339 date-time with a time zone, e.g. 2024-05-01T12:30:00Z";
  int y, m, d;
  if (s.size() < 20 || (s[10] != 'T' && s[10] != 't')) return fail(kShape);
  auto date = date_parts(s.substr(0, 10), y, m, d);
  if (!date.ok()) return date.error == "is not a calendar date" ? date : fail(kShape);
  if (s[13] != ':' || s[16] != ':') return fail(kShape);
  int hh = digits(s, 11, 2), mi = digits(s, 14, 2), ss = digits(s, 17, 2);
  if (hh < 0 || mi < 0 || ss < 0) return fail(kShape);
  // Leap seconds (:60) are refused: PostgreSQL and every consumer downstream would roll them over.
  if (hh > 23 || mi > 59 || ss > 59) return fail("is not a valid time of day");
  std::size_t i = 19;
  std::string frac;
  if (s[i] == '.') {
    std::size_t start = ++i;
    while (i < s.size() && is_digit(s[i])) ++i;
    if (i == start || i - start > 9) return fail(kShape);
    frac = "." + std::string(s.substr(start, i - start));
  }
  int offset = 0;  // minutes east of UTC
  if (i < s.size() && (s[i] == 'Z' || s[i] == 'z')) {
    ++i;
  } else if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
    int oh = digits(s, i + 1, 2), om = digits(s, i + 4, 2);
    if (oh < 0 || om < 0 || s[i + 3] != ':') return fail(kShape);
    if (oh > 23 || om > 59) return fail("has an invalid UTC offset");
    offset = (s[i] == '-' ? -1 : 1) * (oh * 60 + om);
    i += 6;
  } else {
    return fail(kShape);
  }
  if (i != s.size()) return fail(kShape);
  std::int64_t minutes = days_from_civil(y, m, d) * 1440 + hh * 60 + mi - offset;
  std::int64_t days = minutes >= 0 ? minutes / 1440 : (minutes - 1439) / 1440;
  std::int64_t mod = minutes - days * 1440;
  std::int64_t yy;
  int mm, dd;
  civil_from_days(days, yy, mm, dd);
  if (yy < 1 || yy > 9999) return fail("is out of range once converted to UTC");
  return {four(yy) + "-" + two(mm) + "-" + two(dd) + "T" + two(static_cast<int>(mod / 60)) + ":" +
              two(static_cast<int>(mod % 60)) + ":" + two(ss) + frac + "Z",
          {}};
}

Checked check_ip(std::string_view s) {
  std::string text(s);  // inet_pton needs a NUL-terminated string
  std::array<unsigned char, 16> buf{};
  char out[INET6_ADDRSTRLEN];
  for (int af : {AF_INET, AF_INET6})
    if (text.size() == s.size() && inet_pton(af, text.c_str(), buf.data()) == 1)
      return {inet_ntop(af, buf.data(), out, sizeof out), {}};
  return fail("must be an IPv4 or IPv6 address");
}

Checked check_cidr(std::string_view s) {
  auto slash = s.find('/');
  if (slash == std::string_view::npos) return fail("must be a network in CIDR notation, e.g. 10.0.0.0/8");
  auto addr = s.substr(0, slash), len = s.substr(slash + 1);
  std::string text(addr);
  std::array<unsigned char, 16> buf{};
  int af = inet_pton(AF_INET, text.c_str(), buf.data()) == 1    ? AF_INET
           : inet_pton(AF_INET6, text.c_str(), buf.data()) == 1 ? AF_INET6
                                                                 : 0;
  if (af == 0 || text.size() != addr.size()) return fail("must be a network in CIDR notation, e.g. 10.0.0.0/8");
  int bits = af == AF_INET ? 32 : 128;
  bool numeric = !len.empty() && len.size() <= 3 && (len.size() == 1 || len[0] != '0');
  int prefix = numeric ? digits(len, 0, len.size()) : -1;
  if (prefix < 0 || prefix > bits)
    return fail("prefix length must be 0-" + std::to_string(bits) + (af == AF_INET ? " for IPv4" : " for IPv6"));
  // A network names its own address: host bits set usually means a typo'd interface address.
  bool host_bits = false;
  for (int b = prefix; b < bits; ++b) {
    auto& byte = buf[static_cast<std::size_t>(b / 8)];
    auto mask = static_cast<unsigned char>(0x80 >> (b % 8));
    host_bits = host_bits || (byte & mask);
    byte = static_cast<unsigned char>(byte & ~mask);
  }
  char out[INET6_ADDRSTRLEN];
  std::string canon = std::string(inet_ntop(af, buf.data(), out, sizeof out)) + "/" + std::to_string(prefix);
  if (host_bits) return fail("has host bits set; the network is " + canon);
  return {canon, {}};
}

Checked check_mac(std::string_view s) {
  static const char* kShape = "must be a MAC address: aa:bb:cc:dd:ee:ff, aa-bb-cc-dd-ee-ff or aabb.ccdd.eeff";
  std::string hex;
  if (s.size() == 17 && (s[2] == ':' || s[2] == '-')) {
    for (std::size_t i = 0; i < 17; ++i) {
      if (i % 3 == 2) {
        if (s[i] != s[2]) return fail(kShape);  // one separator throughout
      } else {
        hex.push_back(s[i]);
      }
    }
  } else if (s.size() == 14 && s[4] == '.' && s[9] == '.') {
    for (std::size_t i = 0; i < 14; ++i)
      if (i != 4 && i != 9) hex.push_back(s[i]);
  } else {
    return fail(kShape);
  }
  std::string out;
  for (std::size_t i = 0; i < 12; ++i) {
    if (!is_hex(hex[i])) return fail(kShape);
    if (i > 0 && i % 2 == 0) out.push_back(':');
    out.push_back(lower(hex[i]));
  }
  return {out, {}};
}

Checked check_hostname(std::string_view s) {
  auto why = hostname_error(s);
  if (!why.empty()) return fail("must be a hostname (RFC 1123): " + why);
  return {lower(s), {}};
}

Checked check_url(std::string_view s) {
  auto bad = [](const std::string& why) { return fail("must be an http, https or ftp URL: " + why); };
  auto sep = s.find("://");
  if (sep == std::string_view::npos) return bad("missing scheme");
  auto scheme = lower(s.substr(0, sep));
  if (scheme != "http" && scheme != "https" && scheme != "ftp") return bad("scheme must be http, https or ftp");
  auto rest = s.substr(sep + 3);
  auto end = rest.find_first_of("/?#");
  auto authority = rest.substr(0, end);
  auto tail = end == std::string_view::npos ? std::string_view() : rest.substr(end);
  // Credentials in a stored URL would leak to everyone who can read the asset.
  if (authority.find('@') != std::string_view::npos) return bad("credentials are not allowed");
  std::string_view host, port;
  if (!authority.empty() && authority[0] == '[') {
    auto close = authority.find(']');
    if (close == std::string_view::npos) return bad("unclosed IPv6 host");
    std::string v6(authority.substr(1, close - 1));
    std::array<unsigned char, 16> buf{};
    if (inet_pton(AF_INET6, v6.c_str(), buf.data()) != 1 || v6.size() != close - 1) return bad("invalid IPv6 host");
    host = authority.substr(0, close + 1);
    auto after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') return bad("invalid host");
      port = after.substr(1);
      if (port.empty()) return bad("empty port");
    }
  } else {
    auto colon = authority.find(':');
    host = authority.substr(0, colon);
    if (colon != std::string_view::npos) {
      port = authority.substr(colon + 1);
      if (port.empty()) return bad("empty port");
    }
    if (host.empty()) return bad("missing host");
    std::string h(host);
    std::array<unsigned char, 4> buf{};
    if (inet_pton(AF_INET, h.c_str(), buf.data()) != 1) {
      auto why = hostname_error(host);
      if (!why.empty()) return bad("host " + why);
    }
  }
  if (!port.empty()) {
    int p = port.size() <= 5 ? digits(port, 0, port.size()) : -1;
    if (p < 1 || p > 65535) return bad("port must be 1-65535");
  }
  // RFC 3986 characters only; anything else (spaces, non-ASCII) must arrive percent-encoded.
  static constexpr std::string_view kAllowed = "-._~:/?#[]@!$&'()*+,;=";
  for (std::size_t i = 0; i < tail.size(); ++i) {
    char c = tail[i];
    if (c == '%') {
      if (i + 2 >= tail.size() || !is_hex(tail[i + 1]) || !is_hex(tail[i + 2])) return bad("invalid percent-encoding");
      i += 2;
    } else if (!is_alpha(c) && !is_digit(c) && kAllowed.find(c) == std::string_view::npos) {
      return bad("character not allowed in a URL");
    }
  }
  return {std::string(s), {}};
}

Checked check_email(std::string_view s) {
  auto bad = [](const std::string& why) { return fail("must be an email address: " + why); };
  auto at = s.rfind('@');
  if (at == std::string_view::npos) return bad("missing '@'");
  if (s.size() > 254) return bad("longer than 254 characters");
  auto local = s.substr(0, at), domain = s.substr(at + 1);
  if (local.empty() || local.size() > 64) return bad("the part before '@' must be 1-64 characters");
  // Dot-atom only (RFC 5322 §3.2.3); quoted local parts are legal but never seen in practice.
  static constexpr std::string_view kAtext = "!#$%&'*+-/=?^_`{|}~";
  for (std::size_t i = 0; i < local.size(); ++i) {
    char c = local[i];
    if (c == '.') {
      if (i == 0 || i + 1 == local.size() || local[i + 1] == '.') return bad("misplaced '.' before '@'");
    } else if (!is_alpha(c) && !is_digit(c) && kAtext.find(c) == std::string_view::npos) {
      return bad("character not allowed before '@'");
    }
  }
  if (domain.find('.') == std::string_view::npos) return bad("the domain needs a '.'");
  auto why = hostname_error(domain);
  if (!why.empty()) return bad("the domain " + why);
  return {std::string(local) + "@" + lower(domain), {}};
}

}  // namespace netops::specs::detail
