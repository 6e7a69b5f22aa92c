#include "modules/gateway/spill.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <stdexcept>

namespace netops::gateway::spill {

namespace fs = std::filesystem;
using nlohmann::json;

std::string to_line(const UsageRecord& r) {
  json j = {{"user_id", r.user_id},
            {"model_id", r.model_id},
            {"provider", r.provider},
            {"request_id", r.request_id},
            {"tier", r.tier},
            {"prompt_tokens", r.prompt_tokens},
            {"completion_tokens", r.completion_tokens},
            {"cache_read_tokens", r.cache_read_tokens},
            {"cache_write_tokens", r.cache_write_tokens},
            {"cost", r.cost.to_string(12)},
            {"escalated", r.escalated},
            {"success", r.success},
            {"error_code", r.error_code},
            {"estimated", r.estimated},
            {"cache_hit", r.cache_hit},
            {"latency_ms", r.latency_ms},
            {"upstream_latency_ms", r.upstream_latency_ms},
            {"attempts", r.attempts},
            {"at_us", std::chrono::duration_cast<std::chrono::microseconds>(r.at.time_since_epoch()).count()}};
  j["conversation_id"] = r.conversation_id ? json(*r.conversation_id) : json(nullptr);
  j["quality_score"] = r.quality_score ? json(*r.quality_score) : json(nullptr);
  j["usage_key"] = r.usage_key;
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::optional<UsageRecord> from_line(std::string_view line) {
  json j = json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return std::nullopt;
  try {
    UsageRecord r;
    r.user_id = j.at("user_id").get<std::string>();
    r.model_id = j.at("model_id").get<std::string>();
    r.provider = j.at("provider").get<std::string>();
    r.request_id = j.at("request_id").get<std::string>();
    r.tier = j.at("tier").get<int>();
    r.prompt_tokens = j.at("prompt_tokens").get<std::int64_t>();
    r.completion_tokens = j.at("completion_tokens").get<std::int64_t>();
    r.cache_read_tokens = j.at("cache_read_tokens").get<std::int64_t>();
    r.cache_write_tokens = j.at("cache_write_tokens").get<std::int64_t>();
    r.cost = Decimal::parse(j.at("cost").get<std::string>());
    r.escalated = j.at("escalated").get<bool>();
    r.success = j.at("success").get<bool>();
    r.error_code = j.at("error_code").get<std::string>();
    r.estimated = j.at("estimated").get<bool>();
    if (auto h = j.find("cache_hit"); h != j.end() && h->is_boolean()) r.cache_hit = h->get<bool>();  // absent in older files
    r.latency_ms = j.at("latency_ms").get<int>();
    r.upstream_latency_ms = j.at("upstream_latency_ms").get<int>();
    r.attempts = j.at("attempts").get<int>();
    r.at = std::chrono::system_clock::time_point(
        std::chrono::duration_cast<std::chrono::system_clock::duration>(
            std::chrono::microseconds(j.at("at_us").get<std::int64_t>())));
    if (auto c = j.find("conversation_id"); c != j.end() && c->is_string()) r.conversation_id = c->get<std::string>();
    if (auto q = j.find("quality_score"); q != j.end() && q->is_number()) r.quality_score = q->get<double>();
    if (auto k = j.find("usage_key"); k != j.end() && k->is_string()) r.usage_key = k->get<std::string>();
    return r;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::string write_file(const std::string& dir, const std::vector<UsageRecord>& records) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw std::runtime_error("cannot create " + dir + ": " + ec.message());
  static std::atomic<unsigned> n{0};
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::system_clock::now().time_since_epoch()).count();
  std::string name = "usage-" + std::to_string(ms) + "-" + std::to_string(::getpid()) + "-" +
                     std::to_string(std::random_device{}()) + "-" + std::to_string(n++);
  fs::path tmp = fs::path(dir) / (name + ".tmp"), final_path = fs::path(dir) / (name + ".jsonl");
  std::string data;
  for (const auto& r : records) data += to_line(r) + "\n";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) throw std::runtime_error("cannot create " + tmp.string() + ": " + std::strerror(errno));
  std::size_t off = 0;
  while (off < data.size()) {
    auto w = ::write(fd, data.data() + off, data.size() - off);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) {
      int e = errno;
      ::close(fd);
      throw std::runtime_error("cannot write " + tmp.string() + ": " + std::strerror(e));
    }
    off += static_cast<std::size_t>(w);
  }
  bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!synced) throw std::runtime_error("cannot sync " + tmp.string());
  fs::rename(tmp, final_path, ec);
  if (ec) throw std::runtime_error("cannot rename " + tmp.string() + ": " + ec.message());
  if (int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dfd >= 0) {  // the rename, durable
    ::fsync(dfd);
    ::close(dfd);
  }
  return final_path.string();
}

std::vector<std::string> files(const std::string& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  if (dir.empty() || !fs::is_directory(dir, ec)) return out;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.is_regular_file(ec) && e.path().extension() == ".jsonl") out.push_back(e.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

std::uint64_t bytes(const std::string& dir) {
  std::uint64_t total = 0;
  for (const auto& path : files(dir)) {
    std::error_code ec;
    auto n = fs::file_size(path, ec);
    if (!ec) total += n;
  }
  return total;
}

std::vector<UsageRecord> read_file(const std::string& path, std::size_t& bad) {
  std::vector<UsageRecord> out;
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::string line;
  bad = 0;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    if (auto r = from_line(line)) out.push_back(std::move(*r));
    else ++bad;
  }
  return out;
}

}  // namespace netops::gateway::spill
