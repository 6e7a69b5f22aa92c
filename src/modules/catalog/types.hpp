#pragma once
// Catalog rows → the camelCase API shape (SPEC §2). The SELECT lists live next to the mappers so a
// column added to one is seen in the other.
#include <nlohmann/json.hpp>

#include "db/query.hpp"

namespace netops::catalog {

inline constexpr const char* kVendorColumns = "id, name, tax_code, phone, email, address, created_at";
nlohmann::json vendor_json(const db::Row& r);

// asset_categories c joined with its active spec version v
inline constexpr const char* kCategorySelect =
    "SELECT c.id, c.name, c.created_at, v.id AS active_version_id, v.version AS active_version "
    "FROM asset_categories c LEFT JOIN asset_category_spec_versions v ON v.category_id = c.id AND v.status = 'active'";
nlohmann::json category_json(const db::Row& r);

inline constexpr const char* kLocationColumns = "id, name, parent_id, path, created_at";
// depth = number of ids in the path (a root location has depth 1)
nlohmann::json location_json(const db::Row& r);

inline constexpr const char* kModelSelect =
    "SELECT m.id, m.category_id, c.name AS category_name, m.spec_version_id, sv.version AS spec_version, "
    "m.vendor_id, vd.name AS vendor_name, m.brand, m.model, m.spec, m.created_at FROM asset_models m "
    "LEFT JOIN asset_categories c ON c.id = m.category_id LEFT JOIN vendors vd ON vd.id = m.vendor_id "
    "LEFT JOIN asset_category_spec_versions sv ON sv.id = m.spec_version_id";
nlohmann::json model_json(const db::Row& r);

}  // namespace netops::catalog
