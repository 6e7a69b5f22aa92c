#include <gtest/gtest.h>

#include "http/router.hpp"

using namespace netops;
using namespace netops::http;

namespace {
Handler noop() {
  return [](Request&) -> Task<Response> { co_return Response::no_content(); };
}
}  // namespace

TEST(Router, MatchesLiteralAndParameterSegments) {
  Router r;
  r.get("/api/v1/assets", Role::user, noop());
  r.get("/api/v1/assets/{id}", Role::user, noop());
  r.post("/api/v1/assets/{id}/assign", Role::admin, noop());
  auto m = r.match("GET", "/api/v1/assets/abc");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->path, "/api/v1/assets/{id}");
  ASSERT_EQ(m.params.size(), 1u);
  EXPECT_EQ(m.params[0].first, "id");
  EXPECT_EQ(m.params[0].second, "abc");
  auto a = r.match("POST", "/api/v1/assets/abc/assign");
  ASSERT_NE(a.route, nullptr);
  EXPECT_EQ(a.route->min_role, Role::admin);
}

TEST(Router, LiteralWinsOverParameterAndBacktracks) {
  Router r;
  r.get("/assets/{id}", Role::user, noop());
  r.get("/assets/export", Role::user, noop());
  r.get("/assets/{id}/events", Role::user, noop());
  EXPECT_EQ(r.match("GET", "/assets/export").route->path, "/assets/export");
  EXPECT_EQ(r.match("GET", "/assets/123").route->path, "/assets/{id}");
  // "export" is a literal child, but /assets/export/events exists only through the parameter.
  auto m = r.match("GET", "/assets/export/events");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->path, "/assets/{id}/events");
  EXPECT_EQ(m.params.at(0).second, "export");
}

TEST(Router, UnknownPathIsNotFoundAndWrongMethodListsAllowed) {
  Router r;
  r.get("/things", Role::user, noop());
  r.post("/things", Role::user, noop());
  auto missing = r.match("GET", "/nothing");
  EXPECT_EQ(missing.route, nullptr);
  EXPECT_TRUE(missing.allowed.empty());
  auto wrong = r.match("DELETE", "/things");
  EXPECT_EQ(wrong.route, nullptr);
  EXPECT_EQ(wrong.allowed, (std::vector<std::string>{"GET", "POST"}));
}

TEST(Router, TrailingSlashAndHeadFallBackSensibly) {
  Router r;
  r.get("/health", Role::anonymous, noop());
  EXPECT_NE(r.match("GET", "/health/").route, nullptr);
  EXPECT_NE(r.match("HEAD", "/health").route, nullptr);
}

TEST(Router, RejectsDuplicatesAndConflictingParameterNames) {
  Router r;
  r.get("/a/{id}", Role::user, noop());
  EXPECT_THROW(r.get("/a/{id}", Role::user, noop()), std::logic_error);
  EXPECT_THROW(r.get("/a/{other}/x", Role::user, noop()), std::logic_error);
}
