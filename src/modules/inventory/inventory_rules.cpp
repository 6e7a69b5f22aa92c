#include "modules/inventory/inventory_rules.hpp"

#include "core/error.hpp"

namespace netops::inventory {

const std::vector<Transition>& session_transitions() {
  static const std::vector<Transition> kTable = {
      {"draft", "start", "in_progress"},
      {"draft", "cancel", "canceled"},
      {"in_progress", "close", "closed"},
      {"in_progress", "cancel", "canceled"},
  };
  return kTable;
}

std::vector<std::string> allowed_session_actions(std::string_view from) {
  std::vector<std::string> out;
  for (auto& t : session_transitions())
    if (t.from == from) out.emplace_back(t.action);
  return out;
}

std::string next_session_status(std::string_view from, std::string_view action) {
  for (auto& t : session_transitions())
    if (t.from == from && t.action == action) return std::string(t.to);
  throw Conflict("cannot " + std::string(action) + " a session that is " + std::string(from),
                 {{"status", from}, {"action", action}, {"allowed", allowed_session_actions(from)}});
}

bool session_editable(std::string_view status) { return status == "draft" || status == "in_progress"; }

bool valid_item_status(std::string_view s) {
  for (auto* k : kItemStatuses)
    if (s == k) return true;
  return false;
}

std::string scan_result(bool expected, const std::optional<std::string>& expected_location,
                        const std::string& scanned_location) {
  return expected && expected_location && *expected_location == scanned_location ? "found" : "moved";
}

std::string_view event_type_of(std::string_view item_status) {
  if (item_status == "found") return "INVENTORY_FOUND";
  if (item_status == "moved") return "INVENTORY_MOVED";
  if (item_status == "missing") return "INVENTORY_MISSING";
  return "";
}

}  // namespace netops::inventory
