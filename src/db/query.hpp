#pragma once
// Parameters and results of SQL statements. Values travel as text (libpq text format); typed access
// parses them. Every statement is parameterised ($1…): values are never spliced into SQL text.
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct pg_result;

namespace netops::db {

// A named SQL statement (userver style). The name labels metrics and logs and keys the per-connection
// prepared-statement cache, so a named query is parsed once per connection.
struct Query {
  std::string_view name;
  std::string_view sql;
};

// A double as PostgreSQL reads it: the shortest text that round-trips, NaN / Infinity / -Infinity.
std::string double_text(double v);

class Params {
 public:
  Params() = default;
  template <class... A>
  explicit Params(const A&... a) {
    values_.reserve(sizeof...(a));
    (add(a), ...);
  }
  Params& add(std::nullopt_t) { values_.emplace_back(std::nullopt); return *this; }
  Params& add(const std::string& v) { values_.emplace_back(v); return *this; }
  Params& add(std::string_view v) { values_.emplace_back(std::string(v)); return *this; }
  Params& add(const char* v) { values_.emplace_back(std::string(v)); return *this; }
  Params& add(bool v) { values_.emplace_back(v ? "t" : "f"); return *this; }
  Params& add(int v) { values_.emplace_back(std::to_string(v)); return *this; }
  Params& add(long v) { values_.emplace_back(std::to_string(v)); return *this; }
  Params& add(long long v) { values_.emplace_back(std::to_string(v)); return *this; }
  Params& add(unsigned v) { values_.emplace_back(std::to_string(v)); return *this; }
  Params& add(unsigned long v) { values_.emplace_back(std::to_string(v)); return *this; }
  Params& add(unsigned long long v) { values_.emplace_back(std::to_string(v)); return *this; }
  Params& add(double v);
  Params& add(const nlohmann::json& v) { values_.emplace_back(v.dump()); return *this; }
  template <class T>
  Params& add(const std::optional<T>& v) {
    if (v) return add(*v);
    return add(std::nullopt);
  }
  // Placeholder number ("$N") of the value just added; lets dynamic filters append safely.
  std::string next_placeholder() const { return "$" + std::to_string(values_.size() + 1); }
  std::string push(auto&& v) {
    add(v);
    return "$" + std::to_string(values_.size());
  }
  std::size_t size() const { return values_.size(); }
  const std::vector<std::optional<std::string>>& values() const { return values_; }

 private:
  std::vector<std::optional<std::string>> values_;
};

class Result;

class Row {
 public:
  Row(const Result* r, int row) : r_(r), row_(row) {}
  int column(std::string_view name) const;  // throws std::out_of_range on an unknown name
  bool is_null(int col) const;
  bool is_null(std::string_view name) const { return is_null(column(name)); }
  std::string_view raw(int col) const;  // text as PostgreSQL sent it ("" for NULL)

  // Supported T: std::string (text, uuid, numeric, date, inet, …), int, std::int64_t, double, bool,
  // nlohmann::json (json/jsonb). get<T> of a NULL throws; opt<T> maps NULL to nullopt.
  template <class T>
  T get(int col) const;
  template <class T>
  T get(std::string_view name) const { return get<T>(column(name)); }
  template <class T>
  std::optional<T> opt(int col) const {
    if (is_null(col)) return std::nullopt;
    return get<T>(col);
  }
  template <class T>
  std::optional<T> opt(std::string_view name) const { return opt<T>(column(name)); }

  // timestamptz as ISO 8601 UTC ("2026-11-25T03:47:56.123456Z"); null json for NULL.
  nlohmann::json timestamp(std::string_view name) const;
  // Any column as JSON: numbers for int/float columns, JSON for json/jsonb, booleans, strings otherwise.
  nlohmann::json json(std::string_view name) const;

 private:
  const Result* r_;
  int row_;
};

class Result {
 public:
  Result() = default;
  explicit Result(pg_result* res);  // takes ownership
  int size() const;
  bool empty() const { return size() == 0; }
  Row operator[](int i) const { return Row(this, i); }
  Row front() const { return Row(this, 0); }
  std::int64_t affected() const;  // rows changed by INSERT/UPDATE/DELETE
  int columns() const;
  std::string_view column_name(int col) const;
  unsigned column_type(int col) const;  // PostgreSQL type oid
  pg_result* get() const { return res_.get(); }

  class iterator {
   public:
    iterator(const Result* r, int i) : r_(r), i_(i) {}
    Row operator*() const { return Row(r_, i_); }
    iterator& operator++() { ++i_; return *this; }
    bool operator!=(const iterator& o) const { return i_ != o.i_; }

   private:
    const Result* r_;
    int i_;
  };
  iterator begin() const { return {this, 0}; }
  iterator end() const { return {this, size()}; }

 private:
  std::shared_ptr<pg_result> res_;
};

template <> std::string Row::get<std::string>(int col) const;
template <> int Row::get<int>(int col) const;
template <> std::int64_t Row::get<std::int64_t>(int col) const;
template <> double Row::get<double>(int col) const;
template <> bool Row::get<bool>(int col) const;
template <> nlohmann::json Row::get<nlohmann::json>(int col) const;

// Text for LIKE / ILIKE patterns: '%', '_' and '\\' escaped with PostgreSQL's default escape character, so
// a search for "50%" or "a_b" finds those characters instead of matching anything.
std::string like_escape(std::string_view s);
// "%<escaped>%": the pattern of a contains-search.
std::string like_contains(std::string_view s);

}  // namespace netops::db
