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

// Makes LibTorch's parallel loops serial on this thread for the guard's lifetime (ATen's OpenMP
// backend asks omp_get_max_threads(), a per-thread setting).
class SerialOps {
 public:
  SerialOps()
      : m_set(reinterpret_cast<SetThreadsFn>(dlsym(RTLD_DEFAULT, "omp_set_num_threads"))),
        m_get(reinterpret_cast<GetThreadsFn>(dlsym(RTLD_DEFAULT, "omp_get_max_threads"))) {
    (void)at::get_num_threads();  // LibTorch's lazy per-thread initialisation first, or it undoes ours
    if (!m_set || !m_get) return;
    m_previous = m_get();
    m_set(1);
  }
  ~SerialOps() {
    if (m_set && m_previous > 0) m_set(m_previous);
  }
  SerialOps(const SerialOps&) = delete;
  SerialOps& operator=(const SerialOps&) = delete;

 private:
  SetThreadsFn m_set;
  GetThreadsFn m_get;
  int m_previous = 0;
};

}  // namespace

void runOnWorkers(int workers, const std::function<void(int worker)>& work) {
  if (workers <= 1) {
    work(0);
    return;
  }
  std::mutex mutex;
  std::exception_ptr first;
  const auto guarded = [&](int worker) {
    try {
      const SerialOps serial;
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
