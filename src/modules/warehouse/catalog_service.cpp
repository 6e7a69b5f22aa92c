#include "modules/warehouse/catalog_service.hpp"

#include "core/error.hpp"
#include "core/etag.hpp"

namespace netops::warehouse {

Task<db::Page<Item>> CatalogService::list(const CatalogFilter& f, const db::PageRequest& p, const db::Sort& s) {
  co_return co_await repo_.list(f, p, s);
}

Task<Item> CatalogService::get(const std::string& id) {
  auto found = co_await repo_.find(id);
  if (!found) throw NotFound(kind_.entity);
  co_return *found;
}

Task<Item> CatalogService::create(const ItemInput& in, const Caller& by) {
  Item out;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {  // named: GCC 12 mishandles temporaries in co_await
    out = co_await repo_.insert(tx, in.columns);
    nlohmann::json payload = {{"after", out.json}};
    auto id = out.id();
    co_await ops_->record(tx, kind_.entity, id, "created", payload, by);
  };
  co_await ctx_.db.transaction(in_tx);
  co_return out;
}

Task<Item> CatalogService::update(const std::string& id, const ItemInput& in,
                                  const std::optional<std::string>& expected_etag, const Caller& by) {
  Item out;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {
    auto current = co_await repo_.lock(tx, id);
    if (!current) throw NotFound(kind_.entity);
    check_expected_etag(expected_etag, current->json);
    out = co_await repo_.update(tx, id, in.columns);
    nlohmann::json payload = {{"before", current->json}, {"after", out.json}};
    co_await ops_->record(tx, kind_.entity, id, "updated", payload, by);
  };
  co_await ctx_.db.transaction(in_tx);
  co_return out;
}

Task<void> CatalogService::remove(const std::string& id, const Caller& by) {
  auto in_tx = [&](db::Tx& tx) -> Task<void> {
    auto current = co_await repo_.lock(tx, id);
    if (!current) throw NotFound(kind_.entity);
    auto refs = co_await repo_.references(tx, id);
    if (!refs.empty()) {
      nlohmann::json details = nlohmann::json::object();
      std::string msg = (kind_.entity == "spare_part" ? std::string("spare part") : kind_.entity) + " has ";
      for (std::size_t i = 0; i < refs.size(); ++i) {
        auto& [ref, n] = refs[i];
        details[ref->key] = n;
        if (i > 0) msg += i + 1 == refs.size() ? " and " : ", ";
        msg += std::to_string(n) + " " + (n == 1 ? ref->singular : ref->plural);
      }
      throw Conflict(msg, details);
    }
    co_await repo_.remove(tx, id);
    nlohmann::json payload = {{"before", current->json}};
    co_await ops_->record(tx, kind_.entity, id, "deleted", payload, by);
  };
  co_await ctx_.db.transaction(in_tx);
}

}  // namespace netops::warehouse
