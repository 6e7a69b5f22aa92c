#include <gtest/gtest.h>

#include "core/secretbox.hpp"

using namespace netops::secretbox;

namespace {
const std::string kKey(64, 'a');
const std::string kOtherKey = std::string(63, 'a') + "b";
}  // namespace

TEST(Secretbox, SealsWithAFreshNonceAndOpensBack) {
  std::string secret = "sk-proj-0123456789abcdefghijklmnopqrstuvwxyz";
  auto a = seal(secret, kKey);
  auto b = seal(secret, kKey);
  EXPECT_TRUE(a.rfind("v1:", 0) == 0);
  EXPECT_TRUE(is_sealed(a));
  EXPECT_NE(a, b) << "every value gets its own random nonce";
  EXPECT_EQ(a.find(secret), std::string::npos);
  EXPECT_EQ(a.find("sk-proj"), std::string::npos);
  EXPECT_EQ(open(a, kKey), secret);
  EXPECT_EQ(open(b, kKey), secret);
  EXPECT_EQ(open(seal("", kKey), kKey), "");
}

TEST(Secretbox, RefusesTamperingAndTheWrongKey) {
  auto sealed = seal("sk-secret-value-1234", kKey);
  EXPECT_THROW(open(sealed, kOtherKey), SecretError);
  for (std::size_t i = 3; i + 4 < sealed.size(); i += 5) {  // flip characters across nonce, tag and ciphertext
    auto t = sealed;
    t[i] = t[i] == 'A' ? 'B' : 'A';
    EXPECT_THROW(open(t, kKey), SecretError) << "position " << i;
  }
  EXPECT_THROW(open("v1:", kKey), SecretError);
  EXPECT_THROW(open("v1:!!!not-base64", kKey), SecretError);
  EXPECT_THROW(open("sk-plaintext", kKey), SecretError);
  EXPECT_THROW(open(sealed.substr(0, sealed.size() - 8), kKey), SecretError);
}

TEST(Secretbox, MalformedMasterKeysAreRefusedWithoutEchoingThem) {
  try {
    seal("x", "zz" + std::string(62, 'a'));
    FAIL() << "expected SecretError";
  } catch (const SecretError& e) {
    EXPECT_EQ(std::string(e.what()).find("zz"), std::string::npos);
  }
  EXPECT_THROW(seal("x", std::string(62, 'a')), SecretError);
  EXPECT_THROW(open(seal("x", kKey), "short"), SecretError);
}

TEST(Secretbox, KeyHintShowsOnlyTheEnds) {
  EXPECT_EQ(key_hint("sk-proj-abcdefghijklmnop1234"), "sk-\xE2\x80\xA6" "1234");
  EXPECT_EQ(key_hint("123456789012"), "123\xE2\x80\xA6" "9012");
  EXPECT_EQ(key_hint("mock-key"), "\xE2\x80\xA6" "ey");
  EXPECT_EQ(key_hint("a"), "\xE2\x80\xA6");
  EXPECT_EQ(key_hint(""), "\xE2\x80\xA6");
}
