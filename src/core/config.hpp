#pragma once
// Configuration comes from the environment (SPEC §1). from_env validates everything at once and
// throws ConfigError listing every variable that is wrong and why.
#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace netops {

class ConfigError : public std::runtime_error {
 public:
  explicit ConfigError(std::vector<std::string> problems);
  const std::vector<std::string>& problems() const { return problems_; }

 private:
  std::vector<std::string> problems_;
};

struct Config {
  std::string listen_host = "127.0.0.1";
  int listen_port = 3000;
  std::size_t threads = 0;  // 0 = one per core
  std::string database_url;
  std::string redis_url;
  std::string jwt_secret;
  std::string master_key;
  std::string admin_email = "admin@localhost";
  std::optional<std::string> admin_password;
  std::string storage_dir = ".local/storage";
  std::size_t attachment_limit = 25u << 20;  // bytes per attachment (SPEC §4.4)
  std::size_t import_limit = 64u << 20;      // bytes per CSV import body
  std::size_t import_max_rows = 200'000;     // data rows per CSV import
  std::optional<std::string> openai_api_key, anthropic_api_key, openrouter_api_key;
  std::optional<std::string> demo_mock_url;
  std::size_t db_pool_size = 16;  // total over all workers
  int statement_timeout_ms = 30000;
  std::size_t body_limit = 1 << 20;  // 1 MiB
  int header_timeout_ms = 10000;
  int body_timeout_ms = 30000;
  int idle_timeout_ms = 60000;
  int shutdown_grace_s = 30;
  int access_token_ttl_s = 900;            // 15 minutes
  int refresh_token_ttl_s = 7 * 24 * 3600;  // 7 days
  // Requests per minute by users.tier; 0 = unlimited (the "unlimited" tier always is).
  long long rate_limit_free = 100, rate_limit_pro = 1000, rate_limit_enterprise = 10000;
  int login_max_failures = 10;   // per account and per client IP …
  int login_window_s = 15 * 60;  // … within this window
  // Security of the HTTP edge (http/server, http/pipeline, modules/auth).
  std::string metrics_listen_host;  // NETOPS_METRICS_LISTEN: /metrics on its own listener (empty = none)
  int metrics_listen_port = 0;
  std::optional<std::string> metrics_token;  // NETOPS_METRICS_TOKEN: Bearer token that may read /metrics
  std::size_t metrics_series_limit = 10000;  // label sets per metric family
  std::size_t max_connections = 10000;       // bounded by RLIMIT_NOFILE minus a reserve at start
  int auth_failures_per_min = 100;           // 401s per client IP per minute before 429
  std::vector<std::string> trusted_proxies;  // IPs/CIDRs whose X-Forwarded-For is believed
  std::size_t blocking_queue = 64;           // password hashes (and other blocking jobs) queued at most
  std::string log_level = "info";
  bool access_log = true;

  // Gateway (modules/gateway): upstream timeouts, retries, circuit breaker, escalation, accounting.
  int upstream_connect_timeout_ms = 5000;
  int upstream_first_byte_timeout_ms = 60000;
  int upstream_idle_timeout_ms = 60000;
  int upstream_total_timeout_ms = 600000;
  int upstream_retries = 2;                 // per target, after the first call
  int upstream_retry_base_ms = 100;         // jittered exponential backoff base
  int upstream_retry_after_max_ms = 10000;  // a longer Retry-After moves on to the next target
  int breaker_failures = 5;                 // consecutive failures that open a model's circuit
  int breaker_cooldown_ms = 30000;          // open → half-open (one probe)
  double escalation_thresholds[4] = {0.50, 0.65, 0.75, 0.85};  // quality needed to stop at tier 0–3
  int accounting_flush_ms = 100;
  // Usage records that cannot reach the database at shutdown go to JSON-lines files here; the next start
  // replays them. Empty: NETOPS_STORAGE_DIR/accounting-spill.
  std::string accounting_spill_dir;
  // Provider egress (llm/egress.hpp): also refuse loopback/private addresses; addresses/CIDRs always allowed.
  bool egress_deny_private = false;
  std::string egress_allow;
  // Budgets per users.tier; 0 = no limit. Costs in micro-USD (exact), tokens as counts. "unlimited": none.
  struct TierBudget {
    long long daily_micro_usd = 0, monthly_micro_usd = 0, daily_tokens = 0, monthly_tokens = 0;
  };
  TierBudget budget_free{1'000'000, 10'000'000, 1'000'000, 10'000'000};
  TierBudget budget_pro{25'000'000, 250'000'000, 25'000'000, 250'000'000};
  TierBudget budget_enterprise{500'000'000, 5'000'000'000, 0, 0};

  // Lists whose matches exceed this many answer meta.total = this lower bound (totalExact false) and count
  // exactly in the background (assets). 0 = always count exactly.
  long long list_exact_total = 10000;

  // Chat (modules/chat): older history is summarised once the unsummarised part exceeds this many tokens
  // (0 = never), by this model (an id, tier:N or auto); a model without context_window gets this one.
  int chat_summary_tokens = 8000;
  std::string chat_summary_model = "tier:0";
  int chat_default_context_window = 8192;

  using Getenv = std::function<std::optional<std::string>(const std::string&)>;
  // The environment the configuration was read from: modules read their own sections from it
  // (load_section below).
  Getenv env;
  static Config from_env(const Getenv& get);
  static Config from_process_env();
  static Config from_map(const std::map<std::string, std::string>& vars);
};

struct ConfigVar {
  const char* name;
  const char* fallback;
  const char* meaning;
};
// Every variable the framework reads, for --help and the README (modules add their sections').
const std::vector<ConfigVar>& config_vars();

// Reads and validates variables, collecting every problem (one message per variable) instead of stopping
// at the first.
class ConfigReader {
 public:
  explicit ConfigReader(Config::Getenv get) : get_(std::move(get)) {}
  std::optional<std::string> str(const char* name) const;  // unset and empty are both nullopt
  // Leaves out unchanged when unset; a problem when not an integer in [min, max].
  template <class T>
  void number(const char* name, T& out, T min, T max);
  void boolean(const char* name, bool& out);  // true|1|false|0
  void problem(std::string message) { problems_.push_back(std::move(message)); }
  std::vector<std::string>& problems() { return problems_; }

 private:
  Config::Getenv get_;
  std::vector<std::string> problems_;
};
extern template void ConfigReader::number<int>(const char*, int&, int, int);
extern template void ConfigReader::number<long long>(const char*, long long&, long long, long long);
extern template void ConfigReader::number<std::size_t>(const char*, std::size_t&, std::size_t, std::size_t);

// A module's own configuration: the variables it documents and how it reads them into its settings type.
//   struct ChatSettings { int summary_tokens = 8000; … };
//   const ConfigSection<ChatSettings>& chat_section();   // in the module's <module>_settings.hpp
// The application checks every section at start-up (all problems in one ConfigError) and each module
// loads its own at registration with load_section(ctx.config, chat_section()).
template <class S>
struct ConfigSection {
  std::string name;  // the module, for messages
  std::vector<ConfigVar> vars;
  std::function<void(ConfigReader&, S&)> read;
};

template <class S>
S load_section(const Config& c, const ConfigSection<S>& section) {
  ConfigReader r(c.env);
  S out;
  section.read(r, out);
  if (!r.problems().empty()) throw ConfigError(std::move(r.problems()));
  return out;
}

}  // namespace netops
