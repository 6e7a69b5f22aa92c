#pragma once
// Partition maintenance of the growing log tables (usage_logs, audit_logs): no routes, one daily job.
#include <memory>

#include "kit/context.hpp"
#include "kit/module.hpp"
#include "modules/partitions/partition_service.hpp"

namespace netops::partitions {

Module<PartitionService> register_module(AppContext& ctx);

}  // namespace netops::partitions
