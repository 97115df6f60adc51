#include "netspatial/models/blastuning.h"

#include <dlfcn.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <set>

namespace netspatial::models {

namespace {

constexpr const char* kGuardVariable = "NETSPATIAL_BLAS_TUNED";

// Kernel families weaker than Haswell (no AVX2/FMA).
const std::set<std::string>& legacyCores() {
  static const std::set<std::string> cores{"Prescott", "Core2", "Penryn", "Dunnington", "Nehalem", "Atom",
                                           "Katmai", "Coppermine", "Northwood", "Banias", "Sandybridge",
                                           "Opteron", "Barcelona", "Bobcat", "Generic"};
  return cores;
}

}  // namespace

std::string openBlasCoreName() {
  using CoreNameFn = char* (*)();
  auto fn = reinterpret_cast<CoreNameFn>(dlsym(RTLD_DEFAULT, "openblas_get_corename"));
  if (!fn) return {};
  const char* name = fn();
  return name ? std::string(name) : std::string();
}

std::string bestOpenBlasCoreForCpu() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_cpu_init();
  const bool avx512 = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                      __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq");
  if (avx512) return "SkylakeX";
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return "Haswell";
#endif
  return {};
}

void tuneBlasForThisCpu(int argc, char** argv) {
  (void)argc;
  if (std::getenv("OPENBLAS_CORETYPE") || std::getenv(kGuardVariable)) return;
  const std::string current = openBlasCoreName();
  if (current.empty()) return;  // not OpenBLAS: nothing to tune
  // Match case-insensitively: OpenBLAS reports e.g. "Prescott" or "PRESCOTT" depending on version.
  bool legacy = false;
  for (const auto& name : legacyCores())
    if (strcasecmp(name.c_str(), current.c_str()) == 0) legacy = true;
  if (!legacy) return;
  const std::string best = bestOpenBlasCoreForCpu();
  if (best.empty()) return;
  setenv("OPENBLAS_CORETYPE", best.c_str(), 1);
  setenv(kGuardVariable, current.c_str(), 1);  // remembers what OpenBLAS detected on its own
  execv("/proc/self/exe", argv);
  // exec failed (e.g. no /proc): carry on with the slower kernels rather than stop.
  unsetenv("OPENBLAS_CORETYPE");
}

}  // namespace netspatial::models
