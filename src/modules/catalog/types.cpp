#include "modules/catalog/types.hpp"

#include <algorithm>

namespace netops::catalog {

namespace {
nlohmann::json opt(const std::optional<std::string>& s) { return s ? nlohmann::json(*s) : nlohmann::json(); }
nlohmann::json opt(const std::optional<int>& i) { return i ? nlohmann::json(*i) : nlohmann::json(); }
std::string timestamp(const db::Row& r, const char* column) {
  auto t = r.timestamp(column);
  return t.is_string() ? t.get<std::string>() : std::string();
}
}  // namespace

nlohmann::json to_json(const Vendor& v) {
  return {{"id", v.id},          {"name", v.name},           {"taxCode", opt(v.tax_code)},
          {"phone", opt(v.phone)}, {"email", opt(v.email)},  {"address", opt(v.address)},
          {"createdAt", v.created_at}};
}

Vendor vendor_from_row(const db::Row& r) {
  return Vendor{r.get<std::string>("id"),           r.get<std::string>("name"),       r.opt<std::string>("tax_code"),
                r.opt<std::string>("phone"),        r.opt<std::string>("email"),      r.opt<std::string>("address"),
                timestamp(r, "created_at")};
}

nlohmann::json to_json(const AssetCategory& c) {
  return {{"id", c.id},
          {"name", c.name},
          {"activeSpecVersionId", opt(c.active_version_id)},
          {"activeSpecVersion", opt(c.active_version)},
          {"createdAt", c.created_at}};
}

AssetCategory category_from_row(const db::Row& r) {
  return AssetCategory{r.get<std::string>("id"), r.get<std::string>("name"), r.opt<std::string>("active_version_id"),
                       r.opt<int>("active_version"), timestamp(r, "created_at")};
}

long long Location::depth() const { return static_cast<long long>(std::count(path.begin(), path.end(), '/')) - 1; }

nlohmann::json to_json(const Location& l) {
  return {{"id", l.id},     {"name", l.name},       {"parentId", opt(l.parent_id)},
          {"path", l.path}, {"depth", l.depth()},   {"createdAt", l.created_at}};
}

Location location_from_row(const db::Row& r) {
  return Location{r.get<std::string>("id"), r.get<std::string>("name"), r.opt<std::string>("parent_id"),
                  r.get<std::string>("path"), timestamp(r, "created_at")};
}

nlohmann::json to_json(const LocationTree& t) {
  auto out = to_json(t.location);
  out["children"] = nlohmann::json::array();
  for (auto& c : t.children) out["children"].push_back(to_json(c));
  return out;
}

nlohmann::json to_json(const AssetModel& m) {
  return {{"id", m.id},
          {"categoryId", opt(m.category_id)},
          {"categoryName", opt(m.category_name)},
          {"specVersionId", opt(m.spec_version_id)},
          {"specVersion", opt(m.spec_version)},
          {"vendorId", opt(m.vendor_id)},
          {"vendorName", opt(m.vendor_name)},
          {"brand", opt(m.brand)},
          {"model", m.model},
          {"spec", m.spec},
          {"createdAt", m.created_at}};
}

AssetModel model_from_row(const db::Row& r) {
  AssetModel m;
  m.id = r.get<std::string>("id");
  m.category_id = r.opt<std::string>("category_id");
  m.category_name = r.opt<std::string>("category_name");
  m.spec_version_id = r.opt<std::string>("spec_version_id");
  m.spec_version = r.opt<int>("spec_version");
  m.vendor_id = r.opt<std::string>("vendor_id");
  m.vendor_name = r.opt<std::string>("vendor_name");
  m.brand = r.opt<std::string>("brand");
  m.model = r.get<std::string>("model");
  m.spec = r.json("spec");
  m.created_at = timestamp(r, "created_at");
  return m;
}

nlohmann::json to_json(const SpecVersion& v, const char* owner_api_name) {
  return {{"id", v.id},         {owner_api_name, v.owner_id},
          {"version", v.version}, {"status", v.status},
          {"createdBy", v.created_by ? nlohmann::json(*v.created_by) : nlohmann::json()},
          {"createdAt", v.created_at}, {"defCount", v.def_count}};
}

nlohmann::json to_json(const SpecVersionDetail& d) {
  auto out = to_json(d.version, kSpecOwner);
  out["defs"] = nlohmann::json::array();
  for (auto& def : d.defs) out["defs"].push_back(specs::def_to_json(def));
  return out;
}

nlohmann::json to_json(const SpecDraft& d) {
  auto out = to_json(d.version, kSpecOwner);
  out["copiedFromVersionId"] = opt(d.copied_from_version_id);
  return out;
}

nlohmann::json to_json(const PublishReport& r) {
  nlohmann::json failing = nlohmann::json::array();
  for (auto& m : r.non_conforming) {
    nlohmann::json errors = nlohmann::json::array();
    for (auto& i : m.errors) errors.push_back({{"key", i.key}, {"issue", i.issue}});
    failing.push_back({{"id", m.id}, {"model", m.model}, {"brand", opt(m.brand)},
                       {"specVersionId", opt(m.spec_version_id)}, {"errors", std::move(errors)}});
  }
  return {{"version", to_json(r.version, kSpecOwner)},
          {"retiredVersionId", opt(r.retired_version_id)},
          {"checkedModels", r.checked_models},
          {"nonConformingModels", std::move(failing)}};
}

nlohmann::json to_json(const SpecDef& d) {
  auto j = specs::def_to_json(d.def);
  j["versionId"] = d.version_id;
  return j;
}

}  // namespace netops::catalog
