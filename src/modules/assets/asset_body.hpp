#pragma once
// Request bodies of the assets module → typed inputs (types.hpp), every problem of a body in one 400
// VALIDATION_ERROR with its field name. Pure: unit-tested without a server.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "core/error.hpp"
#include "modules/assets/types.hpp"

namespace netops::assets {

// The body's asset fields → column values (canonical text; an empty or null optional field clears it).
// Unknown fields are errors; the read-only fields of GET representations are ignored so a client can
// PUT back what it read. create: assetCode is required.
Values values_from_json(const nlohmann::json& body, bool create, Validation& v);
// warrantyEnd ≥ purchaseDate over the merged values.
void check_dates(const Values& merged, Validation& v);
// The optional "note" of an operation (≤ 10,000 bytes of text).
std::optional<std::string> note_of(const nlohmann::json& body, Validation& v);
std::string required_string(const nlohmann::json& body, const char* field, std::size_t max_len, Validation& v);

// The bodies of the routes (each throws the body's problems at once).
Values parse_new_asset(const nlohmann::json& body);    // POST /assets (dates checked too)
Values parse_asset_patch(const nlohmann::json& body);  // PATCH/PUT /assets/{id}
StatusChange parse_status_change(const nlohmann::json& body);
NewAssignment parse_assignment(const nlohmann::json& body);
std::optional<std::string> parse_return(const nlohmann::json& body);  // its note
MoveInput parse_move(const nlohmann::json& body);

}  // namespace netops::assets
