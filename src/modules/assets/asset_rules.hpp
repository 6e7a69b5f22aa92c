#pragma once
// The pure rules of the assets module: the status state machine (as data), the table of writable
// columns and how each value is checked and normalised, and the translation of a search term into
// index-friendly conditions. No I/O, so all of it is unit-tested directly.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace netops::assets {

// ---- status -------------------------------------------------------------------------------------

inline constexpr std::array<std::string_view, 6> kStatuses = {"in_stock", "in_use",  "in_repair",
                                                             "retired",  "disposed", "lost"};
bool valid_status(std::string_view s);
// The next states allowed from `from` (SPEC §4.4), in kStatuses order; empty for a final state.
std::vector<std::string> allowed_next(std::string_view from);
bool transition_allowed(std::string_view from, std::string_view to);
// Throws 409 CONFLICT with details.allowed (and from/to) unless from → to is in the table.
void check_transition(std::string_view from, std::string_view to);
// Statuses that make no sense while someone holds the asset: return it first.
bool requires_no_assignment(std::string_view status);

// ---- columns ------------------------------------------------------------------------------------

enum class Kind { code, text, note, uuid, mac, ip, hostname, vlan, date, status };

struct Column {
  std::string_view api;    // camelCase JSON / CSV header
  std::string_view sql;    // column of assets
  std::string_view snake;  // snake_case CSV header alias
  Kind kind;
  std::size_t max_len;     // bytes, 0 = unlimited
  std::string_view cast;   // SQL cast of a text parameter ("" = text)
};

// Every writable column of assets, in API/CSV order.
const std::vector<Column>& columns();
const Column* column_by_api(std::string_view api_name);
const Column* column_by_sql(std::string_view sql_name);

// Checks one value given as text and returns its canonical form (MAC aa:bb:cc:dd:ee:ff, IP per
// inet_ntop, hostname lower-case, date YYYY-MM-DD, vlan as digits), or the reason it is invalid.
struct Checked {
  std::string value;
  std::string error;  // empty = valid
  bool ok() const { return error.empty(); }
};
Checked check_value(const Column& c, std::string_view text);

std::optional<std::string> normalize_mac(std::string_view s);
std::optional<std::string> normalize_ip(std::string_view s);    // a host address, v4 or v6
std::optional<std::string> normalize_cidr(std::string_view s);  // "net/len", v4 or v6, host bits allowed
bool valid_hostname(std::string_view s);                        // RFC 1123, ≤ 253 bytes
bool valid_date(std::string_view s);                            // YYYY-MM-DD, a real calendar day

// ---- search -------------------------------------------------------------------------------------

// What a free-text search term can also mean besides text in code/serial/hostname/MAC.
struct SearchPlan {
  std::string text;                                    // lower-cased term (LIKE-escaped by the caller)
  // Hex digits with ':' or '-' separators ("00:1A:2b", "00-1a"): the start of a MAC, as stored
  // ("00:1a:2b"). Matched by prefix: trigrams of 2-character hex groups select almost nothing.
  std::optional<std::string> mac_prefix;
  std::optional<std::string> mac;                      // the term as a canonical MAC (any common spelling)
  std::optional<std::string> cidr;                     // an IP or CIDR: mgmt_ip <<= cidr
  std::vector<std::pair<std::string, std::string>> ip_ranges;  // an IPv4 text prefix as [lo, hi] ranges
};
// "10.1.2." → 10.1.2.0–10.1.2.255; "10.1.2" → 10.1.2.0–10.1.2.255 plus 10.1.20–29.*, 10.1.200–255.*
// (exactly the addresses whose text starts with the term). A term needs a dot to count as an IPv4
// prefix: "10" alone would match most of a 10/8 network.
SearchPlan plan_search(std::string_view term);

}  // namespace netops::assets
