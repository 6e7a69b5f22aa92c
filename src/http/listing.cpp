#include "http/listing.hpp"

#include "core/error.hpp"
#include "core/ids.hpp"

namespace netops::http {

Paging paging(const Request& req, long long default_size) {
  Paging p;
  p.page = req.query_int("page", 1, 1, 10000000);
  p.page_size = req.query_int("pageSize", default_size, 1, kMaxPageSize);
  return p;
}

Sort sort(const Request& req, const std::vector<std::pair<std::string, std::string>>& allowed,
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

std::string etag_of(const nlohmann::json& representation) {
  return "W/\"" + sha256_hex(representation.dump()).substr(0, 20) + "\"";
}

void check_if_match(const Request& req, const nlohmann::json& current_representation) {
  auto h = req.header("if-match");
  if (!h || *h == "*") return;
  auto current = etag_of(current_representation);
  std::string_view given = *h;
  // A client may send the strong form of our weak tag.
  if (given == current || ("W/" + std::string(given)) == current) return;
  throw AppError(ErrorCode::precondition_failed, "the resource changed since it was read (If-Match does not match)",
                 {{"currentEtag", current}});
}

}  // namespace netops::http
