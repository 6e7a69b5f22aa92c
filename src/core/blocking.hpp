#pragma once
// CPU-heavy work (Argon2id hashing, big CSV parsing) runs on a small separate thread pool so it never
// stalls a worker's event loop; the awaiting coroutine resumes on its own worker afterwards.
// The queue is bounded: when `capacity` jobs are already queued or running, run() refuses at once with
// 503 SERVICE_UNAVAILABLE and Retry-After instead of letting a flood (parallel logins) queue everyone
// else behind it.
#include <atomic>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cstddef>
#include <exception>
#include <optional>
#include <type_traits>

#include "core/error.hpp"
#include "core/task.hpp"

namespace netops {

class Blocking {
 public:
  // capacity 0 = unbounded
  explicit Blocking(std::size_t threads, std::size_t capacity = 0) : pool_(threads), capacity_(capacity) {}
  ~Blocking() { pool_.join(); }

  // R must be default-constructible. Exceptions thrown by fn propagate to the awaiting coroutine.
  template <class F, class R = std::invoke_result_t<F&>>
  Task<R> run(F fn) {
    if (capacity_ != 0 && queued_.fetch_add(1) >= capacity_) {
      queued_.fetch_sub(1);
      refused_.fetch_add(1);
      throw AppError(ErrorCode::service_unavailable, "the server is busy; try again shortly", {{"retryAfter", 1}});
    }
    if (capacity_ == 0) queued_.fetch_add(1);
    auto initiate = [this](auto handler, F f) {
      boost::asio::post(pool_, [this, handler = std::move(handler), f = std::move(f)]() mutable {
        std::exception_ptr error;
        std::optional<R> result;
        try {
          result.emplace(f());
        } catch (...) {
          error = std::current_exception();
        }
        queued_.fetch_sub(1);
        auto ex = boost::asio::get_associated_executor(handler);
        boost::asio::post(ex, [handler = std::move(handler), error, result = std::move(result)]() mutable {
          std::move(handler)(error, result ? std::move(*result) : R{});
        });
      });
    };
    co_return co_await boost::asio::async_initiate<decltype(boost::asio::use_awaitable), void(std::exception_ptr, R)>(
        initiate, boost::asio::use_awaitable, std::move(fn));
  }
  void stop() { pool_.stop(); }
  std::size_t queued() const { return queued_.load(); }   // queued or running now
  std::size_t refused() const { return refused_.load(); }  // refused since start (full queue)

 private:
  boost::asio::thread_pool pool_;
  std::size_t capacity_;
  std::atomic<std::size_t> queued_{0};
  std::atomic<std::size_t> refused_{0};
};

}  // namespace netops
