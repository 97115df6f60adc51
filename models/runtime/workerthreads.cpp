#include "workerthreads.h"

#include <ATen/Parallel.h>

#include <dlfcn.h>

#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace netspatial::models {

namespace {

// OpenMP's per-thread thread count, found at run time in whichever OpenMP runtime LibTorch loaded
// (Debian's libgomp, or the renamed copy a pip LibTorch bundles): linking one ourselves could load
// a second runtime.
using SetThreadsFn = void (*)(int);
using GetThreadsFn = int (*)();

SetThreadsFn setThreads() { return reinterpret_cast<SetThreadsFn>(dlsym(RTLD_DEFAULT, "omp_set_num_threads")); }
GetThreadsFn getThreads() { return reinterpret_cast<GetThreadsFn>(dlsym(RTLD_DEFAULT, "omp_get_max_threads")); }

}  // namespace

ScopedSerialOps::ScopedSerialOps() {
  (void)at::get_num_threads();  // LibTorch's lazy per-thread initialisation first, or it undoes ours
  const auto set = setThreads();
  const auto get = getThreads();
  if (!set || !get) return;
  m_previous = get();
  set(1);
}

ScopedSerialOps::~ScopedSerialOps() {
  if (const auto set = setThreads(); set && m_previous > 0) set(m_previous);
}

void runOnWorkers(int workers, const std::function<void(int worker)>& work) {
  if (workers <= 1) {
    work(0);
    return;
  }
  std::mutex mutex;
  std::exception_ptr first;
  const auto guarded = [&](int worker) {
    try {
      const ScopedSerialOps serial;
      work(worker);
    } catch (...) {
      const std::lock_guard<std::mutex> lock(mutex);
      if (!first) first = std::current_exception();
    }
  };
  std::vector<std::thread> threads;
  threads.reserve(std::size_t(workers - 1));
  for (int w = 1; w < workers; ++w) threads.emplace_back(guarded, w);
  guarded(0);
  for (auto& t : threads) t.join();
  if (first) std::rethrow_exception(first);
}

}  // namespace netspatial::models
