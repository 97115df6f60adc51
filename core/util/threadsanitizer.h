#pragma once

// Happens-before annotations for ThreadSanitizer, for the one hand-over in the studio it cannot
// see by itself and that an Inbox cannot carry: a QThreadPool's queue (inside the uninstrumented
// libQt6Core, guarded by futexes). No-ops in every other build.
//
// Usage: build the work completely, call tsanRelease(key), hand it over; the receiving side calls
// tsanAcquire(key) before it reads anything handed over. `key` is any fixed address naming the
// channel (a static variable), so the receiver needs to read nothing of the sender's to find it.

#if defined(__SANITIZE_THREAD__)
extern "C" void __tsan_acquire(void* addr);
extern "C" void __tsan_release(void* addr);
#endif

namespace netspatial::core {

inline void tsanRelease([[maybe_unused]] void* key) {
#if defined(__SANITIZE_THREAD__)
  __tsan_release(key);
#endif
}

inline void tsanAcquire([[maybe_unused]] void* key) {
#if defined(__SANITIZE_THREAD__)
  __tsan_acquire(key);
#endif
}

}  // namespace netspatial::core
