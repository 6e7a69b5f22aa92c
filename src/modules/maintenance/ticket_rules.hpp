#pragma once
// The pure rules of maintenance tickets: the state machine as data and the severities. No I/O.
#include <string>
#include <string_view>
#include <vector>

namespace netops::maintenance {

bool valid_ticket_status(std::string_view s);
bool valid_severity(std::string_view s);
// The states a ticket may move to from `from` (open → in_progress | canceled, in_progress → closed |
// canceled); empty for closed and canceled.
std::vector<std::string> ticket_next(std::string_view from);
bool ticket_transition_allowed(std::string_view from, std::string_view to);
// 409 CONFLICT with details {from, to, allowed} unless from → to is in the table.
void check_ticket_transition(std::string_view from, std::string_view to);
// closed and canceled: the ticket no longer holds its asset in repair.
bool ticket_final(std::string_view status);

}  // namespace netops::maintenance
