#include "db/query.hpp"

#include <libpq-fe.h>

#include <charconv>
#include <cmath>
#include <stdexcept>

namespace netops::db {

namespace {

// Type oids from pg_type.h; stable across PostgreSQL versions.
constexpr unsigned kBool = 16, kInt8 = 20, kInt2 = 21, kInt4 = 23, kJson = 114, kFloat4 = 700,
                   kFloat8 = 701, kTimestamp = 1114, kTimestampTz = 1184, kNumeric = 1700, kJsonb = 3802;

template <class T>
T parse_number(std::string_view text, std::string_view column) {
  T out{};
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  if (ec != std::errc() || end != text.data() + text.size())
    throw std::runtime_error("column \"" + std::string(column) + "\" is not a valid number: " + std::string(text));
  return out;
}

// "2026-11-25 03:47:56.123456+00" (DateStyle=ISO, TimeZone=UTC) -> "2026-11-25T03:47:56.123456Z".
std::string iso_timestamp(std::string_view pg) {
  std::string s(pg);
  auto space = s.find(' ');
  if (space == std::string::npos) return s;  // a date, or ±infinity
  s[space] = 'T';
  auto off = s.find_first_of("+-", space);
  if (off == std::string::npos) return s + 'Z';  // timestamp without time zone: stored as UTC by convention
  if (s.find_first_not_of("0:", off + 1) == std::string::npos) {
    s.resize(off);
    return s + 'Z';
  }
  if (s.size() - off == 3) s += ":00";  // "+05" -> "+05:00"
  return s;
}

}  // namespace

std::string double_text(double v) {
  // PostgreSQL's spelling of the special values; to_chars gives the shortest text that round-trips.
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, end);
}

Params& Params::add(double v) {
  values_.emplace_back(double_text(v));
  return *this;
}

Result::Result(pg_result* res) : res_(res, &PQclear) {}

int Result::size() const { return res_ ? PQntuples(res_.get()) : 0; }
int Result::columns() const { return res_ ? PQnfields(res_.get()) : 0; }

std::int64_t Result::affected() const {
  if (!res_) return 0;
  std::string_view n = PQcmdTuples(res_.get());
  return n.empty() ? 0 : parse_number<std::int64_t>(n, "affected rows");
}

std::string_view Result::column_name(int col) const {
  const char* n = res_ ? PQfname(res_.get(), col) : nullptr;
  if (!n) throw std::out_of_range("no column " + std::to_string(col));
  return n;
}

unsigned Result::column_type(int col) const {
  if (col < 0 || col >= columns()) throw std::out_of_range("no column " + std::to_string(col));
  return PQftype(res_.get(), col);
}

int Row::column(std::string_view name) const {
  // Exact match: PQfnumber would case-fold unquoted names, which surprises with aliases like "createdAt".
  for (int c = 0, n = r_->columns(); c < n; ++c)
    if (PQfname(r_->get(), c) == name) return c;
  throw std::out_of_range("no column \"" + std::string(name) + "\" in result");
}

bool Row::is_null(int col) const {
  if (col < 0 || col >= r_->columns() || row_ < 0 || row_ >= r_->size())
    throw std::out_of_range("no cell (" + std::to_string(row_) + ", " + std::to_string(col) + ")");
  return PQgetisnull(r_->get(), row_, col) == 1;
}

std::string_view Row::raw(int col) const {
  if (is_null(col)) return {};
  return {PQgetvalue(r_->get(), row_, col), static_cast<std::size_t>(PQgetlength(r_->get(), row_, col))};
}

namespace {
std::string_view not_null(const Row& row, const Result* r, int col) {
  if (row.is_null(col)) throw std::runtime_error("column \"" + std::string(r->column_name(col)) + "\" is NULL");
  return row.raw(col);
}
}  // namespace

template <>
std::string Row::get<std::string>(int col) const {
  return std::string(not_null(*this, r_, col));
}

template <>
int Row::get<int>(int col) const {
  return parse_number<int>(not_null(*this, r_, col), r_->column_name(col));
}

template <>
std::int64_t Row::get<std::int64_t>(int col) const {
  return parse_number<std::int64_t>(not_null(*this, r_, col), r_->column_name(col));
}

template <>
double Row::get<double>(int col) const {
  return parse_number<double>(not_null(*this, r_, col), r_->column_name(col));
}

template <>
bool Row::get<bool>(int col) const {
  auto v = not_null(*this, r_, col);
  if (v == "t" || v == "true") return true;
  if (v == "f" || v == "false") return false;
  throw std::runtime_error("column \"" + std::string(r_->column_name(col)) + "\" is not a boolean");
}

template <>
nlohmann::json Row::get<nlohmann::json>(int col) const {
  auto v = not_null(*this, r_, col);
  return nlohmann::json::parse(v.begin(), v.end());
}

nlohmann::json Row::timestamp(std::string_view name) const {
  int col = column(name);
  if (is_null(col)) return nullptr;
  return iso_timestamp(raw(col));
}

nlohmann::json Row::json(std::string_view name) const {
  int col = column(name);
  if (is_null(col)) return nullptr;
  switch (r_->column_type(col)) {
    case kInt2:
    case kInt4:
    case kInt8: return get<std::int64_t>(col);
    case kFloat4:
    case kFloat8: {
      double d = get<double>(col);
      if (std::isfinite(d)) return d;
      return std::string(raw(col));  // JSON has no NaN/Infinity
    }
    case kBool: return get<bool>(col);
    case kJson:
    case kJsonb: return get<nlohmann::json>(col);
    case kTimestamp:
    case kTimestampTz: return iso_timestamp(raw(col));
    case kNumeric:  // exact decimal text: money must never pass through double
    default: return std::string(raw(col));
  }
}

std::string like_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c == '%' || c == '_' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

std::string like_contains(std::string_view s) { return "%" + like_escape(s) + "%"; }

}  // namespace netops::db
