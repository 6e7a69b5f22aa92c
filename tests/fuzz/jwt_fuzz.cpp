// libFuzzer target for the token parser: any bytes in, never a crash, and nothing but a valid HS256
// signature by the fuzzer's key may verify.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/jwt.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view token(reinterpret_cast<const char*>(data), size);
  auto v = netops::jwt::verify(token, "fuzz-secret-fuzz-secret-fuzz-secret", 1700000000);
  if (v.claims && !v.claims->is_object()) __builtin_trap();
  auto decoded = netops::jwt::base64url_decode(token);
  if (decoded && netops::jwt::base64url_encode(*decoded) != token) __builtin_trap();  // one encoding per value
  return 0;
}
