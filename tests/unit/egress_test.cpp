// Provider egress policy (issue #10 item 14): link-local and cloud metadata addresses always refused
// unless allowed, loopback/private only with NETOPS_EGRESS_DENY_PRIVATE=true.
#include <gtest/gtest.h>

#include "core/error.hpp"
#include "llm/egress.hpp"

using namespace netops;
using namespace netops::llm;

TEST(Egress, DefaultRefusesLinkLocalAndMetadataOnly) {
  EgressPolicy p;
  for (const char* a : {"169.254.169.254", "169.254.170.2", "169.254.1.1", "fe80::1", "fd00:ec2::254", "100.100.100.200",
                        "::ffff:169.254.169.254"})
    EXPECT_TRUE(egress_refusal(a, p).has_value()) << a;
  EXPECT_NE(egress_refusal("169.254.169.254", p)->find("cloud metadata"), std::string::npos);
  EXPECT_NE(egress_refusal("169.254.3.4", p)->find("link-local"), std::string::npos);
  for (const char* a : {"127.0.0.1", "::1", "10.1.2.3", "192.168.1.1", "172.16.0.1", "8.8.8.8", "2001:db8::1"})
    EXPECT_FALSE(egress_refusal(a, p).has_value()) << a;
  EXPECT_FALSE(egress_refusal("api.openai.com", p).has_value());  // names are checked after resolution
}

TEST(Egress, DenyPrivateRefusesLoopbackAndPrivateRanges) {
  auto p = EgressPolicy::make(true, "");
  for (const char* a : {"127.0.0.1", "::1", "10.1.2.3", "192.168.1.1", "172.31.255.255", "100.64.0.1", "fd12::1",
                        "0.0.0.0", "::ffff:10.0.0.1", "169.254.169.254"})
    EXPECT_TRUE(egress_refusal(a, p).has_value()) << a;
  EXPECT_NE(egress_refusal("10.1.2.3", p)->find("NETOPS_EGRESS_DENY_PRIVATE"), std::string::npos);
  for (const char* a : {"8.8.8.8", "172.32.0.1", "2001:db8::1"}) EXPECT_FALSE(egress_refusal(a, p).has_value()) << a;
}

TEST(Egress, AllowListOverridesTheRules) {
  auto p = EgressPolicy::make(true, " 169.254.169.254, 10.0.0.0/8 ,fe80::/64");
  EXPECT_FALSE(egress_refusal("169.254.169.254", p).has_value());
  EXPECT_FALSE(egress_refusal("10.200.1.1", p).has_value());
  EXPECT_FALSE(egress_refusal("fe80::1", p).has_value());
  EXPECT_TRUE(egress_refusal("169.254.169.253", p).has_value());
  EXPECT_TRUE(egress_refusal("192.168.0.1", p).has_value());
  EXPECT_THROW(EgressPolicy::make(false, "10.0.0.0/33"), std::invalid_argument);
  EXPECT_THROW(EgressPolicy::make(false, "not-an-ip"), std::invalid_argument);
}

TEST(Egress, EndpointUrls) {
  EgressPolicy p;
  EXPECT_TRUE(endpoint_egress_refusal("http://169.254.169.254/latest/meta-data", p).has_value());
  EXPECT_TRUE(endpoint_egress_refusal("http://[fe80::1]:8080/v1", p).has_value());
  EXPECT_TRUE(endpoint_egress_refusal("http://metadata.google.internal/computeMetadata/v1", p).has_value());
  EXPECT_FALSE(endpoint_egress_refusal("http://127.0.0.1:18080/v1", p).has_value());
  EXPECT_FALSE(endpoint_egress_refusal("https://api.openai.com/v1", p).has_value());
  EXPECT_FALSE(endpoint_egress_refusal("not a url", p).has_value());  // the URL validation reports that
  set_egress_policy(EgressPolicy{});
  try {
    require_egress_allowed("http://169.254.169.254/v1", "apiEndpoint");
    FAIL() << "expected 422";
  } catch (const AppError& e) {
    EXPECT_EQ(e.status(), 422);
    EXPECT_NE(std::string(e.what()).find("apiEndpoint"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("metadata"), std::string::npos);
  }
}
