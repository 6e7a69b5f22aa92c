#include "app/console.hpp"

#include <spdlog/spdlog.h>

#include <cstdlib>
#include <filesystem>

#include "http/static_files.hpp"

namespace netops {

namespace {
std::string default_dir() {
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return "";
  return (exe.parent_path() / "web").string();
}
}  // namespace

void register_console(AppContext& ctx) {
  const char* env = std::getenv("NETOPS_WEB_DIR");
  std::string dir = env && *env ? std::string(env) : default_dir();
  auto files = http::StaticFiles::load(dir);  // throws past its limits: the start-up fails with the reason
  if (!files->has_index()) {
    spdlog::info("web console: no index.html in {} (build it with script/setup); serving the API only",
                 dir.empty() ? "(unknown)" : dir);
    return;
  }
  spdlog::info("web console: {} files ({} bytes) from {}", files->files(), files->bytes(), dir);
  ctx.pipeline.set_fallback([files](const http::Request& req) { return files->serve(req); });
}

}  // namespace netops
