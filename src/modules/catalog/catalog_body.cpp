#include "modules/catalog/catalog_body.hpp"

#include <algorithm>
#include <cctype>

#include "core/error.hpp"
#include "http/body.hpp"

namespace netops::catalog {

namespace {

// A required text attribute: absent on create → "is required"; never null or blank.
void required_text(http::BodyReader& b, const char* f, std::optional<std::string>& out, std::size_t max_len) {
  auto* j = b.get(f);
  if (!j) return b.missing(f);
  auto& v = b.validation();
  if (j->is_null()) return v.add(f, "must not be null");
  if (!j->is_string()) return v.add(f, "must be a string");
  auto& s = j->get_ref<const std::string&>();
  auto blank = std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c); });
  if (blank) return v.add(f, "must not be blank");
  if (s.size() > max_len) return v.add(f, "at most " + std::to_string(max_len) + " characters");
  out = s;
}

// An optional text attribute: null or blank clears it.
void optional_text(http::BodyReader& b, const char* f, Clearable& out, std::size_t max_len) {
  auto* j = b.get(f);
  if (!j) return;
  auto& v = b.validation();
  if (j->is_null()) return void(out = std::optional<std::string>());
  if (!j->is_string()) return v.add(f, "must be a string");
  auto& s = j->get_ref<const std::string&>();
  auto blank = std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c); });
  if (s.size() > max_len) return v.add(f, "at most " + std::to_string(max_len) + " characters");
  out = blank ? std::optional<std::string>() : std::optional<std::string>(s);
}

}  // namespace

VendorInput parse_vendor(const nlohmann::json& body, bool creating) {
  Validation v;
  http::BodyReader b(body, v, creating);
  VendorInput in;
  required_text(b, "name", in.name, 255);
  optional_text(b, "taxCode", in.tax_code, 100);
  optional_text(b, "phone", in.phone, 50);
  optional_text(b, "email", in.email, 255);
  optional_text(b, "address", in.address, 2000);
  b.only({"name", "taxCode", "phone", "email", "address"});
  if (in.email && *in.email && in.email->value().find('@') == std::string::npos) v.add("email", "must be a valid email");
  v.throw_if_any();
  return in;
}

AssetCategoryInput parse_category(const nlohmann::json& body, bool creating) {
  Validation v;
  http::BodyReader b(body, v, creating);
  AssetCategoryInput in;
  required_text(b, "name", in.name, 255);
  b.only({"name"});
  v.throw_if_any();
  return in;
}

LocationInput parse_location(const nlohmann::json& body, bool creating) {
  Validation v;
  http::BodyReader b(body, v, creating);
  LocationInput in;
  required_text(b, "name", in.name, 255);
  b.only({"name", "parentId"});
  b.uuid("parentId", in.parent_id);
  v.throw_if_any();
  return in;
}

AssetModelInput parse_asset_model(const nlohmann::json& body, bool creating) {
  Validation v;
  http::BodyReader b(body, v, creating);
  AssetModelInput in;
  required_text(b, "model", in.model, 255);
  optional_text(b, "brand", in.brand, 255);
  b.only({"model", "brand", "categoryId", "vendorId", "specVersionId", "spec"});
  b.uuid("categoryId", in.category_id);
  b.uuid("vendorId", in.vendor_id);
  b.uuid("specVersionId", in.spec_version_id);
  if (b.has("spec")) {
    nlohmann::json spec;
    b.object("spec", spec);
    if (spec.is_object()) in.spec = std::move(spec);
  }
  v.throw_if_any();
  return in;
}

specs::FieldDef parse_spec_def(const nlohmann::json& body) {
  auto parsed = specs::def_from_json(body);
  Validation v;
  specs::report(parsed.issues, v);
  if (parsed.issues.empty()) specs::report(specs::validate_definition(parsed.def), v);
  v.throw_if_any("the field definition is invalid");
  return parsed.def;
}

}  // namespace netops::catalog
