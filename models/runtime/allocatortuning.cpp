#include "netspatial/models/allocatortuning.h"

#include <dlfcn.h>
#include <gnu/libc-version.h>
#include <malloc.h>

#include <cstdlib>
#include <cstring>

namespace netspatial::models {

namespace {

enum class Tuning { NotTried, Set, Refused, UserSettings, Disabled, OtherAllocator };
Tuning g_tuning = Tuning::NotTried;

bool envSet(const char* name) {
  const char* v = std::getenv(name);
  return v && *v;
}

bool userTunedGlibc() {
  if (envSet("MALLOC_MMAP_THRESHOLD_") || envSet("MALLOC_TRIM_THRESHOLD_")) return true;
  const char* tunables = std::getenv("GLIBC_TUNABLES");
  return tunables && std::strstr(tunables, "glibc.malloc.");
}

// A replacement allocator interposed before libc (LD_PRELOAD or linked): found by a symbol only it
// exports. Its own defaults already keep freed memory for reuse.
std::string otherAllocator() {
  using MallctlFn = int (*)(const char*, void*, std::size_t*, void*, std::size_t);
  if (auto mallctl = reinterpret_cast<MallctlFn>(dlsym(RTLD_DEFAULT, "mallctl"))) {
    const char* version = nullptr;
    std::size_t size = sizeof(version);
    if (mallctl("version", &version, &size, nullptr, 0) == 0 && version) return std::string("jemalloc ") + version;
    return "jemalloc";
  }
  using MiVersionFn = int (*)();
  if (auto miVersion = reinterpret_cast<MiVersionFn>(dlsym(RTLD_DEFAULT, "mi_version"))) {
    const int v = miVersion();  // e.g. 209 for 2.0.9
    return "mimalloc " + std::to_string(v / 100) + "." + std::to_string(v / 10 % 10) + "." + std::to_string(v % 10);
  }
  if (dlsym(RTLD_DEFAULT, "tc_malloc")) return "tcmalloc";
  return {};
}

}  // namespace

void tuneAllocator() {
  if (g_tuning != Tuning::NotTried) return;
  const char* off = std::getenv("NETSPATIAL_MALLOC_TUNING");
  if (off && std::strcmp(off, "off") == 0) {
    g_tuning = Tuning::Disabled;
  } else if (!otherAllocator().empty()) {
    g_tuning = Tuning::OtherAllocator;
  } else if (userTunedGlibc()) {
    g_tuning = Tuning::UserSettings;
  } else {
    // Both: a fixed mmap threshold alone still lets free() trim the heap's top back to the kernel.
    const bool mmap = mallopt(M_MMAP_THRESHOLD, int(kKeptBlockBytes)) == 1;
    const bool trim = mallopt(M_TRIM_THRESHOLD, int(kKeptBlockBytes)) == 1;
    g_tuning = mmap && trim ? Tuning::Set : Tuning::Refused;
  }
}

std::string allocatorDescription() {
  const std::string other = otherAllocator();
  if (!other.empty()) return other;
  const std::string glibc = std::string("glibc ") + gnu_get_libc_version() + " malloc";
  switch (g_tuning) {
    case Tuning::Set:
      return glibc + ", large blocks kept (mmap and trim thresholds " + std::to_string(kKeptBlockBytes >> 20) + " MiB, set by netspatial)";
    case Tuning::Refused:
      return glibc + ", default thresholds (mallopt refused the tuning): large blocks go back to the kernel";
    case Tuning::UserSettings:
      return glibc + ", thresholds from the environment (MALLOC_*_ or GLIBC_TUNABLES)";
    case Tuning::Disabled:
      return glibc + ", default thresholds (NETSPATIAL_MALLOC_TUNING=off): large blocks go back to the kernel";
    case Tuning::OtherAllocator:
    case Tuning::NotTried:
      break;
  }
  return glibc + ", default thresholds (not tuned): large blocks go back to the kernel";
}

}  // namespace netspatial::models
