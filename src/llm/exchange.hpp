#pragma once
// Internal to src/llm: one request/response exchange over a pooled connection — writing the request,
// reading the headers (retrying once on a stale pooled connection), then the body piece by piece.
#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "llm/connection_pool.hpp"
#include "llm/http_client.hpp"

namespace netops::llm {

struct UpstreamStream::State {
  std::weak_ptr<WorkerPool> pool;
  std::shared_ptr<Connection> conn;  // null once finished (back in the pool, or closed)
  std::string origin;                // scheme://host:port, for messages
  Timeouts timeouts;
  Clock::time_point total_deadline;
  int status = 0;
  Headers headers;
  std::optional<ResponseParser> parser;
  beast::flat_buffer buf;    // bytes read from the socket and not parsed yet
  boost::system::error_code parse_error;  // met while parsing buffered bytes: the next read() fails with it
  // The body buffer one read() fills: left uninitialised (read() writes before anyone reads), since
  // zero-filling it cost a memset per upstream call.
  std::unique_ptr<char[]> piece;
  std::size_t piece_size = 0;
  bool request_keep_alive = true;  // the caller did not send "Connection: close"
  bool done = false;
  bool failed = false;
  std::atomic<bool> cancelled{false};
};

// Sends the request and reads the response headers. Throws UpstreamError (and std::invalid_argument for
// a bad URL, method or header).
Task<std::shared_ptr<UpstreamStream::State>> start_exchange(std::shared_ptr<WorkerPool> pool, UpstreamRequest req,
                                                            std::size_t piece_size);
Task<std::optional<std::string>> read_piece(std::shared_ptr<UpstreamStream::State> st);
void cancel_exchange(UpstreamStream::State& st);

// The request line and headers, exposed for tests. Sets keep_alive false when the caller asked to close.
std::string serialize_request_head(const UpstreamRequest& req, const UpstreamUrl& url, const ClientOptions& opts,
                                   bool& keep_alive);

}  // namespace netops::llm
