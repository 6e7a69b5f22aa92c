#pragma once
// For the catalog's repos: the columns a partial input sets, as one INSERT or UPDATE statement.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "db/query.hpp"
#include "modules/catalog/types.hpp"

namespace netops::catalog {

// SQL column → value (nullopt clears the column); only the members an input sets appear.
using ColumnValues = std::vector<std::pair<std::string, std::optional<std::string>>>;

inline void set_column(ColumnValues& cols, const char* column, const std::optional<std::string>& value) {
  if (value) cols.emplace_back(column, *value);
}
inline void set_column(ColumnValues& cols, const char* column, const Clearable& value) {
  if (value) cols.emplace_back(column, *value);
}

inline std::string insert_sql(const std::string& table, const ColumnValues& cols, db::Params& params,
                              const char* returning) {
  std::string names, values;
  for (auto& [column, value] : cols) {
    names += (names.empty() ? "" : ", ") + column;
    values += (values.empty() ? "" : ", ") + params.push(value);
  }
  return "INSERT INTO " + table + " (" + names + ") VALUES (" + values + ") RETURNING " + returning;
}

// $1 is the id.
inline std::string update_sql(const std::string& table, const std::string& id, const ColumnValues& cols,
                              db::Params& params, const char* returning) {
  std::string sets;
  params.add(id);
  for (auto& [column, value] : cols) sets += (sets.empty() ? "" : ", ") + column + " = " + params.push(value);
  return "UPDATE " + table + " SET " + sets + " WHERE id = $1 RETURNING " + returning;
}

}  // namespace netops::catalog
