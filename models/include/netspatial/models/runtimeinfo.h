#pragma once

// Pure C++ view of the LibTorch runtime: versions, the BLAS actually loaded, compute devices.
// No Qt and no Torch types here (DESIGN.md §1), so any front end can include it.

#include <string>

namespace netspatial::models {

enum class DeviceKind { Cpu, Cuda };

struct RuntimeInfo {
  std::string torchVersion;     //!< e.g. "1.13.1"
  std::string blasLibrary;      //!< resolved path of the loaded BLAS shared object, or "" if none found
  std::string blasDescription;  //!< e.g. "OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY Haswell MAX_THREADS=64"
  std::string blasCore;         //!< OpenBLAS kernel family in use, e.g. "SkylakeX"
  int blasThreads = 0;          //!< OpenBLAS's own threads (1: see setBlasThreads); 0 when not OpenBLAS
  std::string allocator;        //!< allocatorDescription()
  bool cudaAvailable = false;
  int cudaDeviceCount = 0;
  std::string cudaDeviceName;  //!< first device, when the LibTorch build can tell
  int intraOpThreads = 0;
  //! "cuda" when a CUDA device is usable, else "cpu".
  std::string defaultDevice() const { return cudaAvailable ? "cuda" : "cpu"; }
};

//! Inspects the running process (loaded libraries, Torch build). Cheap; safe from any thread.
RuntimeInfo runtimeInfo();

//! Sets LibTorch's intra-op thread count (0 = leave as is). Returns the count in force.
int setIntraOpThreads(int threads);

//! The cores this process may run on (its CPU affinity), at least 1.
int availableCores();

//! First thing in every program's main(): the allocator (tuneAllocator), OpenBLAS's kernels and
//! threads (tuneBlasForThisCpu, which may re-execute the program), then LibTorch's intra-op threads
//! set to availableCores() — LibTorch's own default counts the cores with cpuinfo, which finds one
//! on this project's 2-core virtual machines, so one core sat idle (issue 21).
void tuneRuntime(int argc, char** argv);

}  // namespace netspatial::models
