#include "netspatial/models/blastuning.h"

#include <dlfcn.h>
#include <unistd.h>

#include <climits>
#include <cstdlib>
#include <cstring>
#include <set>
#include <strings.h>

namespace netspatial::models {

namespace {

constexpr const char* kGuardVariable = "NETSPATIAL_BLAS_TUNED";

// Kernel families weaker than Haswell (no AVX2/FMA).
const std::set<std::string>& legacyCores() {
  static const std::set<std::string> cores{"Prescott",    "Core2",   "Penryn",     "Dunnington", "Nehalem",
                                           "Atom",        "Katmai",  "Coppermine", "Northwood",  "Banias",
                                           "Sandybridge", "Opteron", "Barcelona",  "Bobcat",     "Generic"};
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
  const bool avx512 = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl") &&
                      __builtin_cpu_supports("avx512dq");
  if (avx512) return "SkylakeX";
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return "Haswell";
#endif
  return {};
}

std::string openBlasCoreToForce(const std::string& detected, const std::string& best, bool userOverride) {
  if (userOverride || detected.empty() || best.empty()) return {};
  // OpenBLAS reports e.g. "Prescott" or "PRESCOTT" depending on version.
  for (const auto& name : legacyCores())
    if (strcasecmp(name.c_str(), detected.c_str()) == 0) return best;
  return {};
}

namespace {

// The re-exec runs /proc/self/exe; under a loader or tool (ld.so, valgrind) that is not the program
// argv[0] names, and re-running it would do something else entirely.
bool selfIsTheProgram(const char* argv0) {
  char exe[PATH_MAX];
  const ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
  if (n <= 0 || !argv0) return false;
  exe[n] = '\0';
  const char* exeBase = std::strrchr(exe, '/');
  const char* argBase = std::strrchr(argv0, '/');
  return std::strcmp(exeBase ? exeBase + 1 : exe, argBase ? argBase + 1 : argv0) == 0;
}

}  // namespace

int setBlasThreads(int threads) {
  using SetFn = void (*)(int);
  if (auto set = reinterpret_cast<SetFn>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads")); set && threads > 0) set(threads);
  return blasThreads();
}

int blasThreads() {
  using GetFn = int (*)();
  auto get = reinterpret_cast<GetFn>(dlsym(RTLD_DEFAULT, "openblas_get_num_threads"));
  return get ? get() : 0;
}

ScopedBlasThreads::ScopedBlasThreads(int threads) : m_previous(blasThreads()) { setBlasThreads(threads); }
ScopedBlasThreads::~ScopedBlasThreads() { setBlasThreads(m_previous); }

void tuneBlasForThisCpu(int argc, char** argv) {
  // Before the re-exec check: the re-executed process comes back through here too.
  setBlasThreads(1);
  if (argc < 1 || !argv || !argv[0] || std::getenv(kGuardVariable)) return;
  const std::string detected = openBlasCoreName();
  const std::string core = openBlasCoreToForce(detected, bestOpenBlasCoreForCpu(), std::getenv("OPENBLAS_CORETYPE") != nullptr);
  if (core.empty() || !selfIsTheProgram(argv[0])) return;
  setenv("OPENBLAS_CORETYPE", core.c_str(), 1);
  setenv(kGuardVariable, detected.c_str(), 1);  // remembers what OpenBLAS detected on its own
  execv("/proc/self/exe", argv);
  // exec failed: carry on with the slower kernels rather than stop, and say nothing was changed.
  unsetenv("OPENBLAS_CORETYPE");
  unsetenv(kGuardVariable);
}

}  // namespace netspatial::models
