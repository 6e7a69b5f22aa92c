#include "modules/warehouse/columns.hpp"

namespace netops::warehouse {

std::string insert_sql(const std::string& table, const Columns& cols, db::Params& params, const std::string& returning) {
  std::string names, values;
  for (auto& [name, value] : cols) {
    names += (names.empty() ? "" : ", ") + name;
    values += (values.empty() ? "" : ", ") + params.push(value);
  }
  return "INSERT INTO " + table + " (" + names + ") VALUES (" + values + ") RETURNING " + returning;
}

std::string update_sql(const std::string& table, const std::string& id, const Columns& cols, db::Params& params,
                       const std::string& returning) {
  std::string sets;
  for (auto& [name, value] : cols) sets += (sets.empty() ? "" : ", ") + name + " = " + params.push(value);
  return "UPDATE " + table + " SET " + sets + " WHERE id = " + params.push(id) + " RETURNING " + returning;
}

}  // namespace netops::warehouse
