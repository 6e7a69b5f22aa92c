#include "core/detached.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <mutex>
#include <spdlog/spdlog.h>
#include <vector>

namespace netops {

namespace net = boost::asio;

namespace {
Task<void> counted(std::shared_ptr<std::atomic<std::size_t>> pending, Task<void> task, std::string what) {
  try {
    co_await std::move(task);
  } catch (const std::exception& e) {
    spdlog::error("background task ({}) failed: {}", what, e.what());
  }
  pending->fetch_sub(1);
}
}  // namespace

void DetachedTasks::spawn(const net::any_io_executor& ex, Task<void> task, std::string what) {
  pending_->fetch_add(1);
  net::co_spawn(ex, counted(pending_, std::move(task), std::move(what)), net::detached);
}

Task<void> DetachedTasks::drain(std::chrono::milliseconds max) {
  auto deadline = std::chrono::steady_clock::now() + max;
  net::steady_timer timer(co_await net::this_coro::executor);
  while (pending_->load() > 0 && std::chrono::steady_clock::now() < deadline) {
    timer.expires_after(std::chrono::milliseconds(20));
    co_await timer.async_wait(net::as_tuple(net::use_awaitable));
  }
  if (auto left = pending_->load()) spdlog::warn("shutdown: {} background task(s) still running", left);
}

namespace {
std::mutex hooks_mu;
std::vector<std::function<Task<void>()>>& hooks() {
  static std::vector<std::function<Task<void>()>> h;
  return h;
}
}  // namespace

namespace {
std::vector<std::function<std::size_t()>>& busy_counters() {
  static std::vector<std::function<std::size_t()>> b;
  return b;
}
}  // namespace

void ShutdownHooks::count_busy(std::function<std::size_t()> fn) {
  std::lock_guard lock(hooks_mu);
  busy_counters().push_back(std::move(fn));
}

std::size_t ShutdownHooks::busy() {
  std::vector<std::function<std::size_t()>> fns;
  {
    std::lock_guard lock(hooks_mu);
    fns = busy_counters();
  }
  std::size_t n = 0;
  for (auto& f : fns) n += f();
  return n;
}

void ShutdownHooks::at_deadline(std::function<Task<void>()> hook) {
  std::lock_guard lock(hooks_mu);
  hooks().push_back(std::move(hook));
}

Task<void> ShutdownHooks::run_deadline() {
  std::vector<std::function<Task<void>()>> todo;
  {
    std::lock_guard lock(hooks_mu);
    todo.swap(hooks());
  }
  for (auto& hook : todo) {
    try {
      co_await hook();
    } catch (const std::exception& e) {
      spdlog::error("shutdown: cutting in-flight work failed: {}", e.what());
    }
  }
}

}  // namespace netops
