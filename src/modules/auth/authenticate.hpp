#pragma once
// The authenticator of every protected route: "Authorization: Bearer …" (a JWT of a live session, or an
// nk_ API key) → the credential the pipeline turns into the request's Caller. It runs on every request:
// one cache look-up (SessionCache), no lock on the way of a valid credential, no extra query.
#include <memory>
#include <optional>

#include "http/pipeline.hpp"
#include "http/request.hpp"
#include "kit/context.hpp"
#include "modules/auth/auth_repo.hpp"
#include "modules/auth/session_cache.hpp"

#include "modules/auth/auth_settings.hpp"

namespace netops::auth {

class Authenticator {
 public:
  Authenticator(AppContext& ctx, std::shared_ptr<AuthRepo> repo, std::shared_ptr<SessionCache> cache)
      : ctx_(ctx), settings_(load_section(ctx.config, auth_section())), repo_(std::move(repo)), cache_(std::move(cache)) {}

  // nullopt without a credential, 401 for a bad one.
  Task<std::optional<http::Credential>> authenticate(const http::Request& req);
  // authenticate behind the per-IP limit on refused credentials (NETOPS_AUTH_FAILURES_PER_MIN): past it a
  // client IP gets 429 with Retry-After, without a lookup, until the minute is over.
  Task<std::optional<http::Credential>> authenticate_limited(const http::Request& req);

 private:
  AppContext& ctx_;
  const AuthSettings settings_;
  std::shared_ptr<AuthRepo> repo_;
  std::shared_ptr<SessionCache> cache_;
};

}  // namespace netops::auth
