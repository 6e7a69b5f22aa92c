#pragma once
// One ETag rule for every single-object route (SPEC §2): a weak tag over the object's JSON representation;
// an update names the version it read (If-Match → expected_etag) and the service checks it inside its
// transaction against the locked current representation.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace netops {

std::string etag_of(const nlohmann::json& representation);  // W/"<hash>"

// 412 PRECONDITION_FAILED (details.currentEtag) when expected is set and names another version.
// nullopt (no If-Match, or "*") always passes.
void check_expected_etag(const std::optional<std::string>& expected, const nlohmann::json& current_representation);

}  // namespace netops
