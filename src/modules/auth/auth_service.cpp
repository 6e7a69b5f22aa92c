#include "modules/auth/auth_service.hpp"

#include <chrono>

#include "core/error.hpp"
#include "core/ids.hpp"
#include "core/jwt.hpp"
#include "core/password.hpp"

namespace netops::auth {

namespace {
std::int64_t now_s() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}
// A row outside a transaction, naming the user it concerns (a login attempt's account, not the caller).
audit::Entry entry(std::optional<std::string> user, std::string action, std::string resource, nlohmann::json details,
                   const Caller& by) {
  return audit::Entry{std::move(user), std::move(action), std::move(resource), with_ip(std::move(details), by),
                      by.request_id};
}
// A valid Argon2id hash of a random password: verifying against it costs the same as a real check, so
// a login for an unknown account takes as long as one with a wrong password. Made at the first such login,
// on the hashing thread (AuthService::verify), never on an event loop.
const std::string& dummy_hash() {
  static const std::string h = hash_password(random_token(24));
  return h;
}
const std::string kNoAccount;  // the hash verify() is given for an unknown account
}  // namespace

nlohmann::json with_ip(nlohmann::json details, const Caller& by) {
  details["ip"] = by.remote_ip;
  return details;
}

Task<std::string> AuthService::hash(const std::string& password) {
  auto work = [password] { return hash_password(password); };
  co_return co_await ctx_.blocking.run(std::move(work));
}

Task<bool> AuthService::verify(const std::string& h, const std::string& password) {
  auto work = [h, password] { return verify_password(h.empty() ? dummy_hash() : h, password); };
  co_return co_await ctx_.blocking.run(std::move(work));
}

std::string AuthService::access_token(const std::string& user_id, const std::string& role,
                                      const std::string& session_id) const {
  auto now = now_s();
  nlohmann::json claims = {{"sub", user_id},  {"sid", session_id}, {"role", role},
                           {"iat", now},      {"exp", now + settings_.access_token_ttl_s},
                           {"jti", new_uuid()}};
  return jwt::sign(claims, ctx_.config.jwt_secret);
}

Tokens AuthService::tokens(const users::User& u, const std::string& session_id, const std::string& access,
                           const std::string& refresh) const {
  return Tokens{access, refresh, session_id, settings_.access_token_ttl_s, u};
}

// Reserves this attempt on the account and the IP counters before the password is checked (one atomic
// step, see RateLimiter::reserve_failures): with NETOPS_LOGIN_MAX_FAILURES = N, at most N guesses per
// account or IP are ever verified in a window, even when hundreds arrive at once.
Task<void> AuthService::throttle_login(const std::string& account_key, const std::string& ip_key) {
  std::vector<std::string> keys{account_key, ip_key};
  auto r = co_await ctx_.limiter.reserve_failures(keys, settings_.login_max_failures, settings_.login_window_s);
  if (!r.allowed)
    throw AppError(ErrorCode::rate_limited, "too many failed logins; try again later",
                   {{"retryAfter", r.retry_after_s}, {"scope", r.blocked_index == 0 ? "account" : "ip"}});
}

Task<Tokens> AuthService::login(const LoginInput& in, const Caller& by) {
  const std::string& login = in.login;
  const std::string& password = in.password;
  std::string account = login;
  for (auto& c : account) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string account_key = "login:fail:account:" + account;
  std::string ip_key = "login:fail:ip:" + by.remote_ip;
  co_await throttle_login(account_key, ip_key);

  // From here the attempt counts as a failure unless the password proves right. When the check itself
  // could not run (a full hashing queue answers 503, the database failed) the reservation is given back.
  std::optional<users::User> user;
  bool ok = false;
  std::exception_ptr not_checked;
  try {
    user = co_await users_->find_by_login(login);
    ok = co_await verify(user ? user->password_hash : kNoAccount, password);
  } catch (...) {
    not_checked = std::current_exception();
  }
  if (not_checked) {
    co_await ctx_.limiter.release_failure(account_key);
    co_await ctx_.limiter.release_failure(ip_key);
    std::rethrow_exception(not_checked);
  }
  if (!ok || !user) {
    auto e = entry(user ? std::optional(user->id) : std::nullopt, "auth.login_failed",
                   user ? "user:" + user->id : "user:unknown", {{"login", login}, {"reason", "bad credentials"}}, by);
    co_await audit_->record(e);
    throw Unauthorized("invalid credentials");
  }
  if (!user->is_active || user->status != "active") {
    auto e = entry(user->id, "auth.login_failed", "user:" + user->id, {{"login", login}, {"reason", "account disabled"}}, by);
    co_await audit_->record(e);
    throw Unauthorized("account is disabled");
  }
  co_await ctx_.limiter.reset_failures(account_key);
  co_await ctx_.limiter.release_failure(ip_key);

  NewSession s;
  s.id = new_uuid();
  s.user_id = user->id;
  std::string access = access_token(user->id, std::string(role_name(user->role)), s.id);
  std::string refresh = random_token(32);
  s.access_hash = sha256_hex(access);
  s.refresh_hash = sha256_hex(refresh);
  s.ip = by.remote_ip;
  s.user_agent = by.user_agent;
  s.access_ttl_s = settings_.access_token_ttl_s;
  s.refresh_ttl_s = settings_.refresh_token_ttl_s;
  Caller signed_in = by;  // the audit row is the user's
  signed_in.user_id = user->id;
  std::string action = "auth.login", resource = "session:" + s.id;
  auto details = with_ip({{"userAgent", by.user_agent}}, by);
  auto in_tx = [&](db::Tx& tx) -> Task<void> {  // named: GCC 12 mishandles temporaries in co_await
    co_await repo_->insert_session(tx, s);
    co_await audit_->record(tx, signed_in, action, resource, details);
  };
  co_await ctx_.db.transaction(in_tx);
  co_await users_->touch_login(user->id);
  co_return tokens(*user, s.id, access, refresh);
}

Task<Tokens> AuthService::refresh(const std::string& refresh_token, const Caller& by) {
  std::string old_hash = sha256_hex(refresh_token);
  std::string next_refresh = random_token(32);
  std::string session_id;
  std::optional<SessionState> state;
  std::string access;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {  // named: GCC 12 mishandles temporaries in co_await
    // The access token needs the session id, known only after the swap: sign after, store the hash now.
    state = co_await repo_->rotate_refresh(tx, old_hash, sha256_hex(next_refresh), "pending:" + new_uuid(),
                                          settings_.access_token_ttl_s);
    if (!state) co_return;
    access = access_token(state->user_id, state->role, state->session_id);
    co_await repo_->set_access_hash(tx, state->session_id, sha256_hex(access));
    co_await repo_->remember_rotated(tx, old_hash, state->session_id);
  };
  co_await ctx_.db.transaction(in_tx);
  if (!state) {
    if (auto reused = co_await repo_->rotated_session(old_hash)) {
      co_await repo_->revoke_session(*reused);
      std::vector<std::string> ids{*reused};
      co_await cache_->revoke_sessions(ids);
      auto e = entry(std::nullopt, "auth.refresh_reuse", "session:" + *reused,
                     {{"reason", "a rotated refresh token was presented again; session revoked"}}, by);
      co_await audit_->record(e);
      throw Unauthorized("refresh token was already used; the session has been revoked");
    }
    throw Unauthorized("invalid or expired refresh token");
  }
  if (!state->user_active) {
    co_await repo_->revoke_session(state->session_id);
    std::vector<std::string> ids{state->session_id};
    co_await cache_->revoke_sessions(ids);
    throw Unauthorized("account is disabled");
  }
  auto user = co_await users_->find(state->user_id);
  if (!user) throw Unauthorized("account no longer exists");
  auto e = entry(user->id, "auth.refresh", "session:" + state->session_id, nlohmann::json::object(), by);
  co_await audit_->record(e);
  co_return tokens(*user, state->session_id, access, next_refresh);
}

Task<void> AuthService::logout(const Caller& a) {
  if (a.session_id.empty()) throw ValidationError("authorization", "API keys are revoked with DELETE /api/keys/{id}");
  co_await repo_->revoke_session(a.session_id);
  std::vector<std::string> ids{a.session_id};
  co_await cache_->revoke_sessions(ids);
  auto e = entry(a.user_id, "auth.logout", "session:" + a.session_id, nlohmann::json::object(), a);
  co_await audit_->record(e);
}

Task<users::User> AuthService::me(const Caller& by) { co_return co_await users_->get(by.user_id); }

Task<void> AuthService::change_password(const PasswordChange& in, const Caller& a) {
  const std::string& current = in.current;
  const std::string& next = in.next;
  Validation v;
  if (next.size() < 10) v.add("newPassword", "must be at least 10 characters");
  if (next == current) v.add("newPassword", "must differ from the current password");
  v.throw_if_any();
  auto u = co_await users_->find(a.user_id);
  if (!u) throw NotFound("user");
  // Guessing the current password through a stolen access token is throttled like a login (the same
  // atomic reservation), so a session cannot become a permanent account takeover by brute force.
  std::string fail_key = "pwchange:fail:user:" + a.user_id;
  std::vector<std::string> fail_keys{fail_key};
  auto slot = co_await ctx_.limiter.reserve_failures(fail_keys, settings_.login_max_failures,
                                                     settings_.login_window_s);
  if (!slot.allowed)
    throw AppError(ErrorCode::rate_limited, "too many wrong current passwords; try again later",
                   {{"retryAfter", slot.retry_after_s}});
  bool right = false;
  std::exception_ptr not_checked;
  try {
    right = co_await verify(u->password_hash, current);
  } catch (...) {
    not_checked = std::current_exception();
  }
  if (not_checked) {
    co_await ctx_.limiter.release_failure(fail_key);
    std::rethrow_exception(not_checked);
  }
  if (right) co_await ctx_.limiter.reset_failures(fail_key);
  if (!right) {
    auto e = entry(a.user_id, "auth.password_change_failed", "user:" + a.user_id, nlohmann::json::object(), a);
    co_await audit_->record(e);
    throw Unauthorized("current password is wrong");
  }
  auto h = co_await hash(next);
  std::vector<std::string> revoked;
  std::string action = "auth.password_changed", resource = "user:" + a.user_id;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {  // named: GCC 12 mishandles temporaries in co_await
    co_await users_->set_password(tx, a.user_id, h);
    revoked = co_await repo_->revoke_user_sessions(tx, a.user_id, a.session_id);
    auto details = with_ip({{"revokedSessions", revoked.size()}}, a);
    co_await audit_->record(tx, a, action, resource, details);
  };
  co_await ctx_.db.transaction(in_tx);
  co_await cache_->revoke_sessions(revoked);
}

Task<users::Revocation> AuthService::revoke_user(db::Tx& tx, const std::string& user_id, const std::string& keep) {
  users::Revocation r;
  r.sessions = co_await repo_->revoke_user_sessions(tx, user_id, keep);
  r.key_hashes = co_await repo_->key_hashes_of(tx, user_id);
  co_return r;
}

Task<void> AuthService::after_user_change(const std::string&, const users::Revocation& revoked, bool deleted) {
  co_await cache_->revoke_sessions(revoked.sessions);
  if (deleted) co_await cache_->revoke_keys(revoked.key_hashes);
  else co_await cache_->forget_keys(revoked.key_hashes);
}

}  // namespace netops::auth
