// core/allocator: what start-up freed is given back through the allocator-specific release the process
// registered (the server registers mimalloc's), once per call, and nothing breaks without one.
#include <gtest/gtest.h>

#include "core/allocator.hpp"

namespace netops {
namespace {

int g_calls = 0;

TEST(Allocator, StartupMemoryReleaseRunsTheRegisteredRelease) {
  release_startup_memory();  // none registered: glibc's trim only
  set_startup_memory_release([] { ++g_calls; });
  release_startup_memory();
  EXPECT_EQ(g_calls, 1);
  set_startup_memory_release(nullptr);
  release_startup_memory();
  EXPECT_EQ(g_calls, 1);
}

}  // namespace
}  // namespace netops
