#pragma once
// Request bodies of repair orders → typed inputs, pure. Every problem in one 400 naming the field.
#include <nlohmann/json.hpp>

#include "modules/repair/types.hpp"

namespace netops::repair {

OrderInput parse_order(const nlohmann::json& body, bool creating);
StatusChange parse_status(const nlohmann::json& body);
PartInput parse_part_line(const nlohmann::json& body);
ReservationInput parse_reservation(const nlohmann::json& body);

}  // namespace netops::repair
