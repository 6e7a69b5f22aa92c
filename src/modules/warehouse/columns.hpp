#pragma once
// Inserts and partial updates from a Columns list: names come from the module's parsers (never from the
// request), values travel as parameters.
#include <string>

#include "db/query.hpp"
#include "modules/warehouse/types.hpp"

namespace netops::warehouse {

// "INSERT INTO t (a, b) VALUES ($1, $2) RETURNING <returning>"
std::string insert_sql(const std::string& table, const Columns& cols, db::Params& params, const std::string& returning);
// "UPDATE t SET a = $1, … WHERE id = $n RETURNING <returning>"
std::string update_sql(const std::string& table, const std::string& id, const Columns& cols, db::Params& params,
                       const std::string& returning);

}  // namespace netops::warehouse
