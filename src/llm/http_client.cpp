#include "llm/http_client.hpp"

#include <boost/asio/post.hpp>
#include <charconv>
#include <stdexcept>

#include "core/worker.hpp"
#include "llm/connection_pool.hpp"
#include "llm/exchange.hpp"

namespace netops::llm {
namespace {

// A stream hands bytes over as soon as they arrive, so its pieces stay small; send() only accumulates.
constexpr std::size_t kStreamPiece = 16 * 1024;
// 32 KiB, not 64: glibc consolidates its heap (malloc_consolidate) whenever a chunk of 64 KiB or more is
// freed, which a 64 KiB piece per call did on every plain completion.
constexpr std::size_t kSendPiece = 32 * 1024;

std::string find_header(const Headers& headers, std::string_view lower_name) {
  std::string out;
  bool found = false;
  for (auto& [k, v] : headers) {
    if (k != lower_name) continue;
    if (found) out += ", ";
    out += v;
    found = true;
  }
  return out;
}

}  // namespace

std::string UpstreamResponse::header(std::string_view lower_name) const { return find_header(headers, lower_name); }

// ------------------------------------------------------------------------------------------ UpstreamStream

UpstreamStream::UpstreamStream(std::shared_ptr<State> s) : st_(std::move(s)) {}

UpstreamStream::~UpstreamStream() {
  if (st_) cancel_exchange(*st_);
}

int UpstreamStream::status() const { return st_->status; }
const Headers& UpstreamStream::headers() const { return st_->headers; }
std::string UpstreamStream::header(std::string_view lower_name) const { return find_header(st_->headers, lower_name); }
bool UpstreamStream::done() const { return st_->done; }

// Not a coroutine itself: the frame holds the shared state, not `this`, so destroying the stream while a
// read is suspended is safe (the read then fails as cancelled).
Task<std::optional<std::string>> UpstreamStream::read() { return read_piece(st_); }

void UpstreamStream::cancel() { cancel_exchange(*st_); }

// ------------------------------------------------------------------------------------------ HttpClient

HttpClient::HttpClient(ClientOptions opts, std::vector<boost::asio::io_context*> workers) : opts_(std::move(opts)) {
  if (workers.empty()) throw std::invalid_argument("HttpClient needs at least one worker");
  pools_.reserve(workers.size());
  for (auto* ioc : workers) pools_.push_back(std::make_shared<WorkerPool>(*ioc, opts_));
}

HttpClient::~HttpClient() = default;

WorkerPool& HttpClient::pool() {
  auto i = current_worker();
  // Another worker's pool belongs to another thread; using it would race.
  if (i >= pools_.size()) throw std::logic_error("HttpClient used from an unknown worker");
  auto& p = *pools_[i];
  if (!p.context().get_executor().running_in_this_thread())
    throw std::logic_error("HttpClient used outside its worker's event loop");
  return p;
}

Task<std::unique_ptr<UpstreamStream>> HttpClient::open(UpstreamRequest req) {
  auto pool_ptr = pool().shared_from_this();
  auto st = co_await start_exchange(std::move(pool_ptr), std::move(req), kStreamPiece);
  co_return std::make_unique<UpstreamStream>(std::move(st));
}

Task<UpstreamResponse> HttpClient::send(UpstreamRequest req) {
  auto pool_ptr = pool().shared_from_this();
  auto st = co_await start_exchange(std::move(pool_ptr), std::move(req), kSendPiece);
  UpstreamStream stream(std::move(st));
  UpstreamResponse res;
  res.status = stream.status();
  res.headers = stream.headers();
  const std::size_t limit = opts_.max_response_bytes;
  auto too_large = [&] {
    stream.cancel();
    return UpstreamError(UpstreamError::Kind::protocol,
                         "upstream response body exceeds " + std::to_string(limit) + " bytes");
  };
  std::string length = res.header("content-length");
  std::size_t declared = 0;
  if (!length.empty() && std::from_chars(length.data(), length.data() + length.size(), declared).ec == std::errc{}) {
    if (declared > limit) throw too_large();
    res.body.reserve(declared);
  }
  while (auto piece = co_await stream.read()) {
    if (res.body.size() + piece->size() > limit) throw too_large();
    res.body.append(*piece);
  }
  co_return res;
}

void HttpClient::close_idle() {
  for (auto& p : pools_) {
    std::weak_ptr<WorkerPool> weak = p;
    boost::asio::post(p->context(), [weak] {
      if (auto pool = weak.lock()) pool->close_idle();
    });
  }
}

HttpClient::Stats HttpClient::stats() const {
  Stats s;
  for (auto& p : pools_) {
    auto& c = p->counters();
    s.open_connections += c.open.load(std::memory_order_relaxed);
    s.idle_connections += c.idle.load(std::memory_order_relaxed);
    s.reused += c.reused.load(std::memory_order_relaxed);
    s.created += c.created.load(std::memory_order_relaxed);
  }
  return s;
}

}  // namespace netops::llm
