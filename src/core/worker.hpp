#pragma once
// The server runs one io_context per thread ("worker"). Per-worker resources (database pool, Redis
// connection) are picked by the index of the worker the calling coroutine runs on, so they need no locks.
#include <cstddef>

namespace netops {
std::size_t current_worker();           // 0 when called outside any worker
void set_current_worker(std::size_t i);  // called once by each worker thread
}  // namespace netops
