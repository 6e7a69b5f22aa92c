#include "db/array.hpp"

#include "core/text.hpp"

namespace netops::db {

void ArrayLiteral::next() {
  if (!empty_) text_.push_back(',');
  empty_ = false;
}

ArrayLiteral& ArrayLiteral::text(std::string_view v) {
  next();
  std::string cleaned;
  if (invalid_text_at(v)) {
    cleaned = clean_text(v, v.size());
    v = cleaned;
  }
  text_.push_back('"');
  for (char c : v) {
    if (c == '"' || c == '\\') text_.push_back('\\');
    text_.push_back(c);
  }
  text_.push_back('"');
  return *this;
}

ArrayLiteral& ArrayLiteral::number(std::int64_t v) {
  next();
  text_ += std::to_string(v);
  return *this;
}

ArrayLiteral& ArrayLiteral::boolean(bool v) {
  next();
  text_.push_back(v ? 't' : 'f');
  return *this;
}

ArrayLiteral& ArrayLiteral::null() {
  next();
  text_ += "NULL";
  return *this;
}

std::string ArrayLiteral::done() {
  text_.push_back('}');
  std::string out = std::move(text_);
  text_.assign(1, '{');
  empty_ = true;
  return out;
}

std::string array_literal(const std::vector<std::optional<std::string>>& items) {
  ArrayLiteral a;
  for (const auto& item : items) a.text(item);
  return a.done();
}

}  // namespace netops::db
