#pragma once
// The pure rules of workflow requests: the request state machine as data, the payload each request type
// needs (validated at submit time with the assets module's own body parsers, so an assign request carries
// exactly what POST /api/v1/assets/{id}/assign takes), and the four-eyes rule. No I/O: unit-tested.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/caller.hpp"
#include "modules/assets/types.hpp"

namespace netops::workflow {

inline constexpr const char* kTypes[] = {"assign", "return", "move", "repair", "dispose"};
inline constexpr const char* kStatuses[] = {"submitted", "approved", "rejected", "in_progress", "done", "canceled"};
bool valid_type(std::string_view t);
bool valid_status(std::string_view s);

struct Transition {
  std::string_view from, action, to;
};
// submitted --approve--> approved --execute--> in_progress --complete--> done
//     |--reject--> rejected             ^----------fail-----------/
//     \--cancel--> canceled <--cancel-- approved
const std::vector<Transition>& transitions();
// The state `action` leads to from `from`; 409 CONFLICT naming the allowed actions otherwise.
std::string next_status(std::string_view from, std::string_view action);
// The actions a client may ask for in `from` (approve, reject, cancel, execute).
std::vector<std::string> allowed_actions(std::string_view from);

// The payload a request type needs, normalised; every problem at once as 400 with fields "payload.<name>".
// Keys written by the workflow itself (rejectionReason, lastError) are not accepted from clients.
nlohmann::json validate_payload(std::string_view type, const nlohmann::json& payload);

// The typed input of the effect, read back from a stored payload (the workflow's own keys ignored).
struct Effect {
  std::string type;
  assets::NewAssignment assignment;  // assign
  assets::MoveInput move;            // move
  assets::StatusChange status;       // repair (in_repair), dispose (disposed)
  std::optional<std::string> note;   // return
};
Effect effect_of(std::string_view type, const nlohmann::json& payload);

// Four eyes: the requester never decides their own request, unless super_admin.
bool may_decide(const std::optional<std::string>& requested_by, const Caller& who);

}  // namespace netops::workflow
