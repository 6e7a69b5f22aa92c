// libFuzzer target for the token parser: any bytes in, never a crash, and nothing but a valid HS256
// signature by the fuzzer's key may verify.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/jwt.hpp"
#include "support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view token(reinterpret_cast<const char*>(data), size);
  auto v = netops::jwt::verify(token, "fuzz-secret-fuzz-secret-fuzz-secret", 1700000000);
  if (v.claims) {
    netops::fuzz::check(v.claims->is_object(), "verified claims are not an object");
    // A token that verifies was signed with the key: re-signing its claims must verify too.
    auto again = netops::jwt::sign(*v.claims, "fuzz-secret-fuzz-secret-fuzz-secret");
    netops::fuzz::check(netops::jwt::verify(again, "fuzz-secret-fuzz-secret-fuzz-secret", 1700000000).claims.has_value(),
                        "re-signed claims do not verify");
  }
  auto other = netops::jwt::verify(token, "another-secret-another-secret-12", 1700000000);
  netops::fuzz::check(!(v.claims && other.claims), "one token verified under two keys");
  auto decoded = netops::jwt::base64url_decode(token);
  if (decoded) netops::fuzz::check(netops::jwt::base64url_encode(*decoded) == token, "two encodings of one value");
  return 0;
}
