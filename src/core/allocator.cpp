#include "core/allocator.hpp"

#include <malloc.h>

namespace netops {

namespace {
void (*g_release)() = nullptr;
}  // namespace

void set_startup_memory_release(void (*release)()) { g_release = release; }

void release_startup_memory() {
  malloc_trim(0);
  if (g_release) g_release();
}

void tune_allocator() {
  mallopt(M_MMAP_THRESHOLD, 1 << 20);
  mallopt(M_TRIM_THRESHOLD, 4 << 20);
}

}  // namespace netops
