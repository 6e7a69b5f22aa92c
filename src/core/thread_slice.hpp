#pragma once
// A worker thread's scheduler time slice (NETOPS_WORKER_SLICE_US).
//
// Linux's EEVDF scheduler (6.6 and later) gives every runnable thread a virtual deadline one time slice
// ahead; a thread woken up preempts the running one only when its deadline is earlier. With the default
// slice (0.7 ms × (1 + log2 cores)) a worker woken by an upstream's first bytes waits for a busy
// neighbour on its core — an upstream producing a stream, the client reading one — to finish up to a whole
// slice: measured on this project's 2-core machines as half of spaced-out streamed requests forwarding
// their first byte 0.5–1.3 ms late. Since Linux 6.12 a thread can ask for a shorter slice (sched_setattr's
// sched_runtime for SCHED_OTHER, 0.1–100 ms): an earlier deadline, so it runs soon after it wakes, in
// exchange for being preempted sooner itself. A proxy's worker runs in short bursts, so it loses nothing.
#include <chrono>

namespace netops {

// Asks the scheduler to give the calling thread time slices of `slice` (clamped by the kernel to
// 0.1–100 ms), keeping its policy and nice value; threads it starts afterwards get the default slice. True when the kernel reports that slice back; false on
// kernels without custom slices (before 6.12) or other schedulers, where the call changes nothing.
bool request_time_slice(std::chrono::microseconds slice);

// The calling thread's time slice as the kernel reports it (Linux >= 6.12 reports the default one too;
// older kernels report 0).
std::chrono::microseconds current_time_slice();

}  // namespace netops
