#include "http/listing.hpp"

#include "core/error.hpp"
#include "http/router.hpp"

namespace netops::http {

db::PageRequest paging(const Request& req, long long default_size) {
  db::PageRequest p;
  p.page = req.query_int("page", 1, 1, 10000000);
  p.page_size = req.query_int("pageSize", default_size, 1, kMaxPageSize);
  return p;
}

db::Sort sort(const Request& req, const std::vector<std::pair<std::string, std::string>>& allowed,
              const std::string& default_field, bool default_descending) {
  std::string field = default_field;
  bool desc = default_descending;
  if (auto s = req.query("sort"); s && !s->empty()) {
    desc = (*s)[0] == '-';
    field = desc ? s->substr(1) : *s;
    if (!field.empty() && field[0] == '+') field = field.substr(1);
  }
  for (auto& [api, column] : allowed)
    if (api == field) return {column, desc};
  std::string names;
  for (auto& [api, _] : allowed) names += (names.empty() ? "" : ", ") + api;
  throw ValidationError("sort", "must be one of " + names + " (prefix - for descending)");
}

ListQuery list_query(const Request& req, const ListSpec& spec) {
  return {paging(req, spec.default_page_size), sort(req, spec.sorts, spec.default_sort, spec.default_descending)};
}

RouteSpec& RouteSpec::list(const ListSpec& spec) {
  for (auto& f : spec.filters) query(f.name, f.type, f.description);
  if (!spec.sorts.empty()) {
    std::string fields;
    for (auto& [api, _] : spec.sorts) fields += (fields.empty() ? "" : " | ") + api;
    query("sort", "string",
          fields + " (prefix - for descending; default " + (spec.default_descending ? "-" : "") + spec.default_sort + ")");
  }
  query("page", "integer", "from 1");
  query("pageSize", "integer", "1 to " + std::to_string(kMaxPageSize) + " (default " +
                                   std::to_string(spec.default_page_size) + ")");
  return *this;
}

}  // namespace netops::http
