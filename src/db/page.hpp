#pragma once
// What a list asks of a repository and what it gets back (SPEC §2 lists): a page window, one sort over a
// whitelisted column, and one Page<T> of rows with the total number of matches.
#include <optional>
#include <string>
#include <vector>

namespace netops::db {

struct PageRequest {
  long long page = 1;
  long long page_size = 50;
  long long offset() const { return (page - 1) * page_size; }
};

struct Sort {
  std::string column;  // the SQL column the API field maps to (from the route's declared sorts)
  bool descending = false;
  std::string sql() const { return column + (descending ? " DESC" : " ASC"); }
};

template <class T>
struct Page {
  std::vector<T> items;
  long long total = 0;
  long long page = 1;
  long long page_size = 50;
  // false: total is a lower bound (a list too large to count on the request path).
  std::optional<bool> total_exact;
};

}  // namespace netops::db
