#pragma once

#include <string>

namespace netspatial::models {

//! OpenBLAS picks its kernels from the CPU model at load time; on virtual machines that report a
//! generic model ("Intel Xeon Processor") it falls back to Prescott (SSE3) kernels even when the
//! CPU has AVX-512 — about 4.5× slower matmul on this project's machines (measured by
//! netspatial-bench: 63 vs 290 GFLOP/s). Call this first thing in main(): when the loaded OpenBLAS
//! runs weaker kernels than the CPU's instruction set allows and OPENBLAS_CORETYPE is unset, it sets
//! OPENBLAS_CORETYPE from the CPU flags and re-executes the program (the choice can only be made
//! before the library loads). Returns normally otherwise. Never loops (guarded by an env variable).
//! It also sets OpenBLAS to one thread (setBlasThreads).
void tuneBlasForThisCpu(int argc, char** argv);

//! OpenBLAS's own thread pool: the threads it splits one matrix product over. The programs run it
//! with one: their parallelism is LibTorch's intra-op pool and the generation workers (one chunk of
//! sites each), and an idle OpenBLAS pool spins in sched_yield — 319,000 calls and 7.8 s of system
//! time in a 13 s benchmark here, a core taken from the workers. Returns the count now in force;
//! 0 when the loaded BLAS is not OpenBLAS (nothing to set).
int setBlasThreads(int threads);
int blasThreads();

//! Sets OpenBLAS's thread count for its lifetime and restores the previous count after: matrix
//! products that are the whole job (the matmul peak probe) use as many threads as LibTorch does.
class ScopedBlasThreads {
 public:
  explicit ScopedBlasThreads(int threads);
  ~ScopedBlasThreads();
  ScopedBlasThreads(const ScopedBlasThreads&) = delete;
  ScopedBlasThreads& operator=(const ScopedBlasThreads&) = delete;

 private:
  int m_previous = 0;
};

//! The kernel family OpenBLAS is running ("SkylakeX", "Haswell", "Prescott"), or "" when the loaded
//! BLAS is not OpenBLAS.
std::string openBlasCoreName();

//! The OpenBLAS core type this CPU's instruction set supports ("SkylakeX", "Haswell"), or "" when
//! there is nothing better than what OpenBLAS detects itself.
std::string bestOpenBlasCoreForCpu();

//! The decision, as a pure function: the core type to force, or "" to leave OpenBLAS alone.
//! `detected` is what OpenBLAS runs now ("" when the BLAS is not OpenBLAS), `best` what the CPU
//! supports, `userOverride` whether OPENBLAS_CORETYPE is already set.
std::string openBlasCoreToForce(const std::string& detected, const std::string& best, bool userOverride);

}  // namespace netspatial::models
