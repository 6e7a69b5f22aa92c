#pragma once
// CI types (SPEC §3 "CMDB"): a type is created with version 1 (active when attribute definitions are
// given, else an empty draft); its versions follow the one spec lifecycle (catalog::SpecVersionService on
// the CMDB tables). Every change writes an ops event of entity cmdb_type in its transaction.
#include <memory>

#include "core/caller.hpp"
#include "kit/context.hpp"
#include "modules/catalog/spec_version_service.hpp"
#include "modules/cmdb/ci_type_repo.hpp"
#include "modules/ops_events/ops_event_service.hpp"

namespace netops::cmdb {

// The CMDB's owner of spec versions: CI types, their CIs, ops events.
catalog::SpecOwner ci_type_spec_owner(db::Db& db, std::shared_ptr<ops_events::OpsEventService> ops);

class CiTypeService {
 public:
  CiTypeService(AppContext& ctx, std::shared_ptr<ops_events::OpsEventService> ops,
                std::shared_ptr<catalog::SpecVersionService> versions)
      : ctx_(ctx), repo_(ctx.db), ops_(std::move(ops)), versions_(std::move(versions)) {}

  Task<db::Page<CiType>> list(const TypeFilter& f, const db::PageRequest& p, const db::Sort& s) {
    co_return co_await repo_.list(f, p, s);
  }
  Task<CiType> get(const std::string& id);
  Task<CiType> create(const CiTypeInput& in, const Caller& by);
  Task<CiType> update(const std::string& id, const CiTypeInput& in, const std::optional<std::string>& if_match,
                      const Caller& by);
  // 409 while CIs of the type exist or relationship types are restricted to it.
  Task<void> remove(const std::string& id, const Caller& by);

 private:
  AppContext& ctx_;
  CiTypeRepo repo_;
  std::shared_ptr<ops_events::OpsEventService> ops_;
  std::shared_ptr<catalog::SpecVersionService> versions_;
};

}  // namespace netops::cmdb
