#pragma once
// Logging: spdlog to stderr for the application log, stdout for the JSON access log (one line per
// request), so operators can ship them separately.
#include <memory>
#include <string>

namespace spdlog {
class logger;
}

namespace netops {
void init_logging(const std::string& level);
spdlog::logger& access_logger();
}  // namespace netops
