// core/thread_slice: a thread's request for a shorter scheduler time slice keeps its nice value, and the
// kernel reports the slice back where it has per-thread slices (Linux >= 6.12), threads it starts do not
// inherit it; elsewhere nothing changes.
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <fstream>
#include <string>
#include <thread>

#include "core/thread_slice.hpp"

namespace netops {
namespace {

using namespace std::chrono_literals;

// "se.slice : N" of /proc/thread-self/sched (nanoseconds), or -1 where the file has no such line.
long long proc_slice_ns() {
  std::ifstream in("/proc/thread-self/sched");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("se.slice", 0) != 0) continue;
    auto colon = line.find(':');
    if (colon != std::string::npos) return std::stoll(line.substr(colon + 1));
  }
  return -1;
}

TEST(ThreadSlice, ASliceIsGrantedWithTheNiceValueKeptOrNothingChanges) {
  std::thread t([] {
    const auto tid = static_cast<id_t>(syscall(SYS_gettid));
    ASSERT_EQ(setpriority(PRIO_PROCESS, tid, 3), 0);  // lowering one's own priority needs no privilege
    const auto before = current_time_slice();
    const bool granted = request_time_slice(250us);
    EXPECT_EQ(getpriority(PRIO_PROCESS, tid), 3) << "the nice value must survive";
    if (!granted) {
      EXPECT_EQ(current_time_slice(), before) << "a refused request changes nothing";
      GTEST_SKIP() << "this kernel has no per-thread time slices";
    }
    EXPECT_EQ(current_time_slice(), 250us);
    auto proc = proc_slice_ns();
    if (proc >= 0) {
      EXPECT_EQ(proc, 250000);  // what the scheduler itself uses
    }
    // A thread this one starts (as a worker starts a blocking pool on first use) keeps the default.
    std::chrono::microseconds child_slice{-1};
    std::thread([&] { child_slice = current_time_slice(); }).join();
    EXPECT_EQ(child_slice, before);
    // Below the kernel's floor: clamped to 0.1 ms, still granted.
    EXPECT_TRUE(request_time_slice(20us));
    EXPECT_EQ(current_time_slice(), 100us);
    EXPECT_EQ(getpriority(PRIO_PROCESS, tid), 3);
  });
  t.join();
}

}  // namespace
}  // namespace netops
