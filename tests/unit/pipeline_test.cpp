#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include "core/error.hpp"
#include "http/pipeline.hpp"

using namespace netops;
using namespace netops::http;

namespace {
Response run(const Pipeline& p, Request& req) {
  boost::asio::io_context ioc;
  auto m = p.router().match(req.method, req.path);
  auto f = boost::asio::co_spawn(ioc, p.handle(req, m), boost::asio::use_future);
  ioc.run();
  return f.get();
}
Request make(std::string method, std::string path) {
  Request r;
  r.method = std::move(method);
  r.path = std::move(path);
  r.request_id = "rid";
  return r;
}
}  // namespace

TEST(Pipeline, MapsErrorsToTheEnvelope) {
  Router router;
  router.get("/boom", Role::anonymous, [](Request&) -> Task<Response> {
    throw std::runtime_error("secret internal detail");
    co_return Response::no_content();
  });
  router.get("/conflict", Role::anonymous,
             [](Request&) -> Task<Response> { throw Conflict("nope"); co_return Response::no_content(); });
  Pipeline p(router);
  auto req = make("GET", "/boom");
  auto res = run(p, req);
  EXPECT_EQ(res.status, 500);
  EXPECT_EQ(res.body.find("secret"), std::string::npos);
  auto body = nlohmann::json::parse(res.body);
  EXPECT_EQ(body["error"]["code"], "INTERNAL_ERROR");
  EXPECT_EQ(body["requestId"], "rid");

  auto c = make("GET", "/conflict");
  EXPECT_EQ(run(p, c).status, 409);
  auto missing = make("GET", "/nope");
  EXPECT_EQ(run(p, missing).status, 404);
  auto wrong = make("PUT", "/boom");
  auto r405 = run(p, wrong);
  EXPECT_EQ(r405.status, 405);
  ASSERT_EQ(r405.headers.size(), 1u);
  EXPECT_EQ(r405.headers[0].first, "Allow");
  EXPECT_EQ(r405.headers[0].second, "GET");
}

TEST(Pipeline, EnforcesMinimumRoles) {
  Router router;
  router.get("/admin", Role::admin,
             [](Request&) -> Task<Response> { co_return Response::json({{"ok", true}}); });
  Pipeline p(router);
  p.set_authenticator([](Request& r) -> Task<std::optional<Actor>> {
    auto h = r.header("authorization");
    if (!h) co_return std::nullopt;
    if (*h == "bad") throw Unauthorized("invalid token");
    Actor a;
    a.user_id = "u1";
    a.role = *h == "admin" ? Role::admin : Role::user;
    a.session_id = "s";
    co_return a;
  });
  auto anon = make("GET", "/admin");
  EXPECT_EQ(run(p, anon).status, 401);
  auto bad = make("GET", "/admin");
  bad.headers = {{"authorization", "bad"}};
  EXPECT_EQ(run(p, bad).status, 401);
  auto user = make("GET", "/admin");
  user.headers = {{"authorization", "user"}};
  EXPECT_EQ(run(p, user).status, 403);
  auto admin = make("GET", "/admin");
  admin.headers = {{"authorization", "admin"}};
  EXPECT_EQ(run(p, admin).status, 200);
}

TEST(Pipeline, PrechecksGateDatabaseRoutesOnly) {
  Router router;
  router.get("/data", Role::anonymous, [](Request&) -> Task<Response> { co_return Response::json({}); });
  router.get("/health", Role::anonymous, [](Request&) -> Task<Response> { co_return Response::json({}); })
      .no_database();
  Pipeline p(router);
  p.add_precheck([](Request&) -> Task<void> {
    throw AppError(ErrorCode::service_unavailable, "not ready");
    co_return;
  });
  auto d = make("GET", "/data");
  EXPECT_EQ(run(p, d).status, 503);
  auto h = make("GET", "/health");
  EXPECT_EQ(run(p, h).status, 200);
}

// A route's error renderer answers every error of that route, the refusals before its handler included
// (here: 401 without a credential, and a middleware's 429); other routes keep the SPEC envelope.
TEST(Pipeline, RouteErrorRendererShapesRefusalsBeforeTheHandler) {
  Router router;
  auto shaped = [](const AppError& e, int status, const Request&) {
    return Response::json({{"type", "error"}, {"error", {{"status", status}, {"message", e.what()}}}}, status);
  };
  router.post("/shaped", Role::user, [](Request&) -> Task<Response> { co_return Response::no_content(); }).errors(shaped);
  router.get("/shaped-open", Role::anonymous, [](Request&) -> Task<Response> {
    throw std::runtime_error("hidden");
    co_return Response::no_content();
  }).errors(shaped);
  router.post("/plain", Role::user, [](Request&) -> Task<Response> { co_return Response::no_content(); });
  Pipeline p(router);
  auto a = make("POST", "/shaped");
  auto r = run(p, a);
  ASSERT_EQ(r.status, 401);
  auto body = nlohmann::json::parse(r.body);
  EXPECT_EQ(body["type"], "error");
  EXPECT_EQ(body["error"]["status"], 401);

  auto internal = make("GET", "/shaped-open");
  auto ri = run(p, internal);
  ASSERT_EQ(ri.status, 500);
  EXPECT_EQ(nlohmann::json::parse(ri.body)["type"], "error");
  EXPECT_EQ(ri.body.find("hidden"), std::string::npos);

  auto plain = make("POST", "/plain");
  auto rp = run(p, plain);
  ASSERT_EQ(rp.status, 401);
  EXPECT_TRUE(nlohmann::json::parse(rp.body)["error"].contains("code"));

  Pipeline limited(router);
  limited.add_middleware([](Request&) -> Task<void> {
    throw AppError(ErrorCode::rate_limited, "slow down", {{"retryAfter", 3}});
    co_return;
  });
  limited.set_authenticator([](Request&) -> Task<std::optional<Actor>> {
    Actor a;
    a.user_id = "u1";
    a.role = Role::user;
    co_return a;
  });
  auto b = make("POST", "/shaped");
  auto rl = run(limited, b);
  ASSERT_EQ(rl.status, 429);
  EXPECT_EQ(nlohmann::json::parse(rl.body)["error"]["message"], "slow down");
}
