// Vendors and asset categories.
#include "modules/catalog/service.hpp"

namespace netops::catalog {

namespace {
const std::vector<TextField> kVendorFields = {{"name", "name", 255, true},     {"taxCode", "tax_code", 100, false},
                                              {"phone", "phone", 50, false},   {"email", "email", 255, false},
                                              {"address", "address", 2000, false}};
const std::vector<TextField> kCategoryFields = {{"name", "name", 255, true}};

ColumnValues parse_vendor(const nlohmann::json& body, bool creating) {
  Validation v;
  auto cols = read_text_fields(body, kVendorFields, creating, v);
  for (auto& [column, value] : cols)
    if (column == "email" && value && value->find('@') == std::string::npos) v.add("email", "must be a valid email");
  v.throw_if_any();
  return cols;
}
}  // namespace

SpecTables asset_spec_tables() {
  return {"asset_category_spec_versions", "asset_category_spec_defs", "category_id", "asset_specs"};
}

// ---- vendors
Task<Page> CatalogService::list_vendors(const ListFilter& f, const http::Paging& p, const http::Sort& s) {
  co_return co_await repo_.list_vendors(f, p, s);
}

Task<nlohmann::json> CatalogService::get_vendor(const std::string& id) {
  auto v = co_await repo_.find_vendor(id);
  if (!v) throw NotFound("vendor");
  co_return *v;
}

Task<nlohmann::json> CatalogService::create_vendor(const nlohmann::json& body, Caller c) {
  auto cols = parse_vendor(body, true);
  nlohmann::json out;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {
    out = co_await repo_.insert_vendor(tx, cols);
    auto e = audit_entry(c.actor, "vendor.created", "vendor:" + out["id"].get<std::string>(), {{"after", out}},
                         c.request_id);
    co_await audit_.record(tx, e);
  };
  co_await ctx_.db.transaction(in_tx);
  co_return out;
}

Task<nlohmann::json> CatalogService::update_vendor(const std::string& id, const nlohmann::json& body, Caller c,
                                                   IfMatch check) {
  auto cols = parse_vendor(body, false);
  nlohmann::json after;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {
    auto before = co_await repo_.find_vendor(id, &tx, true);
    if (!before) throw NotFound("vendor");
    check(*before);
    after = co_await repo_.update_vendor(tx, id, cols);
    auto e = audit_entry(c.actor, "vendor.updated", "vendor:" + id,
                         {{"before", *before}, {"after", after}, {"changes", audit::changes(*before, after)}},
                         c.request_id);
    co_await audit_.record(tx, e);
  };
  co_await ctx_.db.transaction(in_tx);
  co_return after;
}

Task<void> CatalogService::delete_vendor(const std::string& id, Caller c) {
  auto in_tx = [&](db::Tx& tx) -> Task<void> {
    auto before = co_await repo_.find_vendor(id, &tx, true);
    if (!before) throw NotFound("vendor");
    auto refs = co_await repo_.vendor_references(tx, id);
    refuse_if_referenced("vendor", refs);
    co_await repo_.delete_vendor(tx, id);
    auto e = audit_entry(c.actor, "vendor.deleted", "vendor:" + id, {{"before", *before}}, c.request_id);
    co_await audit_.record(tx, e);
  };
  co_await ctx_.db.transaction(in_tx);
}

// ---- asset categories
Task<Page> CatalogService::list_categories(const ListFilter& f, const http::Paging& p, const http::Sort& s) {
  co_return co_await repo_.list_categories(f, p, s);
}

Task<nlohmann::json> CatalogService::get_category(const std::string& id) {
  auto v = co_await repo_.find_category(id);
  if (!v) throw NotFound("asset category");
  co_return *v;
}

Task<nlohmann::json> CatalogService::create_category(const nlohmann::json& body, Caller c) {
  Validation v;
  auto cols = read_text_fields(body, kCategoryFields, true, v);
  v.throw_if_any();
  nlohmann::json out;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {
    auto id = co_await repo_.insert_category(tx, cols);
    std::optional<std::string> by = c.actor.user_id;
    auto version = co_await specs_.create_version(tx, id, "active", by);
    auto found = co_await repo_.find_category(id, &tx);
    out = *found;
    auto e = audit_entry(c.actor, "asset_category.created", "asset_category:" + id,
                         {{"after", out}, {"specVersionId", version.id}}, c.request_id);
    co_await audit_.record(tx, e);
  };
  co_await ctx_.db.transaction(in_tx);
  co_return out;
}

Task<nlohmann::json> CatalogService::update_category(const std::string& id, const nlohmann::json& body, Caller c,
                                                     IfMatch check) {
  Validation v;
  auto cols = read_text_fields(body, kCategoryFields, false, v);
  v.throw_if_any();
  nlohmann::json after;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {
    auto locked = co_await repo_.lock_category(tx, id);
    if (!locked) throw NotFound("asset category");
    auto before = co_await repo_.find_category(id, &tx);
    check(*before);
    co_await repo_.update_category(tx, id, cols);
    auto found = co_await repo_.find_category(id, &tx);
    after = *found;
    auto e = audit_entry(c.actor, "asset_category.updated", "asset_category:" + id,
                         {{"before", *before}, {"after", after}, {"changes", audit::changes(*before, after)}},
                         c.request_id);
    co_await audit_.record(tx, e);
  };
  co_await ctx_.db.transaction(in_tx);
  co_return after;
}

Task<void> CatalogService::delete_category(const std::string& id, Caller c) {
  auto in_tx = [&](db::Tx& tx) -> Task<void> {
    auto locked = co_await repo_.lock_category(tx, id);
    if (!locked) throw NotFound("asset category");
    auto before = co_await repo_.find_category(id, &tx);
    auto refs = co_await repo_.category_references(tx, id);
    refuse_if_referenced("asset category", refs);
    co_await repo_.delete_category(tx, id);  // its spec versions and definitions go with it (CASCADE)
    auto e = audit_entry(c.actor, "asset_category.deleted", "asset_category:" + id, {{"before", *before}},
                         c.request_id);
    co_await audit_.record(tx, e);
  };
  co_await ctx_.db.transaction(in_tx);
}

}  // namespace netops::catalog
