#pragma once
// POST/PATCH/PUT /api/providers bodies → ProviderInput (pure, unit-tested). Unknown fields are refused
// (they are usually typos such as "api_key"); read-only fields of the GET shape are ignored, so a client
// may PUT back what it read. The service applies the input onto the locked row (apply_provider), where the
// rules on the whole provider run.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "modules/ai_registry/body_fields.hpp"
#include "modules/ai_registry/types.hpp"

namespace netops::ai_registry {

// What a provider write does to its API key (sealed by the service, never echoed in an issue).
struct KeyChange {
  enum class Kind { keep, set, clear };
  Kind kind = Kind::keep;
  std::string plaintext;
};

// The fields present in one body (nullopt: not sent).
struct ProviderInput {
  std::optional<std::string> id;  // create only
  std::optional<std::string> name;
  Clearable<std::string> description;
  std::optional<std::string> api_endpoint;  // normalized
  std::optional<std::string> auth_type;
  KeyChange key;
  std::optional<nlohmann::json> capabilities, metadata;
  std::optional<std::string> status;
  Clearable<int> rate_limit_per_minute;
  Clearable<std::string> credits_remaining;
};

// 400 VALIDATION_ERROR with every problem. On create the whole provider is checked too (apply_provider
// onto an empty one), so every problem shows at once; an endpoint outside the egress policy is a 422.
// current_id: the id of the provider being updated (an "id" field may only repeat it).
ProviderInput parse_provider(const nlohmann::json& body, bool creating, const std::string& current_id = {});
ProviderInput read_provider(const nlohmann::json& body, bool creating, const std::string& current_id,
                            Validation& v);
// The input onto a provider: the fields present, then the rules on the result (an apiKey is not used with
// authType none; a new apiEndpoint must pass the egress policy → 422). The key is sealed by the service.
void apply_provider(const ProviderInput& in, Provider& p, Validation& v);

bool valid_provider_id(std::string_view id);  // lowercase slug, 1–50 characters
// http(s)://host[:port][/path], no credentials, query or fragment. Returns the URL without trailing '/'.
std::optional<std::string> normalize_endpoint(std::string_view url);

}  // namespace netops::ai_registry
