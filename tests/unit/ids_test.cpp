// Random ids (canonical v4 UUIDs, never repeated, different on every thread) and UTC calendar dates.
#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "core/dates.hpp"
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

TEST(Dates, IsoDatesRoundTripAndRefuseWhatIsNotACalendarDate) {
  auto d = parse_iso_date("2024-02-29");
  ASSERT_TRUE(d);
  EXPECT_EQ(iso_date(*d), "2024-02-29");
  for (const char* bad : {"2023-02-29", "2024-13-01", "2024-00-10", "2024-1-01", "2024-01-01T00", "abcd-ef-gh", ""})
    EXPECT_FALSE(parse_iso_date(bad)) << bad;
  EXPECT_EQ(utc_date(std::chrono::sys_days(std::chrono::year(2026) / 12 / 2) + std::chrono::hours(23)), "2026-12-02");
}
