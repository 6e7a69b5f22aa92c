#include "support/redis_db.hpp"

#include <fcntl.h>
#include <hiredis/hiredis.h>
#include <sys/file.h>
#include <unistd.h>

#include <stdexcept>

#include "support/test_env.hpp"

namespace netops::test {

namespace {
struct RedisUrl {
  std::string host, user, password;
  int port = 6379, db = 0;
};

RedisUrl parse(const std::string& url) {
  RedisUrl u;
  std::string rest = url.substr(url.find("://") == std::string::npos ? 0 : url.find("://") + 3);
  auto slash = rest.find('/');
  if (slash != std::string::npos) {
    if (slash + 1 < rest.size()) u.db = std::stoi(rest.substr(slash + 1));
    rest = rest.substr(0, slash);
  }
  if (auto at = rest.rfind('@'); at != std::string::npos) {
    auto cred = rest.substr(0, at);
    auto colon = cred.find(':');
    u.user = colon == std::string::npos ? "" : cred.substr(0, colon);
    u.password = colon == std::string::npos ? cred : cred.substr(colon + 1);
    rest = rest.substr(at + 1);
  }
  auto colon = rest.rfind(':');
  u.host = rest.substr(0, colon);
  if (colon != std::string::npos) u.port = std::stoi(rest.substr(colon + 1));
  return u;
}

std::string reply_text(redisReply* r) {
  if (!r) return "";
  if (r->type == REDIS_REPLY_ERROR) throw std::runtime_error(std::string("redis: ") + std::string(r->str, r->len));
  if (r->type == REDIS_REPLY_STRING || r->type == REDIS_REPLY_STATUS) return std::string(r->str, r->len);
  if (r->type == REDIS_REPLY_INTEGER) return std::to_string(r->integer);
  return "";
}

std::string command(redisContext* c, const std::vector<std::string>& args) {
  std::vector<const char*> argv;
  std::vector<size_t> lens;
  for (auto& a : args) {
    argv.push_back(a.data());
    lens.push_back(a.size());
  }
  auto* r = static_cast<redisReply*>(redisCommandArgv(c, static_cast<int>(argv.size()), argv.data(), lens.data()));
  if (!r) throw std::runtime_error(std::string("redis: ") + c->errstr);
  try {
    auto out = reply_text(r);
    freeReplyObject(r);
    return out;
  } catch (...) {
    freeReplyObject(r);
    throw;
  }
}
}  // namespace

std::string redis_command(const std::string& url, const std::vector<std::string>& args) {
  auto u = parse(url);
  redisContext* c = redisConnect(u.host.c_str(), u.port);
  if (!c || c->err) {
    std::string msg = c ? c->errstr : "out of memory";
    if (c) redisFree(c);
    throw std::runtime_error("redis connect " + u.host + ":" + std::to_string(u.port) + ": " + msg);
  }
  try {
    if (!u.password.empty()) {
      if (u.user.empty()) command(c, {"AUTH", u.password});
      else command(c, {"AUTH", u.user, u.password});
    }
    command(c, {"SELECT", std::to_string(u.db)});
    auto out = command(c, args);
    redisFree(c);
    return out;
  } catch (...) {
    redisFree(c);
    throw;
  }
}

std::shared_ptr<RedisDb> RedisDb::claim() {
  const std::string port = std::to_string(redis_port());
  for (int n = 1; n <= 63; ++n) {
    std::string path = "/tmp/netops-test-redis-" + port + "-" + std::to_string(n) + ".lock";
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);
    if (fd < 0) throw std::runtime_error("cannot open " + path);
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      ::close(fd);
      continue;
    }
    std::shared_ptr<RedisDb> db(new RedisDb(n, fd));
    redis_command(db->url(), {"FLUSHDB"});
    return db;
  }
  throw std::runtime_error("no free Redis db in 1..63 (lock files /tmp/netops-test-redis-" + port + "-*.lock)");
}

RedisDb::~RedisDb() { ::close(fd_); }

std::string RedisDb::url() const { return redis_base_url() + "/" + std::to_string(number_); }

}  // namespace netops::test
