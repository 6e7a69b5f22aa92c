// Rate limits across TWO gateway instances on one database and one Redis db (issue #18, item 2):
//   local (default)  credits reserved in batches from the shared counters, consumed in process: the two
//                    instances together never admit more than the limit, and refuse early at most
//                    (N − 1) × B requests, B = clamp(limit / 8, 1, 1000);
//   exact            NETOPS_RATE_LIMIT_MODE=exact: today's one script per request, exactly the limit.
#include <chrono>
#include <thread>

#include "support/api.hpp"

using namespace netops::test;

namespace {

constexpr int kLimit = 40;
constexpr int kBatch = kLimit / 8;  // B of the local mode

// The fixed windows are minutes since the epoch: start with at least 15 s left in the current one so that
// the requests of a test meet one window (this wait avoids a boundary; it decides nothing).
std::int64_t fresh_window() {
  using namespace std::chrono;
  auto ms = duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
  if (ms % 60000 > 45000) std::this_thread::sleep_for(milliseconds(60000 - ms % 60000 + 100));
  ms = duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
  return ms / 60000;
}

struct Pair {
  std::unique_ptr<ServerProcess> a, b;
  std::string admin;
  explicit Pair(const std::string& suite, const std::string& mode) {
    ServerOptions o;
    o.suite = suite;
    o.env["NETOPS_RATE_LIMIT_FREE"] = std::to_string(kLimit);
    if (!mode.empty()) o.env["NETOPS_RATE_LIMIT_MODE"] = mode;
    a = std::make_unique<ServerProcess>(o);
    a->start();
    ServerOptions p = o;
    p.database_url = a->database_url();
    p.redis_url = a->redis_url();
    b = std::make_unique<ServerProcess>(p);
    b->start();
    admin = login_admin(*a).token;
  }
  ~Pair() {
    b->stop();
    a->stop();
  }
  // Requests alternating between the two instances; {admitted, refused}.
  std::pair<int, int> alternate(const std::string& token, int n) {
    HttpClient ca(a->port()), cb(b->port());
    int ok = 0, refused = 0;
    for (int i = 0; i < n; ++i) {
      auto r = (i % 2 ? cb : ca).get("/api/auth/me", bearer(token));
      if (r.status == 200) ++ok;
      else if (r.status == 429) ++refused;
      else ADD_FAILURE() << r.status << " " << r.body;
    }
    return {ok, refused};
  }
  std::string counter(const std::string& user_id, std::int64_t window) {
    return redis_command(a->redis_url(), {"GET", "rate:limit:user:" + user_id + ":" + std::to_string(window)});
  }
};

}  // namespace

TEST(RateLimitModes, LocalModeNeverAdmitsMoreThanTheLimitAcrossInstances) {
  Pair p("ratelocal", "");
  auto u = new_user(p.a->port(), p.admin, "user", "free");
  fresh_window();
  auto [ok, refused] = p.alternate(u.token, 3 * kLimit);
  EXPECT_LE(ok, kLimit) << "over-admission must be 0";
  EXPECT_GE(ok, kLimit - kBatch) << "early refusal is bounded by (N - 1) x B credits held by the other instance";
  EXPECT_EQ(ok + refused, 3 * kLimit);
  // A refusal names the limit like exact mode's.
  auto r = HttpClient(p.b->port()).get("/api/auth/me", bearer(u.token));
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.json()["error"]["code"], "RATE_LIMITED") << r.body;
}

TEST(RateLimitModes, LocalModeReservesBatchesInsteadOfARoundTripPerRequest) {
  Pair p("ratebatch", "");
  auto u = new_user(p.a->port(), p.admin, "user", "free");
  auto window = fresh_window();
  ASSERT_EQ(HttpClient(p.a->port()).get("/api/auth/me", bearer(u.token)).status, 200);
  // One request took a whole batch of credits from the shared counter …
  EXPECT_EQ(p.counter(u.id, window), std::to_string(kBatch));
  // … and the next one of that batch is counted in process: the shared counter does not move (one more
  // would bring the credits to B/2, where the next batch is reserved in the background).
  ASSERT_EQ(HttpClient(p.a->port()).get("/api/auth/me", bearer(u.token)).status, 200);
  EXPECT_EQ(p.counter(u.id, window), std::to_string(kBatch));
}

TEST(RateLimitModes, ExactModeAdmitsExactlyTheLimitAcrossInstances) {
  Pair p("rateexact", "exact");
  auto u = new_user(p.a->port(), p.admin, "user", "free");
  auto window = fresh_window();
  ASSERT_EQ(HttpClient(p.a->port()).get("/api/auth/me", bearer(u.token)).status, 200);
  EXPECT_EQ(p.counter(u.id, window), "1");  // one script per request
  auto [ok, refused] = p.alternate(u.token, 2 * kLimit);
  EXPECT_EQ(ok, kLimit - 1);
  EXPECT_EQ(refused, kLimit + 1);
  EXPECT_EQ(p.counter(u.id, window), std::to_string(kLimit));
}
