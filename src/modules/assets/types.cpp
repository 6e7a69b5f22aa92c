#include "modules/assets/types.hpp"

#include "modules/assets/asset_rules.hpp"

namespace netops::assets {

namespace {
nlohmann::json value_json(const Column& c, const std::optional<std::string>& v) {
  if (!v) return nullptr;
  if (c.kind == Kind::vlan) return std::stoll(*v);
  return *v;
}
}  // namespace

const std::optional<std::string>& Asset::get(std::string_view sql_column) const {
  static const std::optional<std::string> kNull;
  auto it = values.find(sql_column);
  return it == values.end() ? kNull : it->second;
}

const std::string& asset_columns() {
  static const std::string kColumns = [] {
    std::string s = "a.id";
    for (auto& c : columns()) {
      if (c.kind == Kind::ip)
        s += ", host(a." + std::string(c.sql) + ") AS " + std::string(c.sql);  // no "/32" suffix
      else
        s += ", a." + std::string(c.sql);
    }
    return s + ", a.created_at, a.updated_at";
  }();
  return kColumns;
}

Asset asset_from_row(const db::Row& r) {
  Asset a;
  a.id = r.get<std::string>("id");
  for (auto& c : columns()) a.values[std::string(c.sql)] = r.opt<std::string>(c.sql);
  a.created_at = r.timestamp("created_at");
  a.updated_at = r.timestamp("updated_at");
  return a;
}

nlohmann::json to_json(const Asset& a) {
  nlohmann::json j = {{"id", a.id}};
  for (auto& c : columns()) j[std::string(c.api)] = value_json(c, a.get(c.sql));
  j["createdAt"] = a.created_at;
  j["updatedAt"] = a.updated_at;
  return j;
}

nlohmann::json list_item_json(const db::Row& r) {
  auto j = to_json(asset_from_row(r));
  j["modelName"] = r.json("model_name");
  j["modelBrand"] = r.json("model_brand");
  j["categoryId"] = r.json("category_id");
  j["categoryName"] = r.json("category_name");
  j["locationName"] = r.json("location_name");
  j["vendorName"] = r.json("vendor_name");
  return j;
}

nlohmann::json assignment_json(const db::Row& r) {
  return {{"id", r.get<std::string>("id")},
          {"assetId", r.get<std::string>("asset_id")},
          {"assigneeType", r.get<std::string>("assignee_type")},
          {"assigneeId", r.get<std::string>("assignee_id")},
          {"assigneeName", r.get<std::string>("assignee_name")},
          {"assignedAt", r.timestamp("assigned_at")},
          {"returnedAt", r.timestamp("returned_at")},
          {"note", r.json("note")}};
}

nlohmann::json event_json(const db::Row& r) {
  return {{"id", r.get<std::string>("id")},
          {"assetId", r.get<std::string>("asset_id")},
          {"eventType", r.get<std::string>("event_type")},
          {"payload", r.json("payload")},
          {"actorUserId", r.json("actor_user_id")},
          {"correlationId", r.json("correlation_id")},
          {"createdAt", r.timestamp("created_at")}};
}

nlohmann::json attachment_json(const db::Row& r) {
  return {{"id", r.get<std::string>("id")},
          {"assetId", r.get<std::string>("asset_id")},
          {"fileName", r.json("file_name")},
          {"mimeType", r.json("mime_type")},
          {"sizeBytes", r.json("size_bytes")},
          {"version", r.json("version")},
          {"sha256", r.json("sha256")},
          {"uploadedBy", r.json("uploaded_by")},
          {"correlationId", r.json("correlation_id")},
          {"createdAt", r.timestamp("created_at")}};
}

nlohmann::json values_json(const Values& v) {
  nlohmann::json out = nlohmann::json::object();
  for (auto& c : columns())
    if (auto it = v.find(c.sql); it != v.end()) out[std::string(c.api)] = value_json(c, it->second);
  return out;
}

nlohmann::json changes(const Values& before, const Values& after) {
  nlohmann::json out = nlohmann::json::object();
  for (auto& c : columns()) {
    auto b = before.find(c.sql), a = after.find(c.sql);
    if (a == after.end()) continue;  // not part of the change
    std::optional<std::string> old = b == before.end() ? std::nullopt : b->second;
    if (old != a->second) out[std::string(c.api)] = {{"before", value_json(c, old)}, {"after", value_json(c, a->second)}};
  }
  return out;
}

}  // namespace netops::assets
