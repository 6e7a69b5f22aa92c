// The pure part of posting: effects of each document type, their lock order, shortfalls and reversals;
// and the warehouse body parsers.
#include <gtest/gtest.h>

#include <set>

#include "core/error.hpp"
#include "modules/warehouse/stock_math.hpp"
#include "modules/warehouse/warehouse_body.hpp"

using namespace netops::warehouse;

namespace {
DocLine l(const std::string& part, int qty, std::optional<std::string> dir = std::nullopt,
          std::optional<std::string> cost = std::nullopt) {
  DocLine d;
  d.part_id = part;
  d.qty = qty;
  d.adjust_direction = dir;
  d.unit_cost = cost;
  return d;
}
}  // namespace

TEST(WarehouseMath, EffectsOfEachDocumentType) {
  auto r = effects_of("receipt", "d", "w1", std::nullopt, {l("p", 5, std::nullopt, "2.50")});
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].movement_type, "in");
  EXPECT_EQ(r[0].sign, 1);
  EXPECT_EQ(r[0].cost, "2.50");
  auto i = effects_of("issue", "d", "w1", std::nullopt, {l("p", 5)});
  EXPECT_EQ(i[0].movement_type, "out");
  EXPECT_EQ(i[0].sign, -1);
  EXPECT_FALSE(i[0].cost);
  auto a = effects_of("adjust", "d", "w1", std::nullopt, {l("p", 1, "plus"), l("q", 2, "minus")});
  EXPECT_EQ(a[0].movement_type, "adjust_in");
  EXPECT_EQ(a[1].movement_type, "adjust_out");
  EXPECT_EQ(a[1].sign, -1);
  auto t = effects_of("transfer", "d", "w1", std::string("w2"), {l("p", 3)});
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[0].movement_type, "transfer_out");
  EXPECT_EQ(t[0].warehouse_id, "w1");
  EXPECT_EQ(t[1].movement_type, "transfer_in");
  EXPECT_EQ(t[1].warehouse_id, "w2");
  EXPECT_TRUE(t[1].cost_from_previous);
}

TEST(WarehouseMath, KeysAreDistinctAndInLockOrder) {
  auto e = effects_of("transfer", "d", "b", std::string("a"), {l("z", 1), l("c", 1), l("z", 2)});
  auto keys = keys_of(e);
  std::vector<StockKey> want = {{"a", "c"}, {"a", "z"}, {"b", "c"}, {"b", "z"}};
  EXPECT_EQ(keys, want);
}

TEST(WarehouseMath, ShortfallsCountReservedAndEarlierLines) {
  std::map<StockKey, StockState> s = {{{"w", "p"}, {10, 4, "1"}}};
  EXPECT_TRUE(shortfalls(s, effects_of("issue", "d", "w", std::nullopt, {l("p", 6)})).empty());
  auto two = shortfalls(s, effects_of("issue", "d", "w", std::nullopt, {l("p", 4), l("p", 3)}));
  ASSERT_EQ(two.size(), 1u);
  EXPECT_EQ(two[0].available, 2);
  EXPECT_EQ(two[0].requested, 3);
  auto never = shortfalls({}, effects_of("issue", "d", "w", std::nullopt, {l("x", 1)}));
  ASSERT_EQ(never.size(), 1u);
  EXPECT_EQ(never[0].available, 0);
  // A release first (a repair order consuming its own reservation) frees what it held.
  Effect release;
  release.warehouse_id = "w";
  release.part_id = "p";
  release.movement_type = "release";
  release.qty = 4;
  release.reserved_delta = -4;
  auto effects = effects_of("issue", "d", "w", std::nullopt, {l("p", 10)});
  effects.insert(effects.begin(), release);
  EXPECT_TRUE(shortfalls(s, effects).empty());
}

TEST(WarehouseMath, ReversalUndoesNewestFirstAtTheCostMoved) {
  std::vector<Effect> moved(2);
  moved[0].movement_type = "transfer_out";
  moved[0].warehouse_id = "a";
  moved[0].qty = 3;
  moved[0].cost = "6.5000";
  moved[1].movement_type = "transfer_in";
  moved[1].warehouse_id = "b";
  moved[1].qty = 3;
  moved[1].cost = "6.5000";
  auto r = reversal_of(moved, "rev");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].movement_type, "transfer_out");
  EXPECT_EQ(r[0].warehouse_id, "b");
  EXPECT_EQ(r[0].sign, -1);
  EXPECT_EQ(r[0].cost, "6.5000");
  EXPECT_EQ(r[1].movement_type, "transfer_in");
  EXPECT_EQ(r[1].warehouse_id, "a");
  EXPECT_EQ(r[1].sign, 1);
  EXPECT_EQ(r[1].ref_id, "rev");
}

TEST(WarehouseBody, DocumentsNameEveryBadField) {
  try {
    parse_document({{"docType", "sale"}, {"lines", {{{"qty", 0}}, {{"partId", "x"}, {"qty", 1}, {"unitCost", -1}}}}},
                   true);
    FAIL();
  } catch (const netops::AppError& e) {
    std::set<std::string> fields;
    for (auto& err : e.details()["errors"]) fields.insert(err["field"]);
    EXPECT_EQ(fields, (std::set<std::string>{"docType", "warehouseId", "lines[0].partId", "lines[0].qty",
                                             "lines[1].partId", "lines[1].unitCost"}));
  }
  EXPECT_EQ(parse_amount(nlohmann::json(12.5)), "12.5");
  EXPECT_EQ(parse_amount(nlohmann::json("7.00")), "7.00");
  EXPECT_FALSE(parse_amount(nlohmann::json("1.234")));
  EXPECT_FALSE(parse_amount(nlohmann::json("-1")));
  EXPECT_FALSE(parse_amount(nlohmann::json(1e20)));
}
