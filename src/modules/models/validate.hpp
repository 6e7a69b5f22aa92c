#pragma once
// Request bodies → the module's structs, as pure functions (unit-testable, no I/O). Each apply_* writes
// the fields present in the body onto a struct — a default one on create, the locked current row on
// update — and records every problem in one Validation, so a caller sees all of them at once.
// Read-only fields of the API shape (createdAt, hasApiKey, upstreamModel, …) are ignored, so a client may
// PUT back what it got from GET; unknown fields are refused (they are usually typos such as "api_key").
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "modules/models/types.hpp"

namespace netops::models {

// What a provider write does to its API key (sealed by the service, never echoed in an issue).
struct KeyChange {
  enum class Kind { keep, set, clear };
  Kind kind = Kind::keep;
  std::string plaintext;
};

void apply_provider(const nlohmann::json& body, Provider& p, KeyChange& key, bool creating, Validation& v);
void apply_model(const nlohmann::json& body, ModelConfig& m, bool creating, Validation& v);
// Also checks the merged rule as a whole: conditions (allowed keys, types, pattern compiles), min ≤ max
// prompt tokens, metadata.weights naming members of modelSequence with positive numbers.
void apply_rule(const nlohmann::json& body, Rule& r, bool creating, Validation& v);

// Exact decimal text for a NUMERIC(int_digits + frac_digits, frac_digits) column from a JSON string or
// number, trailing fractional zeros beyond frac_digits dropped; nullopt when it is not such a number.
std::optional<std::string> decimal_text(const nlohmann::json& value, int int_digits, int frac_digits,
                                        bool allow_negative);
bool valid_provider_id(std::string_view id);  // lowercase slug, 1–50 characters
// 1–100 characters, 1–3 '/'-separated segments of [A-Za-z0-9._:@+-]; the last segment of a composite id
// may not be "performance" or "history" (those are the per-model sub-routes).
bool valid_model_id(std::string_view id);
// http(s)://host[:port][/path], no credentials, query or fragment. Returns the URL without trailing '/'.
std::optional<std::string> normalize_endpoint(std::string_view url);

}  // namespace netops::models
