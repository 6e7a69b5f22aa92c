#pragma once
// JSON request bodies → checked values, every problem collected with its field name.
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

}  // namespace netops::assets
