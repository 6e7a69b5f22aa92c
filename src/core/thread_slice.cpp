#include "core/thread_slice.hpp"

#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstring>

namespace netops {
namespace {

// The kernel's struct sched_attr (sched_setattr(2)). glibc 2.36 (Debian 12) has no wrappers, and
// <linux/sched/types.h> cannot be included next to <sched.h> (both define struct sched_param).
struct SchedAttr {
  std::uint32_t size;
  std::uint32_t sched_policy;
  std::uint64_t sched_flags;
  std::int32_t sched_nice;
  std::uint32_t sched_priority;
  std::uint64_t sched_runtime;  // SCHED_OTHER/SCHED_BATCH since Linux 6.12: the thread's time slice (ns)
  std::uint64_t sched_deadline;
  std::uint64_t sched_period;
  std::uint32_t sched_util_min;
  std::uint32_t sched_util_max;
};
constexpr std::uint64_t kResetOnFork = 0x01;  // SCHED_FLAG_RESET_ON_FORK

bool get_attr(SchedAttr& a) {
  std::memset(&a, 0, sizeof a);
  return syscall(SYS_sched_getattr, 0, &a, sizeof a, 0) == 0;
}

}  // namespace

std::chrono::microseconds current_time_slice() {
  SchedAttr a{};
  if (!get_attr(a)) return std::chrono::microseconds(0);
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::nanoseconds(a.sched_runtime));
}

bool request_time_slice(std::chrono::microseconds slice) {
  SchedAttr a{};
  if (!get_attr(a)) return false;
  // Only the fair classes have slices; a thread someone made real-time keeps what it was given.
  if (a.sched_policy != SCHED_OTHER && a.sched_policy != SCHED_BATCH) return false;
  a.size = sizeof a;
  // The policy and nice value read above are written back unchanged. Reset-on-fork: threads this one
  // starts (a blocking pool created on first use, from a worker) begin with the kernel's default slice,
  // not this one (it also starts them at nice 0 if this thread's nice is negative).
  a.sched_flags = kResetOnFork;
  a.sched_runtime = static_cast<std::uint64_t>(std::chrono::nanoseconds(slice).count());
  if (syscall(SYS_sched_setattr, 0, &a, 0) != 0) return false;
  // Kernels without custom slices accept the call and ignore the field: only the slice read back, as
  // the kernel clamps it, tells.
  return current_time_slice() == std::clamp(slice, std::chrono::microseconds(100), std::chrono::microseconds(100000));
}

}  // namespace netops
