#pragma once
// Request bodies of the warehouse module → typed inputs, pure (unit-tested). Every problem of a body in one
// 400 VALIDATION_ERROR naming the field ("lines[2].qty" for a line).
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "modules/warehouse/types.hpp"

namespace netops::warehouse {

inline constexpr std::size_t kMaxLines = 500;

ItemInput parse_warehouse(const nlohmann::json& body, bool creating);
ItemInput parse_part(const nlohmann::json& body, bool creating);
DocumentInput parse_document(const nlohmann::json& body, bool creating);
// One line (POST …/lines, PATCH …/lines/{lineId}); prefix names its fields ("" or "lines[3].").
LineInput parse_line(const nlohmann::json& body, bool creating, const std::string& prefix = "");

// A money amount as sent (number or string): at most 10 integer digits and `scale` decimals, ≥ 0; its
// canonical text, or nullopt when it is not one.
std::optional<std::string> parse_amount(const nlohmann::json& j, int scale = 2);

}  // namespace netops::warehouse
