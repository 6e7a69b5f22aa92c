#pragma once
// SQL of asset models. Nothing else.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "db/db.hpp"
#include "http/listing.hpp"
#include "modules/catalog/common.hpp"

namespace netops::catalog {

using Page = std::pair<nlohmann::json, long long>;

struct ModelFilter {
  std::optional<std::string> category_id, vendor_id, brand, search;
  // One entry per spec.<key> filter: the alternatives (jsonb documents, ORed) that `spec @>` must
  // contain; entries are ANDed. Served by the GIN index on spec (jsonb_path_ops).
  std::vector<std::vector<nlohmann::json>> spec_contains;
};

// The stored columns of one model.
struct ModelRow {
  std::optional<std::string> category_id, spec_version_id, vendor_id, brand;
  std::string model;
  nlohmann::json spec = nlohmann::json::object();
};
ModelRow model_row(const nlohmann::json& api);  // from model_json's shape

class ModelRepo {
 public:
  explicit ModelRepo(db::Db& db) : db_(db) {}
  Task<Page> list(const ModelFilter& f, const http::Paging& p, const http::Sort& s);
  Task<std::optional<nlohmann::json>> find(const std::string& id, db::Tx* tx = nullptr, bool lock = false);
  Task<std::string> insert(db::Tx& tx, const ModelRow& m);
  Task<void> update(db::Tx& tx, const std::string& id, const ModelRow& m);
  Task<long long> asset_count(db::Tx& tx, const std::string& id);
  Task<void> remove(db::Tx& tx, const std::string& id);
  Task<nlohmann::json> of_category(db::Tx& tx, const std::string& category_id);  // API shape, by model name

 private:
  db::Db& db_;
};

}  // namespace netops::catalog
