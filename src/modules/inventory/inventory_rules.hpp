#pragma once
// The pure rules of inventory sessions: the session state machine as data, and what a scan makes of an
// item. No I/O, so it is unit-tested directly (tests/unit/workflow_rules_test.cpp).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace netops::inventory {

// draft --start--> in_progress --close--> closed
//   \--cancel--> canceled <--cancel--/
struct Transition {
  std::string_view from, action, to;
};
const std::vector<Transition>& session_transitions();
// The state `action` leads to from `from`; 409 CONFLICT naming the allowed actions otherwise.
std::string next_session_status(std::string_view from, std::string_view action);
std::vector<std::string> allowed_session_actions(std::string_view from);
// Sessions whose items and name can still change (scans, edits): draft and in_progress.
bool session_editable(std::string_view status);

inline constexpr const char* kItemStatuses[] = {"found", "moved", "missing", "unknown"};
bool valid_item_status(std::string_view s);
// A scanned asset: found when it was expected in this session and scanned where expected, else moved.
std::string scan_result(bool expected, const std::optional<std::string>& expected_location,
                        const std::string& scanned_location);
// INVENTORY_FOUND / INVENTORY_MOVED / INVENTORY_MISSING for an asset item's status ("" for unknown).
std::string_view event_type_of(std::string_view item_status);

}  // namespace netops::inventory
