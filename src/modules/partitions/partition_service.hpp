#pragma once
// Monthly partitions of usage_logs and audit_logs (README "Data that grows"): created ahead of time and
// dropped past the retention settings, at start and every NETOPS_PARTITIONS_INTERVAL_S, on whichever
// instance takes the advisory lock first.
#include <atomic>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "kit/context.hpp"
#include "modules/partitions/partition_repo.hpp"
#include "modules/partitions/partitions_settings.hpp"

namespace netops::partitions {

class PartitionService {
 public:
  explicit PartitionService(AppContext& ctx);
  // One maintenance pass for the UTC day `today` (YYYY-MM-DD): {"usage": …, "audit": …}, or nullopt when
  // another instance is running one.
  Task<std::optional<nlohmann::json>> maintain(const std::string& today);
  Task<void> run();    // the daily job (background.run)
  Task<void> drain();  // stops it
  const PartitionsSettings& settings() const { return settings_; }

 private:
  AppContext& ctx_;
  const PartitionsSettings settings_;
  PartitionRepo repo_;
  std::atomic<bool> stopping_{false};
};

}  // namespace netops::partitions
