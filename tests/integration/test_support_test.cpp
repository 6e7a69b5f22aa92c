// The test kit itself: how servers started by the suites get their ports.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "support/server_process.hpp"
#include "support/test_env.hpp"

using namespace netops::test;

namespace {

// A port held the way CI lost one: as the local port of some client's open connection.
struct Occupied {
  int listener = -1, client = -1;
  int port = 0;
  Occupied() {
    listener = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    ::bind(listener, reinterpret_cast<sockaddr*>(&a), sizeof a);
    ::listen(listener, 1);
    ::getsockname(listener, reinterpret_cast<sockaddr*>(&a), &len);
    client = ::socket(AF_INET, SOCK_STREAM, 0);
    ::connect(client, reinterpret_cast<sockaddr*>(&a), sizeof a);
    ::getsockname(client, reinterpret_cast<sockaddr*>(&a), &len);
    port = ntohs(a.sin_port);
  }
  ~Occupied() {
    ::close(client);
    ::close(listener);
  }
};

}  // namespace

// CI once failed a whole suite with "cannot listen ... Address already in use": the port had been found
// free in the kernel's source-port range and was some other suite's client port a moment later.
TEST(TestKit, FreePortsAreNeverOutgoingSourcePorts) {
  auto [lo, hi] = source_port_range();
  for (int i = 0; i < 50; ++i) {
    int p = free_port();
    EXPECT_TRUE(p < lo || p > hi) << p << " is in " << lo << "-" << hi;
    EXPECT_GT(p, 1023);
  }
}

TEST(TestKit, AServerWhosePortWasTakenStartsOnAnother) {
  Occupied taken;
  int calls = 0;
  ServerOptions opts;
  opts.suite = "kit";
  opts.choose_port = [&] { return ++calls == 1 ? taken.port : free_port(); };
  ServerProcess server(opts);
  ASSERT_NO_THROW(server.start());
  EXPECT_EQ(calls, 2);
  EXPECT_NE(server.port(), taken.port);
  EXPECT_TRUE(server.running());
}
