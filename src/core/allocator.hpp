#pragma once
// How the process's allocator gives memory back (glibc malloc). The server executable links mimalloc ahead of
// libc (CMakeLists.txt), which replaces malloc there; these settings then apply to the tests' processes only.
namespace netops {

// Called once at start-up, before any thread. By default glibc raises its mmap threshold (up to 32 MiB)
// each time it frees a mapped block, after which large buffers — an upstream answer read to its 64 MiB
// cap, a big request body — come from the per-thread arenas and stay resident after they are freed, a
// different arena each time. A fixed threshold keeps every block ≥ 1 MiB mapped (returned to the system on
// free) and trims an arena's top beyond 4 MiB, so the RSS goes back down after a large request.
void tune_allocator();

// Gives what start-up allocated and freed (migrations, seeding, the route docs) back to the system before the
// server serves: malloc_trim for glibc, then what the process registered (main.cpp, with mimalloc: its
// collection, and the start-up-only settings switched back). Called once, on the thread that did the start-up.
void release_startup_memory();
// The allocator-specific part of release_startup_memory (nullptr: none).
void set_startup_memory_release(void (*release)());

}  // namespace netops
