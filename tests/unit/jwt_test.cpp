#include <gtest/gtest.h>

#include "core/jwt.hpp"

using namespace netops::jwt;

namespace {
const std::string kSecret = "0123456789abcdef0123456789abcdef";
nlohmann::json claims(long long exp) {
  return {{"sub", "u1"}, {"sid", "s1"}, {"role", "user"}, {"iat", 100}, {"exp", exp}, {"jti", "j"}};
}
std::string with_header(const std::string& token, const std::string& header_json) {
  return base64url_encode(header_json) + token.substr(token.find('.'));
}
}  // namespace

TEST(Jwt, SignedTokenVerifiesWithItsClaims) {
  auto t = sign(claims(2000), kSecret);
  auto v = verify(t, kSecret, 1000);
  ASSERT_TRUE(v.claims);
  EXPECT_EQ((*v.claims)["sub"], "u1");
  EXPECT_FALSE(v.failure);
}

TEST(Jwt, RejectsEveryKindOfForgery) {
  auto t = sign(claims(2000), kSecret);
  struct Case {
    std::string token;
    Failure expected;
  };
  auto dot2 = t.rfind('.');
  std::vector<Case> cases = {
      {with_header(t, R"({"alg":"none","typ":"JWT"})"), Failure::bad_algorithm},
      {with_header(t, R"({"alg":"HS512","typ":"JWT"})"), Failure::bad_algorithm},
      {with_header(t, R"({"alg":"RS256","typ":"JWT"})"), Failure::bad_algorithm},
      {with_header(t, R"({"typ":"JWT"})"), Failure::bad_algorithm},
      {t.substr(0, dot2) + ".", Failure::bad_signature},
      {sign(claims(2000), "another-secret-another-secret-00"), Failure::bad_signature},
      {sign(claims(999), kSecret), Failure::expired},
      {sign(claims(1000), kSecret), Failure::expired},
      {"abc", Failure::malformed},
      {"a.b", Failure::malformed},
      {"a.b.c.d", Failure::malformed},
      {t + "x", Failure::bad_signature},
      {"!!.@@.##", Failure::malformed},
      {sign({{"sub", "u"}}, kSecret), Failure::malformed},  // no exp
  };
  // A payload changed after signing.
  auto dot1 = t.find('.');
  auto forged = claims(2000);
  forged["role"] = "super_admin";
  cases.push_back({t.substr(0, dot1) + "." + base64url_encode(forged.dump()) + t.substr(dot2), Failure::bad_signature});
  for (auto& c : cases) {
    auto v = verify(c.token, kSecret, 1000);
    EXPECT_FALSE(v.claims) << c.token;
    ASSERT_TRUE(v.failure) << c.token;
    EXPECT_EQ(*v.failure, c.expected) << c.token;
  }
}

TEST(Jwt, Base64UrlRoundTripsAndIsCanonical) {
  const std::vector<std::string> samples{"", "f", "fo", "foo", "foob", "fooba", "foobar", std::string("\0\xff\x10", 3)};
  for (const auto& s : samples) {
    auto enc = base64url_encode(s);
    EXPECT_EQ(enc.find('='), std::string::npos);
    EXPECT_EQ(base64url_decode(enc).value(), s);
  }
  EXPECT_FALSE(base64url_decode("Zh"));  // "f" is "Zg": non-zero trailing bits are refused
  EXPECT_FALSE(base64url_decode("a"));
  EXPECT_FALSE(base64url_decode("ab+/"));
}
