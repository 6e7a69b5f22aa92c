#include "modules/gateway/gateway_settings.hpp"

// GCC 12 reports a false -Wstringop-overread inside libstdc++'s std::string here (the family of GCC bugs
// 105329/105651 that CMakeLists.txt already silences for the other warnings of it).
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ < 13
#pragma GCC diagnostic ignored "-Wstringop-overread"
#endif

#include <cstdlib>

namespace netops::gateway {

namespace {
// The gateway sums costs exactly in 12-decimal fixed point in one int64, whose range ends at
// 9,223,372.036854775807. A larger budget used to wrap around into a negative one that refused every call.
constexpr long long kMaxBudgetMicroUsd = 9'223'372'036'854LL;

void read_thresholds(ConfigReader& r, GatewaySettings& s) {
  auto v = r.str("NETOPS_ESCALATION_THRESHOLDS");
  if (!v) return;
  double t[4];
  int n = 0;
  std::size_t pos = 0;
  bool ok = true;
  while (ok && pos <= v->size() && n < 5) {
    auto comma = v->find(',', pos);
    std::string part = v->substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
    char* end = nullptr;
    double x = std::strtod(part.c_str(), &end);
    ok = !part.empty() && end == part.c_str() + part.size() && x >= 0 && x <= 1 && n < 4;
    if (ok) t[n++] = x;
    if (comma == std::string::npos) break;
    pos = comma + 1;
  }
  if (!ok || n != 4)
    r.problem("NETOPS_ESCALATION_THRESHOLDS: must be four numbers in [0, 1] for tiers 0-3, e.g. 0.50,0.65,0.75,0.85");
  else
    for (int i = 0; i < 4; ++i) s.escalation_thresholds[i] = t[i];
}

void read_budgets(ConfigReader& r, GatewaySettings& s) {
  struct BudgetVar {
    const char* tier;
    TierBudget* b;
  };
  for (auto [tier, b] : {BudgetVar{"FREE", &s.budget_free}, BudgetVar{"PRO", &s.budget_pro},
                         BudgetVar{"ENTERPRISE", &s.budget_enterprise}}) {
    std::string base = std::string("NETOPS_BUDGET_") + tier;
    for (auto [suffix, out] :
         {std::pair{"_DAILY_USD", &b->daily_micro_usd}, std::pair{"_MONTHLY_USD", &b->monthly_micro_usd}}) {
      auto name = base + suffix;
      if (auto v = r.str(name.c_str())) {
        if (auto micro = parse_usd_micro(*v)) *out = *micro;
        else
          r.problem(name + ": must be a non-negative amount in USD with at most 6 decimals and at most "
                           "9223372.036854 (0 = no limit)");
      }
    }
    r.number<long long>((base + "_DAILY_TOKENS").c_str(), b->daily_tokens, 0, 1'000'000'000'000LL);
    r.number<long long>((base + "_MONTHLY_TOKENS").c_str(), b->monthly_tokens, 0, 1'000'000'000'000LL);
  }
}
}  // namespace

std::optional<long long> parse_usd_micro(const std::string& v) {
  auto dot = v.find('.');
  std::string ip = v.substr(0, dot), fp = dot == std::string::npos ? "" : v.substr(dot + 1);
  if (ip.empty() || ip.size() > 12 || fp.size() > 6 || (dot != std::string::npos && fp.empty())) return std::nullopt;
  for (char c : ip + fp)
    if (c < '0' || c > '9') return std::nullopt;
  fp.resize(6, '0');
  long long micro = std::stoll(ip) * 1'000'000 + std::stoll(fp);
  if (micro > kMaxBudgetMicroUsd) return std::nullopt;
  return micro;
}

TierBudget GatewaySettings::budget(Tier t) const {
  switch (t) {
    case Tier::free: return budget_free;
    case Tier::pro: return budget_pro;
    case Tier::enterprise: return budget_enterprise;
    case Tier::unlimited: return {};
  }
  return {};
}

const ConfigSection<GatewaySettings>& gateway_section() {
  static const ConfigSection<GatewaySettings> s{
      "gateway",
      {{"NETOPS_UPSTREAM_CONNECT_TIMEOUT_MS", "5000", "LLM upstream: DNS + TCP + TLS connect"},
       {"NETOPS_UPSTREAM_FIRST_BYTE_TIMEOUT_MS", "60000", "LLM upstream: request sent until response headers"},
       {"NETOPS_UPSTREAM_IDLE_TIMEOUT_MS", "60000", "LLM upstream: silence allowed between two body pieces"},
       {"NETOPS_UPSTREAM_TOTAL_TIMEOUT_MS", "600000", "LLM upstream: one whole exchange"},
       {"NETOPS_UPSTREAM_RETRIES", "2", "retries per target model before failing over to the next"},
       {"NETOPS_UPSTREAM_RETRY_BASE_MS", "100", "base of the jittered exponential backoff between retries"},
       {"NETOPS_UPSTREAM_RETRY_AFTER_MAX_MS", "10000", "longest upstream Retry-After honoured (longer: next target)"},
       {"NETOPS_STREAM_COMMIT", "headers",
        "when a stream's headers go to the client: headers (at the upstream's 2xx event-stream headers, as a "
        "proxy) or first_event (at its first event, so a stream that fails before any event still fails over)"},
       {"NETOPS_BREAKER_FAILURES", "5", "consecutive failures that open a model's circuit"},
       {"NETOPS_BREAKER_COOLDOWN_MS", "30000", "open circuit → half-open (one probe call) after this"},
       {"NETOPS_ESCALATION_THRESHOLDS", "0.50,0.65,0.75,0.85", "quality score that stops escalation at tiers 0-3"},
       {"NETOPS_ACCOUNTING_FLUSH_MS", "100", "usage accounting batch interval"},
       {"NETOPS_ACCOUNTING_SPILL_DIR", "NETOPS_STORAGE_DIR/accounting-spill",
        "usage records the database cannot take (at shutdown, or beyond NETOPS_ACCOUNTING_SPILL_AFTER while it "
        "fails) are written here and replayed when it answers"},
       {"NETOPS_ACCOUNTING_SPILL_AFTER", "100000",
        "usage records waiting on a failing database beyond which they are spilled to files (1-1000000)"},
       {"NETOPS_ACCOUNTING_SPILL_MAX_MB", "1024",
        "spill files a failing database's overflow may fill; beyond it records wait in memory (1-1048576)"},
       {"NETOPS_BUDGET_FREE_DAILY_USD", "1", "tier free: cost per UTC day (0 = no limit)"},
       {"NETOPS_BUDGET_FREE_MONTHLY_USD", "10", "tier free: cost per UTC month"},
       {"NETOPS_BUDGET_FREE_DAILY_TOKENS", "1000000", "tier free: tokens per UTC day"},
       {"NETOPS_BUDGET_FREE_MONTHLY_TOKENS", "10000000", "tier free: tokens per UTC month"},
       {"NETOPS_BUDGET_PRO_DAILY_USD", "25", "tier pro: cost per UTC day"},
       {"NETOPS_BUDGET_PRO_MONTHLY_USD", "250", "tier pro: cost per UTC month"},
       {"NETOPS_BUDGET_PRO_DAILY_TOKENS", "25000000", "tier pro: tokens per UTC day"},
       {"NETOPS_BUDGET_PRO_MONTHLY_TOKENS", "250000000", "tier pro: tokens per UTC month"},
       {"NETOPS_BUDGET_ENTERPRISE_DAILY_USD", "500", "tier enterprise: cost per UTC day"},
       {"NETOPS_BUDGET_ENTERPRISE_MONTHLY_USD", "5000", "tier enterprise: cost per UTC month"},
       {"NETOPS_BUDGET_ENTERPRISE_DAILY_TOKENS", "0", "tier enterprise: tokens per UTC day"},
       {"NETOPS_BUDGET_ENTERPRISE_MONTHLY_TOKENS", "0", "tier enterprise: tokens per UTC month"}},
      [](ConfigReader& r, GatewaySettings& s) {
        r.number<int>("NETOPS_UPSTREAM_CONNECT_TIMEOUT_MS", s.upstream_connect_timeout_ms, 10, 600000);
        r.number<int>("NETOPS_UPSTREAM_FIRST_BYTE_TIMEOUT_MS", s.upstream_first_byte_timeout_ms, 10, 3600000);
        r.number<int>("NETOPS_UPSTREAM_IDLE_TIMEOUT_MS", s.upstream_idle_timeout_ms, 10, 3600000);
        r.number<int>("NETOPS_UPSTREAM_TOTAL_TIMEOUT_MS", s.upstream_total_timeout_ms, 10, 24 * 3600000);
        r.number<int>("NETOPS_UPSTREAM_RETRIES", s.upstream_retries, 0, 10);
        r.number<int>("NETOPS_UPSTREAM_RETRY_BASE_MS", s.upstream_retry_base_ms, 0, 60000);
        r.number<int>("NETOPS_UPSTREAM_RETRY_AFTER_MAX_MS", s.upstream_retry_after_max_ms, 0, 600000);
        if (auto v = r.str("NETOPS_STREAM_COMMIT")) {
          if (*v == "headers" || *v == "first_event") s.stream_commit_at_headers = *v == "headers";
          else r.problem("NETOPS_STREAM_COMMIT: must be headers or first_event (got \"" + *v + "\")");
        }
        r.number<int>("NETOPS_BREAKER_FAILURES", s.breaker_failures, 1, 1000000);
        r.number<int>("NETOPS_BREAKER_COOLDOWN_MS", s.breaker_cooldown_ms, 1, 86400000);
        r.number<int>("NETOPS_ACCOUNTING_FLUSH_MS", s.accounting_flush_ms, 5, 60000);
        if (auto v = r.str("NETOPS_ACCOUNTING_SPILL_DIR")) s.accounting_spill_dir = *v;
        r.number<int>("NETOPS_ACCOUNTING_SPILL_AFTER", s.accounting_spill_after, 1, 1000000);
        r.number<int>("NETOPS_ACCOUNTING_SPILL_MAX_MB", s.accounting_spill_max_mb, 1, 1048576);
        read_thresholds(r, s);
        read_budgets(r, s);
      }};
  return s;
}

}  // namespace netops::gateway
