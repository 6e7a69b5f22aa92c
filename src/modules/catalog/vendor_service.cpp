#include "modules/catalog/vendor_service.hpp"

#include "modules/audit/audited.hpp"

namespace netops::catalog {

Task<db::Page<Vendor>> VendorService::list(const ListFilter& f, const db::PageRequest& p, const db::Sort& s) {
  co_return co_await repo_.list(f, p, s);
}

Task<Vendor> VendorService::get(const std::string& id) {
  auto v = co_await repo_.find(id);
  if (!v) throw NotFound("vendor");
  co_return *v;
}

Task<Vendor> VendorService::create(const VendorInput& in, const Caller& by) {
  Vendor out;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {  // named: GCC 12 mishandles temporaries in co_await
    audit::Change change{"vendor.created", "vendor", ""};
    audit::Insert<Vendor> insert = [&](db::Tx& t) -> Task<Vendor> { co_return co_await repo_.insert(t, in); };
    std::function<std::string(const Vendor&)> id_of = [](const Vendor& v) { return v.id; };
    out = co_await audit::audited_create(tx, *audit_, by, change, insert, id_of);
  };
  co_await ctx_.db.transaction(in_tx);
  co_return out;
}

Task<Vendor> VendorService::update(const std::string& id, const VendorInput& in,
                                   const std::optional<std::string>& expected_etag, const Caller& by) {
  Vendor out;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {
    nlohmann::json before, after;
    audit::Change change{"vendor.updated", "vendor", id, expected_etag};
    change.annotate = [&](nlohmann::json& d) {  // the catalog's audit rows carry both states
      d["before"] = before;
      d["after"] = after;
    };
    audit::Lock<Vendor> lock = [&](db::Tx& t) -> Task<std::optional<Vendor>> { co_return co_await repo_.lock(t, id); };
    audit::Write<Vendor> write = [&](db::Tx& t, const Vendor& current) -> Task<Vendor> {
      before = to_json(current);
      auto updated = co_await repo_.update(t, id, in);
      after = to_json(updated);
      co_return updated;
    };
    out = co_await audit::audited_update(tx, *audit_, by, change, lock, write);
  };
  co_await ctx_.db.transaction(in_tx);
  co_return out;
}

Task<void> VendorService::remove(const std::string& id, const Caller& by) {
  auto in_tx = [&](db::Tx& tx) -> Task<void> {
    audit::Change change{"vendor.deleted", "vendor", id};
    audit::Lock<Vendor> lock = [&](db::Tx& t) -> Task<std::optional<Vendor>> { co_return co_await repo_.lock(t, id); };
    audit::Remove<Vendor> remove = [&](db::Tx& t, const Vendor&) -> Task<void> {
      auto refs = co_await repo_.references(t, id);
      refuse_if_referenced("vendor", refs);
      co_await repo_.remove(t, id);
    };
    co_await audit::audited_delete(tx, *audit_, by, change, lock, remove);
  };
  co_await ctx_.db.transaction(in_tx);
}

}  // namespace netops::catalog
