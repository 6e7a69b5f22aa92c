#include "modules/assets/asset_rules.hpp"

#include "core/dates.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <charconv>

#include "core/error.hpp"
#include "core/ids.hpp"

namespace netops::assets {

namespace {

// SPEC §4.4 as data: (from, to) pairs. The working states move freely among themselves and out to the
// end states; retired can still be disposed of; a lost asset can be found again; disposed is final.
constexpr std::pair<std::string_view, std::string_view> kTransitions[] = {
    {"in_stock", "in_use"},    {"in_stock", "in_repair"}, {"in_stock", "retired"},  {"in_stock", "disposed"},
    {"in_stock", "lost"},      {"in_use", "in_stock"},    {"in_use", "in_repair"},  {"in_use", "retired"},
    {"in_use", "disposed"},    {"in_use", "lost"},        {"in_repair", "in_stock"}, {"in_repair", "in_use"},
    {"in_repair", "retired"},  {"in_repair", "disposed"}, {"in_repair", "lost"},    {"retired", "disposed"},
    {"lost", "in_stock"},
};

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// PostgreSQL rejects invalid UTF-8 and NUL; catching them here turns a 500 into a field error.
bool valid_utf8(std::string_view s, bool allow_newlines) {
  std::size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if (c == 0 || c == 0x7f || (c < 0x20 && !(allow_newlines && (c == '\n' || c == '\r' || c == '\t'))))
        return false;
      ++i;
      continue;
    }
    std::size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
    if (len == 0 || c > 0xF4 || i + len > s.size()) return false;
    for (std::size_t k = 1; k < len; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    auto c1 = static_cast<unsigned char>(s[i + 1]);
    if ((c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 > 0x9F) || (c == 0xF0 && c1 < 0x90) || (c == 0xF4 && c1 > 0x8F))
      return false;  // overlong forms, surrogates, beyond U+10FFFF
    i += len;
  }
  return true;
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

bool valid_status(std::string_view s) { return std::find(kStatuses.begin(), kStatuses.end(), s) != kStatuses.end(); }

std::vector<std::string> allowed_next(std::string_view from) {
  std::vector<std::string> out;
  for (auto s : kStatuses)
    if (transition_allowed(from, s)) out.emplace_back(s);
  return out;
}

bool transition_allowed(std::string_view from, std::string_view to) {
  for (auto& [f, t] : kTransitions)
    if (f == from && t == to) return true;
  return false;
}

void check_transition(std::string_view from, std::string_view to) {
  if (transition_allowed(from, to)) return;
  auto allowed = allowed_next(from);
  std::string msg = "status cannot change from " + std::string(from) + " to " + std::string(to);
  msg += allowed.empty() ? " (" + std::string(from) + " is final)" : "";
  throw Conflict(msg, {{"from", from}, {"to", to}, {"allowed", allowed}});
}

bool requires_no_assignment(std::string_view status) {
  return status == "in_stock" || status == "retired" || status == "disposed";
}

const std::vector<Column>& columns() {
  static const std::vector<Column> kColumns = {
      {"assetCode", "asset_code", "asset_code", Kind::code, 100, ""},
      {"modelId", "model_id", "model_id", Kind::uuid, 0, "::uuid"},
      {"serialNo", "serial_no", "serial_no", Kind::text, 255, ""},
      {"macAddress", "mac_address", "mac_address", Kind::mac, 50, ""},
      {"mgmtIp", "mgmt_ip", "mgmt_ip", Kind::ip, 0, "::inet"},
      {"hostname", "hostname", "hostname", Kind::hostname, 253, ""},
      {"vlanId", "vlan_id", "vlan_id", Kind::vlan, 0, "::int"},
      {"switchName", "switch_name", "switch_name", Kind::text, 255, ""},
      {"switchPort", "switch_port", "switch_port", Kind::text, 100, ""},
      {"locationId", "location_id", "location_id", Kind::uuid, 0, "::uuid"},
      {"status", "status", "status", Kind::status, 0, ""},
      {"purchaseDate", "purchase_date", "purchase_date", Kind::date, 0, "::date"},
      {"warrantyEnd", "warranty_end", "warranty_end", Kind::date, 0, "::date"},
      {"vendorId", "vendor_id", "vendor_id", Kind::uuid, 0, "::uuid"},
      {"notes", "notes", "notes", Kind::note, 10000, ""},
  };
  return kColumns;
}

const Column* column_by_api(std::string_view api_name) {
  for (auto& c : columns())
    if (c.api == api_name) return &c;
  return nullptr;
}

const Column* column_by_sql(std::string_view sql_name) {
  for (auto& c : columns())
    if (c.sql == sql_name) return &c;
  return nullptr;
}

Checked check_value(const Column& c, std::string_view raw) {
  std::string_view v = c.kind == Kind::note ? raw : trim(raw);
  if (!valid_utf8(v, c.kind == Kind::note)) return {"", "must be UTF-8 text without control characters"};
  if (c.max_len && v.size() > c.max_len)
    return {"", "must be at most " + std::to_string(c.max_len) + " bytes"};
  switch (c.kind) {
    case Kind::code:
      if (v.empty()) return {"", "is required"};
      return {std::string(v), ""};
    case Kind::text:
    case Kind::note: return {std::string(v), ""};
    case Kind::uuid:
      if (!is_uuid(v)) return {"", "must be a UUID"};
      return {lower(v), ""};
    case Kind::mac: {
      auto m = normalize_mac(v);
      if (!m) return {"", "must be a MAC address (aa:bb:cc:dd:ee:ff, aa-bb-…, aabb.ccdd.eeff or 12 hex digits)"};
      return {*m, ""};
    }
    case Kind::ip: {
      auto ip = normalize_ip(v);
      if (!ip) return {"", "must be an IPv4 or IPv6 host address"};
      return {*ip, ""};
    }
    case Kind::hostname:
      if (!valid_hostname(v)) return {"", "must be a hostname (RFC 1123: labels of letters, digits and inner hyphens)"};
      return {lower(v), ""};
    case Kind::vlan: {
      int n = 0;
      auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
      if (ec != std::errc() || p != v.data() + v.size() || n < 1 || n > 4094)
        return {"", "must be an integer from 1 to 4094"};
      return {std::to_string(n), ""};
    }
    case Kind::date:
      if (!valid_date(v)) return {"", "must be a date (YYYY-MM-DD)"};
      return {std::string(v), ""};
    case Kind::status:
      if (!valid_status(v)) return {"", "must be one of in_stock, in_use, in_repair, retired, disposed, lost"};
      return {std::string(v), ""};
  }
  return {"", "unsupported"};
}

std::optional<std::string> normalize_mac(std::string_view s) {
  std::string hex;
  if (s.size() == 17) {  // aa:bb:cc:dd:ee:ff or aa-bb-…: one separator kind throughout
    char sep = s[2];
    if (sep != ':' && sep != '-') return std::nullopt;
    for (std::size_t i = 0; i < 17; ++i) {
      if (i % 3 == 2) {
        if (s[i] != sep) return std::nullopt;
      } else {
        hex.push_back(s[i]);
      }
    }
  } else if (s.size() == 14) {  // aabb.ccdd.eeff (Cisco)
    if (s[4] != '.' || s[9] != '.') return std::nullopt;
    hex = std::string(s.substr(0, 4)) + std::string(s.substr(5, 4)) + std::string(s.substr(10, 4));
  } else if (s.size() == 12) {
    hex = std::string(s);
  } else {
    return std::nullopt;
  }
  std::string out;
  for (std::size_t i = 0; i < 12; ++i) {
    if (!std::isxdigit(static_cast<unsigned char>(hex[i]))) return std::nullopt;
    if (i && i % 2 == 0) out.push_back(':');
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(hex[i]))));
  }
  return out;
}

std::optional<std::string> normalize_ip(std::string_view s) {
  std::string text(s);
  char buf[INET6_ADDRSTRLEN];
  unsigned char addr[16];
  if (text.find(':') == std::string::npos) {
    if (inet_pton(AF_INET, text.c_str(), addr) != 1) return std::nullopt;
    return std::string(inet_ntop(AF_INET, addr, buf, sizeof buf));
  }
  if (inet_pton(AF_INET6, text.c_str(), addr) != 1) return std::nullopt;
  return std::string(inet_ntop(AF_INET6, addr, buf, sizeof buf));
}

std::optional<std::string> normalize_cidr(std::string_view s) {
  auto slash = s.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  auto ip = normalize_ip(s.substr(0, slash));
  auto len_text = s.substr(slash + 1);
  if (!ip || !all_digits(len_text) || len_text.size() > 3) return std::nullopt;
  int len = std::stoi(std::string(len_text));
  if (len > (ip->find(':') == std::string::npos ? 32 : 128)) return std::nullopt;
  return *ip + "/" + std::to_string(len);
}

bool valid_hostname(std::string_view s) {
  if (s.empty() || s.size() > 253) return false;
  if (s.back() == '.') s.remove_suffix(1);  // fully qualified form
  std::string_view last;
  while (!s.empty()) {
    auto dot = s.find('.');
    auto label = s.substr(0, dot);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
    for (char c : label)
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-')) return false;
    last = label;
    s = dot == std::string_view::npos ? std::string_view{} : s.substr(dot + 1);
    if (dot != std::string_view::npos && s.empty()) return false;
  }
  return !all_digits(last);  // RFC 1123 §2.1: keeps dotted IPv4 text out of hostnames
}

bool valid_date(std::string_view s) { return parse_iso_date(s).has_value(); }

SearchPlan plan_search(std::string_view raw) {
  auto term = trim(raw);
  SearchPlan p;
  p.text = lower(term);
  bool mac_like = std::all_of(term.begin(), term.end(), [](char c) {
    return std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '-';
  });
  if (mac_like && term.find_first_of(":-") != std::string_view::npos && term.size() >= 2) {
    p.mac_prefix = p.text;
    std::replace(p.mac_prefix->begin(), p.mac_prefix->end(), '-', ':');
  }
  p.mac = normalize_mac(term);
  if (auto ip = normalize_ip(term)) {
    p.cidr = *ip + (ip->find(':') == std::string::npos ? "/32" : "/128");
  } else if (auto cidr = normalize_cidr(term)) {
    p.cidr = *cidr;
  }
  if (p.cidr || term.find('.') == std::string_view::npos) return p;

  // An IPv4 text prefix: complete octets, then maybe one partial octet.
  std::vector<std::string_view> parts;
  std::string_view rest = term;
  for (;;) {
    auto dot = rest.find('.');
    parts.push_back(rest.substr(0, dot));
    if (dot == std::string_view::npos) break;
    rest = rest.substr(dot + 1);
  }
  bool trailing_dot = parts.back().empty();
  if (trailing_dot) parts.pop_back();
  if (parts.empty() || parts.size() > (trailing_dot ? 3u : 4u)) return p;
  std::vector<int> fixed;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    auto part = parts[i];
    if (!all_digits(part) || part.size() > 3 || (part.size() > 1 && part[0] == '0')) return p;
    int v = std::stoi(std::string(part));
    if (v > 255) return p;
    fixed.push_back(v);
  }
  auto address = [](const std::vector<int>& octets, int fill) {
    std::string out;
    for (std::size_t i = 0; i < 4; ++i) out += (i ? "." : "") + std::to_string(i < octets.size() ? octets[i] : fill);
    return out;
  };
  if (trailing_dot) {
    p.ip_ranges.emplace_back(address(fixed, 0), address(fixed, 255));
    return p;
  }
  // The last octet is partial: its value v, or any octet whose decimal text starts with v.
  int v = fixed.back();
  fixed.pop_back();
  std::vector<std::pair<int, int>> octet_ranges = {{v, v}};
  if (v != 0) {
    if (v * 10 <= 255) octet_ranges.emplace_back(v * 10, std::min(v * 10 + 9, 255));
    if (v * 100 <= 255) octet_ranges.emplace_back(v * 100, std::min(v * 100 + 99, 255));
  }
  for (auto [lo, hi] : octet_ranges) {
    auto a = fixed, b = fixed;
    a.push_back(lo);
    b.push_back(hi);
    p.ip_ranges.emplace_back(address(a, 0), address(b, 255));
  }
  return p;
}


}  // namespace netops::assets
