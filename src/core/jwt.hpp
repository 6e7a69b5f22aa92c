#pragma once
// HS256 JSON Web Tokens. Only HS256 is accepted: "none" and every other algorithm are refused, as are
// bad signatures (compared in constant time), malformed tokens and expired ones.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace netops::jwt {

enum class Failure { malformed, bad_algorithm, bad_signature, expired };
std::string_view failure_text(Failure f);

struct Verified {
  std::optional<nlohmann::json> claims;  // set when valid
  std::optional<Failure> failure;        // set when not
};

std::string sign(const nlohmann::json& claims, std::string_view secret);
// now_s: the current Unix time; "exp" must be > now_s.
Verified verify(std::string_view token, std::string_view secret, std::int64_t now_s);

std::string base64url_encode(std::string_view bytes);
std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace netops::jwt
