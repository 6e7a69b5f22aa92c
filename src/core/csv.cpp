#include "core/csv.hpp"

namespace netops::csv {

Reader::Reader(std::string_view text) : text_(text) {
  if (text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;  // UTF-8 BOM written by spreadsheet exports
}

bool Reader::next(std::vector<std::string>& fields) {
  fields.clear();
  fields_in_record_ = 0;
  const std::size_t n = text_.size();
  // Skip blank lines between records.
  while (pos_ < n && (text_[pos_] == '\n' || text_[pos_] == '\r')) {
    if (text_[pos_] == '\r' && pos_ + 1 < n && text_[pos_ + 1] == '\n') ++pos_;
    ++pos_;
    ++line_;
  }
  if (pos_ >= n) return false;
  record_line_ = line_;
  std::string field;
  for (;;) {
    field.clear();
    if (pos_ < n && text_[pos_] == '"') {
      const std::size_t opened = line_;
      ++pos_;
      for (;;) {
        if (pos_ >= n) throw Error(opened, "quoted field is not closed");
        char c = text_[pos_];
        if (c == '"') {
          if (pos_ + 1 < n && text_[pos_ + 1] == '"') {
            field.push_back('"');
            pos_ += 2;
            continue;
          }
          ++pos_;
          break;
        }
        if (c == '\n' || (c == '\r' && !(pos_ + 1 < n && text_[pos_ + 1] == '\n'))) ++line_;
        field.push_back(c);
        ++pos_;
      }
      if (pos_ < n && text_[pos_] != ',' && text_[pos_] != '\n' && text_[pos_] != '\r')
        throw Error(line_, "unexpected text after a closing quote");
    } else {
      const std::size_t start = pos_;
      while (pos_ < n) {
        char c = text_[pos_];
        if (c == ',' || c == '\n' || c == '\r') break;
        if (c == '"') throw Error(line_, "a quote inside an unquoted field (quote the field and double the quote)");
        ++pos_;
      }
      field.assign(text_.substr(start, pos_ - start));
    }
    if (++fields_in_record_ <= keep_at_most_) fields.push_back(field);
    if (pos_ >= n) return true;
    char c = text_[pos_];
    if (c == ',') {
      ++pos_;
      continue;
    }
    // End of record: CRLF, LF or a lone CR.
    if (c == '\r' && pos_ + 1 < n && text_[pos_ + 1] == '\n') ++pos_;
    ++pos_;
    ++line_;
    return true;
  }
}

std::vector<std::vector<std::string>> parse(std::string_view text) {
  Reader r(text);
  std::vector<std::vector<std::string>> out;
  std::vector<std::string> fields;
  while (r.next(fields)) out.push_back(fields);
  return out;
}

void append_field(std::string& out, std::string_view value) {
  // A value that starts with a byte order mark is quoted too: unquoted at the start of a file, the reader
  // would take it for the file's BOM and drop it (found by fuzzing).
  if (value.find_first_of(",\"\r\n") == std::string_view::npos && value.substr(0, 3) != "\xEF\xBB\xBF") {
    out.append(value);
    return;
  }
  out.push_back('"');
  for (char c : value) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

void append_record(std::string& out, const std::vector<std::string>& fields) {
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i) out.push_back(',');
    append_field(out, fields[i]);
  }
  out.append("\r\n");
}

std::string format_record(const std::vector<std::string>& fields) {
  std::string out;
  append_record(out, fields);
  return out;
}

}  // namespace netops::csv
