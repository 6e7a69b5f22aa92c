#pragma once
// Dynamic WHERE clauses for list filters: each condition appends placeholders, never values.
//   db::Where w;
//   w.eq("role", f.role);                                        // skipped when nullopt
//   w.add("(email ILIKE {} OR name ILIKE {})", db::like_contains(*f.search));  // every {} is the one value
//   auto sql = "SELECT … FROM users" + w.sql() + " ORDER BY …";  // " WHERE …" or ""
//   db.query(sql, w.take_params());
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "db/page.hpp"
#include "db/query.hpp"

namespace netops::db {

class Where {
 public:
  Where() = default;
  explicit Where(Params params) : params_(std::move(params)) {}

  // A condition without parameters ("deleted_at IS NULL").
  Where& add(std::string_view condition) {
    conditions_.emplace_back(condition);
    return *this;
  }
  // A condition whose every "{}" stands for the one value given.
  template <class V>
  Where& add(std::string_view condition, const V& value) {
    auto ph = params_.push(value);
    std::string out;
    for (std::size_t i = 0; i < condition.size(); ++i) {
      if (condition[i] == '{' && i + 1 < condition.size() && condition[i + 1] == '}') {
        out += ph;
        ++i;
      } else {
        out += condition[i];
      }
    }
    conditions_.push_back(std::move(out));
    return *this;
  }
  template <class V>
  Where& eq(std::string_view column, const std::optional<V>& value) {
    if (value) add(std::string(column) + " = {}", *value);
    return *this;
  }
  template <class V>
  Where& eq(std::string_view column, const V& value) {
    return add(std::string(column) + " = {}", value);
  }
  // Adds the next value as a placeholder without a condition (LIMIT, OFFSET, a CTE argument).
  template <class V>
  std::string param(const V& value) {
    return params_.push(value);
  }

  bool empty() const { return conditions_.empty(); }
  // " WHERE a AND b" or "" when there are no conditions.
  std::string sql() const {
    std::string out;
    for (auto& c : conditions_) out += (out.empty() ? " WHERE " : " AND ") + c;
    return out;
  }
  // " ORDER BY <sort>, <tiebreak> LIMIT $n OFFSET $m" for a page window.
  std::string order_and_window(const Sort& sort, const PageRequest& page, std::string_view tiebreak = "id") {
    std::string out = " ORDER BY " + sort.sql();
    if (!tiebreak.empty()) out += ", " + std::string(tiebreak);
    out += " LIMIT " + params_.push(page.page_size) + " OFFSET " + params_.push(page.offset());
    return out;
  }
  Params& params() { return params_; }
  Params take_params() { return std::move(params_); }

 private:
  Params params_;
  std::vector<std::string> conditions_;
};

// The rows of a "SELECT …, count(*) OVER () AS total …" window as a Page<T>.
template <class T, class Map>
Page<T> page_of(const Result& rows, const PageRequest& window, Map&& map) {
  Page<T> out;
  out.page = window.page;
  out.page_size = window.page_size;
  out.items.reserve(static_cast<std::size_t>(rows.size()));
  for (auto r : rows) {
    out.total = r.get<std::int64_t>("total");
    out.items.push_back(map(r));
  }
  return out;
}

}  // namespace netops::db
