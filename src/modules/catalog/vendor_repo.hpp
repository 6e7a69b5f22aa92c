#pragma once
// SQL of vendors. Nothing else.
#include <optional>
#include <string>
#include <vector>

#include "db/db.hpp"
#include "db/page.hpp"
#include "modules/catalog/references.hpp"
#include "modules/catalog/types.hpp"

namespace netops::catalog {

class VendorRepo {
 public:
  explicit VendorRepo(db::Db& db) : db_(db) {}
  Task<db::Page<Vendor>> list(const ListFilter& f, const db::PageRequest& p, const db::Sort& s);
  Task<std::optional<Vendor>> find(const std::string& id);
  Task<std::optional<Vendor>> lock(db::Tx& tx, const std::string& id);  // FOR UPDATE
  Task<Vendor> insert(db::Tx& tx, const VendorInput& in);
  Task<Vendor> update(db::Tx& tx, const std::string& id, const VendorInput& in);
  Task<std::vector<Reference>> references(db::Tx& tx, const std::string& id);
  Task<void> remove(db::Tx& tx, const std::string& id);

 private:
  db::Db& db_;
};

}  // namespace netops::catalog
