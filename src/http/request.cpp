#include "http/request.hpp"

#include <charconv>

#include "core/text.hpp"
#include "core/error.hpp"
#include "core/ids.hpp"
#include "core/json.hpp"

namespace netops::http {

std::optional<std::string_view> Request::header(std::string_view lower_name) const {
  for (auto& [k, v] : headers)
    if (k == lower_name) return std::string_view(v);
  return std::nullopt;
}

namespace {
// Decoded URL text reaches SQL parameters: PostgreSQL refuses bytes that are not UTF-8 (a 500 otherwise) and
// libpq would cut a value at NUL, so both are the caller's 400, naming the parameter.
void check_text(std::string_view name, std::string_view value) {
  if (invalid_text_at(value)) throw ValidationError(std::string(name), "must be UTF-8 text without NUL characters");
}
}  // namespace

std::string_view Request::path_param(std::string_view name) const {
  for (auto& [k, v] : path_params)
    if (k == name) {
      check_text(name, v);
      return v;
    }
  return {};
}

std::string Request::path_uuid(std::string_view name) const {
  auto v = path_param(name);
  if (!is_uuid(v)) throw ValidationError(std::string(name), "must be a UUID");
  std::string out(v);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::optional<std::string> Request::query_uuid(std::string_view name) const {
  auto v = query(name);
  if (!v) return v;
  if (!is_uuid(*v)) throw ValidationError(std::string(name), "must be a UUID");
  for (auto& c : *v) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return v;
}

std::optional<std::string> Request::query(std::string_view name) const {
  for (auto& [k, v] : query_params)
    if (k == name) {
      check_text(name, v);
      return v;
    }
  return std::nullopt;
}

long long Request::query_int(std::string_view name, long long fallback, long long min, long long max) const {
  auto v = query(name);
  if (!v || v->empty()) return fallback;
  long long out = 0;
  auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
  if (ec != std::errc() || p != v->data() + v->size())
    throw ValidationError(std::string(name), "must be an integer");
  if (out < min || out > max)
    throw ValidationError(std::string(name),
                          "must be between " + std::to_string(min) + " and " + std::to_string(max));
  return out;
}

std::optional<bool> Request::query_bool(std::string_view name) const {
  auto v = query(name);
  if (!v || v->empty()) return std::nullopt;
  if (*v == "true" || *v == "1") return true;
  if (*v == "false" || *v == "0") return false;
  throw ValidationError(std::string(name), "must be true or false");
}

const nlohmann::json& Request::json() const {
  if (!json_) {
    auto parsed = parse_json_object(body);
    if (json_has_nul(body)) throw ValidationError("body", "text must not contain NUL characters (\\u0000)");
    json_ = std::move(parsed);
  }
  return *json_;
}

Caller Request::caller() const {
  if (actor) return *actor;
  Caller c;
  c.request_id = request_id;
  c.remote_ip = remote_ip;
  c.received = received;
  c.user_agent = clean_text(header("user-agent").value_or(""), 512);
  return c;
}

std::optional<std::string> Request::if_match() const {
  auto h = header("if-match");
  if (!h || *h == "*") return std::nullopt;
  return std::string(*h);
}

const Actor& Request::actor_or_throw() const {
  if (!actor) throw Unauthorized();
  return *actor;
}

std::string url_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '+') {
      out.push_back(' ');
    } else if (c == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
               std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      int v = 0;
      std::from_chars(s.data() + i + 1, s.data() + i + 3, v, 16);
      out.push_back(static_cast<char>(v));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> parse_query(std::string_view qs) {
  std::vector<std::pair<std::string, std::string>> out;
  while (!qs.empty()) {
    auto amp = qs.find('&');
    auto part = qs.substr(0, amp);
    qs = amp == std::string_view::npos ? std::string_view{} : qs.substr(amp + 1);
    if (part.empty()) continue;
    auto eq = part.find('=');
    if (eq == std::string_view::npos)
      out.emplace_back(url_decode(part), "");
    else
      out.emplace_back(url_decode(part.substr(0, eq)), url_decode(part.substr(eq + 1)));
  }
  return out;
}

}  // namespace netops::http
