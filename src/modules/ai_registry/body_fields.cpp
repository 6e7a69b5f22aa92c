#include "modules/ai_registry/body_fields.hpp"

#include <algorithm>
#include <charconv>

namespace netops::ai_registry {

using nlohmann::json;

namespace {
// True when the read added no problem: the value read is then the one to keep.
struct Clean {
  explicit Clean(http::BodyReader& b) : b_(b), before_(b.validation().errors().size()) {}
  bool operator()() const { return b_.validation().errors().size() == before_; }
  http::BodyReader& b_;
  std::size_t before_;
};
}  // namespace

void read_text(http::BodyReader& b, const char* f, std::optional<std::string>& out, std::size_t max) {
  if (!b.has(f)) return b.missing(f);
  std::string s;
  b.text(f, s, max);
  if (!s.empty()) out = std::move(s);
}

void read_opt_text(http::BodyReader& b, const char* f, Clearable<std::string>& out, std::size_t max) {
  if (!b.has(f)) return;
  std::optional<std::string> s;
  Clean clean(b);
  b.opt_text(f, s, max);
  if (clean()) out = std::move(s);
}

void read_one_of(http::BodyReader& b, const char* f, std::optional<std::string>& out,
                 std::initializer_list<const char*> allowed, bool required) {
  if (!b.has(f)) return required ? b.missing(f) : void();
  std::string s;
  b.one_of(f, s, allowed, false);
  if (!s.empty()) out = std::move(s);
}

void read_integer(http::BodyReader& b, const char* f, std::optional<int>& out, long long min, long long max,
                  bool required) {
  if (!b.has(f)) return required ? b.missing(f) : void();
  int x = 0;
  Clean clean(b);
  b.integer(f, x, min, max, false);
  if (clean()) out = x;
}

void read_opt_integer(http::BodyReader& b, const char* f, Clearable<int>& out, long long min, long long max) {
  if (!b.has(f)) return;
  std::optional<int> x;
  Clean clean(b);
  b.opt_integer(f, x, min, max);
  if (clean()) out = x;
}

void read_boolean(http::BodyReader& b, const char* f, std::optional<bool>& out) {
  if (!b.has(f)) return;
  bool x = false;
  Clean clean(b);
  b.boolean(f, x);
  if (clean()) out = x;
}

void read_object(http::BodyReader& b, const char* f, std::optional<json>& out) {
  if (!b.has(f)) return;
  json x = json::object();
  Clean clean(b);
  b.object(f, x);
  if (clean()) out = std::move(x);
}

void read_decimal(http::BodyReader& b, const char* f, Clearable<std::string>& out, int int_digits, int frac_digits,
                  bool negative) {
  auto* j = b.get(f);
  if (!j) return;
  if (j->is_null()) return void(out = std::optional<std::string>());
  auto d = decimal_text(*j, int_digits, frac_digits, negative);
  if (!d)
    return b.validation().add(f, std::string(negative ? "must be a decimal" : "must be a non-negative decimal") +
                                     " (string or number) with at most " + std::to_string(int_digits) +
                                     " integer and " + std::to_string(frac_digits) + " fractional digits");
  out = std::optional<std::string>(*d);
}

std::optional<std::string> decimal_text(const json& value, int int_digits, int frac_digits, bool allow_negative) {
  std::string s;
  if (value.is_number_integer()) {
    s = value.dump();
  } else if (value.is_number_float()) {
    char buf[64];  // shortest fixed notation that round-trips: 1e-05 → "0.00001"
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value.get<double>(), std::chars_format::fixed);
    if (ec != std::errc()) return std::nullopt;
    s.assign(buf, end);
  } else if (value.is_string()) {
    s = value.get<std::string>();
  } else {
    return std::nullopt;
  }
  // Shape -?[0-9]+(\.[0-9]+)?, read by hand: the text may be a client's 50,000-digit string.
  if (s.size() > 200) return std::nullopt;
  std::string_view rest(s);
  std::string sign;
  if (!rest.empty() && rest.front() == '-') {
    sign = "-";
    rest.remove_prefix(1);
  }
  auto digits = [](std::string_view d) {
    return !d.empty() && std::all_of(d.begin(), d.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  auto dot = rest.find('.');
  std::string ip(rest.substr(0, dot)), fp;
  if (dot != std::string_view::npos) {
    fp = std::string(rest.substr(dot + 1));
    if (!digits(fp)) return std::nullopt;
  }
  if (!digits(ip)) return std::nullopt;
  if (!sign.empty() && !allow_negative) return std::nullopt;
  ip.erase(0, std::min(ip.find_first_not_of('0'), ip.size() - 1));  // "007" → "7", "0" stays
  while (!fp.empty() && fp.back() == '0') fp.pop_back();
  if (static_cast<int>(ip.size()) > int_digits || static_cast<int>(fp.size()) > frac_digits) return std::nullopt;
  return sign + ip + (fp.empty() ? "" : "." + fp);
}

}  // namespace netops::ai_registry
