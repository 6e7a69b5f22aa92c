#include "modules/assets/asset_body.hpp"

#include "core/ids.hpp"

#include "modules/assets/asset_rules.hpp"

namespace netops::assets {

namespace {

// Keys of the read representations (detail and list rows) that a client may send back unchanged in a
// PUT; they are not writable and are ignored rather than refused.
bool read_only_key(const std::string& k) {
  static const char* kKeys[] = {"id", "createdAt", "updatedAt", "modelName", "modelBrand", "categoryId",
                                "categoryName", "locationName", "vendorName", "model", "category", "vendor",
                                "location", "openAssignment", "recentEvents", "allowedStatuses"};
  for (auto* key : kKeys)
    if (k == key) return true;
  return false;
}

}  // namespace

std::optional<std::string> note_of(const nlohmann::json& body, Validation& v) {
  auto it = body.find("note");
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_string()) {
    v.add("note", "must be a string");
    return std::nullopt;
  }
  auto checked = check_value(*column_by_api("notes"), it->get<std::string>());
  if (!checked.ok()) v.add("note", checked.error);
  return checked.value;
}

std::string required_string(const nlohmann::json& body, const char* field, std::size_t max_len, Validation& v) {
  auto it = body.find(field);
  if (it == body.end() || !it->is_string() || it->get<std::string>().empty()) {
    v.add(field, "is required (a non-empty string)");
    return {};
  }
  auto s = it->get<std::string>();
  if (s.size() > max_len) v.add(field, "must be at most " + std::to_string(max_len) + " bytes");
  return s;
}

Values values_from_json(const nlohmann::json& body, bool create, Validation& v) {
  Values out;
  for (auto& [k, val] : body.items()) {
    const Column* c = column_by_api(k);
    if (!c) {
      if (!read_only_key(k)) v.add(k, "unknown field");
      continue;
    }
    if (val.is_null()) {
      if (c->kind == Kind::code || c->kind == Kind::status) v.add(k, "must not be null");
      else out[std::string(c->sql)] = std::nullopt;
      continue;
    }
    std::string text;
    if (c->kind == Kind::vlan) {
      if (!val.is_number_integer()) {
        v.add(k, "must be an integer from 1 to 4094");
        continue;
      }
      text = std::to_string(val.get<long long>());
    } else if (!val.is_string()) {
      v.add(k, "must be a string");
      continue;
    } else {
      text = val.get<std::string>();
    }
    // An empty optional field clears it (the CSV import reads empty cells the same way).
    bool blank = c->kind == Kind::note ? text.empty() : text.find_first_not_of(" \t\r\n") == std::string::npos;
    if (blank && c->kind != Kind::code && c->kind != Kind::status) {
      out[std::string(c->sql)] = std::nullopt;
      continue;
    }
    auto checked = check_value(*c, text);
    if (!checked.ok()) v.add(k, checked.error);
    else out[std::string(c->sql)] = checked.value;
  }
  if (create && !body.contains("assetCode")) v.add("assetCode", "is required");
  return out;
}

void check_dates(const Values& merged, Validation& v) {
  auto p = merged.find("purchase_date"), w = merged.find("warranty_end");
  if (p == merged.end() || w == merged.end() || !p->second || !w->second) return;
  if (*w->second < *p->second) v.add("warrantyEnd", "must not be before purchaseDate");  // ISO dates sort as text
}

Values parse_new_asset(const nlohmann::json& body) {
  Validation v;
  auto values = values_from_json(body, true, v);
  check_dates(values, v);
  v.throw_if_any();
  return values;
}

Values parse_asset_patch(const nlohmann::json& body) {
  Validation v;
  auto patch = values_from_json(body, false, v);
  v.throw_if_any();
  return patch;
}

StatusChange parse_status_change(const nlohmann::json& body) {
  Validation v;
  StatusChange c;
  c.to = required_string(body, "status", 20, v);
  if (!c.to.empty() && !valid_status(c.to))
    v.add("status", "must be one of in_stock, in_use, in_repair, retired, disposed, lost");
  c.note = note_of(body, v);
  v.throw_if_any();
  return c;
}

NewAssignment parse_assignment(const nlohmann::json& body) {
  Validation v;
  NewAssignment a;
  a.assignee_type = required_string(body, "assigneeType", 20, v);
  if (!a.assignee_type.empty() && a.assignee_type != "person" && a.assignee_type != "department" &&
      a.assignee_type != "system")
    v.add("assigneeType", "must be person, department or system");
  a.assignee_id = required_string(body, "assigneeId", 255, v);
  a.assignee_name = required_string(body, "assigneeName", 255, v);
  a.note = note_of(body, v);
  v.throw_if_any();
  return a;
}

std::optional<std::string> parse_return(const nlohmann::json& body) {
  Validation v;
  auto note = note_of(body, v);
  v.throw_if_any();
  return note;
}

MoveInput parse_move(const nlohmann::json& body) {
  Validation v;
  MoveInput m;
  m.location_id = required_string(body, "locationId", 36, v);
  if (!m.location_id.empty() && !is_uuid(m.location_id)) v.add("locationId", "must be a UUID");
  m.note = note_of(body, v);
  v.throw_if_any();
  for (auto& c : m.location_id) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return m;
}

}  // namespace netops::assets
