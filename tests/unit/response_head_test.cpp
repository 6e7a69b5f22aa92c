// http::response_head: the status line and header block the server writes in front of a body.
#include <gtest/gtest.h>

#include "http/request.hpp"
#include "http/response.hpp"
#include "http/server.hpp"

namespace netops::http {
namespace {

TEST(ResponseHead, StatusLineHeadersAndLength) {
  Request req;
  req.request_id = "rid-1";
  req.response_headers = {{"X-RateLimit-Limit", "100"}};
  Response res = Response::text("hello", "text/plain", 201);
  res.headers = {{"ETag", "\"v1\""}};
  EXPECT_EQ(response_head(11, req, res, true, 5),
            "HTTP/1.1 201 Created\r\n"
            "Content-Type: text/plain\r\n"
            "X-Request-Id: rid-1\r\n"
            "X-RateLimit-Limit: 100\r\n"
            "ETag: \"v1\"\r\n"
            "Content-Length: 5\r\n"
            "\r\n");
}

TEST(ResponseHead, LaterHeadersReplaceEarlierOnesOfTheSameName) {
  Request req;
  req.request_id = "r";
  req.response_headers = {{"Cache-Control", "no-store"}, {"X-A", "1"}};
  Response res;
  res.content_type = "";
  res.headers = {{"cache-control", "max-age=60"}, {"x-request-id", "handler's"}};
  auto h = response_head(11, req, res, true, 0);
  EXPECT_EQ(h.find("no-store"), std::string::npos);
  EXPECT_NE(h.find("cache-control: max-age=60\r\n"), std::string::npos);
  EXPECT_NE(h.find("x-request-id: handler's\r\n"), std::string::npos);
  EXPECT_EQ(h.find("X-Request-Id: r\r\n"), std::string::npos);
  EXPECT_EQ(h.find("Content-Type"), std::string::npos);  // none set: none written
}

TEST(ResponseHead, NoValueCanSplitTheHeaderBlock) {
  Request req;
  req.request_id = "r";
  Response res;
  res.headers = {{"Content-Disposition", "attachment; filename=\"a\r\nSet-Cookie: x=1\""},
                 {"Bad Name", "v"},
                 {"X-Nul", std::string("a\0b", 3)},
                 {"Content-Length", "999"},
                 {"Transfer-Encoding", "chunked"},
                 {"Connection", "upgrade"}};
  auto h = response_head(11, req, res, true, 3);
  EXPECT_NE(h.find("Content-Disposition: attachment; filename=\"a  Set-Cookie: x=1\"\r\n"), std::string::npos);
  EXPECT_EQ(h.find("\r\nSet-Cookie"), std::string::npos);
  EXPECT_EQ(h.find("Bad Name"), std::string::npos);
  EXPECT_NE(h.find("X-Nul: a b\r\n"), std::string::npos);
  EXPECT_NE(h.find("Content-Length: 3\r\n"), std::string::npos);
  EXPECT_EQ(h.find("999"), std::string::npos);
  EXPECT_EQ(h.find("Transfer-Encoding"), std::string::npos);
  EXPECT_EQ(h.find("upgrade"), std::string::npos);
  EXPECT_EQ(h.find("\r\n\r\n"), h.size() - 4);  // the block ends once, at its end
}

TEST(ResponseHead, ConnectionAndChunkedFollowTheVersion) {
  Request req;
  req.request_id = "r";
  Response res;
  auto h11_close = response_head(11, req, res, false, 0);
  EXPECT_NE(h11_close.find("Connection: close\r\n"), std::string::npos);
  EXPECT_EQ(response_head(11, req, res, true, 0).find("Connection"), std::string::npos);
  auto h10_keep = response_head(10, req, res, true, 0);
  EXPECT_EQ(h10_keep.rfind("HTTP/1.0 200 OK\r\n", 0), 0u);
  EXPECT_NE(h10_keep.find("Connection: keep-alive\r\n"), std::string::npos);
  EXPECT_EQ(response_head(10, req, res, false, 0).find("Connection"), std::string::npos);
  auto chunked = response_head(11, req, res, true, std::nullopt);
  EXPECT_NE(chunked.find("Transfer-Encoding: chunked\r\n"), std::string::npos);
  EXPECT_EQ(chunked.find("Content-Length"), std::string::npos);
  res.status = 429;
  EXPECT_EQ(response_head(11, req, res, true, 0).rfind("HTTP/1.1 429 Too Many Requests\r\n", 0), 0u);
}

}  // namespace
}  // namespace netops::http
