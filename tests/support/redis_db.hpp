#pragma once
// A Redis db number of the shared test Redis (NETOPS_TEST_REDIS_URL) that belongs to one owner only.
// claim() takes the first N in [1,63] whose lock file /tmp/netops-test-redis-<port>-<N>.lock it can
// flock exclusively (other test processes, run in parallel by ctest, skip it), then FLUSHDB's it.
// The lock is held until the last shared_ptr goes (for a server: until its ServerProcess is destroyed).
#include <memory>
#include <string>
#include <vector>

namespace netops::test {

class RedisDb {
 public:
  static std::shared_ptr<RedisDb> claim();
  ~RedisDb();
  RedisDb(const RedisDb&) = delete;
  RedisDb& operator=(const RedisDb&) = delete;
  int number() const { return number_; }
  std::string url() const;  // redis://host:port/N

 private:
  RedisDb(int number, int fd) : number_(number), fd_(fd) {}
  int number_;
  int fd_;
};

// One command against the Redis at url (redis://[user:pass@]host:port[/db]); returns a string, status or
// integer reply as text, "" for nil; throws std::runtime_error on a connection or error reply.
std::string redis_command(const std::string& url, const std::vector<std::string>& args);

}  // namespace netops::test
