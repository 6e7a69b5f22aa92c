#include "modules/catalog/types.hpp"

#include <algorithm>

namespace netops::catalog {

nlohmann::json vendor_json(const db::Row& r) {
  return {{"id", r.json("id")},           {"name", r.json("name")},   {"taxCode", r.json("tax_code")},
          {"phone", r.json("phone")},     {"email", r.json("email")}, {"address", r.json("address")},
          {"createdAt", r.timestamp("created_at")}};
}

nlohmann::json category_json(const db::Row& r) {
  return {{"id", r.json("id")},
          {"name", r.json("name")},
          {"activeSpecVersionId", r.json("active_version_id")},
          {"activeSpecVersion", r.json("active_version")},
          {"createdAt", r.timestamp("created_at")}};
}

nlohmann::json location_json(const db::Row& r) {
  auto path = r.get<std::string>("path");
  auto depth = std::count(path.begin(), path.end(), '/') - 1;
  return {{"id", r.json("id")},     {"name", r.json("name")}, {"parentId", r.json("parent_id")},
          {"path", path},           {"depth", depth},         {"createdAt", r.timestamp("created_at")}};
}

nlohmann::json model_json(const db::Row& r) {
  return {{"id", r.json("id")},
          {"categoryId", r.json("category_id")},
          {"categoryName", r.json("category_name")},
          {"specVersionId", r.json("spec_version_id")},
          {"specVersion", r.json("spec_version")},
          {"vendorId", r.json("vendor_id")},
          {"vendorName", r.json("vendor_name")},
          {"brand", r.json("brand")},
          {"model", r.json("model")},
          {"spec", r.json("spec")},
          {"createdAt", r.timestamp("created_at")}};
}

}  // namespace netops::catalog
