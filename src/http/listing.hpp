#pragma once
// The list conventions of SPEC §2 in one place. A list route declares its filters and sorts once
// (ListSpec); the same declaration documents the route in /docs/json (RouteSpec::list) and parses
// ?page=&pageSize= (max 1000) and ?sort=field|-field (list_query). Filters are read by the route into the
// module's typed filter; the repository turns them into a db::Where and answers a db::Page<T>.
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "db/page.hpp"
#include "http/request.hpp"
#include "http/response.hpp"

namespace netops::http {

inline constexpr long long kMaxPageSize = 1000;

struct ListFilter {
  std::string name;
  std::string type;  // OpenAPI type of the query parameter: string, integer, boolean, number
  std::string description;
};

struct ListSpec {
  std::vector<ListFilter> filters;
  std::vector<std::pair<std::string, std::string>> sorts;  // API field → SQL column
  std::string default_sort;
  bool default_descending = false;
  long long default_page_size = 50;
};

struct ListQuery {
  db::PageRequest page;
  db::Sort sort;
};

// 400 VALIDATION_ERROR naming page, pageSize or sort (with the allowed fields) when out of range.
ListQuery list_query(const Request& req, const ListSpec& spec);

db::PageRequest paging(const Request& req, long long default_size = 50);
db::Sort sort(const Request& req, const std::vector<std::pair<std::string, std::string>>& allowed,
              const std::string& default_field, bool default_descending = false);

// {"data":[…],"meta":{…}} of a page whose items become JSON through to_json.
template <class T, class ToJson>
Response page(const db::Page<T>& p, ToJson&& to_json) {
  nlohmann::json data = nlohmann::json::array();
  for (auto& item : p.items) data.push_back(to_json(item));
  return page(std::move(data), p.page, p.page_size, p.total, p.total_exact);
}

// Transitional names (modules still moving to db::PageRequest / db::Sort).
using Paging = db::PageRequest;
using Sort = db::Sort;

}  // namespace netops::http
