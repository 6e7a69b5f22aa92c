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
  int busy_poll_us = 100;    // NETOPS_BUSY_POLL_US: adaptive busy-poll window of a worker (core/busy_poll)
  int worker_slice_us = 100;  // NETOPS_WORKER_SLICE_US: scheduler time slice of a worker (core/thread_slice)
  std::string database_url;
  std::string redis_url;
  std::string jwt_secret;
  std::string master_key;
  std::string storage_dir = ".local/storage";
  std::size_t db_pool_size = 16;  // total over all workers
  int statement_timeout_ms = 30000;
  std::size_t body_limit = 1 << 20;  // 1 MiB
  int header_timeout_ms = 10000;
  int body_timeout_ms = 30000;
  int idle_timeout_ms = 60000;
  int shutdown_grace_s = 30;
  // Security of the HTTP edge (http/server, http/pipeline, modules/auth).
  std::string metrics_listen_host;  // NETOPS_METRICS_LISTEN: /metrics on its own listener (empty = none)
  int metrics_listen_port = 0;
  std::optional<std::string> metrics_token;  // NETOPS_METRICS_TOKEN: Bearer token that may read /metrics
  std::size_t metrics_series_limit = 10000;  // label sets per metric family
  std::size_t max_connections = 10000;       // bounded by RLIMIT_NOFILE minus a reserve at start
  std::vector<std::string> trusted_proxies;  // IPs/CIDRs whose X-Forwarded-For is believed
  std::size_t blocking_queue = 64;           // password hashes (and other blocking jobs) queued at most
  std::string log_level = "info";
  bool access_log = true;

  // Provider egress (llm/egress.hpp): also refuse loopback/private addresses; addresses/CIDRs always allowed.
  bool egress_deny_private = false;
  std::string egress_allow;

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
// Every variable the framework reads, for --help and the README. Modules declare their own sections
// (ConfigSection below); src/app/configuration.hpp puts all of them together.
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
