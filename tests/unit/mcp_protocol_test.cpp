// MCP's pure parts (modules/mcp/mcp_service.hpp): protocol version negotiation and the Origin check.
#include <gtest/gtest.h>

#include "modules/mcp/mcp_service.hpp"

using namespace netops::mcp;

TEST(McpProtocol, NegotiatesSupportedVersionsAndFallsBackToTheLatest) {
  EXPECT_EQ(negotiate("2025-11-25"), "2025-11-25");
  EXPECT_EQ(negotiate("2025-06-18"), "2025-06-18");
  EXPECT_EQ(negotiate("2025-03-26"), "2025-03-26");
  EXPECT_EQ(negotiate("2024-11-05"), "2025-11-25");
  EXPECT_EQ(negotiate(""), "2025-11-25");
}

TEST(McpProtocol, OriginCheck) {
  std::vector<std::string> none, listed = {"https://ops.example.com"};
  std::optional<std::string> host = "gw.example.com:8080";
  for (const char* ok : {"http://localhost", "http://localhost:6274", "http://127.0.0.1:3000", "http://[::1]:80",
                         "https://LOCALHOST", "http://gw.example.com:8080"})
    EXPECT_TRUE(origin_allowed(ok, host, none)) << ok;
  for (const char* bad : {"https://evil.example.com", "http://localhost.evil.com", "null", "file://", "http://gw.example.com",
                          "http://127.0.0.1.nip.io", "http://user@localhost", "ftp://localhost"})
    EXPECT_FALSE(origin_allowed(bad, host, none)) << bad;
  EXPECT_TRUE(origin_allowed("https://ops.example.com", host, listed));
  EXPECT_TRUE(origin_allowed("https://ops.example.com/", host, listed));
  EXPECT_FALSE(origin_allowed("https://ops.example.com.evil.io", host, listed));
}
