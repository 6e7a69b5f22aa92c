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
      {"NETOPS_STORAGE_DIR", ".local/storage", "attachment files"},
      {"NETOPS_THREADS", "number of cores", "worker threads (one io_context each)"},
      {"NETOPS_BUSY_POLL_US", "100",
       "longest a worker busy-polls (adaptively) before it sleeps waiting for its next event; 0 = never"},
      {"NETOPS_WORKER_SLICE_US", "100",
       "time slice each worker thread asks the scheduler for (Linux >= 6.12, 100-100000), so a worker woken "
       "by a socket runs soon; 0 = the kernel's default"},
      {"NETOPS_DB_POOL_SIZE", "16", "PostgreSQL connections, shared out over the workers"},
      {"NETOPS_STATEMENT_TIMEOUT_MS", "30000", "statement_timeout of every connection"},
      {"NETOPS_BODY_LIMIT", "1048576", "default request-body limit in bytes (routes may override)"},
      {"NETOPS_HEADER_TIMEOUT_MS", "10000", "time allowed to send the request line and headers"},
      {"NETOPS_BODY_TIMEOUT_MS", "30000", "time allowed to send the body"},
      {"NETOPS_IDLE_TIMEOUT_MS", "60000", "keep-alive connection idle time"},
      {"NETOPS_SHUTDOWN_GRACE_S", "30", "how long SIGTERM lets in-flight requests finish"},
      {"NETOPS_METRICS_LISTEN", "(unset)",
       "host:port of a separate listener serving only /metrics (e.g. 127.0.0.1:9464), anonymous unless "
       "NETOPS_METRICS_TOKEN is set"},
      {"NETOPS_METRICS_TOKEN", "(unset)",
       "Bearer token (>= 16 chars) that may read /metrics; without it /metrics on the main listener needs an "
       "admin or super_admin session"},
      {"NETOPS_METRICS_SERIES_LIMIT", "10000", "label sets per metric family; more go to one overflow series"},
      {"NETOPS_MAX_CONNECTIONS", "10000",
       "open client connections at most (capped at RLIMIT_NOFILE minus 64); more are closed at once"},
      {"NETOPS_TRUSTED_PROXIES", "(empty)",
       "comma-separated IPs/CIDRs of reverse proxies; from those peers the client IP is the rightmost "
       "untrusted X-Forwarded-For address"},
      {"NETOPS_BLOCKING_QUEUE", "64", "password hashes (and other CPU jobs) queued at most; beyond, 503"},
      {"NETOPS_LOG_LEVEL", "info", "trace, debug, info, warn, error"},
      {"NETOPS_ACCESS_LOG", "true", "one JSON line per request"},
      {"NETOPS_EGRESS_DENY_PRIVATE", "false",
       "also refuse provider endpoints on loopback/private addresses (link-local and cloud metadata always are)"},
      {"NETOPS_EGRESS_ALLOW", "", "comma-separated addresses/CIDRs provider endpoints may use whatever the egress rules say"},
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
  if (auto v = r.str("NETOPS_STORAGE_DIR")) c.storage_dir = *v;
  r.number<std::size_t>("NETOPS_THREADS", c.threads, 1, 256);
  r.number<int>("NETOPS_BUSY_POLL_US", c.busy_poll_us, 0, 10000);
  r.number<int>("NETOPS_WORKER_SLICE_US", c.worker_slice_us, 0, 100000);
  if (c.worker_slice_us > 0 && c.worker_slice_us < 100)
    r.problem("NETOPS_WORKER_SLICE_US: must be 0 (the kernel's default) or 100 to 100000 (the kernel's range)");
  r.number<std::size_t>("NETOPS_DB_POOL_SIZE", c.db_pool_size, 1, 1000);
  r.number<int>("NETOPS_STATEMENT_TIMEOUT_MS", c.statement_timeout_ms, 100, 3600000);
  r.number<std::size_t>("NETOPS_BODY_LIMIT", c.body_limit, 1024, std::size_t(1) << 32);
  r.number<int>("NETOPS_HEADER_TIMEOUT_MS", c.header_timeout_ms, 100, 600000);
  r.number<int>("NETOPS_BODY_TIMEOUT_MS", c.body_timeout_ms, 100, 3600000);
  r.number<int>("NETOPS_IDLE_TIMEOUT_MS", c.idle_timeout_ms, 100, 3600000);
  r.number<int>("NETOPS_SHUTDOWN_GRACE_S", c.shutdown_grace_s, 0, 600);
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
