#include "core/worker.hpp"

namespace netops {
namespace {
thread_local std::size_t tl_worker = 0;
}
std::size_t current_worker() { return tl_worker; }
void set_current_worker(std::size_t i) { tl_worker = i; }
}  // namespace netops
