#pragma once

// Splitting one request over worker threads, each running LibTorch single-threaded (internal to
// models/). Measured here: two workers with one thread each beat LibTorch's own two-thread
// operations on NetSpatial's chunks (README "Performance").

#include <cstddef>
#include <functional>

namespace netspatial::models {

//! Runs work(worker) on `workers` threads — the calling thread is worker 0 — and returns when all
//! are done. Inside, LibTorch's intra-op loops run serially on each thread (OpenMP's per-thread
//! thread count set to 1 for the call), so the workers do not oversubscribe the cores. An exception
//! thrown by any worker is rethrown here after all have stopped (the first one). workers ≤ 1 runs
//! work(0) on the caller, unchanged.
void runOnWorkers(int workers, const std::function<void(int worker)>& work);

}  // namespace netspatial::models
