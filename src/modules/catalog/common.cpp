#include "modules/catalog/common.hpp"

#include <algorithm>

#include "core/ids.hpp"

namespace netops::catalog {

ColumnValues read_text_fields(const nlohmann::json& body, const std::vector<TextField>& fields, bool creating,
                              Validation& v, const std::vector<std::string>& also_known) {
  ColumnValues out;
  for (auto& f : fields) {
    auto it = body.find(f.api);
    if (it == body.end()) {
      if (creating && f.required) v.add(f.api, "is required");
      continue;
    }
    if (it->is_null()) {
      if (f.required) v.add(f.api, "must not be null");
      else out.emplace_back(f.column, std::nullopt);
      continue;
    }
    if (!it->is_string()) {
      v.add(f.api, "must be a string");
      continue;
    }
    auto s = it->get<std::string>();
    auto blank = std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c); });
    if (f.required && blank) v.add(f.api, "must not be blank");
    else if (s.size() > f.max_len) v.add(f.api, "at most " + std::to_string(f.max_len) + " characters");
    else out.emplace_back(f.column, blank ? std::optional<std::string>() : std::optional<std::string>(s));
  }
  for (auto& [k, _] : body.items()) {
    bool known = std::any_of(fields.begin(), fields.end(), [&](const TextField& f) { return k == f.api; }) ||
                 std::find(also_known.begin(), also_known.end(), k) != also_known.end();
    if (!known) v.add(k, "unknown field");
  }
  return out;
}

std::optional<std::optional<std::string>> read_uuid(const nlohmann::json& body, const char* field, Validation& v) {
  auto it = body.find(field);
  if (it == body.end()) return std::nullopt;
  if (it->is_null()) return std::optional<std::string>();
  if (!it->is_string() || !is_uuid(it->get<std::string>())) {
    v.add(field, "must be a UUID or null");
    return std::nullopt;
  }
  // Canonical (lower-case) form: ids are compared as text afterwards.
  auto id = it->get<std::string>();
  for (auto& ch : id) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return std::optional<std::string>(std::move(id));
}

Task<void> asset_totals_changed(cache::Redis& redis) {
  try {
    std::vector<std::string> cmd{"INCR", "assets:gen"};
    co_await redis.command(std::move(cmd));
  } catch (const std::exception&) {
  }
}

audit::Entry audit_entry(const http::Actor& by, std::string action, std::string resource, nlohmann::json details,
                         const std::string& request_id) {
  return audit::Entry{by.user_id, std::move(action), std::move(resource), std::move(details), request_id};
}

void refuse_if_referenced(const std::string& what, const std::vector<Reference>& refs) {
  nlohmann::json details = nlohmann::json::object();
  std::vector<std::string> parts;
  for (auto& r : refs) {
    if (r.count <= 0) continue;
    details[r.key] = r.count;
    parts.push_back(std::to_string(r.count) + " " + (r.count == 1 ? r.singular : r.plural));
  }
  if (parts.empty()) return;
  std::string msg = what + " is used by ";
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) msg += i + 1 == parts.size() ? " and " : ", ";
    msg += parts[i];
  }
  throw Conflict(msg, details);
}

}  // namespace netops::catalog
