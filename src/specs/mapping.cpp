// FieldDef ↔ the camelCase API body. Shape errors only; the rules are in definitions.cpp.
#include <cmath>
#include <functional>
#include <limits>
#include <map>

#include "specs/detail.hpp"

namespace netops::specs {
namespace {

using nlohmann::json;
using detail::BigDecimal;
using Reader = std::function<void(const json&, FieldDef&, std::string&)>;  // sets the error on a bad shape

Reader text(std::string FieldDef::*member) {
  return [member](const json& v, FieldDef& d, std::string& err) {
    if (v.is_null()) d.*member = "";  // then validate_definition says "is required"
    else if (v.is_string()) d.*member = v.get<std::string>();
    else err = "must be a string";
  };
}

Reader optional_text(std::optional<std::string> FieldDef::*member) {
  return [member](const json& v, FieldDef& d, std::string& err) {
    if (v.is_null()) d.*member = std::nullopt;
    else if (v.is_string()) d.*member = v.get<std::string>();
    else err = "must be a string or null";
  };
}

// The flags are NOT NULL columns with defaults, so null keeps the default.
Reader flag(bool FieldDef::*member) {
  return [member](const json& v, FieldDef& d, std::string& err) {
    if (v.is_boolean()) d.*member = v.get<bool>();
    else if (!v.is_null()) err = "must be true or false";
  };
}

std::optional<std::int64_t> whole(const json& v) {
  if (v.is_number_unsigned())  // also is_number_integer, so it is asked first
    return v.get<std::uint64_t>() <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())
               ? std::optional<std::int64_t>(static_cast<std::int64_t>(v.get<std::uint64_t>()))
               : std::nullopt;
  if (v.is_number_integer()) return v.get<std::int64_t>();
  if (v.is_number_float()) {
    double x = v.get<double>();
    if (std::isfinite(x) && x == std::floor(x) && std::fabs(x) < 9.0e15) return static_cast<std::int64_t>(x);
  }
  return std::nullopt;
}

template <typename T>
Reader optional_int(std::optional<T> FieldDef::*member) {
  return [member](const json& v, FieldDef& d, std::string& err) {
    if (v.is_null()) return void(d.*member = std::nullopt);
    auto i = whole(v);
    if (!i || *i < std::numeric_limits<T>::min() || *i > std::numeric_limits<T>::max()) err = "must be an integer";
    else d.*member = static_cast<T>(*i);
  };
}

// NUMERIC attributes: a JSON number, or a decimal string when the client wants digits a double lacks.
Reader decimal(std::optional<std::string> FieldDef::*member) {
  return [member](const json& v, FieldDef& d, std::string& err) {
    if (v.is_null()) return void(d.*member = std::nullopt);
    auto dec = v.is_string() ? BigDecimal::parse(v.get<std::string>()) : BigDecimal::from_json(v);
    if (!dec) err = "must be a number";
    else d.*member = dec->str();  // plain notation: what PostgreSQL's NUMERIC reads back unchanged
  };
}

const std::map<std::string, Reader, std::less<>>& readers() {
  static const std::map<std::string, Reader, std::less<>> kReaders = {
      {"id", text(&FieldDef::id)},
      {"key", text(&FieldDef::key)},
      {"label", text(&FieldDef::label)},
      {"fieldType", text(&FieldDef::field_type)},
      {"unit", optional_text(&FieldDef::unit)},
      {"pattern", optional_text(&FieldDef::pattern)},
      {"helpText", optional_text(&FieldDef::help_text)},
      {"required", flag(&FieldDef::required)},
      {"enumValues",
       [](const json& v, FieldDef& d, std::string& err) {
         if (v.is_null() || v.is_array()) d.enum_values = v;
         else err = "must be an array of strings or null";
       }},
      {"minLen", optional_int(&FieldDef::min_len)},
      {"maxLen", optional_int(&FieldDef::max_len)},
      {"minValue", decimal(&FieldDef::min_value)},
      {"maxValue", decimal(&FieldDef::max_value)},
      {"stepValue", decimal(&FieldDef::step_value)},
      {"precision", optional_int(&FieldDef::precision)},
      {"scale", optional_int(&FieldDef::scale)},
      {"defaultValue", [](const json& v, FieldDef& d, std::string&) { d.default_value = v; }},
      {"sortOrder",
       [](const json& v, FieldDef& d, std::string& err) {
         auto i = whole(v);
         if (v.is_null()) return;
         if (!i || *i < std::numeric_limits<int>::min() || *i > std::numeric_limits<int>::max())
           err = "must be an integer";
         else d.sort_order = static_cast<int>(*i);
       }},
      {"isActive", flag(&FieldDef::is_active)},
      {"isReadonly", flag(&FieldDef::is_readonly)},
      {"isSearchable", flag(&FieldDef::is_searchable)},
      {"isFilterable", flag(&FieldDef::is_filterable)},
      // The owning version comes from the URL; echoing it back in a body is harmless.
      {"versionId", [](const json&, FieldDef&, std::string&) {}},
  };
  return kReaders;
}

// A JSON number when a double carries the decimal exactly (what clients expect), else the string.
json numeric_out(const std::optional<std::string>& s) {
  if (!s) return nullptr;
  auto d = BigDecimal::parse(*s);
  if (!d) return *s;
  if (d->is_integer() && d->int_digits() <= 18) return std::stoll(d->str());
  json as_double = std::strtod(d->str().c_str(), nullptr);
  auto back = BigDecimal::from_json(as_double);
  return back && *back == *d ? as_double : json(d->str());
}

json optional_out(const std::optional<std::string>& s) { return s ? json(*s) : json(nullptr); }
template <typename T>
json optional_out(const std::optional<T>& v) {
  return v ? json(*v) : json(nullptr);
}

}  // namespace

ParsedDef def_from_json(const json& body) {
  ParsedDef r;
  if (!body.is_object()) {
    r.issues.push_back({"$", "must be an object"});
    return r;
  }
  for (auto& item : body.items()) {
    auto it = readers().find(item.key());
    if (it == readers().end()) {
      r.issues.push_back({item.key(), "is not a field definition attribute"});
      continue;
    }
    std::string err;
    it->second(item.value(), r.def, err);
    if (!err.empty()) r.issues.push_back({item.key(), err});
  }
  return r;
}

json def_to_json(const FieldDef& d) {
  return {
      {"id", d.id},
      {"key", d.key},
      {"label", d.label},
      {"fieldType", d.field_type},
      {"unit", optional_out(d.unit)},
      {"pattern", optional_out(d.pattern)},
      {"helpText", optional_out(d.help_text)},
      {"required", d.required},
      {"enumValues", d.enum_values},
      {"minLen", optional_out(d.min_len)},
      {"maxLen", optional_out(d.max_len)},
      {"minValue", numeric_out(d.min_value)},
      {"maxValue", numeric_out(d.max_value)},
      {"stepValue", numeric_out(d.step_value)},
      {"precision", optional_out(d.precision)},
      {"scale", optional_out(d.scale)},
      {"defaultValue", d.default_value},
      {"sortOrder", d.sort_order},
      {"isActive", d.is_active},
      {"isReadonly", d.is_readonly},
      {"isSearchable", d.is_searchable},
      {"isFilterable", d.is_filterable},
  };
}

}  // namespace netops::specs
