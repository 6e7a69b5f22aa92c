#pragma once
// Vendors (SPEC §3 "Assets"): every write is an audited change; a vendor still used by asset models or
// assets is not deleted (409 naming them).
#include <memory>
#include <optional>
#include <string>

#include "core/caller.hpp"
#include "kit/context.hpp"
#include "modules/audit/audit_service.hpp"
#include "modules/catalog/vendor_repo.hpp"

namespace netops::catalog {

class VendorService {
 public:
  VendorService(AppContext& ctx, std::shared_ptr<audit::AuditService> audit)
      : ctx_(ctx), repo_(ctx.db), audit_(std::move(audit)) {}

  Task<db::Page<Vendor>> list(const ListFilter& f, const db::PageRequest& p, const db::Sort& s);
  Task<Vendor> get(const std::string& id);  // 404 when absent
  Task<Vendor> create(const VendorInput& in, const Caller& by);
  Task<Vendor> update(const std::string& id, const VendorInput& in, const std::optional<std::string>& expected_etag,
                      const Caller& by);
  Task<void> remove(const std::string& id, const Caller& by);

 private:
  AppContext& ctx_;
  VendorRepo repo_;
  std::shared_ptr<audit::AuditService> audit_;
};

}  // namespace netops::catalog
