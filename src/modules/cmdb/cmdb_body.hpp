#pragma once
// Request bodies of the CMDB → typed inputs (types.hpp), pure: every problem of a body in one 400
// VALIDATION_ERROR naming the field.
#include <nlohmann/json.hpp>

#include "modules/cmdb/types.hpp"

namespace netops::cmdb {

CiTypeInput parse_ci_type(const nlohmann::json& body, bool creating);
CiInput parse_ci(const nlohmann::json& body, bool creating);
RelTypeInput parse_rel_type(const nlohmann::json& body, bool creating);
RelationshipInput parse_relationship(const nlohmann::json& body, bool creating);
ServiceInput parse_service(const nlohmann::json& body, bool creating);
struct MemberInput {
  std::string ci_id;
  std::optional<std::string> role;
};
MemberInput parse_member(const nlohmann::json& body);
// {"ciIds": [uuid, …]} (1..max distinct ids).
std::vector<std::string> parse_ci_ids(const nlohmann::json& body, std::size_t max);

}  // namespace netops::cmdb
