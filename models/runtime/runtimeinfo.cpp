#include "netspatial/models/runtimeinfo.h"

#include "netspatial/models/allocatortuning.h"
#include "netspatial/models/blastuning.h"

#include <torch/torch.h>
#include <torch/version.h>

// Set by models/CMakeLists.txt only when the LibTorch found has CUDA libraries (Debian's CPU-only
// package ships the CUDA headers too, so a header check would break its link).
#ifdef NETSPATIAL_TORCH_CUDA
#include <ATen/cuda/CUDAContext.h>
#endif

#include <dlfcn.h>
#include <sched.h>
#include <link.h>

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <thread>
#include <vector>

namespace netspatial::models {

namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  return s;
}

// Shared objects mapped into this process whose name mentions a BLAS implementation.
int collectBlas(dl_phdr_info* info, size_t, void* data) {
  auto* found = static_cast<std::vector<std::string>*>(data);
  if (!info->dlpi_name || !*info->dlpi_name) return 0;
  const std::string name = lower(info->dlpi_name);
  const auto slash = name.find_last_of('/');
  const std::string base = slash == std::string::npos ? name : name.substr(slash + 1);
  if (base.find("blas") != std::string::npos || base.find("mkl_") != std::string::npos) {
    char resolved[PATH_MAX];
    found->push_back(realpath(info->dlpi_name, resolved) ? std::string(resolved) : std::string(info->dlpi_name));
  }
  return 0;
}

}  // namespace

RuntimeInfo runtimeInfo() {
  RuntimeInfo info;
  info.torchVersion = TORCH_VERSION;

  std::vector<std::string> blas;
  dl_iterate_phdr(collectBlas, &blas);
  // Prefer the one that does the work (OpenBLAS/MKL) over a thin libcblas wrapper.
  for (const auto& path : blas) {
    const std::string l = lower(path);
    if (l.find("openblas") != std::string::npos || l.find("mkl") != std::string::npos) {
      info.blasLibrary = path;
      break;
    }
  }
  if (info.blasLibrary.empty() && !blas.empty()) info.blasLibrary = blas.front();
  using ConfigFn = const char* (*)();
  if (auto fn = reinterpret_cast<ConfigFn>(dlsym(RTLD_DEFAULT, "openblas_get_config"))) {
    info.blasDescription = fn();
    if (info.blasDescription.rfind("OpenBLAS", 0) != 0) info.blasDescription = "OpenBLAS " + info.blasDescription;
    info.blasCore = openBlasCoreName();
    info.blasThreads = blasThreads();
    if (const char* detected = std::getenv("NETSPATIAL_BLAS_TUNED"))
      info.blasCore += std::string(" (chosen from the CPU flags; OpenBLAS detected ") + detected + ")";
    else if (std::getenv("OPENBLAS_CORETYPE"))
      info.blasCore += " (set by OPENBLAS_CORETYPE)";
  } else if (!info.blasLibrary.empty()) {
    const std::string l = lower(info.blasLibrary);
    info.blasDescription =
        l.find("/blas/") != std::string::npos ? "reference BLAS (slow: install libopenblas0-pthread)" : "unidentified BLAS";
  } else {
    info.blasDescription = "none loaded (LibTorch's own kernels or MKL statically linked)";
  }

  info.cudaAvailable = torch::cuda::is_available();
  info.cudaDeviceCount = info.cudaAvailable ? int(torch::cuda::device_count()) : 0;
#ifdef NETSPATIAL_TORCH_CUDA
  if (info.cudaAvailable) info.cudaDeviceName = at::cuda::getDeviceProperties(0)->name;
#endif
  info.intraOpThreads = torch::get_num_threads();
  info.allocator = allocatorDescription();
  return info;
}

int availableCores() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof(set), &set) == 0) return std::max(1, CPU_COUNT(&set));
  return std::max(1, int(std::thread::hardware_concurrency()));
}

void tuneRuntime(int argc, char** argv) {
  tuneAllocator();
  tuneBlasForThisCpu(argc, argv);
  torch::set_num_threads(availableCores());
}

int setIntraOpThreads(int threads) {
  if (threads > 0) torch::set_num_threads(threads);
  return torch::get_num_threads();
}

}  // namespace netspatial::models
