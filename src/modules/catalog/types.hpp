#pragma once
// The catalog's structs (SPEC §3 "Assets", §4.4): vendors, asset categories, locations, asset models and
// spec versions; to_json of each is its API representation (camelCase, SPEC §2), the one its ETag and its
// audit rows are computed over. The inputs are what routes read from bodies (catalog_body.hpp): absent
// members leave the stored value alone, so one input serves create and partial update.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "db/query.hpp"
#include "specs/engine.hpp"

namespace netops::catalog {

// A text attribute a body may clear: nullopt = absent; holding nullopt = clear the column.
using Clearable = std::optional<std::optional<std::string>>;

// ---- vendors
struct Vendor {
  std::string id, name;
  std::optional<std::string> tax_code, phone, email, address;
  std::string created_at;
};
nlohmann::json to_json(const Vendor& v);
inline constexpr const char* kVendorColumns = "id, name, tax_code, phone, email, address, created_at";
Vendor vendor_from_row(const db::Row& r);

struct VendorInput {
  std::optional<std::string> name;
  Clearable tax_code, phone, email, address;
};

// ---- asset categories (with their active spec version)
struct AssetCategory {
  std::string id, name;
  std::optional<std::string> active_version_id;
  std::optional<int> active_version;
  std::string created_at;
};
nlohmann::json to_json(const AssetCategory& c);
// asset_categories c joined with its active spec version v
inline constexpr const char* kCategorySelect =
    "SELECT c.id, c.name, c.created_at, v.id AS active_version_id, v.version AS active_version "
    "FROM asset_categories c LEFT JOIN asset_category_spec_versions v ON v.category_id = c.id AND v.status = 'active'";
AssetCategory category_from_row(const db::Row& r);

struct AssetCategoryInput {
  std::optional<std::string> name;
};

// ---- locations: a tree kept as a materialised path '/<ancestor ids>/<own id>/'
struct Location {
  std::string id, name;
  std::optional<std::string> parent_id;
  std::string path;
  std::string created_at;
  long long depth() const;  // number of ids in the path (a root location has depth 1)
};
nlohmann::json to_json(const Location& l);
inline constexpr const char* kLocationColumns = "id, name, parent_id, path, created_at";
Location location_from_row(const db::Row& r);

struct LocationInput {
  std::optional<std::string> name;
  Clearable parent_id;
};

// The location and its subtree, children sorted by (name, id).
struct LocationTree {
  Location location;
  std::vector<LocationTree> children;
};
nlohmann::json to_json(const LocationTree& t);

// ---- asset models
struct AssetModel {
  std::string id;
  std::optional<std::string> category_id, category_name, spec_version_id;
  std::optional<int> spec_version;
  std::optional<std::string> vendor_id, vendor_name, brand;
  std::string model;
  nlohmann::json spec = nlohmann::json::object();  // the values document of its spec version
  std::string created_at;
};
nlohmann::json to_json(const AssetModel& m);
inline constexpr const char* kModelSelect =
    "SELECT m.id, m.category_id, c.name AS category_name, m.spec_version_id, sv.version AS spec_version, "
    "m.vendor_id, vd.name AS vendor_name, m.brand, m.model, m.spec, m.created_at FROM asset_models m "
    "LEFT JOIN asset_categories c ON c.id = m.category_id LEFT JOIN vendors vd ON vd.id = m.vendor_id "
    "LEFT JOIN asset_category_spec_versions sv ON sv.id = m.spec_version_id";
AssetModel model_from_row(const db::Row& r);

struct AssetModelInput {
  std::optional<std::string> model;
  Clearable brand, category_id, vendor_id, spec_version_id;
  std::optional<nlohmann::json> spec;  // a values document (object); null in the body → {}
};

struct AssetModelFilter {
  std::optional<std::string> category_id, vendor_id, brand, search;
  // spec.<key>=value filters as given, in query order; the service types them against the definitions.
  struct SpecValue {
    std::string key;                 // without "spec."
    std::optional<std::string> raw;  // nullopt: the parameter's name is not UTF-8 text without NUL
  };
  std::vector<SpecValue> spec_values;
  // One entry per spec.<key> filter: the alternatives (jsonb documents, ORed) that `spec @>` must
  // contain; entries are ANDed. Served by the GIN index on spec (jsonb_path_ops). Set by the service.
  std::vector<std::vector<nlohmann::json>> spec_contains;
};

// ---- spec versions of asset categories
struct SpecVersion {
  std::string id, owner_id, status;
  int version = 0;
  std::optional<std::string> created_by;
  nlohmann::json created_at;
  long long def_count = 0;
};
nlohmann::json to_json(const SpecVersion& v, const char* owner_api_name);
inline constexpr const char* kSpecOwner = "categoryId";  // the owner attribute of asset spec versions

// A version with its definitions (GET /spec-versions/{id}).
struct SpecVersionDetail {
  SpecVersion version;
  std::vector<specs::FieldDef> defs;
};
nlohmann::json to_json(const SpecVersionDetail& d);

// A new draft and the version whose definitions it copied.
struct SpecDraft {
  SpecVersion version;
  std::optional<std::string> copied_from_version_id;
};
nlohmann::json to_json(const SpecDraft& d);

// What a publish did: the version now active, the one it retired, and the category's models whose spec
// does not satisfy it (they keep the version they were validated against).
struct NonConformingModel {
  std::string id;
  std::string model;
  std::optional<std::string> brand, spec_version_id;
  std::vector<specs::Issue> errors;
};
struct PublishReport {
  SpecVersion version;
  std::optional<std::string> retired_version_id;
  std::size_t checked_models = 0;
  std::vector<NonConformingModel> non_conforming;
};
nlohmann::json to_json(const PublishReport& r);

// One field definition and its version (the API shape adds versionId).
struct SpecDef {
  specs::FieldDef def;
  std::string version_id;
};
nlohmann::json to_json(const SpecDef& d);

// A change to a draft's definition: the camelCase attributes given, merged over the stored definition's
// API shape (null clears) and checked again as a whole, so the merge is defined on that shape.
struct SpecDefPatch {
  nlohmann::json attributes = nlohmann::json::object();
};

// ---- lists of vendors, categories and locations
struct ListFilter {
  std::optional<std::string> search;
  Clearable parent_id;  // locations: set → only children of (null = roots)
};

}  // namespace netops::catalog
