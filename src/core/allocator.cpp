#include "core/allocator.hpp"

#include <malloc.h>

namespace netops {

void tune_allocator() {
  mallopt(M_MMAP_THRESHOLD, 1 << 20);
  mallopt(M_TRIM_THRESHOLD, 4 << 20);
}

}  // namespace netops
