// Regression tests for what the CSV import fuzz target (tests/fuzz/csv_import_fuzz.cpp) found.
// The input is also in the target's corpus (tests/fuzz/corpus/csv_import/crash-*).
#include <gtest/gtest.h>

#include "core/csv.hpp"

using namespace netops;

// A first field that itself starts with a byte order mark (a file with two BOMs: the reader drops one) was
// written unquoted, so reading the written file dropped the second BOM as well: the value changed.
TEST(CsvFuzzRegression, ValueStartingWithBomSurvivesARoundTrip) {
  auto records = csv::parse("\xEF\xBB\xBF\xEF\xBB\xBF" "assetCode,status\r\nA,in_use\r\n");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0][0], "\xEF\xBB\xBF" "assetCode");
  std::string written;
  for (auto& r : records) csv::append_record(written, r);
  EXPECT_EQ(csv::parse(written), records);
  EXPECT_EQ(csv::format_record({"\xEF\xBB\xBFx", "y"}), "\"\xEF\xBB\xBFx\",y\r\n");
}
