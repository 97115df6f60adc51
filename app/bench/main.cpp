// netspatial-bench: measures what speed reports are quoted against. Builds against LibTorch only
// (NETSPATIAL_MODELS_ONLY), so it runs on a GPU machine that has no Qt, GDAL or PROJ.
//
//   netspatial-bench [--device cpu|cuda|all] [--sizes 256,512,1024,2048] [--min-seconds S]
//                    [--threads N] [--json FILE]

#include "netspatial/models/blastuning.h"
#include "netspatial/models/matmulprobe.h"
#include "netspatial/models/runtimeinfo.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

using netspatial::models::DeviceKind;

struct Options {
  std::vector<int> sizes{256, 512, 1024, 2048};
  std::vector<DeviceKind> devices;
  double minSeconds = 0.5;
  int threads = 0;
  std::string json;
};

void usage() {
  std::puts(
      "usage: netspatial-bench [--device cpu|cuda|all] [--sizes 256,512,1024,2048]\n"
      "                        [--min-seconds S] [--threads N] [--json FILE]\n"
      "Measures float32 matmul throughput (GFLOP/s): the machine's peak that later reports quote ratios to.");
}

bool parse(int argc, char** argv, Options& o) {
  std::string device = "auto";
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const auto next = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
    if (a == "--help" || a == "-h") {
      usage();
      std::exit(0);
    } else if (a == "--device") {
      const char* v = next();
      if (!v) return false;
      device = v;
    } else if (a == "--sizes") {
      const char* v = next();
      if (!v) return false;
      o.sizes.clear();
      std::stringstream ss(v);
      std::string item;
      while (std::getline(ss, item, ',')) {
        const int n = std::atoi(item.c_str());
        if (n <= 0) return false;
        o.sizes.push_back(n);
      }
    } else if (a == "--min-seconds") {
      const char* v = next();
      if (!v) return false;
      o.minSeconds = std::atof(v);
    } else if (a == "--threads") {
      const char* v = next();
      if (!v) return false;
      o.threads = std::atoi(v);
    } else if (a == "--json") {
      const char* v = next();
      if (!v) return false;
      o.json = v;
    } else {
      std::fprintf(stderr, "netspatial-bench: unknown argument '%s'\n", a.c_str());
      return false;
    }
  }
  const bool cuda = netspatial::models::runtimeInfo().cudaAvailable;
  if (device == "cpu") {
    o.devices = {DeviceKind::Cpu};
  } else if (device == "cuda") {
    o.devices = {DeviceKind::Cuda};
  } else if (device == "all" || device == "auto") {
    o.devices = {DeviceKind::Cpu};
    if (cuda) o.devices.push_back(DeviceKind::Cuda);
  } else {
    std::fprintf(stderr, "netspatial-bench: --device must be cpu, cuda or all\n");
    return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  netspatial::models::tuneBlasForThisCpu(argc, argv);
  Options o;
  if (!parse(argc, argv, o)) {
    usage();
    return 2;
  }
  netspatial::models::setIntraOpThreads(o.threads);
  const auto info = netspatial::models::runtimeInfo();
  std::printf("LibTorch %s, %d intra-op threads\nBLAS     %s\n         kernels %s\n         %s\nCUDA     %s\n\n",
              info.torchVersion.c_str(), info.intraOpThreads, info.blasDescription.c_str(),
              info.blasCore.empty() ? "n/a" : info.blasCore.c_str(), info.blasLibrary.c_str(),
              info.cudaAvailable ? (std::to_string(info.cudaDeviceCount) + " device(s) " + info.cudaDeviceName).c_str()
                                 : "not available");

  std::printf("%-10s %-6s %8s %12s %12s\n", "benchmark", "device", "n", "median_ms", "GFLOP/s");
  std::ostringstream json;
  json << "{\"torch\":\"" << info.torchVersion << "\",\"threads\":" << info.intraOpThreads << ",\"results\":[";
  bool first = true;
  int failures = 0;
  for (DeviceKind d : o.devices) {
    double peak = 0.0;
    const char* dname = d == DeviceKind::Cuda ? "cuda" : "cpu";
    for (int n : o.sizes) {
      const auto m = netspatial::models::measureMatmul(n, d, o.minSeconds);
      if (!m.error.empty()) {
        std::printf("%-10s %-6s %8d   error: %s\n", "matmul_f32", dname, n, m.error.c_str());
        ++failures;
        continue;
      }
      peak = std::max(peak, m.gflops);
      std::printf("%-10s %-6s %8d %12.3f %12.1f\n", "matmul_f32", dname, n, m.medianSeconds * 1e3, m.gflops);
      json << (first ? "" : ",") << "{\"benchmark\":\"matmul_f32\",\"device\":\"" << dname << "\",\"n\":" << n
           << ",\"median_seconds\":" << m.medianSeconds << ",\"gflops\":" << m.gflops
           << ",\"repetitions\":" << m.repetitions << "}";
      first = false;
    }
    if (peak > 0.0) std::printf("peak %s float32 matmul: %.1f GFLOP/s\n", dname, peak);
  }
  json << "]}\n";
  if (!o.json.empty()) {
    std::ofstream out(o.json);
    out << json.str();
    if (!out) {
      std::fprintf(stderr, "netspatial-bench: cannot write %s\n", o.json.c_str());
      return 1;
    }
  }
  return failures == 0 ? 0 : 1;
}
