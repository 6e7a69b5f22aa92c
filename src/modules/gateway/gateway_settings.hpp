#pragma once
#include <optional>
#include <string>

#include "core/config.hpp"
#include "core/tier.hpp"

namespace netops::gateway {

// Budgets of one users.tier; 0 = no limit. Costs in micro-USD (exact), tokens as counts.
struct TierBudget {
  long long daily_micro_usd = 0, monthly_micro_usd = 0, daily_tokens = 0, monthly_tokens = 0;
};

struct GatewaySettings {
  int upstream_connect_timeout_ms = 5000;
  int upstream_first_byte_timeout_ms = 60000;
  int upstream_idle_timeout_ms = 60000;
  int upstream_total_timeout_ms = 600000;
  int upstream_retries = 2;                 // per target, after the first call
  int upstream_retry_base_ms = 100;         // jittered exponential backoff base
  int upstream_retry_after_max_ms = 10000;  // a longer Retry-After moves on to the next target
  // Commit a stream at the upstream's event-stream headers (true) or at its first event (false: a stream
  // that fails before any event still fails over, at the cost of that wait before the client's first byte).
  bool stream_commit_at_headers = true;
  int breaker_failures = 5;                 // consecutive failures that open a model's circuit
  int breaker_cooldown_ms = 30000;          // open → half-open (one probe)
  double escalation_thresholds[4] = {0.50, 0.65, 0.75, 0.85};  // quality needed to stop at tier 0–3
  int accounting_flush_ms = 100;
  int accounting_spill_after = 100000;  // records waiting on a failing database beyond which they go to disk
  int accounting_spill_max_mb = 1024;   // ...unless the spill directory's files hold this much already
  // Usage records that cannot reach the database at shutdown go to JSON-lines files here; the next start
  // replays them. Empty: NETOPS_STORAGE_DIR/accounting-spill.
  std::string accounting_spill_dir;
  TierBudget budget_free{1'000'000, 10'000'000, 1'000'000, 10'000'000};
  TierBudget budget_pro{25'000'000, 250'000'000, 25'000'000, 250'000'000};
  TierBudget budget_enterprise{500'000'000, 5'000'000'000, 0, 0};
  // The limits of a tier ("unlimited": none).
  TierBudget budget(Tier t) const;
};
const ConfigSection<GatewaySettings>& gateway_section();

// "12", "0.5", "1.000001" → micro-units; nullopt for anything else (signs, exponents, > 6 decimals) and
// for amounts beyond 9,223,372.036854 USD (the range of the exact cost sums, llm/decimal.hpp).
std::optional<long long> parse_usd_micro(const std::string& v);

}  // namespace netops::gateway
