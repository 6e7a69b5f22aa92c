#include "core/log.hpp"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace netops {

void init_logging(const std::string& level) {
  auto app = spdlog::stderr_logger_mt("netops");
  app->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %^%l%$ %v", spdlog::pattern_time_type::utc);
  spdlog::set_default_logger(app);
  spdlog::set_level(spdlog::level::from_str(level));
  auto access = spdlog::stdout_logger_mt("access");
  access->set_pattern("%v");
  access->set_level(spdlog::level::info);
}

spdlog::logger& access_logger() {
  static std::shared_ptr<spdlog::logger> l = [] {
    auto existing = spdlog::get("access");
    return existing ? existing : spdlog::stdout_logger_mt("access");
  }();
  return *l;
}

}  // namespace netops
