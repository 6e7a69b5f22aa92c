#pragma once
#include "core/config.hpp"

namespace netops::partitions {

struct PartitionsSettings {
  int usage_retention_months = 0;  // 0 = keep every month of usage_logs
  int audit_retention_months = 0;  // 0 = keep every month of audit_logs
  int months_ahead = 2;            // partitions exist for the current month and this many after it
  int interval_s = 86400;          // between two maintenance runs on each instance
};
const ConfigSection<PartitionsSettings>& partitions_section();

}  // namespace netops::partitions
