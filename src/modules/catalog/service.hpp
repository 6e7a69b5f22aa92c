#pragma once
// Rules and transactions of the catalogs (SPEC §3 "Assets", §4.4): vendors, asset categories (with
// their spec versions), locations (tree), asset models. Every write records an audit_logs row with
// before/after and the request id as correlation id, in the transaction of the change.
#include <memory>
#include <nlohmann/json.hpp>

#include "kit/context.hpp"
#include "http/listing.hpp"
#include "modules/audit/audit_service.hpp"
#include "modules/catalog/common.hpp"
#include "modules/catalog/model_repo.hpp"
#include "modules/catalog/repo.hpp"
#include "modules/catalog/spec_store.hpp"

namespace netops::catalog {

// Who asks, and the request id written as correlation id.
struct Caller {
  const http::Actor& actor;
  const std::string& request_id;
};

SpecTables asset_spec_tables();

class CatalogService {
 public:
  explicit CatalogService(AppContext& ctx)
      : ctx_(ctx), repo_(ctx.db), specs_(ctx.db, asset_spec_tables()), audit_(ctx.db) {}

  Task<Page> list_vendors(const ListFilter& f, const http::Paging& p, const http::Sort& s);
  Task<nlohmann::json> get_vendor(const std::string& id);
  Task<nlohmann::json> create_vendor(const nlohmann::json& body, Caller c);
  Task<nlohmann::json> update_vendor(const std::string& id, const nlohmann::json& body, Caller c, IfMatch check);
  Task<void> delete_vendor(const std::string& id, Caller c);

  Task<Page> list_categories(const ListFilter& f, const http::Paging& p, const http::Sort& s);
  Task<nlohmann::json> get_category(const std::string& id);
  // Creates the category and its spec version 1 (active, no definitions) in one transaction.
  Task<nlohmann::json> create_category(const nlohmann::json& body, Caller c);
  Task<nlohmann::json> update_category(const std::string& id, const nlohmann::json& body, Caller c, IfMatch check);
  Task<void> delete_category(const std::string& id, Caller c);

  Task<Page> list_locations(const ListFilter& f, const http::Paging& p, const http::Sort& s);
  Task<nlohmann::json> get_location(const std::string& id);
  Task<nlohmann::json> tree(const std::string& id);  // the location with nested "children"
  Task<nlohmann::json> create_location(const nlohmann::json& body, Caller c);
  // name and/or parentId; a parent change moves the whole subtree (409 on a cycle)
  Task<nlohmann::json> update_location(const std::string& id, const nlohmann::json& body, Caller c, IfMatch check);
  Task<void> delete_location(const std::string& id, Caller c);

 private:
  AppContext& ctx_;
  CatalogRepo repo_;
  SpecStore specs_;
  audit::AuditService audit_;
};

// Spec versions of asset categories: draft → active → retired, definitions editable only in draft.
class SpecService {
 public:
  explicit SpecService(AppContext& ctx)
      : ctx_(ctx), repo_(ctx.db), store_(ctx.db, asset_spec_tables()), models_(ctx.db), audit_(ctx.db) {}

  Task<nlohmann::json> versions(const std::string& category_id);
  Task<nlohmann::json> version(const std::string& id);  // with its definitions
  // A new draft copying the active version's definitions; 409 while a draft exists.
  Task<nlohmann::json> create_draft(const std::string& category_id, Caller c);
  Task<void> delete_draft(const std::string& id, Caller c);
  // Retires the active version and activates the draft; reports the models that do not satisfy it.
  Task<nlohmann::json> publish(const std::string& id, Caller c);
  Task<nlohmann::json> defs(const std::string& version_id);
  Task<nlohmann::json> add_def(const std::string& version_id, const nlohmann::json& body, Caller c);
  // Merges the body's attributes over the stored definition.
  Task<nlohmann::json> update_def(const std::string& id, const nlohmann::json& body, Caller c);
  Task<void> delete_def(const std::string& id, Caller c);

 private:
  Task<SpecVersion> lock_draft(db::Tx& tx, const std::string& version_id);  // 404, or 409 unless draft
  AppContext& ctx_;
  CatalogRepo repo_;
  SpecStore store_;
  ModelRepo models_;
  audit::AuditService audit_;
};

class ModelService {
 public:
  explicit ModelService(AppContext& ctx)
      : ctx_(ctx), repo_(ctx.db), store_(ctx.db, asset_spec_tables()), audit_(ctx.db) {}
  // filters: categoryId, vendorId, brand, search, spec.<key>=value for filterable fields
  Task<Page> list(const http::Request& req, const http::Paging& p, const http::Sort& s);
  Task<nlohmann::json> get(const std::string& id);
  Task<nlohmann::json> create(const nlohmann::json& body, Caller c);
  Task<nlohmann::json> update(const std::string& id, const nlohmann::json& body, Caller c, IfMatch check);
  Task<void> remove(const std::string& id, Caller c);

 private:
  AppContext& ctx_;
  ModelRepo repo_;
  SpecStore store_;
  audit::AuditService audit_;
};

}  // namespace netops::catalog
