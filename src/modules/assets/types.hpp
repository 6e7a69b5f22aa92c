#pragma once
// The assets module's structs and their JSON shapes. An asset's writable columns are held as text by
// SQL column name (see rules.hpp columns()), so the API, the CSV import and the event payloads share
// one mapping instead of three.
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/caller.hpp"
#include "db/query.hpp"

namespace netops::assets {

// SQL column → value as PostgreSQL prints it (nullopt = NULL).
using Values = std::map<std::string, std::optional<std::string>, std::less<>>;

struct Asset {
  std::string id;
  Values values;
  nlohmann::json created_at, updated_at;
  const std::optional<std::string>& get(std::string_view sql_column) const;
  std::string status() const { return get("status").value_or("in_stock"); }
};

// The operations' inputs (asset_body.hpp reads them from bodies).
struct StatusChange {
  std::string to;
  std::optional<std::string> note;
};
struct NewAssignment {
  std::string assignee_type, assignee_id, assignee_name;
  std::optional<std::string> note;
};
struct MoveInput {
  std::string location_id;  // canonical (lower-case)
  std::optional<std::string> note;
};

struct Filter {
  std::vector<std::string> statuses;
  std::optional<std::string> location_id, category_id, model_id, vendor_id, warranty_before, search;
  std::vector<std::string> ids;  // ?ids=: these assets only (a selection; at most kMaxIds)
  // The subtree of location_id (itself and every descendant), when AssetRepo::resolve_locations looked it up.
  std::optional<std::vector<std::string>> location_ids;
};

// "a.id, a.asset_code, …, host(a.mgmt_ip) AS mgmt_ip, …, a.created_at, a.updated_at"
const std::string& asset_columns();
Asset asset_from_row(const db::Row& r);
// The asset's own representation (camelCase, vlanId a number); its ETag guards updates.
nlohmann::json to_json(const Asset& a);
// A list row: to_json plus modelName, modelBrand, categoryId, categoryName, locationName, vendorName.
nlohmann::json list_item_json(const db::Row& r);
nlohmann::json assignment_json(const db::Row& r);
nlohmann::json event_json(const db::Row& r);
nlohmann::json attachment_json(const db::Row& r);

// The columns present in v, in API names (an IMPORTED event's "after").
nlohmann::json values_json(const Values& v);
// {"field": {"before": …, "after": …}} over the columns that differ, in API names.
nlohmann::json changes(const Values& before, const Values& after);

}  // namespace netops::assets
