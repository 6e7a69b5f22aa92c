#pragma once
// RFC 4180 comma-separated values, both ways. Pure: no I/O, no domain knowledge.
//
// Reading accepts what spreadsheets and scripts actually write: CRLF or LF (or a lone CR) line ends, a
// UTF-8 byte order mark before the first field, quoted fields with embedded commas, line breaks and
// doubled quotes, and no line break after the last record. Blank lines are skipped. Anything RFC 4180
// forbids — a quote inside an unquoted field, text after a closing quote, an unterminated quoted field —
// is an error naming the line, because guessing would silently change data.
// Writing quotes a field only when it must (comma, quote, CR or LF inside) and ends records with CRLF.
#include <cstddef>
#include <stdexcept>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace netops::csv {

class Error : public std::runtime_error {
 public:
  Error(std::size_t line, const std::string& message)
      : std::runtime_error("line " + std::to_string(line) + ": " + message), line_(line), message_(message) {}
  std::size_t line() const { return line_; }  // 1-based physical line
  const std::string& message() const { return message_; }

 private:
  std::size_t line_;
  std::string message_;
};

class Reader {
 public:
  explicit Reader(std::string_view text);
  // Reads the next record into fields; false at the end of the input. Throws csv::Error.
  bool next(std::vector<std::string>& fields);
  // Physical line (1-based) on which the record last returned by next() started.
  std::size_t record_line() const { return record_line_; }
  // Keeps at most n fields of a record (memory stays bounded whatever the input); the rest are read past
  // and only counted: fields_in_record() is the true width of the last record.
  void keep_at_most(std::size_t n) { keep_at_most_ = n; }
  std::size_t fields_in_record() const { return fields_in_record_; }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
  std::size_t record_line_ = 0;
  std::size_t keep_at_most_ = static_cast<std::size_t>(-1);
  std::size_t fields_in_record_ = 0;
};

// Every record of text (see Reader).
std::vector<std::vector<std::string>> parse(std::string_view text);


// Appends one field, quoted when it has to be.
void append_field(std::string& out, std::string_view value);
// Appends one record and its CRLF.
void append_record(std::string& out, const std::vector<std::string>& fields);
std::string format_record(const std::vector<std::string>& fields);

}  // namespace netops::csv
