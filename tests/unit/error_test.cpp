#include <gtest/gtest.h>

#include "core/error.hpp"

using namespace netops;

TEST(ErrorMapping, EveryCodeHasItsStatusAndName) {
  struct Case {
    ErrorCode code;
    int status;
    const char* name;
  };
  const Case cases[] = {
      {ErrorCode::validation, 400, "VALIDATION_ERROR"},      {ErrorCode::unauthorized, 401, "UNAUTHORIZED"},
      {ErrorCode::forbidden, 403, "FORBIDDEN"},              {ErrorCode::not_found, 404, "NOT_FOUND"},
      {ErrorCode::method_not_allowed, 405, "METHOD_NOT_ALLOWED"}, {ErrorCode::conflict, 409, "CONFLICT"},
      {ErrorCode::precondition_failed, 412, "PRECONDITION_FAILED"},
      {ErrorCode::payload_too_large, 413, "PAYLOAD_TOO_LARGE"}, {ErrorCode::unprocessable, 422, "UNPROCESSABLE"},
      {ErrorCode::not_enough_stock, 422, "NOT_ENOUGH_STOCK"}, {ErrorCode::rate_limited, 429, "RATE_LIMITED"},
      {ErrorCode::budget_exceeded, 429, "BUDGET_EXCEEDED"},   {ErrorCode::internal, 500, "INTERNAL_ERROR"},
      {ErrorCode::not_implemented, 501, "NOT_IMPLEMENTED"},   {ErrorCode::upstream_error, 502, "UPSTREAM_ERROR"},
      {ErrorCode::no_provider, 503, "NO_PROVIDER"},           {ErrorCode::service_unavailable, 503, "SERVICE_UNAVAILABLE"},
      {ErrorCode::upstream_timeout, 504, "UPSTREAM_TIMEOUT"},
  };
  for (auto& c : cases) {
    EXPECT_EQ(http_status(c.code), c.status) << c.name;
    EXPECT_EQ(code_name(c.code), c.name);
  }
}

TEST(ErrorMapping, EnvelopeHasCodeMessageDetailsAndRequestId) {
  auto env = error_envelope(Conflict("already assigned", {{"assetId", "x"}}), "req-1");
  EXPECT_EQ(env["error"]["code"], "CONFLICT");
  EXPECT_EQ(env["error"]["message"], "already assigned");
  EXPECT_EQ(env["error"]["details"]["assetId"], "x");
  EXPECT_EQ(env["requestId"], "req-1");
  auto bare = error_envelope(NotFound("asset"), "r");
  EXPECT_FALSE(bare["error"].contains("details"));
  EXPECT_EQ(bare["error"]["message"], "asset not found");
}

TEST(Validation, CollectsEveryFieldError) {
  Validation v;
  EXPECT_NO_THROW(v.throw_if_any());
  v.add("email", "is required");
  v.add("vlanId", "must be between 1 and 4094");
  try {
    v.throw_if_any();
    FAIL() << "expected a throw";
  } catch (const AppError& e) {
    EXPECT_EQ(e.status(), 400);
    ASSERT_EQ(e.details()["errors"].size(), 2u);
    EXPECT_EQ(e.details()["errors"][1]["field"], "vlanId");
  }
}
