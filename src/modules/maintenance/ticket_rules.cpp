#include "modules/maintenance/ticket_rules.hpp"

#include <array>
#include <utility>

#include "core/error.hpp"

namespace netops::maintenance {

namespace {
constexpr std::array<std::string_view, 4> kStatuses = {"open", "in_progress", "closed", "canceled"};
constexpr std::array<std::string_view, 4> kSeverities = {"low", "medium", "high", "critical"};
// The transition table (SPEC §4.5): from → to.
constexpr std::array<std::pair<std::string_view, std::string_view>, 4> kTransitions = {{
    {"open", "in_progress"},
    {"open", "canceled"},
    {"in_progress", "closed"},
    {"in_progress", "canceled"},
}};
}  // namespace

bool valid_ticket_status(std::string_view s) {
  for (auto x : kStatuses)
    if (x == s) return true;
  return false;
}

bool valid_severity(std::string_view s) {
  for (auto x : kSeverities)
    if (x == s) return true;
  return false;
}

std::vector<std::string> ticket_next(std::string_view from) {
  std::vector<std::string> out;
  for (auto& [f, t] : kTransitions)
    if (f == from) out.emplace_back(t);
  return out;
}

bool ticket_transition_allowed(std::string_view from, std::string_view to) {
  for (auto& [f, t] : kTransitions)
    if (f == from && t == to) return true;
  return false;
}

void check_ticket_transition(std::string_view from, std::string_view to) {
  if (ticket_transition_allowed(from, to)) return;
  throw Conflict("a " + std::string(from) + " ticket cannot become " + std::string(to),
                 {{"from", std::string(from)}, {"to", std::string(to)}, {"allowed", ticket_next(from)}});
}

bool ticket_final(std::string_view status) { return status == "closed" || status == "canceled"; }

}  // namespace netops::maintenance
