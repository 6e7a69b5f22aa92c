#include "modules/models/validate.hpp"

#include "llm/egress.hpp"

#include <algorithm>
#include <charconv>
#include <re2/re2.h>

#include <set>

#include "modules/models/types.hpp"

namespace netops::models {

namespace {
using nlohmann::json;

// Reads optional fields of one body into struct members; absent fields leave the member alone.
class Fields {
 public:
  Fields(const json& body, bool creating, Validation& v) : body_(body), creating_(creating), v_(v) {}
  const json* get(const char* f) const {
    auto it = body_.find(f);
    return it == body_.end() ? nullptr : &*it;
  }
  void missing(const char* f) {
    if (creating_) v_.add(f, "is required");
  }
  void text(const char* f, std::string& out, std::size_t max) {  // required, not null
    auto* j = get(f);
    if (!j) return missing(f);
    if (!j->is_string() || j->get_ref<const std::string&>().empty() || j->get_ref<const std::string&>().size() > max)
      return v_.add(f, "must be a non-empty string of at most " + std::to_string(max) + " characters");
    out = j->get<std::string>();
  }
  void opt_text(const char* f, std::optional<std::string>& out, std::size_t max) {  // null or "" clears
    auto* j = get(f);
    if (!j) return;
    if (j->is_null() || (j->is_string() && j->get_ref<const std::string&>().empty())) return out.reset();
    if (!j->is_string() || j->get_ref<const std::string&>().size() > max)
      return v_.add(f, "must be a string of at most " + std::to_string(max) + " characters");
    out = j->get<std::string>();
  }
  void one_of(const char* f, std::string& out, std::initializer_list<const char*> allowed, bool required) {
    auto* j = get(f);
    if (!j) return required ? missing(f) : void();
    std::string list;
    for (auto* a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
    if (j->is_string())
      for (auto* a : allowed)
        if (j->get_ref<const std::string&>() == a) return void(out = a);
    v_.add(f, "must be one of " + list);
  }
  bool integer(const json& j, const std::string& f, long long min, long long max, long long& out) {
    if (!j.is_number_integer() || j.get<long long>() < min || j.get<long long>() > max) {
      v_.add(f, "must be an integer between " + std::to_string(min) + " and " + std::to_string(max));
      return false;
    }
    out = j.get<long long>();
    return true;
  }
  void integer(const char* f, int& out, long long min, long long max, bool required) {
    auto* j = get(f);
    if (!j) return required ? missing(f) : void();
    long long x = 0;
    if (integer(*j, f, min, max, x)) out = static_cast<int>(x);
  }
  void opt_integer(const char* f, std::optional<int>& out, long long min, long long max) {
    auto* j = get(f);
    if (!j) return;
    if (j->is_null()) return out.reset();
    long long x = 0;
    if (integer(*j, f, min, max, x)) out = static_cast<int>(x);
  }
  void boolean(const char* f, bool& out) {
    auto* j = get(f);
    if (!j) return;
    if (!j->is_boolean()) return v_.add(f, "must be true or false");
    out = j->get<bool>();
  }
  void object(const char* f, json& out) {
    auto* j = get(f);
    if (!j) return;
    if (j->is_null()) return void(out = json::object());
    if (!j->is_object()) return v_.add(f, "must be an object");
    out = *j;
  }
  void decimal(const char* f, std::optional<std::string>& out, int int_digits, int frac_digits, bool negative) {
    auto* j = get(f);
    if (!j) return;
    if (j->is_null()) return out.reset();
    auto d = decimal_text(*j, int_digits, frac_digits, negative);
    if (!d)
      return v_.add(f, std::string(negative ? "must be a decimal" : "must be a non-negative decimal") + " (string or number) with at most " +
                           std::to_string(int_digits) + " integer and " + std::to_string(frac_digits) + " fractional digits");
    out = *d;
  }
  // Everything else must be a known field; read-only fields of the API shape are ignored.
  void only(std::initializer_list<const char*> writable, std::initializer_list<const char*> read_only) {
    for (auto& [k, _] : body_.items()) {
      auto is = [&k](const char* n) { return k == n; };
      if (std::none_of(writable.begin(), writable.end(), is) && std::none_of(read_only.begin(), read_only.end(), is))
        v_.add(k, "unknown field");
    }
  }
  void immutable_id(const std::string& current) {
    auto* j = get("id");
    if (creating_ || !j) return;
    if (!j->is_string() || j->get_ref<const std::string&>() != current) v_.add("id", "cannot be changed");
  }

 private:
  const json& body_;
  bool creating_;
  Validation& v_;
};

bool printable_no_space(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c > 0x20 && c < 0x7f; });
}

bool in(const json& j, std::initializer_list<const char*> allowed) {
  return j.is_string() && std::any_of(allowed.begin(), allowed.end(),
                                      [&j](const char* a) { return j.get_ref<const std::string&>() == a; });
}

void check_string_array(const json& c, const char* key, std::initializer_list<const char*> allowed, Validation& v) {
  auto it = c.find(key);
  if (it == c.end()) return;
  std::string f = std::string("conditions.") + key;
  bool ok = it->is_array() && !it->empty();
  if (ok)
    for (auto& x : *it) ok = ok && x.is_string() && !x.get_ref<const std::string&>().empty() && (allowed.size() == 0 || in(x, allowed));
  if (ok) return;
  std::string list;
  for (auto* a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
  v.add(f, allowed.size() ? "must be a non-empty array of " + list : "must be a non-empty array of strings");
}

void check_conditions(const json& c, Validation& v) {
  static const std::set<std::string> kKeys = {"models",          "roles",          "userTiers",      "minPromptTokens",
                                              "maxPromptTokens", "requiresTools", "requiresVision", "pattern",
                                              "complexity"};
  for (auto& [k, _] : c.items())
    if (!kKeys.count(k))
      v.add("conditions." + k, "unknown condition (allowed: models, roles, userTiers, minPromptTokens, "
                               "maxPromptTokens, requiresTools, requiresVision, pattern, complexity)");
  check_string_array(c, "models", {}, v);
  check_string_array(c, "roles", {"user", "admin", "super_admin"}, v);
  check_string_array(c, "userTiers", {"free", "pro", "enterprise", "unlimited"}, v);
  for (const char* k : {"minPromptTokens", "maxPromptTokens"})
    if (c.contains(k) && (!c[k].is_number_integer() || c[k].get<long long>() < 0))
      v.add(std::string("conditions.") + k, "must be a non-negative integer");
  if (c.contains("minPromptTokens") && c.contains("maxPromptTokens") && c["minPromptTokens"].is_number_integer() &&
      c["maxPromptTokens"].is_number_integer() && c["minPromptTokens"].get<long long>() > c["maxPromptTokens"].get<long long>())
    v.add("conditions.maxPromptTokens", "must not be below minPromptTokens");
  for (const char* k : {"requiresTools", "requiresVision"})
    if (c.contains(k) && !c[k].is_boolean()) v.add(std::string("conditions.") + k, "must be true or false");
  if (c.contains("pattern")) {
    auto& p = c["pattern"];
    if (!p.is_string() || p.get_ref<const std::string&>().empty() || p.get_ref<const std::string&>().size() > 1000) {
      v.add("conditions.pattern", "must be a non-empty string of at most 1000 characters");
    } else {
      auto re = compile_rule_pattern(p.get<std::string>());
      if (!re->ok()) v.add("conditions.pattern", "is not a valid RE2 regular expression: " + re->error());
    }
  }
  if (c.contains("complexity")) {
    auto& x = c["complexity"];
    auto level = [](const json& j) { return j.is_number_integer() && j.get<long long>() >= 0 && j.get<long long>() <= 3; };
    bool ok = level(x) || (x.is_array() && !x.empty() && std::all_of(x.begin(), x.end(), level));
    if (!ok) v.add("conditions.complexity", "must be an integer 0–3 or a non-empty array of them");
  }
}
}  // namespace

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

bool valid_provider_id(std::string_view id) {
  static const re2::RE2 kSlug("[a-z0-9][a-z0-9_-]{0,49}");
  return id.size() <= 50 && re2::RE2::FullMatch(id, kSlug);
}

bool valid_model_id(std::string_view id) {
  static const re2::RE2 kId(R"([A-Za-z0-9._:@+-]+(/[A-Za-z0-9._:@+-]+){0,2})");
  if (id.empty() || id.size() > 100 || !re2::RE2::FullMatch(id, kId)) return false;
  std::size_t start = 0;
  for (;;) {
    auto slash = id.find('/', start);
    auto seg = id.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    if (seg == "." || seg == "..") return false;
    if (slash == std::string_view::npos) return start == 0 || (seg != "performance" && seg != "history");
    start = slash + 1;
  }
}

std::optional<std::string> normalize_endpoint(std::string_view url) {
  static const re2::RE2 kUrl(R"(https?://[A-Za-z0-9.\-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~!$&'()*+,;=:%/-]*)?)");
  static const re2::RE2 kV6(R"(https?://\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?(/[A-Za-z0-9._~!$&'()*+,;=:%/-]*)?)");
  if (url.size() > 2048) return std::nullopt;
  if (!re2::RE2::FullMatch(url, kUrl) && !re2::RE2::FullMatch(url, kV6)) return std::nullopt;
  std::string out(url);
  while (out.size() > 1 && out.back() == '/') out.pop_back();
  return out;
}

void apply_provider(const json& body, Provider& p, KeyChange& key, bool creating, Validation& v) {
  Fields f(body, creating, v);
  f.only({"id", "name", "description", "apiEndpoint", "authType", "apiKey", "capabilities", "status",
          "rateLimitPerMinute", "creditsRemaining", "metadata"},
         {"hasApiKey", "apiKeyHint", "apiKeyError", "tokensUsed", "lastUsageAt", "createdAt", "updatedAt"});
  if (creating) {
    std::string id;
    f.text("id", id, 50);
    if (!id.empty() && !valid_provider_id(id))
      v.add("id", "must be a lowercase slug: a-z, 0-9, '-' or '_', starting with a letter or digit");
    else if (!id.empty())
      p.id = id;
  }
  f.immutable_id(p.id);
  f.text("name", p.name, 255);
  f.opt_text("description", p.description, 10000);
  if (auto* j = f.get("apiEndpoint")) {
    auto url = j->is_string() ? normalize_endpoint(j->get<std::string>()) : std::nullopt;
    if (url) llm::require_egress_allowed(*url, "apiEndpoint");  // 422 naming the rule (llm/egress.hpp)
    if (url) p.api_endpoint = *url;
    else v.add("apiEndpoint", "must be an http:// or https:// URL without credentials, query or fragment");
  } else {
    f.missing("apiEndpoint");
  }
  f.one_of("authType", p.auth_type, {"bearer", "x-api-key", "none"}, true);
  if (auto* j = f.get("apiKey")) {
    if (j->is_null() || (j->is_string() && j->get_ref<const std::string&>().empty())) {
      key = KeyChange{KeyChange::Kind::clear, {}};
    } else if (!j->is_string() || j->get_ref<const std::string&>().size() > 4096 ||
               !printable_no_space(j->get_ref<const std::string&>())) {
      v.add("apiKey", "must be printable ASCII without spaces, at most 4096 characters");  // never the value
    } else {
      key = KeyChange{KeyChange::Kind::set, j->get<std::string>()};
    }
  }
  if (key.kind == KeyChange::Kind::set && p.auth_type == "none") v.add("apiKey", "is not used when authType is none");
  f.object("capabilities", p.capabilities);
  f.one_of("status", p.status, {"active", "inactive"}, false);
  f.opt_integer("rateLimitPerMinute", p.rate_limit_per_minute, 1, 100000000);
  f.decimal("creditsRemaining", p.credits_remaining, 8, 4, true);
  f.object("metadata", p.metadata);
}

void apply_model(const json& body, ModelConfig& m, bool creating, Validation& v) {
  Fields f(body, creating, v);
  f.only({"id", "provider", "tier", "contextWindow", "maxTokens", "costPer1kInput", "costPer1kOutput",
          "costPer1kCacheRead", "costPer1kCacheWrite", "capabilities", "enabled", "supportsStreaming",
          "supportsFunctions", "supportsVision", "description", "priority", "status", "displayName"},
         {"upstreamModel", "createdAt", "updatedAt", "circuitBreaker"});
  if (creating) {
    std::string id;
    f.text("id", id, 100);
    if (!id.empty() && !valid_model_id(id))
      v.add("id", "must be 1–3 '/'-separated segments of letters, digits and ._:@+- (e.g. openai/gpt-4o), at most "
                  "100 characters, not ending in /performance or /history");
    else if (!id.empty())
      m.id = id;
  }
  f.immutable_id(m.id);
  std::string provider = m.provider;
  f.text("provider", provider, 50);
  if (provider != m.provider) {
    if (valid_provider_id(provider)) m.provider = provider;
    else v.add("provider", "must be a provider id (lowercase slug)");
  }
  f.integer("tier", m.tier, 0, 3, true);
  f.opt_integer("contextWindow", m.context_window, 1, 100000000);
  f.opt_integer("maxTokens", m.max_tokens, 1, 100000000);
  f.decimal("costPer1kInput", m.cost_per_1k_input, 4, 6, false);
  f.decimal("costPer1kOutput", m.cost_per_1k_output, 4, 6, false);
  f.decimal("costPer1kCacheRead", m.cost_per_1k_cache_read, 4, 6, false);
  f.decimal("costPer1kCacheWrite", m.cost_per_1k_cache_write, 4, 6, false);
  f.object("capabilities", m.capabilities);
  if (auto it = m.capabilities.find("upstreamModel"); it != m.capabilities.end() && !it->is_null() &&
      (!it->is_string() || it->get_ref<const std::string&>().empty() || it->get_ref<const std::string&>().size() > 200))
    v.add("capabilities.upstreamModel", "must be a non-empty string of at most 200 characters");
  f.boolean("enabled", m.enabled);
  f.boolean("supportsStreaming", m.supports_streaming);
  f.boolean("supportsFunctions", m.supports_functions);
  f.boolean("supportsVision", m.supports_vision);
  f.opt_text("description", m.description, 10000);
  f.opt_text("displayName", m.display_name, 255);
  f.integer("priority", m.priority, -1000000, 1000000, false);
  f.one_of("status", m.status, {"active", "inactive", "deprecated"}, false);
}

void apply_rule(const json& body, Rule& r, bool creating, Validation& v) {
  Fields f(body, creating, v);
  f.only({"name", "description", "strategy", "modelSequence", "conditions", "enabled", "priority", "metadata"},
         {"id", "createdAt", "updatedAt"});
  f.text("name", r.name, 255);
  f.opt_text("description", r.description, 10000);
  f.one_of("strategy", r.strategy, {"fallback", "load_balance", "cost_optimize", "quality_first", "escalation"}, true);
  if (auto* j = f.get("modelSequence")) {
    std::set<std::string> seen;
    bool ok = j->is_array() && !j->empty() && j->size() <= 20;
    if (ok)
      for (auto& m : *j) ok = ok && m.is_string() && !m.get_ref<const std::string&>().empty() && seen.insert(m.get<std::string>()).second;
    if (ok) r.model_sequence = j->get<std::vector<std::string>>();
    else v.add("modelSequence", "must be a non-empty array of at most 20 distinct model ids");
  } else {
    f.missing("modelSequence");
  }
  f.object("conditions", r.conditions);
  f.boolean("enabled", r.enabled);
  f.integer("priority", r.priority, -1000000, 1000000, false);
  f.object("metadata", r.metadata);
  check_conditions(r.conditions, v);
  if (auto it = r.metadata.find("weights"); it != r.metadata.end()) {
    if (!it->is_object()) v.add("metadata.weights", "must be an object of model id → positive number");
    else
      for (auto& [model, w] : it->items()) {
        if (!w.is_number() || w.get<double>() <= 0) v.add("metadata.weights." + model, "must be a positive number");
        if (std::find(r.model_sequence.begin(), r.model_sequence.end(), model) == r.model_sequence.end())
          v.add("metadata.weights." + model, "names a model that is not in modelSequence");
      }
  }
}

}  // namespace netops::models
