#pragma once
// The CMDB's structs (SPEC §3 "CMDB", §4.6), their API shape (to_json) and row mapping.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "db/query.hpp"
#include "specs/engine.hpp"

namespace netops::cmdb {

// absent → nullopt; present → the value (an inner nullopt clears the column).
using Clearable = std::optional<std::optional<std::string>>;

// ---- CI types (their versions and attribute definitions: catalog::SpecVersionService)
struct CiType {
  std::string id, code, name;
  std::optional<std::string> description, active_version_id, draft_version_id;
  std::optional<int> active_version;
  nlohmann::json created_at;
};
nlohmann::json to_json(const CiType& t);
CiType ci_type_from_row(const db::Row& r);

struct CiTypeInput {
  std::optional<std::string> code, name;
  Clearable description;
  std::optional<std::vector<specs::FieldDef>> attributes;  // create only: version 1's definitions
};

// ---- CIs
struct Ci {
  std::string id, type_id, type_code, name, ci_code, status, environment;
  std::optional<std::string> asset_id, location_id, owner_team, notes, version_id;
  nlohmann::json attributes = nlohmann::json::object();
  nlohmann::json created_at, updated_at;
};
nlohmann::json to_json(const Ci& c);
Ci ci_from_row(const db::Row& r);

struct CiInput {
  std::optional<std::string> type_id, name, ci_code, status, environment;
  Clearable asset_id, location_id, owner_team, notes;
  std::optional<nlohmann::json> attributes;  // an object; on update merged over the stored ones (null removes a key)
};

struct CiFilter {
  std::optional<std::string> type_id, type_code, status, environment, owner_team, location_id, asset_id, search;
  std::vector<std::pair<std::string, std::string>> attrs;  // attr.<key>=value
};

// ---- relationship types and relationships
struct RelType {
  std::string id, code, name;
  std::optional<std::string> reverse_name, allowed_from_type_id, allowed_to_type_id;
  std::optional<int> min_up;
  bool min_up_percent = false;
  nlohmann::json created_at;
};
nlohmann::json to_json(const RelType& t);
RelType rel_type_from_row(const db::Row& r);
// "2", "50%" or null.
nlohmann::json min_up_json(const std::optional<int>& min_up, bool percent);

struct RelTypeInput {
  std::optional<std::string> code, name;
  Clearable reverse_name, allowed_from_type_id, allowed_to_type_id;
  std::optional<std::optional<std::pair<int, bool>>> min_up;  // (value, percent); inner nullopt clears
};

struct Relationship {
  std::string id, rel_type_id, rel_type_code, from_ci_id, from_ci_code, to_ci_id, to_ci_code, status;
  std::optional<std::string> since_date, note;
  nlohmann::json created_at;
};
nlohmann::json to_json(const Relationship& r);
Relationship relationship_from_row(const db::Row& r);

struct RelationshipInput {
  std::optional<std::string> rel_type_id, from_ci_id, to_ci_id;
  Clearable since_date, note;
};

struct RelationshipFilter {
  std::optional<std::string> ci_id, from_ci_id, to_ci_id, rel_type_id, status;
};

// ---- services and members
struct Service {
  std::string id, code, name;
  std::optional<std::string> criticality, owner, sla, status;
  std::string health;  // rolled up from member CI status (README.md)
  long long member_count = 0;
  nlohmann::json created_at;
};
nlohmann::json to_json(const Service& s);
Service service_from_row(const db::Row& r);

struct ServiceInput {
  std::optional<std::string> code, name;
  Clearable criticality, owner, sla, status;
};

struct ServiceFilter {
  std::optional<std::string> criticality, search, ci_id;
};

struct Member {
  std::string id, service_id, ci_id, ci_code, ci_name, ci_status;
  std::optional<std::string> role;
  nlohmann::json created_at;
};
nlohmann::json to_json(const Member& m);
Member member_from_row(const db::Row& r);

// Health of a service rolled up from its members (README.md has the table), as one SQL expression over
// cmdb_service_members m JOIN cmdb_cis c.
inline constexpr const char* kHealthSql =
    "CASE WHEN count(m.id) = 0 THEN 'unknown' "
    "WHEN bool_or(c.status = 'retired' AND m.role = 'primary') OR bool_and(c.status = 'retired') THEN 'down' "
    "WHEN bool_or(c.status IN ('maintenance', 'retired')) THEN 'degraded' "
    "WHEN bool_and(c.status = 'planned') THEN 'planned' ELSE 'healthy' END";

}  // namespace netops::cmdb
