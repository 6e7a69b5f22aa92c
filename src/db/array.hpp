#pragma once
// PostgreSQL array literals ({"a","b\"c",NULL}), built element by element: the text form of one parameter
// per column for multi-row statements (`INSERT … SELECT … FROM unnest($1::text[], $2::int[], …)`), which
// PostgreSQL reads with each type's own input function, without the per-row JSON parse and field lookup of
// json_to_recordset.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace netops::db {

class ArrayLiteral {
 public:
  ArrayLiteral() { text_.push_back('{'); }
  // A text element, quoted. Bytes PostgreSQL text cannot hold (NUL, malformed UTF-8; libpq would also cut
  // the whole parameter at a NUL) become '?', so one bad element cannot make the array unreadable.
  ArrayLiteral& text(std::string_view v);
  ArrayLiteral& text(const std::string& v) { return text(std::string_view(v)); }
  ArrayLiteral& text(const char* v) { return text(std::string_view(v)); }
  ArrayLiteral& text(const std::optional<std::string>& v) { return v ? text(std::string_view(*v)) : null(); }
  ArrayLiteral& number(std::int64_t v);
  ArrayLiteral& boolean(bool v);
  ArrayLiteral& null();
  // The literal, closed; the builder is empty afterwards.
  std::string done();

 private:
  void next();
  std::string text_;
  bool empty_ = true;
};

// The literal of a text array (NULL for nullopt).
std::string array_literal(const std::vector<std::optional<std::string>>& items);

}  // namespace netops::db
