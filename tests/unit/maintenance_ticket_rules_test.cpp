// Pure rules of maintenance tickets: the transition table, severities, body parsing.
#include <gtest/gtest.h>

#include "core/error.hpp"
#include "modules/maintenance/ticket_body.hpp"
#include "modules/maintenance/ticket_rules.hpp"

using namespace netops;
using namespace netops::maintenance;

TEST(TicketTransitions, TheTable) {
  EXPECT_EQ(ticket_next("open"), (std::vector<std::string>{"in_progress", "canceled"}));
  EXPECT_EQ(ticket_next("in_progress"), (std::vector<std::string>{"closed", "canceled"}));
  EXPECT_TRUE(ticket_next("closed").empty());
  EXPECT_TRUE(ticket_next("canceled").empty());
  EXPECT_FALSE(ticket_transition_allowed("open", "closed"));
  EXPECT_FALSE(ticket_transition_allowed("in_progress", "open"));
  EXPECT_FALSE(ticket_transition_allowed("open", "open"));
  EXPECT_TRUE(ticket_final("closed"));
  EXPECT_TRUE(ticket_final("canceled"));
  EXPECT_FALSE(ticket_final("in_progress"));
}

TEST(TicketTransitions, RefusalIs409WithTheAllowedStates) {
  try {
    check_ticket_transition("open", "closed");
    FAIL() << "no error";
  } catch (const AppError& e) {
    EXPECT_EQ(e.status(), 409);
    EXPECT_EQ(e.details()["allowed"], nlohmann::json({"in_progress", "canceled"}));
  }
  EXPECT_NO_THROW(check_ticket_transition("in_progress", "closed"));
}

TEST(TicketBody, NewTicketNeedsAssetTitleAndSeverity) {
  try {
    parse_new_ticket(nlohmann::json::object());
    FAIL() << "no error";
  } catch (const AppError& e) {
    EXPECT_EQ(e.status(), 400);
    auto d = e.details().dump();
    for (auto* f : {"assetId", "title", "severity"}) EXPECT_NE(d.find(f), std::string::npos) << f;
  }
  auto t = parse_new_ticket({{"assetId", "AAAAAAAA-AAAA-4AAA-8AAA-AAAAAAAAAAAA"}, {"title", "t"}, {"severity", "low"}});
  EXPECT_EQ(t.asset_id, "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa");
  EXPECT_THROW(parse_new_ticket({{"assetId", "x"}, {"title", "t"}, {"severity", "low"}}), AppError);
  EXPECT_THROW(parse_new_ticket({{"assetId", nullptr}, {"title", "t"}, {"severity", "low"}}), AppError);
}

TEST(TicketBody, PatchKeepsAbsentFieldsAndClearsNull) {
  auto p = parse_ticket_patch({{"diagnosis", nullptr}, {"resolution", "done"}});
  ASSERT_TRUE(p.diagnosis.has_value());
  EXPECT_FALSE(p.diagnosis->has_value());
  EXPECT_EQ(**p.resolution, "done");
  EXPECT_FALSE(p.title.has_value());
  EXPECT_TRUE(parse_ticket_patch(nlohmann::json::object()).empty());
  EXPECT_THROW(parse_ticket_patch({{"severity", nullptr}}), AppError);
  EXPECT_THROW(parse_ticket_patch({{"status", "closed"}, {"bogus", 1}}), AppError);
  EXPECT_NO_THROW(parse_ticket_patch({{"status", "closed"}}));  // read-only fields of the representation are ignored
}

TEST(TicketBody, TimeBounds) {
  EXPECT_TRUE(parse_time_bound("2026-02-28"));
  EXPECT_FALSE(parse_time_bound("2026-02-30"));
  EXPECT_TRUE(parse_time_bound("2026-02-28T10:00:00Z"));
  EXPECT_TRUE(parse_time_bound("2026-02-28T10:00:00.123+02:00"));
  EXPECT_FALSE(parse_time_bound("2026-02-28T25:00:00Z"));
  EXPECT_FALSE(parse_time_bound("yesterday"));
}
