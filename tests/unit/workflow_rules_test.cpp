// The transition tables of inventory sessions and workflow requests, the payload each request type needs,
// and the four-eyes rule: pure functions, no server.
#include <gtest/gtest.h>

#include "core/error.hpp"
#include "modules/inventory/inventory_rules.hpp"
#include "modules/workflow/workflow_rules.hpp"

using namespace netops;
using nlohmann::json;

namespace {
int status_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const AppError& e) {
    return e.status();
  }
  return 0;
}
std::vector<std::string> fields_of(const std::function<void()>& f) {
  std::vector<std::string> out;
  try {
    f();
  } catch (const AppError& e) {
    for (auto& err : e.details()["errors"]) out.push_back(err["field"]);
  }
  return out;
}
}  // namespace

TEST(InventoryRules, SessionTransitions) {
  EXPECT_EQ(inventory::next_session_status("draft", "start"), "in_progress");
  EXPECT_EQ(inventory::next_session_status("draft", "cancel"), "canceled");
  EXPECT_EQ(inventory::next_session_status("in_progress", "close"), "closed");
  EXPECT_EQ(inventory::next_session_status("in_progress", "cancel"), "canceled");
  EXPECT_EQ(status_of([] { inventory::next_session_status("draft", "close"); }), 409);
  EXPECT_EQ(status_of([] { inventory::next_session_status("closed", "cancel"); }), 409);
  EXPECT_EQ(status_of([] { inventory::next_session_status("canceled", "start"); }), 409);
  EXPECT_TRUE(inventory::allowed_session_actions("closed").empty());
  EXPECT_EQ(inventory::allowed_session_actions("in_progress"), (std::vector<std::string>{"close", "cancel"}));
  try {
    inventory::next_session_status("in_progress", "start");
    FAIL();
  } catch (const AppError& e) {
    EXPECT_EQ(e.details()["allowed"], json({"close", "cancel"}));
  }
  EXPECT_TRUE(inventory::session_editable("draft"));
  EXPECT_TRUE(inventory::session_editable("in_progress"));
  EXPECT_FALSE(inventory::session_editable("closed"));
  EXPECT_FALSE(inventory::session_editable("canceled"));
}

TEST(InventoryRules, ScanResultsAndEvents) {
  std::optional<std::string> room = "room";
  EXPECT_EQ(inventory::scan_result(true, room, "room"), "found");
  EXPECT_EQ(inventory::scan_result(true, room, "floor"), "moved");
  EXPECT_EQ(inventory::scan_result(false, room, "room"), "moved");  // not expected in the session
  EXPECT_EQ(inventory::scan_result(true, std::nullopt, "room"), "moved");
  EXPECT_EQ(inventory::event_type_of("found"), "INVENTORY_FOUND");
  EXPECT_EQ(inventory::event_type_of("moved"), "INVENTORY_MOVED");
  EXPECT_EQ(inventory::event_type_of("missing"), "INVENTORY_MISSING");
  EXPECT_EQ(inventory::event_type_of("unknown"), "");
  EXPECT_TRUE(inventory::valid_item_status("unknown"));
  EXPECT_FALSE(inventory::valid_item_status("lost"));
}

TEST(WorkflowRules, RequestTransitions) {
  using workflow::next_status;
  EXPECT_EQ(next_status("submitted", "approve"), "approved");
  EXPECT_EQ(next_status("submitted", "reject"), "rejected");
  EXPECT_EQ(next_status("submitted", "cancel"), "canceled");
  EXPECT_EQ(next_status("approved", "cancel"), "canceled");
  EXPECT_EQ(next_status("approved", "execute"), "in_progress");
  EXPECT_EQ(next_status("in_progress", "complete"), "done");
  EXPECT_EQ(next_status("in_progress", "fail"), "approved");
  for (auto* final_state : {"rejected", "canceled", "done"}) {
    EXPECT_TRUE(workflow::allowed_actions(final_state).empty()) << final_state;
    for (auto* action : {"approve", "reject", "cancel", "execute"})
      EXPECT_EQ(status_of([&] { next_status(final_state, action); }), 409) << final_state << " " << action;
  }
  EXPECT_EQ(status_of([] { next_status("approved", "approve"); }), 409);
  EXPECT_EQ(status_of([] { next_status("submitted", "execute"); }), 409);
  EXPECT_EQ(workflow::allowed_actions("submitted"), (std::vector<std::string>{"approve", "reject", "cancel"}));
  EXPECT_EQ(workflow::allowed_actions("approved"), (std::vector<std::string>{"cancel", "execute"}));
  EXPECT_TRUE(workflow::allowed_actions("in_progress").empty());
}

TEST(WorkflowRules, PayloadsAreValidatedPerType) {
  using workflow::validate_payload;
  EXPECT_EQ(fields_of([] { validate_payload("move", json::object()); }), std::vector<std::string>{"payload.locationId"});
  EXPECT_EQ(fields_of([] { validate_payload("move", {{"locationId", "x"}}); }),
            std::vector<std::string>{"payload.locationId"});
  auto move = validate_payload("move", {{"locationId", "0F000000-0000-4000-8000-000000000000"}, {"note", "n"}});
  EXPECT_EQ(move, json({{"locationId", "0f000000-0000-4000-8000-000000000000"}, {"note", "n"}}));
  EXPECT_EQ(fields_of([] { validate_payload("assign", json::object()); }),
            (std::vector<std::string>{"payload.assigneeType", "payload.assigneeId", "payload.assigneeName"}));
  auto assign = validate_payload("assign", {{"assigneeType", "person"}, {"assigneeId", "1"}, {"assigneeName", "A"}});
  EXPECT_EQ(assign["assigneeName"], "A");
  EXPECT_EQ(validate_payload("repair", nullptr), json::object());
  EXPECT_EQ(validate_payload("dispose", {{"note", "scrap"}}), json({{"note", "scrap"}}));
  EXPECT_EQ(fields_of([] { validate_payload("return", {{"locationId", "x"}}); }),
            std::vector<std::string>{"payload.locationId"});
  EXPECT_EQ(fields_of([] { validate_payload("repair", {{"lastError", "x"}}); }),
            std::vector<std::string>{"payload.lastError"});
  EXPECT_EQ(fields_of([] { validate_payload("repair", json::array()); }), std::vector<std::string>{"payload"});
}

TEST(WorkflowRules, EffectsReadBackTheStoredPayload) {
  json stored = {{"assigneeType", "person"}, {"assigneeId", "1"}, {"assigneeName", "A"},
                 {"lastError", {{"status", 409}}}, {"approvalNote", "ok"}};
  auto e = workflow::effect_of("assign", stored);
  EXPECT_EQ(e.assignment.assignee_name, "A");
  EXPECT_EQ(workflow::effect_of("repair", json::object()).status.to, "in_repair");
  EXPECT_EQ(workflow::effect_of("dispose", {{"note", "x"}}).status.to, "disposed");
  EXPECT_EQ(workflow::effect_of("dispose", {{"note", "x"}}).status.note, "x");
}

TEST(WorkflowRules, FourEyes) {
  Caller admin;
  admin.user_id = "a";
  admin.role = Role::admin;
  EXPECT_FALSE(workflow::may_decide(std::string("a"), admin));
  EXPECT_TRUE(workflow::may_decide(std::string("b"), admin));
  EXPECT_TRUE(workflow::may_decide(std::nullopt, admin));
  Caller super = admin;
  super.role = Role::super_admin;
  EXPECT_TRUE(workflow::may_decide(std::string("a"), super));
}
