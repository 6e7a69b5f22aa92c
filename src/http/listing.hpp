#pragma once
// The list conventions of SPEC §2 in one place: ?page=&pageSize= (max 1000), ?sort=field|-field over a
// documented set of fields, ETags on single objects and If-Match on updates.
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "http/request.hpp"

namespace netops::http {

inline constexpr long long kMaxPageSize = 1000;

struct Paging {
  long long page = 1;
  long long page_size = 50;
  long long offset() const { return (page - 1) * page_size; }
};
Paging paging(const Request& req, long long default_size = 50);

struct Sort {
  std::string column;  // the SQL column the API field maps to (from the caller's whitelist)
  bool descending = false;
  std::string sql() const { return column + (descending ? " DESC" : " ASC"); }
};
// allowed: API field name → SQL column. 400 naming the allowed fields for anything else.
Sort sort(const Request& req, const std::vector<std::pair<std::string, std::string>>& allowed,
          const std::string& default_field, bool default_descending = false);

std::string etag_of(const nlohmann::json& representation);  // W/"<hash>"
// 412 PRECONDITION_FAILED when the request carries If-Match and it names another version.
void check_if_match(const Request& req, const nlohmann::json& current_representation);

}  // namespace netops::http
