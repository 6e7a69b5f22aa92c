#include "modules/workflow/workflow_rules.hpp"

#include <algorithm>
#include <set>

#include "core/error.hpp"
#include "modules/assets/asset_body.hpp"

namespace netops::workflow {

namespace {
constexpr const char* kWorkflowKeys[] = {"rejectionReason", "lastError", "rejectedBy", "canceledBy", "cancelReason",
                                         "approvalNote", "result"};

const std::set<std::string>& allowed_keys(std::string_view type) {
  static const std::set<std::string> kAssign = {"assigneeType", "assigneeId", "assigneeName", "note"};
  static const std::set<std::string> kMove = {"locationId", "note"};
  static const std::set<std::string> kNote = {"note"};
  if (type == "assign") return kAssign;
  if (type == "move") return kMove;
  return kNote;
}

bool workflow_key(const std::string& k) {
  for (auto* w : kWorkflowKeys)
    if (k == w) return true;
  return false;
}

// The client's part of a stored payload.
nlohmann::json client_part(const nlohmann::json& payload) {
  nlohmann::json out = nlohmann::json::object();
  if (!payload.is_object()) return out;
  for (auto& [k, v] : payload.items())
    if (!workflow_key(k)) out[k] = v;
  return out;
}
}  // namespace

bool valid_type(std::string_view t) {
  return std::any_of(std::begin(kTypes), std::end(kTypes), [&](const char* k) { return t == k; });
}
bool valid_status(std::string_view s) {
  return std::any_of(std::begin(kStatuses), std::end(kStatuses), [&](const char* k) { return s == k; });
}

const std::vector<Transition>& transitions() {
  static const std::vector<Transition> kTable = {
      {"submitted", "approve", "approved"},   {"submitted", "reject", "rejected"},
      {"submitted", "cancel", "canceled"},    {"approved", "cancel", "canceled"},
      {"approved", "execute", "in_progress"}, {"in_progress", "complete", "done"},
      {"in_progress", "fail", "approved"},
  };
  return kTable;
}

std::vector<std::string> allowed_actions(std::string_view from) {
  std::vector<std::string> out;
  for (auto& t : transitions())
    if (t.from == from && t.action != "complete" && t.action != "fail") out.emplace_back(t.action);
  return out;
}

std::string next_status(std::string_view from, std::string_view action) {
  for (auto& t : transitions())
    if (t.from == from && t.action == action) return std::string(t.to);
  throw Conflict("cannot " + std::string(action) + " a request that is " + std::string(from),
                 {{"status", from}, {"action", action}, {"allowed", allowed_actions(from)}});
}

nlohmann::json validate_payload(std::string_view type, const nlohmann::json& payload_in) {
  Validation v;
  nlohmann::json payload = payload_in.is_null() ? nlohmann::json::object() : payload_in;
  if (!payload.is_object()) {
    v.add("payload", "must be an object");
    v.throw_if_any();
  }
  auto& keys = allowed_keys(type);
  for (auto& [k, val] : payload.items())
    if (!keys.count(k)) v.add("payload." + k, "is not a field of a " + std::string(type) + " request");
  nlohmann::json out = nlohmann::json::object();
  try {
    if (type == "assign") {
      auto a = assets::parse_assignment(payload);
      out = {{"assigneeType", a.assignee_type}, {"assigneeId", a.assignee_id}, {"assigneeName", a.assignee_name}};
      if (a.note) out["note"] = *a.note;
    } else if (type == "move") {
      auto m = assets::parse_move(payload);
      out = {{"locationId", m.location_id}};
      if (m.note) out["note"] = *m.note;
    } else {
      auto note = assets::parse_return(payload);  // just the optional note
      if (note) out["note"] = *note;
    }
  } catch (const AppError& e) {
    if (e.code() != ErrorCode::validation) throw;
    for (auto& err : e.details().value("errors", nlohmann::json::array()))
      v.add("payload." + err.value("field", std::string()), err.value("issue", std::string()));
  }
  v.throw_if_any();
  return out;
}

Effect effect_of(std::string_view type, const nlohmann::json& payload) {
  auto p = client_part(payload);
  Effect e;
  e.type = type;
  if (type == "assign") e.assignment = assets::parse_assignment(p);
  else if (type == "move") e.move = assets::parse_move(p);
  else {
    e.note = assets::parse_return(p);
    if (type == "repair") e.status = assets::StatusChange{"in_repair", e.note};
    if (type == "dispose") e.status = assets::StatusChange{"disposed", e.note};
  }
  return e;
}

bool may_decide(const std::optional<std::string>& requested_by, const Caller& who) {
  if (who.role == Role::super_admin) return true;
  return !requested_by || *requested_by != who.user_id;
}

}  // namespace netops::workflow
