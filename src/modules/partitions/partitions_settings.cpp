#include "modules/partitions/partitions_settings.hpp"

namespace netops::partitions {

const ConfigSection<PartitionsSettings>& partitions_section() {
  static const ConfigSection<PartitionsSettings> s{
      "partitions",
      {{"NETOPS_USAGE_RETENTION_MONTHS", "0",
        "months of usage_logs kept (the current month included); older monthly partitions are dropped by the "
        "daily maintenance. 0 = keep all. The daily roll-ups (reports, budgets) are kept whatever this says"},
       {"NETOPS_AUDIT_RETENTION_MONTHS", "0",
        "months of audit_logs kept (the current month included); older monthly partitions are dropped. 0 = keep all"},
       {"NETOPS_PARTITIONS_AHEAD_MONTHS", "2", "monthly partitions created ahead of the current month"},
       {"NETOPS_PARTITIONS_INTERVAL_S", "86400", "seconds between two partition maintenance runs (each instance; "
                                                 "an advisory lock lets one run at a time)"}},
      [](ConfigReader& r, PartitionsSettings& s) {
        r.number<int>("NETOPS_USAGE_RETENTION_MONTHS", s.usage_retention_months, 0, 1200);
        r.number<int>("NETOPS_AUDIT_RETENTION_MONTHS", s.audit_retention_months, 0, 1200);
        r.number<int>("NETOPS_PARTITIONS_AHEAD_MONTHS", s.months_ahead, 0, 24);
        r.number<int>("NETOPS_PARTITIONS_INTERVAL_S", s.interval_s, 60, 7 * 86400);
      }};
  return s;
}

}  // namespace netops::partitions
