#include "common.hpp"

#include <chrono>
#include <random>

namespace mockllm {

long Stats::record(const std::string& model) {
  std::lock_guard lock(mu_);
  ++total_;
  return requests_[model]++;
}

void Stats::disconnect() {
  std::lock_guard lock(mu_);
  ++disconnects_;
}

void Stats::reset() {
  std::lock_guard lock(mu_);
  requests_.clear();
  total_ = 0;
  disconnects_ = 0;
}

nlohmann::ordered_json Stats::to_json() const {
  std::lock_guard lock(mu_);
  auto requests = nlohmann::ordered_json::object();
  for (auto& [model, n] : requests_) requests[model] = n;
  return {{"requests", std::move(requests)}, {"total", total_}, {"disconnects", disconnects_}};
}

std::string random_id(std::string_view prefix, std::size_t length) {
  static constexpr std::string_view kAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  thread_local std::mt19937_64 rng{std::random_device{}()};
  std::string out(prefix);
  out.reserve(prefix.size() + length);
  std::uint64_t bits = 0;
  for (std::size_t i = 0; i < length; ++i) {
    if (i % 10 == 0) bits = rng();  // 10 base-62 digits per 64 random bits
    out += kAlphabet[bits % kAlphabet.size()];
    bits /= kAlphabet.size();
  }
  return out;
}

long unix_now() {
  return static_cast<long>(
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count());
}

Reply json_reply(int status, const nlohmann::ordered_json& body) {
  Reply r;
  r.status = status;
  r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

std::string json_string(std::string_view s) {
  return nlohmann::json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

bool bool_field(const nlohmann::json& obj, const char* key, bool fallback) {
  auto it = obj.find(key);
  if (it == obj.end() || !it->is_boolean()) return fallback;
  return it->get<bool>();
}

}  // namespace mockllm
