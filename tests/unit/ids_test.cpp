// Random ids (canonical v4 UUIDs, never repeated, different on every thread), time-ordered v7 ones and UTC calendar dates.
#include <gtest/gtest.h>

#include <chrono>
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

// Version 7: canonical, unique, the creation time (Unix milliseconds) in the first 48 bits, so ids made in a
// later millisecond sort after earlier ones (the text order is the time order).
TEST(Ids, Version7IdsCarryTheirMillisecondAndSortByIt) {
  auto now_ms = [] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
  };
  auto ms_of = [](const std::string& id) {
    std::string hex = id.substr(0, 8) + id.substr(9, 4);
    return static_cast<long long>(std::stoull(hex, nullptr, 16));
  };
  std::set<std::string> seen;
  std::string previous;
  for (int i = 0; i < 20000; ++i) {
    long long before = now_ms();
    auto id = new_uuid_v7();
    long long after = now_ms();
    ASSERT_TRUE(is_uuid(id)) << id;
    EXPECT_EQ(id[14], '7') << id;
    EXPECT_NE(std::string("89ab").find(id[19]), std::string::npos) << id;
    EXPECT_GE(ms_of(id), before) << id;
    EXPECT_LE(ms_of(id), after) << id;
    if (!previous.empty() && ms_of(id) > ms_of(previous)) {
      EXPECT_LT(previous, id);
    }
    EXPECT_TRUE(seen.insert(id).second) << "repeated: " << id;
    previous = id;
  }
  while (now_ms() <= ms_of(previous)) {
  }  // the next millisecond (the clock's, not a sleep's)
  auto later = new_uuid_v7();
  EXPECT_GT(ms_of(later), ms_of(previous));
  EXPECT_LT(previous, later);
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
  using std::chrono::year;
  EXPECT_EQ(iso_date(std::chrono::sys_days(year(999) / 1 / 9)), "0999-01-09");
  EXPECT_EQ(iso_date(std::chrono::sys_days(year(10000) / 10 / 31)), "10000-10-31");
  EXPECT_EQ(iso_date(std::chrono::sys_days(year(1970) / 1 / 1)), "1970-01-01");
}

TEST(Ids, Sha256HexMatchesTheStandardVectors) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}
