#include "core/config.hpp"

#include <charconv>
#include <cstdlib>
#include <thread>

#include "core/cidr.hpp"

namespace netops {

ConfigError::ConfigError(std::vector<std::string> problems)
    : std::runtime_error([&] {
        std::string m = "invalid configuration:";
        for (auto& p : problems) m += "\n  - " + p;
        return m;
      }()),
      problems_(std::move(problems)) {}

const std::vector<ConfigVar>& config_vars() {
  static const std::vector<ConfigVar> vars = {
      {"NETOPS_LISTEN", "127.0.0.1:3000", "address and port to serve on"},
      {"NETOPS_DATABASE_URL", "(required)", "libpq connection string / postgresql:// URL"},
      {"NETOPS_REDIS_URL", "redis://127.0.0.1:6379/0", "redis://[:password@]host:port/db"},
      {"NETOPS_JWT_SECRET", "(required, >= 32 chars)", "signs access tokens"},
      {"NETOPS_MASTER_KEY", "(required, 64 hex chars)", "encrypts provider API keys at rest"},
      {"NETOPS_ADMIN_EMAIL", "admin@localhost", "first super_admin's email"},
      {"NETOPS_ADMIN_PASSWORD", "(generated, printed once)", "first super_admin's password (>= 10 chars)"},
      {"NETOPS_STORAGE_DIR", ".local/storage", "attachment files"},
      {"NETOPS_ATTACHMENT_LIMIT", "26214400", "largest asset attachment in bytes (25 MiB)"},
      {"NETOPS_IMPORT_LIMIT", "67108864", "largest CSV import body in bytes (64 MiB)"},
      {"NETOPS_IMPORT_MAX_ROWS", "200000", "most data rows of one CSV import (more: the file is refused)"},
      {"OPENAI_API_KEY", "(unset)", "seeds the OpenAI provider on first start"},
      {"ANTHROPIC_API_KEY", "(unset)", "seeds the Anthropic provider on first start"},
      {"OPENROUTER_API_KEY", "(unset)", "seeds the OpenRouter provider on first start"},
      {"NETOPS_THREADS", "number of cores", "worker threads (one io_context each)"},
      {"NETOPS_DB_POOL_SIZE", "16", "PostgreSQL connections, shared out over the workers"},
      {"NETOPS_STATEMENT_TIMEOUT_MS", "30000", "statement_timeout of every connection"},
      {"NETOPS_BODY_LIMIT", "1048576", "default request-body limit in bytes (routes may override)"},
      {"NETOPS_HEADER_TIMEOUT_MS", "10000", "time allowed to send the request line and headers"},
      {"NETOPS_BODY_TIMEOUT_MS", "30000", "time allowed to send the body"},
      {"NETOPS_IDLE_TIMEOUT_MS", "60000", "keep-alive connection idle time"},
      {"NETOPS_SHUTDOWN_GRACE_S", "30", "how long SIGTERM lets in-flight requests finish"},
      {"NETOPS_ACCESS_TOKEN_TTL_S", "900", "access token (JWT) lifetime"},
      {"NETOPS_REFRESH_TOKEN_TTL_S", "604800", "refresh token lifetime"},
      {"NETOPS_RATE_LIMIT_FREE", "100", "requests per minute for tier free (0 = unlimited)"},
      {"NETOPS_RATE_LIMIT_PRO", "1000", "requests per minute for tier pro"},
      {"NETOPS_RATE_LIMIT_ENTERPRISE", "10000", "requests per minute for tier enterprise"},
      {"NETOPS_LOGIN_MAX_FAILURES", "10", "failed logins allowed per account and per IP in the window"},
      {"NETOPS_LOGIN_WINDOW_S", "900", "login throttling window"},
      {"NETOPS_METRICS_LISTEN", "(unset)",
       "host:port of a separate listener serving only /metrics (e.g. 127.0.0.1:9464), anonymous unless "
       "NETOPS_METRICS_TOKEN is set"},
      {"NETOPS_METRICS_TOKEN", "(unset)",
       "Bearer token (>= 16 chars) that may read /metrics; without it /metrics on the main listener needs an "
       "admin or super_admin session"},
      {"NETOPS_METRICS_SERIES_LIMIT", "10000", "label sets per metric family; more go to one overflow series"},
      {"NETOPS_MAX_CONNECTIONS", "10000",
       "open client connections at most (capped at RLIMIT_NOFILE minus 64); more are closed at once"},
      {"NETOPS_AUTH_FAILURES_PER_MIN", "100", "401 answers per client IP per minute before 429 (0 = no limit)"},
      {"NETOPS_TRUSTED_PROXIES", "(empty)",
       "comma-separated IPs/CIDRs of reverse proxies; from those peers the client IP is the rightmost "
       "untrusted X-Forwarded-For address"},
      {"NETOPS_BLOCKING_QUEUE", "64", "password hashes (and other CPU jobs) queued at most; beyond, 503"},
      {"NETOPS_LOG_LEVEL", "info", "trace, debug, info, warn, error"},
      {"NETOPS_ACCESS_LOG", "true", "one JSON line per request"},
      {"NETOPS_UPSTREAM_CONNECT_TIMEOUT_MS", "5000", "LLM upstream: DNS + TCP + TLS connect"},
      {"NETOPS_UPSTREAM_FIRST_BYTE_TIMEOUT_MS", "60000", "LLM upstream: request sent until response headers"},
      {"NETOPS_UPSTREAM_IDLE_TIMEOUT_MS", "60000", "LLM upstream: silence allowed between two body pieces"},
      {"NETOPS_UPSTREAM_TOTAL_TIMEOUT_MS", "600000", "LLM upstream: one whole exchange"},
      {"NETOPS_UPSTREAM_RETRIES", "2", "retries per target model before failing over to the next"},
      {"NETOPS_UPSTREAM_RETRY_BASE_MS", "100", "base of the jittered exponential backoff between retries"},
      {"NETOPS_UPSTREAM_RETRY_AFTER_MAX_MS", "10000", "longest upstream Retry-After honoured (longer: next target)"},
      {"NETOPS_BREAKER_FAILURES", "5", "consecutive failures that open a model's circuit"},
      {"NETOPS_BREAKER_COOLDOWN_MS", "30000", "open circuit → half-open (one probe call) after this"},
      {"NETOPS_ESCALATION_THRESHOLDS", "0.50,0.65,0.75,0.85", "quality score that stops escalation at tiers 0-3"},
      {"NETOPS_ACCOUNTING_FLUSH_MS", "100", "usage accounting batch interval"},
      {"NETOPS_ACCOUNTING_SPILL_DIR", "NETOPS_STORAGE_DIR/accounting-spill",
       "usage records the database cannot take at shutdown are written here and replayed at the next start"},
      {"NETOPS_EGRESS_DENY_PRIVATE", "false",
       "also refuse provider endpoints on loopback/private addresses (link-local and cloud metadata always are)"},
      {"NETOPS_EGRESS_ALLOW", "", "comma-separated addresses/CIDRs provider endpoints may use whatever the egress rules say"},
      {"NETOPS_LIST_EXACT_TOTAL", "10000",
       "asset lists count exactly up to this many matches; beyond, meta.total is that lower bound (totalExact "
       "false) until the exact count, run in the background, is cached (0 = always exact)"},
      {"NETOPS_CHAT_SUMMARY_TOKENS", "8000",
       "chat: summarise older history once the unsummarised messages exceed this many tokens (0 = never)"},
      {"NETOPS_CHAT_SUMMARY_MODEL", "tier:0", "chat: the model that writes summaries (id, tier:N or auto)"},
      {"NETOPS_CHAT_DEFAULT_CONTEXT_WINDOW", "8192", "chat: context window assumed for a model that declares none"},
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
      {"NETOPS_BUDGET_ENTERPRISE_MONTHLY_TOKENS", "0", "tier enterprise: tokens per UTC month"},
  };
  return vars;
}

std::optional<std::string> ConfigReader::str(const char* name) const {
  auto v = get_(name);
  if (v && v->empty()) return std::nullopt;
  return v;
}

template <class T>
void ConfigReader::number(const char* name, T& out, T min, T max) {
  auto v = str(name);
  if (!v) return;
  T parsed{};
  auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), parsed);
  if (ec != std::errc() || p != v->data() + v->size() || parsed < min || parsed > max) {
    problems_.push_back(std::string(name) + ": must be an integer between " + std::to_string(min) + " and " +
                        std::to_string(max) + " (got \"" + *v + "\")");
    return;
  }
  out = parsed;
}
template void ConfigReader::number<int>(const char*, int&, int, int);
template void ConfigReader::number<long long>(const char*, long long&, long long, long long);
template void ConfigReader::number<std::size_t>(const char*, std::size_t&, std::size_t, std::size_t);

void ConfigReader::boolean(const char* name, bool& out) {
  auto v = str(name);
  if (!v) return;
  if (*v == "true" || *v == "1") out = true;
  else if (*v == "false" || *v == "0") out = false;
  else problems_.push_back(std::string(name) + ": must be true or false");
}

namespace {
// The largest USD amount a budget may be: the gateway sums costs exactly in 12-decimal fixed point in one
// int64 (llm/decimal.hpp), whose range ends at 9,223,372.036854775807. A larger setting used to wrap
// around into a negative budget that refused every call.
constexpr long long kMaxBudgetMicroUsd = 9'223'372'036'854LL;

// "12", "0.5", "1.000001" → micro-units; nullopt for anything else (signs, exponents, > 6 decimals) and
// for amounts beyond kMaxBudgetMicroUsd.
std::optional<long long> parse_micro(const std::string& v) {
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

bool is_hex(const std::string& s) {
  for (char c : s)
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  return true;
}
}  // namespace

Config Config::from_env(const Getenv& get) {
  Config c;
  c.env = get;
  ConfigReader r(get);
  if (auto v = r.str("NETOPS_LISTEN")) {
    auto colon = v->rfind(':');
    int port = 0;
    std::string host = colon == std::string::npos ? "" : v->substr(0, colon);
    std::string port_s = colon == std::string::npos ? *v : v->substr(colon + 1);
    auto [p, ec] = std::from_chars(port_s.data(), port_s.data() + port_s.size(), port);
    if (host.empty() || ec != std::errc() || p != port_s.data() + port_s.size() || port < 0 || port > 65535)
      r.problem("NETOPS_LISTEN: must be host:port, e.g. 127.0.0.1:3000 (got \"" + *v + "\")");
    else {
      c.listen_host = host;
      c.listen_port = port;
    }
  }
  if (auto v = r.str("NETOPS_DATABASE_URL"))
    c.database_url = *v;
  else
    r.problem("NETOPS_DATABASE_URL: is required (script/server sets it to the project-local cluster)");
  c.redis_url = r.str("NETOPS_REDIS_URL").value_or("redis://127.0.0.1:6379/0");
  if (c.redis_url.rfind("redis://", 0) != 0)
    r.problem("NETOPS_REDIS_URL: must start with redis:// (got \"" + c.redis_url + "\")");
  if (auto v = r.str("NETOPS_JWT_SECRET")) {
    if (v->size() < 32) r.problem("NETOPS_JWT_SECRET: must be at least 32 characters");
    c.jwt_secret = *v;
  } else {
    r.problem("NETOPS_JWT_SECRET: is required (script/setup generates one into .local/secrets)");
  }
  if (auto v = r.str("NETOPS_MASTER_KEY")) {
    if (v->size() != 64 || !is_hex(*v))
      r.problem("NETOPS_MASTER_KEY: must be 64 hex characters (32 bytes), e.g. `openssl rand -hex 32`");
    c.master_key = *v;
  } else {
    r.problem("NETOPS_MASTER_KEY: is required (script/setup generates one into .local/secrets)");
  }
  if (auto v = r.str("NETOPS_ADMIN_EMAIL")) {
    if (v->find('@') == std::string::npos) r.problem("NETOPS_ADMIN_EMAIL: must be an email address");
    c.admin_email = *v;
  }
  for (auto& ch : c.admin_email) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (auto v = r.str("NETOPS_ADMIN_PASSWORD")) {
    if (v->size() < 10) r.problem("NETOPS_ADMIN_PASSWORD: must be at least 10 characters");
    c.admin_password = *v;
  }
  if (auto v = r.str("NETOPS_STORAGE_DIR")) c.storage_dir = *v;
  r.number<std::size_t>("NETOPS_ATTACHMENT_LIMIT", c.attachment_limit, 1, std::size_t(1) << 34);
  r.number<std::size_t>("NETOPS_IMPORT_LIMIT", c.import_limit, 1024, std::size_t(1) << 34);
  r.number<std::size_t>("NETOPS_IMPORT_MAX_ROWS", c.import_max_rows, 1, 10'000'000);
  c.openai_api_key = r.str("OPENAI_API_KEY");
  c.anthropic_api_key = r.str("ANTHROPIC_API_KEY");
  c.openrouter_api_key = r.str("OPENROUTER_API_KEY");
  c.demo_mock_url = r.str("NETOPS_DEMO_MOCK_URL");
  r.number<std::size_t>("NETOPS_THREADS", c.threads, 1, 256);
  r.number<std::size_t>("NETOPS_DB_POOL_SIZE", c.db_pool_size, 1, 1000);
  r.number<int>("NETOPS_STATEMENT_TIMEOUT_MS", c.statement_timeout_ms, 100, 3600000);
  r.number<std::size_t>("NETOPS_BODY_LIMIT", c.body_limit, 1024, std::size_t(1) << 32);
  r.number<int>("NETOPS_HEADER_TIMEOUT_MS", c.header_timeout_ms, 100, 600000);
  r.number<int>("NETOPS_BODY_TIMEOUT_MS", c.body_timeout_ms, 100, 3600000);
  r.number<int>("NETOPS_IDLE_TIMEOUT_MS", c.idle_timeout_ms, 100, 3600000);
  r.number<int>("NETOPS_SHUTDOWN_GRACE_S", c.shutdown_grace_s, 0, 600);
  r.number<int>("NETOPS_ACCESS_TOKEN_TTL_S", c.access_token_ttl_s, 1, 86400);
  r.number<int>("NETOPS_REFRESH_TOKEN_TTL_S", c.refresh_token_ttl_s, 60, 365 * 86400);
  r.number<long long>("NETOPS_RATE_LIMIT_FREE", c.rate_limit_free, 0, 100000000);
  r.number<long long>("NETOPS_RATE_LIMIT_PRO", c.rate_limit_pro, 0, 100000000);
  r.number<long long>("NETOPS_RATE_LIMIT_ENTERPRISE", c.rate_limit_enterprise, 0, 100000000);
  r.number<int>("NETOPS_LOGIN_MAX_FAILURES", c.login_max_failures, 1, 1000000);
  r.number<int>("NETOPS_LOGIN_WINDOW_S", c.login_window_s, 1, 86400);
  if (auto v = r.str("NETOPS_METRICS_LISTEN")) {
    auto colon = v->rfind(':');
    int port = 0;
    auto ps = colon == std::string::npos ? std::string() : v->substr(colon + 1);
    auto [pe, pec] = std::from_chars(ps.data(), ps.data() + ps.size(), port);
    if (colon == std::string::npos || colon == 0 || pec != std::errc() || pe != ps.data() + ps.size() || port < 0 ||
        port > 65535 || !parse_ip(v->substr(0, colon)))
      r.problem("NETOPS_METRICS_LISTEN: must be ip:port, e.g. 127.0.0.1:9464 (got \"" + *v + "\")");
    else
      c.metrics_listen_host = v->substr(0, colon), c.metrics_listen_port = port;
  }
  if (auto v = r.str("NETOPS_METRICS_TOKEN")) {
    if (v->size() < 16) r.problem("NETOPS_METRICS_TOKEN: must be at least 16 characters");
    else c.metrics_token = *v;
  }
  r.number<std::size_t>("NETOPS_METRICS_SERIES_LIMIT", c.metrics_series_limit, 10, 10000000);
  r.number<std::size_t>("NETOPS_MAX_CONNECTIONS", c.max_connections, 1, 10000000);
  r.number<int>("NETOPS_AUTH_FAILURES_PER_MIN", c.auth_failures_per_min, 0, 100000000);
  if (auto v = r.str("NETOPS_TRUSTED_PROXIES")) {
    std::string_view rest = *v;
    while (!rest.empty()) {
      auto comma = rest.find(',');
      std::string item(rest.substr(0, comma));
      item.erase(0, item.find_first_not_of(" \t"));
      item.erase(item.find_last_not_of(" \t") + 1);
      if (!item.empty()) {
        if (parse_network(item)) c.trusted_proxies.push_back(item);
        else r.problem("NETOPS_TRUSTED_PROXIES: \"" + item + "\" is not an IP address or CIDR network");
      }
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
  }
  r.number<std::size_t>("NETOPS_BLOCKING_QUEUE", c.blocking_queue, 1, 1000000);
  if (auto v = r.str("NETOPS_LOG_LEVEL")) {
    static const char* levels[] = {"trace", "debug", "info", "warn", "error", "critical", "off"};
    bool ok = false;
    for (auto* l : levels) ok = ok || *v == l;
    if (!ok) r.problem("NETOPS_LOG_LEVEL: must be one of trace, debug, info, warn, error, off");
    c.log_level = *v;
  }
  if (auto v = r.str("NETOPS_ACCESS_LOG")) {
    if (*v == "true" || *v == "1") c.access_log = true;
    else if (*v == "false" || *v == "0") c.access_log = false;
    else r.problem("NETOPS_ACCESS_LOG: must be true or false");
  }
  r.number<int>("NETOPS_UPSTREAM_CONNECT_TIMEOUT_MS", c.upstream_connect_timeout_ms, 10, 600000);
  r.number<int>("NETOPS_UPSTREAM_FIRST_BYTE_TIMEOUT_MS", c.upstream_first_byte_timeout_ms, 10, 3600000);
  r.number<int>("NETOPS_UPSTREAM_IDLE_TIMEOUT_MS", c.upstream_idle_timeout_ms, 10, 3600000);
  r.number<int>("NETOPS_UPSTREAM_TOTAL_TIMEOUT_MS", c.upstream_total_timeout_ms, 10, 24 * 3600000);
  r.number<int>("NETOPS_UPSTREAM_RETRIES", c.upstream_retries, 0, 10);
  r.number<int>("NETOPS_UPSTREAM_RETRY_BASE_MS", c.upstream_retry_base_ms, 0, 60000);
  r.number<int>("NETOPS_UPSTREAM_RETRY_AFTER_MAX_MS", c.upstream_retry_after_max_ms, 0, 600000);
  r.number<int>("NETOPS_BREAKER_FAILURES", c.breaker_failures, 1, 1000000);
  r.number<int>("NETOPS_BREAKER_COOLDOWN_MS", c.breaker_cooldown_ms, 1, 86400000);
  r.number<int>("NETOPS_ACCOUNTING_FLUSH_MS", c.accounting_flush_ms, 5, 60000);
  if (auto v = r.str("NETOPS_ACCOUNTING_SPILL_DIR")) c.accounting_spill_dir = *v;
  if (auto v = r.str("NETOPS_EGRESS_DENY_PRIVATE")) {
    if (*v == "true" || *v == "1") c.egress_deny_private = true;
    else if (*v == "false" || *v == "0") c.egress_deny_private = false;
    else r.problem("NETOPS_EGRESS_DENY_PRIVATE: must be true or false");
  }
  if (auto v = r.str("NETOPS_EGRESS_ALLOW")) {
    if (v->find_first_not_of("0123456789abcdefABCDEF.:/, ") != std::string::npos)
      r.problem("NETOPS_EGRESS_ALLOW: must be comma-separated IP addresses or CIDRs, e.g. 169.254.169.254,10.0.0.0/8");
    else
      c.egress_allow = *v;
  }
  r.number<long long>("NETOPS_LIST_EXACT_TOTAL", c.list_exact_total, 0, 1'000'000'000);
  r.number<int>("NETOPS_CHAT_SUMMARY_TOKENS", c.chat_summary_tokens, 0, 10'000'000);
  r.number<int>("NETOPS_CHAT_DEFAULT_CONTEXT_WINDOW", c.chat_default_context_window, 256, 100'000'000);
  if (auto v = r.str("NETOPS_CHAT_SUMMARY_MODEL")) {
    if (v->empty() || v->size() > 100 || v->find_first_of(" \t\r\n\"") != std::string::npos)
      r.problem("NETOPS_CHAT_SUMMARY_MODEL: must be a model id, tier:0 … tier:3 or auto");
    else
      c.chat_summary_model = *v;
  }
  if (auto v = r.str("NETOPS_ESCALATION_THRESHOLDS")) {
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
      r.problem("NETOPS_ESCALATION_THRESHOLDS: must be four numbers in [0, 1] for tiers 0-3, e.g. "
                           "0.50,0.65,0.75,0.85");
    else
      for (int i = 0; i < 4; ++i) c.escalation_thresholds[i] = t[i];
  }
  struct BudgetVar {
    const char* tier;
    Config::TierBudget* b;
  };
  for (auto [tier, b] : {BudgetVar{"FREE", &c.budget_free}, BudgetVar{"PRO", &c.budget_pro},
                         BudgetVar{"ENTERPRISE", &c.budget_enterprise}}) {
    std::string base = std::string("NETOPS_BUDGET_") + tier;
    for (auto [suffix, out] : {std::pair{"_DAILY_USD", &b->daily_micro_usd}, std::pair{"_MONTHLY_USD", &b->monthly_micro_usd}}) {
      auto name = base + suffix;
      if (auto v = r.str(name.c_str())) {
        if (auto micro = parse_micro(*v)) *out = *micro;
        else
          r.problem(name + ": must be a non-negative amount in USD with at most 6 decimals and at most "
                               "9223372.036854 (0 = no limit)");
      }
    }
    r.number<long long>((base + "_DAILY_TOKENS").c_str(), b->daily_tokens, 0, 1'000'000'000'000LL);
    r.number<long long>((base + "_MONTHLY_TOKENS").c_str(), b->monthly_tokens, 0, 1'000'000'000'000LL);
  }
  if (c.threads == 0) c.threads = std::max(1u, std::thread::hardware_concurrency());
  if (!r.problems().empty()) throw ConfigError(std::move(r.problems()));
  return c;
}

Config Config::from_process_env() {
  return from_env([](const std::string& n) -> std::optional<std::string> {
    const char* v = std::getenv(n.c_str());
    if (!v) return std::nullopt;
    return std::string(v);
  });
}

Config Config::from_map(const std::map<std::string, std::string>& vars) {
  return from_env([vars](const std::string& n) -> std::optional<std::string> {
    auto it = vars.find(n);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  });
}

}  // namespace netops
