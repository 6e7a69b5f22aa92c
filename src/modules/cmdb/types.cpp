#include "modules/cmdb/types.hpp"

namespace netops::cmdb {

namespace {
nlohmann::json opt(const std::optional<std::string>& v) { return v ? nlohmann::json(*v) : nlohmann::json(); }
}  // namespace

nlohmann::json to_json(const CiType& t) {
  return {{"id", t.id},
          {"code", t.code},
          {"name", t.name},
          {"description", opt(t.description)},
          {"activeVersionId", opt(t.active_version_id)},
          {"activeVersion", t.active_version ? nlohmann::json(*t.active_version) : nlohmann::json()},
          {"draftVersionId", opt(t.draft_version_id)},
          {"createdAt", t.created_at}};
}

CiType ci_type_from_row(const db::Row& r) {
  CiType t;
  t.id = r.get<std::string>("id");
  t.code = r.get<std::string>("code");
  t.name = r.get<std::string>("name");
  t.description = r.opt<std::string>("description");
  t.active_version_id = r.opt<std::string>("active_version_id");
  t.active_version = r.opt<int>("active_version");
  t.draft_version_id = r.opt<std::string>("draft_version_id");
  t.created_at = r.timestamp("created_at");
  return t;
}

nlohmann::json to_json(const Ci& c) {
  return {{"id", c.id},
          {"typeId", c.type_id},
          {"typeCode", c.type_code},
          {"name", c.name},
          {"ciCode", c.ci_code},
          {"status", c.status},
          {"environment", c.environment},
          {"assetId", opt(c.asset_id)},
          {"locationId", opt(c.location_id)},
          {"ownerTeam", opt(c.owner_team)},
          {"notes", opt(c.notes)},
          {"attributes", c.attributes},
          {"attributesVersionId", opt(c.version_id)},
          {"createdAt", c.created_at},
          {"updatedAt", c.updated_at}};
}

Ci ci_from_row(const db::Row& r) {
  Ci c;
  c.id = r.get<std::string>("id");
  c.type_id = r.get<std::string>("type_id");
  c.type_code = r.get<std::string>("type_code");
  c.name = r.get<std::string>("name");
  c.ci_code = r.get<std::string>("ci_code");
  c.status = r.get<std::string>("status");
  c.environment = r.get<std::string>("environment");
  c.asset_id = r.opt<std::string>("asset_id");
  c.location_id = r.opt<std::string>("location_id");
  c.owner_team = r.opt<std::string>("owner_team");
  c.notes = r.opt<std::string>("notes");
  c.version_id = r.opt<std::string>("attr_version_id");
  auto attrs = r.json("attributes");
  c.attributes = attrs.is_object() ? attrs : nlohmann::json::object();
  c.created_at = r.timestamp("created_at");
  c.updated_at = r.timestamp("updated_at");
  return c;
}

nlohmann::json min_up_json(const std::optional<int>& min_up, bool percent) {
  if (!min_up) return nullptr;
  if (percent) return std::to_string(*min_up) + "%";
  return *min_up;
}

nlohmann::json to_json(const RelType& t) {
  return {{"id", t.id},
          {"code", t.code},
          {"name", t.name},
          {"reverseName", opt(t.reverse_name)},
          {"allowedFromTypeId", opt(t.allowed_from_type_id)},
          {"allowedToTypeId", opt(t.allowed_to_type_id)},
          {"minUp", min_up_json(t.min_up, t.min_up_percent)},
          {"createdAt", t.created_at}};
}

RelType rel_type_from_row(const db::Row& r) {
  RelType t;
  t.id = r.get<std::string>("id");
  t.code = r.get<std::string>("code");
  t.name = r.get<std::string>("name");
  t.reverse_name = r.opt<std::string>("reverse_name");
  t.allowed_from_type_id = r.opt<std::string>("allowed_from_type_id");
  t.allowed_to_type_id = r.opt<std::string>("allowed_to_type_id");
  t.min_up = r.opt<int>("min_up");
  t.min_up_percent = r.get<bool>("min_up_percent");
  t.created_at = r.timestamp("created_at");
  return t;
}

nlohmann::json to_json(const Relationship& r) {
  return {{"id", r.id},
          {"relTypeId", r.rel_type_id},
          {"relTypeCode", r.rel_type_code},
          {"fromCiId", r.from_ci_id},
          {"fromCiCode", r.from_ci_code},
          {"toCiId", r.to_ci_id},
          {"toCiCode", r.to_ci_code},
          {"status", r.status},
          {"sinceDate", opt(r.since_date)},
          {"note", opt(r.note)},
          {"createdAt", r.created_at}};
}

Relationship relationship_from_row(const db::Row& row) {
  Relationship r;
  r.id = row.get<std::string>("id");
  r.rel_type_id = row.get<std::string>("rel_type_id");
  r.rel_type_code = row.get<std::string>("rel_type_code");
  r.from_ci_id = row.get<std::string>("from_ci_id");
  r.from_ci_code = row.get<std::string>("from_ci_code");
  r.to_ci_id = row.get<std::string>("to_ci_id");
  r.to_ci_code = row.get<std::string>("to_ci_code");
  r.status = row.get<std::string>("status");
  r.since_date = row.opt<std::string>("since_date");
  r.note = row.opt<std::string>("note");
  r.created_at = row.timestamp("created_at");
  return r;
}

nlohmann::json to_json(const Service& s) {
  return {{"id", s.id},         {"code", s.code},     {"name", s.name},     {"criticality", opt(s.criticality)},
          {"owner", opt(s.owner)}, {"sla", opt(s.sla)}, {"status", opt(s.status)}, {"health", s.health},
          {"memberCount", s.member_count}, {"createdAt", s.created_at}};
}

Service service_from_row(const db::Row& r) {
  Service s;
  s.id = r.get<std::string>("id");
  s.code = r.get<std::string>("code");
  s.name = r.get<std::string>("name");
  s.criticality = r.opt<std::string>("criticality");
  s.owner = r.opt<std::string>("owner");
  s.sla = r.opt<std::string>("sla");
  s.status = r.opt<std::string>("status");
  s.health = r.get<std::string>("health");
  s.member_count = r.get<std::int64_t>("member_count");
  s.created_at = r.timestamp("created_at");
  return s;
}

nlohmann::json to_json(const Member& m) {
  return {{"id", m.id},           {"serviceId", m.service_id}, {"ciId", m.ci_id},     {"ciCode", m.ci_code},
          {"ciName", m.ci_name},  {"ciStatus", m.ci_status},   {"role", opt(m.role)}, {"createdAt", m.created_at}};
}

Member member_from_row(const db::Row& r) {
  Member m;
  m.id = r.get<std::string>("id");
  m.service_id = r.get<std::string>("service_id");
  m.ci_id = r.get<std::string>("ci_id");
  m.ci_code = r.get<std::string>("ci_code");
  m.ci_name = r.get<std::string>("ci_name");
  m.ci_status = r.get<std::string>("ci_status");
  m.role = r.opt<std::string>("role");
  m.created_at = r.timestamp("created_at");
  return m;
}

}  // namespace netops::cmdb
