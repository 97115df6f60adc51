#pragma once

#include <string>

namespace netspatial::models {

//! glibc's malloc hands every block above its mmap threshold (128 KiB, rising only as such blocks
//! are freed) straight back to the kernel, so LibTorch's tensor buffers are unmapped after each op
//! and page-faulted in again by the next: large-tensor operations ran 10–25× slower, and
//! NetSpatial's 1-site latency 23 → 13 ms once the blocks were kept (issue 21, README
//! "Performance"). tuneRuntime() calls it first thing in main(), before tuneBlasForThisCpu(): under glibc it sets
//! M_MMAP_THRESHOLD and M_TRIM_THRESHOLD to kKeptBlockBytes, so freed tensor buffers stay in the
//! heap for the next op. It leaves the allocator alone when another allocator is loaded (jemalloc,
//! mimalloc, tcmalloc through LD_PRELOAD), when the user set glibc's own knobs
//! (MALLOC_MMAP_THRESHOLD_, MALLOC_TRIM_THRESHOLD_, GLIBC_TUNABLES with glibc.malloc), or when
//! NETSPATIAL_MALLOC_TUNING=off (for the benchmark's comparison rows).
void tuneAllocator();

//! Blocks up to this size are kept by the process once freed (1 GiB): larger than any tensor a
//! generation chunk or a training batch makes, small enough that a one-off giant buffer still goes
//! back to the kernel.
inline constexpr long kKeptBlockBytes = 1L << 30;

//! Which allocator serves malloc in this process and how it is set, e.g. "glibc 2.36 malloc, large
//! blocks kept (mmap and trim thresholds 1 GiB, set by netspatial)", "jemalloc 5.3.0-0-g54eaed1d…",
//! "mimalloc 2.0.9". Shown by --version and the benchmark.
std::string allocatorDescription();

}  // namespace netspatial::models
