// The Redis client against real servers: the shared one (NETOPS_TEST_REDIS_URL) for the plain cases,
// and a private redis-server per test for outages, hangs and counters, so nobody else is disturbed.
// Arguments are never braced lists inside co_await: GCC 12 rejects that ("array used as initializer").
#include <gtest/gtest.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <chrono>
#include <functional>
#include <future>
#include <random>
#include <thread>

#include <hiredis/hiredis.h>

#include "cache/cache.hpp"
#include "cache/invalidation_bus.hpp"
#include "cache/redis.hpp"
#include "cache/redis_connection.hpp"
#include "core/worker.hpp"
#include "support/redis_db.hpp"
#include "support/test_env.hpp"

extern char** environ;

namespace {
namespace asio = boost::asio;
using namespace std::chrono_literals;
using netops::Task;
using netops::cache::Cache;
using netops::cache::Redis;
using netops::cache::RedisConfig;
using netops::cache::RedisError;
using netops::cache::RedisUnavailable;
using netops::cache::Reply;
using Clock = std::chrono::steady_clock;

// A db of the shared test Redis that is this process's alone (claimed once, see support/redis_db.hpp).
std::string claimed_url() {
  static const auto db = netops::test::RedisDb::claim();
  return db->url();
}

std::string unique_prefix() {
  static const std::string p = "redis_test:" + std::to_string(std::random_device{}()) + ":";
  return p;
}

bool eventually(const std::function<bool()>& pred, std::chrono::milliseconds within = 5s) {
  auto deadline = Clock::now() + within;
  while (Clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(5ms);
  }
  return pred();
}

// A redis-server of our own, so a test can kill, stop or restart it.
class RedisServer {
 public:
  explicit RedisServer(std::vector<std::string> extra = {}) : port_(netops::test::free_port()), extra_(extra) {
    start();
  }
  ~RedisServer() { kill_now(SIGKILL); }

  void start() {
    std::vector<std::string> args{"redis-server", "--port", std::to_string(port_), "--bind", "127.0.0.1",
                                  "--save", "", "--appendonly", "no", "--daemonize", "no", "--loglevel", "warning"};
    args.insert(args.end(), extra_.begin(), extra_.end());
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    int rc = posix_spawnp(&pid_, "redis-server", &fa, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    ASSERT_EQ(rc, 0) << "cannot start redis-server";
    ASSERT_TRUE(eventually([&] { return answers_ping(); })) << "redis-server did not come up on " << port_;
  }
  void kill_now(int sig) {
    if (pid_ <= 0) return;
    ::kill(pid_, sig);
    if (sig == SIGKILL || sig == SIGTERM) {
      ::kill(pid_, SIGCONT);  // a stopped process only dies once it runs again
      ::waitpid(pid_, nullptr, 0);
      pid_ = -1;
    }
  }
  std::string url(int db = 0) const { return "redis://127.0.0.1:" + std::to_string(port_) + "/" + std::to_string(db); }
  int port() const { return port_; }

 private:
  bool answers_ping() const {
    int s = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(static_cast<uint16_t>(port_));
    timeval tv{0, 200000};
    ::setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    bool ok = ::connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 && ::write(s, "PING\r\n", 6) == 6;
    char buf[16] = {};
    ok = ok && ::read(s, buf, sizeof buf - 1) > 0;
    std::string answer(buf);
    ok = ok && (answer.rfind("+PONG", 0) == 0 || answer.rfind("-NOAUTH", 0) == 0);
    ::close(s);
    return ok;
  }
  int port_;
  std::vector<std::string> extra_;
  pid_t pid_ = -1;
};

// A Redis facade on one io_context run by a background thread that plays worker 0.
class Client {
 public:
  explicit Client(RedisConfig cfg)
      : guard_(asio::make_work_guard(ioc_)), thread_([this] {
          netops::set_current_worker(0);
          ioc_.run();
        }) {
    redis_ = std::make_unique<Redis>(std::move(cfg), std::vector<asio::io_context*>{&ioc_});
    redis_->start();
  }
  ~Client() {
    guard_.reset();
    ioc_.stop();
    thread_.join();
    redis_.reset();  // after its worker stopped, before its io_context goes
  }
  Redis& redis() { return *redis_; }
  bool wait_connected() {
    return eventually([&] { return redis_->connected(); });
  }
  // Runs a coroutine on the worker and waits for its result (exceptions come through get()).
  template <class F>
  auto run(F f) {
    return asio::co_spawn(ioc_, std::move(f), asio::use_future).get();
  }
  template <class F>
  auto spawn(F f) {
    return asio::co_spawn(ioc_, std::move(f), asio::use_future);
  }
  Reply cmd(std::vector<std::string> args) {
    return run([&]() -> Task<Reply> { co_return co_await redis_->command(args); });
  }

 private:
  asio::io_context ioc_;
  asio::executor_work_guard<asio::io_context::executor_type> guard_;
  std::thread thread_;
  std::unique_ptr<Redis> redis_;
};

RedisConfig fast_config(std::string url) {
  RedisConfig cfg;
  cfg.url = std::move(url);
  cfg.connect_timeout_ms = 500;
  cfg.command_timeout_ms = 300;
  cfg.reconnect_min_ms = 20;
  cfg.reconnect_max_ms = 200;
  return cfg;
}

std::int64_t command_calls(Client& c, const std::string& name) {
  auto info = c.cmd({"INFO", "commandstats"}).str;
  auto at = info.find("cmdstat_" + name + ":calls=");
  if (at == std::string::npos) return 0;
  return std::stoll(info.substr(at + name.size() + 15));
}

TEST(RedisUrl, ParsesPasswordPortAndDb) {
  auto ep = netops::cache::parse_redis_url("redis://:s%40cret@cache.local:6380/7");
  EXPECT_EQ(ep.host, "cache.local");
  EXPECT_EQ(ep.port, 6380);
  EXPECT_EQ(ep.password, "s@cret");
  EXPECT_EQ(ep.user, "");
  EXPECT_EQ(ep.db, 7);
  auto plain = netops::cache::parse_redis_url("redis://10.0.0.1");
  EXPECT_EQ(plain.host, "10.0.0.1");
  EXPECT_EQ(plain.port, 6379);
  EXPECT_EQ(plain.db, 0);
  EXPECT_EQ(netops::cache::parse_redis_url("redis://app:pw@h:1/2").user, "app");
  EXPECT_THROW(netops::cache::parse_redis_url("http://h:1"), std::invalid_argument);
  EXPECT_THROW(netops::cache::parse_redis_url("redis://h:port"), std::invalid_argument);
}

TEST(Redis, ConnectsAndRoundTrips) {
  Client c(fast_config(claimed_url()));
  ASSERT_TRUE(c.wait_connected());
  auto& r = c.redis();
  auto k = unique_prefix() + "rt";
  c.run([&]() -> Task<void> {
    co_await r.set(k, "hello");
    EXPECT_EQ(co_await r.get(k), "hello");
    co_await r.set(k + ":ttl", "x", 60);
    std::vector<std::string> ttl_cmd{"TTL", k + ":ttl"}, keys{k, k + ":ttl", k + ":missing"};
    auto ttl = co_await r.command(ttl_cmd);
    EXPECT_GT(ttl.integer, 0);
    EXPECT_LE(ttl.integer, 60);
    EXPECT_EQ(co_await r.get(k + ":missing"), std::nullopt);
    EXPECT_EQ(co_await r.del(keys), 2);
    EXPECT_EQ(co_await r.get(k), std::nullopt);
    EXPECT_EQ(co_await r.del(std::vector<std::string>()), 0);
    EXPECT_GE(co_await r.publish(k + ":channel", "ping"), 0);
  });
}

TEST(Redis, ConvertsEveryReplyType) {
  Client c(fast_config(claimed_url()));
  ASSERT_TRUE(c.wait_connected());
  auto k = unique_prefix() + "types";
  auto ok = c.cmd({"SET", k + ":s", "v"});
  EXPECT_EQ(ok.type, Reply::Type::status);
  EXPECT_EQ(ok.str, "OK");
  EXPECT_EQ(c.cmd({"INCRBY", k + ":n", "5"}).integer, 5);
  EXPECT_EQ(c.cmd({"INCRBY", k + ":n", "-7"}).integer, -2);
  EXPECT_TRUE(c.cmd({"GET", k + ":none"}).is_nil());
  c.cmd({"RPUSH", k + ":l", "a", "", std::string("b\0c", 3)});
  auto list = c.cmd({"LRANGE", k + ":l", "0", "-1"});
  ASSERT_EQ(list.type, Reply::Type::array);
  ASSERT_EQ(list.elements.size(), 3u);
  EXPECT_EQ(list.elements[1].str, "");
  EXPECT_EQ(list.elements[2].str, std::string("b\0c", 3));  // binary safe
  auto mget = c.cmd({"MGET", k + ":s", k + ":none"});
  ASSERT_EQ(mget.elements.size(), 2u);
  EXPECT_EQ(mget.elements[0].str, "v");
  EXPECT_TRUE(mget.elements[1].is_nil());
  EXPECT_EQ(c.cmd({"LRANGE", k + ":none", "0", "-1"}).elements.size(), 0u);
  c.cmd({"DEL", k + ":s", k + ":n", k + ":l"});
}

TEST(Redis, ErrorReplyThrowsRedisErrorAndKeepsTheConnection) {
  Client c(fast_config(claimed_url()));
  ASSERT_TRUE(c.wait_connected());
  auto k = unique_prefix() + "err";
  c.cmd({"SET", k, "text"});
  try {
    c.cmd({"INCR", k});
    FAIL() << "INCR on a string must fail";
  } catch (const RedisError& e) {
    EXPECT_NE(std::string(e.what()).find("not an integer"), std::string::npos) << e.what();
  }
  EXPECT_THROW(c.cmd({"LPUSH", k, "x"}), RedisError);  // WRONGTYPE
  EXPECT_THROW(c.cmd({"NO_SUCH_COMMAND"}), RedisError);
  EXPECT_THROW(c.cmd({"SUBSCRIBE", "x"}), std::invalid_argument);
  EXPECT_EQ(c.cmd({"GET", k}).str, "text");
  c.cmd({"DEL", k});
}

TEST(Redis, SelectsTheDatabaseFromTheUrl) {
  auto three = netops::test::RedisDb::claim(), four = netops::test::RedisDb::claim();
  Client db3(fast_config(three->url()));
  Client db4(fast_config(four->url()));
  ASSERT_TRUE(db3.wait_connected());
  ASSERT_TRUE(db4.wait_connected());
  auto k = unique_prefix() + "db";
  db3.cmd({"SET", k, "three"});
  EXPECT_TRUE(db4.cmd({"GET", k}).is_nil());
  EXPECT_EQ(db3.cmd({"GET", k}).str, "three");
  db3.cmd({"DEL", k});
}

TEST(Redis, AuthenticatesWithThePasswordFromTheUrl) {
  RedisServer server({"--requirepass", "s3cret"});
  auto url = server.url(5);
  Client c(fast_config(url.replace(0, 8, "redis://:s3cret@")));
  ASSERT_TRUE(c.wait_connected());
  c.cmd({"SET", "k", "v"});
  EXPECT_EQ(c.cmd({"GET", "k"}).str, "v");
  EXPECT_NE(c.cmd({"CLIENT", "INFO"}).str.find(" db=5 "), std::string::npos);
}

TEST(Redis, EvalUsesEvalshaAndFallsBackToEvalAfterScriptFlush) {
  RedisServer server;
  Client c(fast_config(server.url()));
  ASSERT_TRUE(c.wait_connected());
  auto& r = c.redis();
  const std::string script = "return {KEYS[1], ARGV[1], tonumber(ARGV[2]) * 2}";
  const std::vector<std::string> keys{"key"}, args{"arg", "21"}, none;
  auto eval = [&] { return c.run([&]() -> Task<Reply> { co_return co_await r.eval(script, keys, args); }); };

  auto check = [](const Reply& res) {
    ASSERT_EQ(res.type, Reply::Type::array);
    ASSERT_EQ(res.elements.size(), 3u);
    EXPECT_EQ(res.elements[0].str, "key");
    EXPECT_EQ(res.elements[1].str, "arg");
    EXPECT_EQ(res.elements[2].integer, 42);
  };
  check(eval());  // not loaded yet: NOSCRIPT, then EVAL
  EXPECT_EQ(command_calls(c, "eval"), 1);
  check(eval());  // cached by the EVAL above: EVALSHA only
  EXPECT_EQ(command_calls(c, "eval"), 1);

  c.cmd({"SCRIPT", "FLUSH"});
  check(eval());
  EXPECT_EQ(command_calls(c, "eval"), 2);

  // Our SHA1 is Redis' SHA1: a script loaded by SCRIPT LOAD is found by EVALSHA.
  const std::string other = "return 'loaded'";
  c.cmd({"SCRIPT", "LOAD", other});
  auto loaded = c.run([&]() -> Task<Reply> { co_return co_await r.eval(other, none, none); });
  EXPECT_EQ(loaded.str, "loaded");
  EXPECT_EQ(command_calls(c, "eval"), 2);

  // A script's own error is not mistaken for NOSCRIPT.
  EXPECT_THROW(c.run([&]() -> Task<Reply> { co_return co_await r.eval("return redis.error_reply('boom')", none, none); }),
               RedisError);
}

TEST(Redis, FailsFastAndCacheDegradesWhileTheServerIsDown) {
  RedisServer server;
  Client c(fast_config(server.url()));
  ASSERT_TRUE(c.wait_connected());
  auto& r = c.redis();
  Cache cache(r);

  // A command in flight when the server dies fails with RedisUnavailable, not a hang.
  RedisConfig slow = fast_config(server.url());
  slow.command_timeout_ms = 10000;
  Client blocked(slow);
  ASSERT_TRUE(blocked.wait_connected());
  const std::vector<std::string> blpop{"BLPOP", "q", "30"};
  auto pending = blocked.spawn([&]() -> Task<Reply> { co_return co_await blocked.redis().command(blpop); });
  ASSERT_TRUE(eventually([&] { return c.cmd({"INFO", "clients"}).str.find("blocked_clients:1") != std::string::npos; }));

  auto killed_at = Clock::now();
  server.kill_now(SIGTERM);
  EXPECT_THROW(pending.get(), RedisUnavailable);
  EXPECT_LT(Clock::now() - killed_at, 2s);
  ASSERT_TRUE(eventually([&] { return !r.connected(); }));

  auto t0 = Clock::now();
  EXPECT_THROW(c.cmd({"GET", "k"}), RedisUnavailable);
  EXPECT_LT(Clock::now() - t0, 100ms) << "must fail fast, not wait for command_timeout";

  const nlohmann::json value{{"a", 1}};
  const std::vector<std::string> keys{"k"};
  c.run([&]() -> Task<void> {
    EXPECT_EQ(co_await cache.get_json("k"), std::nullopt);
    co_await cache.set_json("k", value, 60);  // skipped, no throw
    co_await cache.invalidate(keys);
  });
}

TEST(Redis, ReconnectsWhenTheServerComesBack) {
  RedisServer server;
  Client c(fast_config(server.url()));
  ASSERT_TRUE(c.wait_connected());
  EXPECT_EQ(c.redis().reconnects(), 0);
  server.kill_now(SIGKILL);
  ASSERT_TRUE(eventually([&] { return !c.redis().connected(); }));
  EXPECT_THROW(c.cmd({"PING"}), RedisUnavailable);

  server.start();  // same port
  ASSERT_TRUE(c.wait_connected());
  EXPECT_EQ(c.redis().reconnects(), 1);
  c.cmd({"SET", "back", "yes"});
  EXPECT_EQ(c.cmd({"GET", "back"}).str, "yes");
}

TEST(Redis, CommandTimesOutWhileTheServerHangsThenRecovers) {
  RedisServer server;
  Client c(fast_config(server.url()));
  ASSERT_TRUE(c.wait_connected());
  auto& r = c.redis();
  c.cmd({"SET", "a", "1"});

  server.kill_now(SIGSTOP);
  auto t0 = Clock::now();
  const std::vector<std::string> get_a{"GET", "a"};
  std::vector<std::future<Reply>> burst;
  for (int i = 0; i < 20; ++i) burst.push_back(c.spawn([&]() -> Task<Reply> { co_return co_await r.command(get_a); }));
  int timed_out = 0;
  for (auto& f : burst) {
    try {
      f.get();
      ADD_FAILURE() << "a hung server must not answer";
    } catch (const RedisUnavailable& e) {
      timed_out += std::string(e.what()) == "redis command timed out";
    }
  }
  auto took = Clock::now() - t0;
  EXPECT_GE(timed_out, 1);  // the others fail as "connection lost" when the hung link is dropped
  EXPECT_GE(took, 250ms);
  EXPECT_LT(took, 2s);

  // The hung link is dropped and the reconnect's PING goes unanswered: fail fast meanwhile.
  ASSERT_TRUE(eventually([&] { return !r.connected(); }));
  auto t1 = Clock::now();
  EXPECT_THROW(c.cmd({"GET", "a"}), RedisUnavailable);
  EXPECT_LT(Clock::now() - t1, 100ms);

  server.kill_now(SIGCONT);
  ASSERT_TRUE(c.wait_connected());
  EXPECT_GE(r.reconnects(), 1);
  c.cmd({"SET", "b", "2"});
  EXPECT_EQ(c.cmd({"GET", "b"}).str, "2");
  EXPECT_EQ(c.cmd({"GET", "a"}).str, "1");
}

// A peer that accepts TCP but never answers: the SELECT of the handshake hangs, so the connect
// timeout must drop the socket and try again.
TEST(Redis, ConnectTimesOutAndRetriesAgainstASilentPeer) {
  int listener = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  ASSERT_EQ(::listen(listener, 16), 0);
  socklen_t len = sizeof a;
  ::getsockname(listener, reinterpret_cast<sockaddr*>(&a), &len);
  timeval tv{0, 100000};
  ::setsockopt(listener, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);

  RedisConfig cfg = fast_config("redis://127.0.0.1:" + std::to_string(ntohs(a.sin_port)) + "/1");
  cfg.connect_timeout_ms = 150;
  Client c(cfg);
  std::vector<int> accepted;
  ASSERT_TRUE(eventually([&] {
    if (int fd = ::accept(listener, nullptr, nullptr); fd >= 0) accepted.push_back(fd);
    return accepted.size() >= 3;
  }));
  EXPECT_FALSE(c.redis().connected());
  EXPECT_THROW(c.cmd({"PING"}), RedisUnavailable);
  // The abandoned attempt's socket was closed by the client: we read its SELECT, then EOF.
  ::setsockopt(accepted[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  char buf[256];
  ssize_t n = 0, total = 0;
  while ((n = ::read(accepted[0], buf, sizeof buf)) > 0) total += n;
  EXPECT_GT(total, 0);
  EXPECT_EQ(n, 0);
  for (int fd : accepted) ::close(fd);
  ::close(listener);
}

TEST(Redis, StopDisconnectsAndStartConnectsAgain) {
  RedisServer server;
  Client c(fast_config(server.url()));
  ASSERT_TRUE(c.wait_connected());
  c.redis().stop();
  ASSERT_TRUE(eventually([&] { return !c.redis().connected(); }));
  EXPECT_THROW(c.cmd({"PING"}), RedisUnavailable);
  c.redis().start();
  ASSERT_TRUE(c.wait_connected());
  EXPECT_EQ(c.cmd({"PING"}).str, "PONG");
}

TEST(Redis, AnswersAThousandConcurrentCommandsInOrder) {
  Client c(fast_config(claimed_url()));
  ASSERT_TRUE(c.wait_connected());
  auto& r = c.redis();
  auto prefix = unique_prefix() + "many:";
  constexpr int kCount = 1000;
  std::vector<std::future<std::string>> results;
  for (int i = 0; i < kCount; ++i) {
    results.push_back(c.spawn([&r, prefix, i]() -> Task<std::string> {
      auto key = prefix + std::to_string(i);
      co_await r.set(key, "value-" + std::to_string(i), 60);
      std::vector<std::string> incr{"INCR", prefix + "counter"};
      auto n = co_await r.command(std::move(incr));
      EXPECT_GE(n.integer, 1);
      co_return (co_await r.get(key)).value_or("<nil>");
    }));
  }
  for (int i = 0; i < kCount; ++i) EXPECT_EQ(results[i].get(), "value-" + std::to_string(i));
  EXPECT_EQ(c.cmd({"GET", prefix + "counter"}).str, std::to_string(kCount));
  std::vector<std::string> keys{prefix + "counter"};
  for (int i = 0; i < kCount; ++i) keys.push_back(prefix + std::to_string(i));
  EXPECT_EQ(c.run([&]() -> Task<std::int64_t> { co_return co_await r.del(keys); }), kCount + 1);
}

TEST(Cache, RoundTripsJsonAndDropsCorruptValues) {
  Client c(fast_config(claimed_url()));
  ASSERT_TRUE(c.wait_connected());
  Cache cache(c.redis());
  auto k = unique_prefix() + "json";
  const nlohmann::json device{{"name", "sw-01"}, {"ports", 48}};
  const std::vector<std::string> keys{k};
  c.run([&]() -> Task<void> {
    co_await cache.set_json(k, device, 60);
    auto got = co_await cache.get_json(k);
    EXPECT_TRUE(got.has_value());
    if (got) {
      EXPECT_EQ((*got)["ports"], 48);
    }
    co_await cache.invalidate(keys);
    EXPECT_EQ(co_await cache.get_json(k), std::nullopt);

    co_await c.redis().set(k, "{not json");
    EXPECT_EQ(co_await cache.get_json(k), std::nullopt);
    EXPECT_EQ(co_await c.redis().get(k), std::nullopt);  // the corrupt value was deleted
  });
}

// pending(since): a check that found nothing waiting answers for requests that arrived before it began
// (no second poll()), never for one that arrived after it — a message published before such a request must
// be pending or already delivered when the request asks.
TEST(InvalidationBus, PendingSinceReusesOnlyChecksMadeAfterTheRequestArrived) {
  std::atomic<int> delivered{0};
  netops::cache::InvalidationBus bus(
      claimed_url(), unique_prefix() + "bus", [&](std::string_view) { delivered.fetch_add(1); }, [] {});
  bus.start();
  ASSERT_TRUE(eventually([&] { return bus.live(); }));
  auto ep = netops::cache::parse_redis_url(claimed_url());
  redisContext* pub = redisConnect(ep.host.c_str(), ep.port);
  ASSERT_TRUE(pub != nullptr && pub->err == 0);
  // PUBLISH, then — once it is answered — a PING on the same connection: Redis answers the PUBLISH before
  // it writes the message to the subscribers, the PING's answer comes after (what the gateway's writes do).
  auto publish = [&](const std::string& text) {
    auto* r = static_cast<redisReply*>(redisCommand(pub, "PUBLISH %s %s", bus.channel().c_str(), text.c_str()));
    ASSERT_NE(r, nullptr);
    freeReplyObject(r);
    r = static_cast<redisReply*>(redisCommand(pub, "PING"));
    ASSERT_NE(r, nullptr);
    freeReplyObject(r);
  };

  // Nothing published: the first check for a request polls, the next ones for it (or an earlier one) do not.
  auto arrived = Clock::now();
  auto polls = bus.polls();
  EXPECT_FALSE(bus.pending(arrived));
  EXPECT_FALSE(bus.pending(arrived));
  EXPECT_FALSE(bus.pending(arrived - 1ms));
  EXPECT_EQ(bus.polls(), polls + 1);
  EXPECT_FALSE(bus.pending(Clock::time_point{}));  // unknown arrival: always polls
  EXPECT_EQ(bus.polls(), polls + 2);

  // A request that arrives after a publish is never answered by a check made before it.
  int undelivered_seen = 0;
  for (int i = 0; i < 300; ++i) {
    (void)bus.pending(Clock::now());  // a fresh check before the publish: it must not answer for the request
    const int before = delivered.load();
    publish("m" + std::to_string(i));
    auto request = Clock::now();
    if (bus.pending(request)) ++undelivered_seen;
    else EXPECT_GT(delivered.load(), before) << "round " << i << ": neither pending nor delivered";
    ASSERT_TRUE(eventually([&] { return delivered.load() > before; }));
  }
  std::printf("%d of 300 publishes were still pending when the request asked\n", undelivered_seen);
  redisFree(pub);
  bus.stop();
}

}  // namespace
