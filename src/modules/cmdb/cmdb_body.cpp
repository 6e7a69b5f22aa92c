#include "modules/cmdb/cmdb_body.hpp"

#include <re2/re2.h>

#include <algorithm>
#include <cctype>
#include <set>

#include "core/error.hpp"
#include "http/body.hpp"

namespace netops::cmdb {

namespace {

bool blank(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c); });
}

// Required on create; never null or blank; at most max characters.
void required_text(http::BodyReader& b, const char* f, std::optional<std::string>& out, std::size_t max) {
  auto* j = b.get(f);
  if (!j) return b.missing(f);
  auto& v = b.validation();
  if (j->is_null()) return v.add(f, "must not be null");
  if (!j->is_string()) return v.add(f, "must be a string");
  auto& s = j->get_ref<const std::string&>();
  if (blank(s)) return v.add(f, "must not be blank");
  if (s.size() > max) return v.add(f, "at most " + std::to_string(max) + " characters");
  out = s;
}

// Optional text: null or blank clears.
void optional_text(http::BodyReader& b, const char* f, Clearable& out, std::size_t max) {
  auto* j = b.get(f);
  if (!j) return;
  auto& v = b.validation();
  if (j->is_null()) return void(out = std::optional<std::string>());
  if (!j->is_string()) return v.add(f, "must be a string");
  auto& s = j->get_ref<const std::string&>();
  if (s.size() > max) return v.add(f, "at most " + std::to_string(max) + " characters");
  out = blank(s) ? std::optional<std::string>() : std::optional<std::string>(s);
}

// A UUID reference: null clears.
void optional_uuid(http::BodyReader& b, const char* f, Clearable& out) {
  std::optional<std::optional<std::string>> v;
  b.uuid(f, v);
  if (v) out = *v;
}

void required_uuid(http::BodyReader& b, const char* f, std::optional<std::string>& out) {
  auto* j = b.get(f);
  if (!j) return b.missing(f);
  if (j->is_null()) return b.validation().add(f, "must not be null");
  std::optional<std::optional<std::string>> v;
  b.uuid(f, v);
  if (v && *v) out = **v;
}

void enum_value(http::BodyReader& b, const char* f, std::optional<std::string>& out,
                std::initializer_list<const char*> allowed) {
  auto* j = b.get(f);
  if (!j) return;
  std::string list;
  for (auto* a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
  if (!j->is_string()) return b.validation().add(f, "must be one of " + list);
  auto s = j->get<std::string>();
  for (auto* a : allowed)
    if (s == a) return void(out = s);
  b.validation().add(f, "must be one of " + list);
}

const RE2& code_pattern() {
  static const RE2 re("^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$");
  return re;
}

void code(http::BodyReader& b, const char* f, std::optional<std::string>& out) {
  required_text(b, f, out, 128);
  if (out && !RE2::FullMatch(*out, code_pattern())) {
    b.validation().add(f, "letters, digits and . _ : / - (starting with a letter or digit), at most 128");
    out.reset();
  }
}

}  // namespace

CiTypeInput parse_ci_type(const nlohmann::json& body, bool creating) {
  Validation v;
  if (!body.is_object()) throw ValidationError("body", "must be a JSON object");
  http::BodyReader b(body, v, creating);
  CiTypeInput in;
  code(b, "code", in.code);
  required_text(b, "name", in.name, 200);
  optional_text(b, "description", in.description, 2000);
  if (auto* j = b.get("attributes")) {
    if (!creating) {
      v.add("attributes", "cannot be changed here: edit a draft version (POST /api/v1/cmdb/types/{id}/versions)");
    } else if (!j->is_array()) {
      v.add("attributes", "must be an array of attribute definitions");
    } else if (j->size() > 200) {
      v.add("attributes", "at most 200 definitions");
    } else {
      std::vector<specs::FieldDef> defs;
      for (std::size_t i = 0; i < j->size(); ++i) {
        auto parsed = specs::def_from_json((*j)[i]);
        for (auto& issue : parsed.issues)
          v.add("attributes[" + std::to_string(i) + "]." + issue.key, issue.issue);
        defs.push_back(std::move(parsed.def));
      }
      auto issues = specs::validate_definitions(defs);
      for (auto& issue : issues) {
        auto key = issue.key;
        if (key.rfind("defs[", 0) == 0) key = "attributes" + key.substr(4);
        v.add(key, issue.issue);
      }
      in.attributes = std::move(defs);
    }
  }
  b.only({"code", "name", "description", "attributes"},
         {"id", "activeVersionId", "activeVersion", "draftVersionId", "createdAt"});
  v.throw_if_any();
  return in;
}

CiInput parse_ci(const nlohmann::json& body, bool creating) {
  Validation v;
  if (!body.is_object()) throw ValidationError("body", "must be a JSON object");
  http::BodyReader b(body, v, creating);
  CiInput in;
  required_uuid(b, "typeId", in.type_id);
  required_text(b, "name", in.name, 200);
  code(b, "ciCode", in.ci_code);
  enum_value(b, "status", in.status, {"active", "planned", "maintenance", "retired"});
  enum_value(b, "environment", in.environment, {"prod", "uat", "dev"});
  optional_uuid(b, "assetId", in.asset_id);
  optional_uuid(b, "locationId", in.location_id);
  optional_text(b, "ownerTeam", in.owner_team, 200);
  optional_text(b, "notes", in.notes, 10000);
  if (auto* j = b.get("attributes")) {
    if (j->is_null()) in.attributes = nlohmann::json::object();
    else if (!j->is_object()) v.add("attributes", "must be an object of attribute key → value");
    else if (j->size() > 500) v.add("attributes", "at most 500 attributes");
    else in.attributes = *j;
  }
  b.only({"typeId", "name", "ciCode", "status", "environment", "assetId", "locationId", "ownerTeam", "notes",
          "attributes"},
         {"id", "typeCode", "attributesVersionId", "createdAt", "updatedAt"});
  v.throw_if_any();
  return in;
}

RelTypeInput parse_rel_type(const nlohmann::json& body, bool creating) {
  Validation v;
  if (!body.is_object()) throw ValidationError("body", "must be a JSON object");
  http::BodyReader b(body, v, creating);
  RelTypeInput in;
  code(b, "code", in.code);
  required_text(b, "name", in.name, 200);
  optional_text(b, "reverseName", in.reverse_name, 200);
  optional_uuid(b, "allowedFromTypeId", in.allowed_from_type_id);
  optional_uuid(b, "allowedToTypeId", in.allowed_to_type_id);
  if (auto* j = b.get("minUp")) {
    static const RE2 percent("^([0-9]{1,3})%$");
    int n = 0;
    if (j->is_null()) {
      in.min_up = std::optional<std::pair<int, bool>>();
    } else if (j->is_number_integer() && j->get<long long>() >= 1 && j->get<long long>() <= 1000000) {
      in.min_up = std::pair<int, bool>(j->get<int>(), false);
    } else if (j->is_string() && RE2::FullMatch(j->get<std::string>(), percent, &n) && n >= 1 && n <= 100) {
      in.min_up = std::pair<int, bool>(n, true);
    } else {
      v.add("minUp", "must be a count ≥ 1 (e.g. 2), a percentage \"1%\"..\"100%\" (e.g. \"50%\"), or null");
    }
  }
  b.only({"code", "name", "reverseName", "allowedFromTypeId", "allowedToTypeId", "minUp"}, {"id", "createdAt"});
  v.throw_if_any();
  return in;
}

RelationshipInput parse_relationship(const nlohmann::json& body, bool creating) {
  Validation v;
  if (!body.is_object()) throw ValidationError("body", "must be a JSON object");
  http::BodyReader b(body, v, creating);
  RelationshipInput in;
  if (creating) {
    required_uuid(b, "relTypeId", in.rel_type_id);
    required_uuid(b, "fromCiId", in.from_ci_id);
    required_uuid(b, "toCiId", in.to_ci_id);
  }
  optional_text(b, "sinceDate", in.since_date, 10);
  if (in.since_date && *in.since_date) {
    static const RE2 date("^[0-9]{4}-[0-9]{2}-[0-9]{2}$");
    if (!RE2::FullMatch(**in.since_date, date)) v.add("sinceDate", "must be a date YYYY-MM-DD");
  }
  optional_text(b, "note", in.note, 2000);
  if (creating && in.from_ci_id && in.to_ci_id && *in.from_ci_id == *in.to_ci_id)
    v.add("toCiId", "must differ from fromCiId: a CI cannot depend on itself");
  if (creating)
    b.only({"relTypeId", "fromCiId", "toCiId", "sinceDate", "note"},
           {"id", "relTypeCode", "fromCiCode", "toCiCode", "status", "createdAt"});
  else
    b.only({"sinceDate", "note"},
           {"id", "relTypeId", "fromCiId", "toCiId", "relTypeCode", "fromCiCode", "toCiCode", "status", "createdAt"});
  v.throw_if_any();
  return in;
}

ServiceInput parse_service(const nlohmann::json& body, bool creating) {
  Validation v;
  if (!body.is_object()) throw ValidationError("body", "must be a JSON object");
  http::BodyReader b(body, v, creating);
  ServiceInput in;
  code(b, "code", in.code);
  required_text(b, "name", in.name, 200);
  if (auto* j = b.get("criticality")) {
    if (j->is_null()) {
      in.criticality = std::optional<std::string>();
    } else {
      std::optional<std::string> c;
      enum_value(b, "criticality", c, {"low", "medium", "high", "critical"});
      if (c) in.criticality = c;
    }
  }
  optional_text(b, "owner", in.owner, 200);
  optional_text(b, "sla", in.sla, 200);
  optional_text(b, "status", in.status, 50);
  b.only({"code", "name", "criticality", "owner", "sla", "status"}, {"id", "health", "memberCount", "createdAt"});
  v.throw_if_any();
  return in;
}

MemberInput parse_member(const nlohmann::json& body) {
  Validation v;
  if (!body.is_object()) throw ValidationError("body", "must be a JSON object");
  http::BodyReader b(body, v, true);
  std::optional<std::string> ci;
  required_uuid(b, "ciId", ci);
  Clearable role;
  optional_text(b, "role", role, 50);
  b.only({"ciId", "role"});
  v.throw_if_any();
  MemberInput in;
  in.ci_id = *ci;
  if (role) in.role = *role;
  return in;
}

std::vector<std::string> parse_ci_ids(const nlohmann::json& body, std::size_t max) {
  if (!body.is_object()) throw ValidationError("body", "must be a JSON object");
  Validation v;
  http::BodyReader b(body, v, true);
  std::vector<std::string> out;
  auto* j = b.get("ciIds");
  if (!j) {
    b.missing("ciIds");
  } else if (!j->is_array() || j->empty() || j->size() > max) {
    v.add("ciIds", "must be an array of 1 to " + std::to_string(max) + " CI ids");
  } else {
    static const RE2 uuid("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");
    std::set<std::string> seen;
    for (std::size_t i = 0; i < j->size(); ++i) {
      auto& e = (*j)[i];
      if (!e.is_string() || !RE2::FullMatch(e.get<std::string>(), uuid)) {
        v.add("ciIds[" + std::to_string(i) + "]", "must be a UUID");
        continue;
      }
      auto id = e.get<std::string>();
      std::transform(id.begin(), id.end(), id.begin(), [](unsigned char c) { return std::tolower(c); });
      if (seen.insert(id).second) out.push_back(id);
    }
  }
  b.only({"ciIds"});
  v.throw_if_any();
  return out;
}

}  // namespace netops::cmdb
