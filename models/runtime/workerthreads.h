#pragma once

// Splitting one request over worker threads, each running LibTorch single-threaded (internal to
// models/). Measured here: two workers with one thread each beat LibTorch's own two-thread
// operations on NetSpatial's chunks (README "Performance").

#include <cstddef>
#include <functional>

namespace netspatial::models {

//! Makes LibTorch's parallel loops serial on the calling thread for the guard's lifetime (ATen's
//! OpenMP backend asks omp_get_max_threads(), a per-thread setting), whatever the process-wide
//! thread count: for models whose operations are too small to gain from a second thread.
class ScopedSerialOps {
 public:
  ScopedSerialOps();
  ~ScopedSerialOps();
  ScopedSerialOps(const ScopedSerialOps&) = delete;
  ScopedSerialOps& operator=(const ScopedSerialOps&) = delete;

 private:
  int m_previous = 0;
};

//! Runs work(worker) on `workers` threads — the calling thread is worker 0 — and returns when all
//! are done. Inside, LibTorch's intra-op loops run serially on each thread (OpenMP's per-thread
//! thread count set to 1 for the call), so the workers do not oversubscribe the cores. An exception
//! thrown by any worker is rethrown here after all have stopped (the first one). workers ≤ 1 runs
//! work(0) on the caller, unchanged.
void runOnWorkers(int workers, const std::function<void(int worker)>& work);

}  // namespace netspatial::models
