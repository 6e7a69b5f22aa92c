#include "modules/ai_registry/provider_body.hpp"

#include <algorithm>
#include <re2/re2.h>

#include "llm/egress.hpp"

namespace netops::ai_registry {

using nlohmann::json;

namespace {
bool printable_no_space(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c > 0x20 && c < 0x7f; });
}

}  // namespace

bool valid_provider_id(std::string_view id) {
  static const re2::RE2 kSlug("[a-z0-9][a-z0-9_-]{0,49}");
  return id.size() <= 50 && re2::RE2::FullMatch(id, kSlug);
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

ProviderInput read_provider(const json& body, bool creating, const std::string& current_id, Validation& v) {
  http::BodyReader f(body, v, creating);
  ProviderInput in;
  f.only({"id", "name", "description", "apiEndpoint", "authType", "apiKey", "capabilities", "status",
          "rateLimitPerMinute", "creditsRemaining", "metadata"},
         {"hasApiKey", "apiKeyHint", "apiKeyError", "tokensUsed", "lastUsageAt", "createdAt", "updatedAt"});
  if (creating) {
    std::string id;
    f.text("id", id, 50);
    if (!id.empty() && !valid_provider_id(id))
      v.add("id", "must be a lowercase slug: a-z, 0-9, '-' or '_', starting with a letter or digit");
    else if (!id.empty())
      in.id = id;
  }
  f.immutable_id(current_id);
  read_text(f, "name", in.name, 255);
  read_opt_text(f, "description", in.description, 10000);
  if (auto* j = f.get("apiEndpoint")) {
    auto url = j->is_string() ? normalize_endpoint(j->get<std::string>()) : std::nullopt;
    if (url) in.api_endpoint = *url;
    else v.add("apiEndpoint", "must be an http:// or https:// URL without credentials, query or fragment");
  } else {
    f.missing("apiEndpoint");
  }
  read_one_of(f, "authType", in.auth_type, {"bearer", "x-api-key", "none"}, true);
  if (auto* j = f.get("apiKey")) {
    if (j->is_null() || (j->is_string() && j->get_ref<const std::string&>().empty())) {
      in.key = KeyChange{KeyChange::Kind::clear, {}};
    } else if (!j->is_string() || j->get_ref<const std::string&>().size() > 4096 ||
               !printable_no_space(j->get_ref<const std::string&>())) {
      v.add("apiKey", "must be printable ASCII without spaces, at most 4096 characters");  // never the value
    } else {
      in.key = KeyChange{KeyChange::Kind::set, j->get<std::string>()};
    }
  }
  read_object(f, "capabilities", in.capabilities);
  read_one_of(f, "status", in.status, {"active", "inactive"}, false);
  read_opt_integer(f, "rateLimitPerMinute", in.rate_limit_per_minute, 1, 100000000);
  read_decimal(f, "creditsRemaining", in.credits_remaining, 8, 4, true);
  read_object(f, "metadata", in.metadata);
  return in;
}

ProviderInput parse_provider(const json& body, bool creating, const std::string& current_id) {
  Validation v;
  auto in = read_provider(body, creating, current_id, v);
  if (creating) {
    Provider whole;
    apply_provider(in, whole, v);
  }
  v.throw_if_any();
  return in;
}

void apply_provider(const ProviderInput& in, Provider& p, Validation& v) {
  set_if(p.id, in.id);
  set_if(p.name, in.name);
  set_if(p.description, in.description);
  if (in.api_endpoint) {
    llm::require_egress_allowed(*in.api_endpoint, "apiEndpoint");  // 422 naming the rule (llm/egress.hpp)
    p.api_endpoint = *in.api_endpoint;
  }
  set_if(p.auth_type, in.auth_type);
  if (in.key.kind == KeyChange::Kind::set && p.auth_type == "none") v.add("apiKey", "is not used when authType is none");
  set_if(p.capabilities, in.capabilities);
  set_if(p.status, in.status);
  set_if(p.rate_limit_per_minute, in.rate_limit_per_minute);
  set_if(p.credits_remaining, in.credits_remaining);
  set_if(p.metadata, in.metadata);
}

}  // namespace netops::ai_registry
