#pragma once
// CPU-heavy work (Argon2id hashing, big CSV parsing) runs on a small separate thread pool so it never
// stalls a worker's event loop; the awaiting coroutine resumes on its own worker afterwards.
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <exception>
#include <optional>
#include <type_traits>

#include "core/task.hpp"

namespace netops {

class Blocking {
 public:
  explicit Blocking(std::size_t threads) : pool_(threads) {}
  ~Blocking() { pool_.join(); }

  // R must be default-constructible. Exceptions thrown by fn propagate to the awaiting coroutine.
  template <class F, class R = std::invoke_result_t<F&>>
  Task<R> run(F fn) {
    auto initiate = [this](auto handler, F f) {
      boost::asio::post(pool_, [handler = std::move(handler), f = std::move(f)]() mutable {
        std::exception_ptr error;
        std::optional<R> result;
        try {
          result.emplace(f());
        } catch (...) {
          error = std::current_exception();
        }
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

 private:
  boost::asio::thread_pool pool_;
};

}  // namespace netops
