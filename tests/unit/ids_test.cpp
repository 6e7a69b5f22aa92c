// Random ids: canonical v4 UUIDs, never repeated, different on every thread.
#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "core/ids.hpp"

using namespace netops;

TEST(Ids, UuidsAreCanonicalVersion4AndUnique) {
  std::set<std::string> seen;
  for (int i = 0; i < 20000; ++i) {
    auto id = new_uuid();
    ASSERT_TRUE(is_uuid(id)) << id;
    EXPECT_EQ(id[14], '4') << id;                                    // version
    EXPECT_NE(std::string("89ab").find(id[19]), std::string::npos);  // variant
    EXPECT_TRUE(seen.insert(id).second) << "repeated: " << id;
  }
}

TEST(Ids, EveryThreadHasItsOwnStream) {
  std::string a, b;
  std::thread t1([&] { a = new_uuid(); });
  std::thread t2([&] { b = new_uuid(); });
  t1.join();
  t2.join();
  EXPECT_NE(a, b);
  EXPECT_NE(a, new_uuid());
}
