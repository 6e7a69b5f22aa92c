#pragma once
// What a handler returns. A response is either a complete body or a stream (SSE, CSV export) whose
// producer writes chunks as they come; the server sends those with chunked transfer encoding.
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/task.hpp"

namespace netops::http {

class StreamWriter {
 public:
  virtual ~StreamWriter() = default;
  // Sends one chunk at once (no buffering). False when the client has gone away.
  virtual Task<bool> write(std::string_view chunk) = 0;
  virtual bool client_gone() const = 0;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::function<Task<void>(StreamWriter&)> stream;  // set for streamed responses

  static Response json(const nlohmann::json& body, int status = 200);
  static Response text(std::string body, std::string content_type, int status = 200);
  static Response no_content();
  static Response streamed(std::string content_type, std::function<Task<void>(StreamWriter&)> producer);
  Response& header(std::string name, std::string value) {
    if (headers.capacity() == 0) headers.reserve(16);  // one allocation for a gateway answer's dozen
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
  }
};

// {"data":[…],"meta":{"page":…,"pageSize":…,"total":…}} of SPEC §2.
// total_exact (when given) becomes meta.totalExact: false means total is a lower bound (a list too large to
// count on the request path).
Response page(nlohmann::json data, long long page, long long page_size, long long total,
              std::optional<bool> total_exact = std::nullopt);

}  // namespace netops::http
