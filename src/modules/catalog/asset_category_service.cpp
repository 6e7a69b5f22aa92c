#include "modules/catalog/asset_category_service.hpp"

#include "modules/audit/audited.hpp"

namespace netops::catalog {

Task<db::Page<AssetCategory>> AssetCategoryService::list(const ListFilter& f, const db::PageRequest& p,
                                                         const db::Sort& s) {
  co_return co_await repo_.list(f, p, s);
}

Task<AssetCategory> AssetCategoryService::get(const std::string& id) {
  auto c = co_await repo_.find(id);
  if (!c) throw NotFound("asset category");
  co_return *c;
}

Task<AssetCategory> AssetCategoryService::create(const AssetCategoryInput& in, const Caller& by) {
  AssetCategory out;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {  // named: GCC 12 mishandles temporaries in co_await
    std::string version_id;
    audit::Change change{"asset_category.created", "asset_category", ""};
    change.annotate = [&](nlohmann::json& d) { d["specVersionId"] = version_id; };
    audit::Insert<AssetCategory> insert = [&](db::Tx& t) -> Task<AssetCategory> {
      auto id = co_await repo_.insert(t, in);
      std::optional<std::string> created_by = by.user_id;
      auto version = co_await versions_.create_version(t, id, "active", created_by);
      version_id = version.id;
      auto found = co_await repo_.find(id, &t);
      co_return *found;
    };
    std::function<std::string(const AssetCategory&)> id_of = [](const AssetCategory& c) { return c.id; };
    out = co_await audit::audited_create(tx, *audit_, by, change, insert, id_of);
  };
  co_await ctx_.db.transaction(in_tx);
  co_return out;
}

Task<AssetCategory> AssetCategoryService::update(const std::string& id, const AssetCategoryInput& in,
                                                 const std::optional<std::string>& expected_etag, const Caller& by) {
  AssetCategory out;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {
    nlohmann::json before, after;
    audit::Change change{"asset_category.updated", "asset_category", id, expected_etag};
    change.annotate = [&](nlohmann::json& d) {  // the catalog's audit rows carry both states
      d["before"] = before;
      d["after"] = after;
    };
    audit::Lock<AssetCategory> lock = [&](db::Tx& t) -> Task<std::optional<AssetCategory>> {
      auto locked = co_await repo_.lock(t, id);
      if (!locked) throw NotFound("asset category");
      co_return co_await repo_.find(id, &t);
    };
    audit::Write<AssetCategory> write = [&](db::Tx& t, const AssetCategory& current) -> Task<AssetCategory> {
      before = to_json(current);
      co_await repo_.update(t, id, in);
      auto found = co_await repo_.find(id, &t);
      after = to_json(*found);
      co_return *found;
    };
    out = co_await audit::audited_update(tx, *audit_, by, change, lock, write);
  };
  co_await ctx_.db.transaction(in_tx);
  co_return out;
}

Task<void> AssetCategoryService::remove(const std::string& id, const Caller& by) {
  auto in_tx = [&](db::Tx& tx) -> Task<void> {
    audit::Change change{"asset_category.deleted", "asset_category", id};
    audit::Lock<AssetCategory> lock = [&](db::Tx& t) -> Task<std::optional<AssetCategory>> {
      auto locked = co_await repo_.lock(t, id);
      if (!locked) throw NotFound("asset category");
      co_return co_await repo_.find(id, &t);
    };
    audit::Remove<AssetCategory> remove = [&](db::Tx& t, const AssetCategory&) -> Task<void> {
      auto refs = co_await repo_.references(t, id);
      refuse_if_referenced("asset category", refs);
      co_await repo_.remove(t, id);  // its spec versions and definitions go with it (CASCADE)
    };
    co_await audit::audited_delete(tx, *audit_, by, change, lock, remove);
  };
  co_await ctx_.db.transaction(in_tx);
}

}  // namespace netops::catalog
