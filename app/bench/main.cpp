// netspatial-bench: measures what speed reports are quoted against and the speed targets of
// DESIGN.md §13. Builds against LibTorch only (NETSPATIAL_MODELS_ONLY), so it runs on a GPU machine
// that has no Qt, GDAL or PROJ; the context-extraction benchmark needs core and exists only in full
// builds (NETSPATIAL_BENCH_CONTEXTS).
//
//   netspatial-bench [--device cpu|cuda|all] [--benchmarks matmul,netspatial,contexts]
//                    [--sizes 256,512,1024,2048] [--min-seconds S] [--threads 1,2] [--json FILE]
//                    [--netspatial FILE] [--sites N] [--samples K]
//                    [--context-preset town|city|metropolis] [--context-points N]
//                    [--sleep-sizes 6,10,20,40,60] [--sleep-hours H] [--sleep-time-limit S]
//                    [--io-sites N] [--io-samples K] [--io-hours H] [--io-dir DIR]
//                    [--scale-sizes 1000,10000,100000]

#include "adaptivebench.h"
#include "netspatial/models/matmulprobe.h"
#include "netspatial/models/netspatial.h"
#include "netspatial/models/runtimeinfo.h"
#include "netspatial/models/sha256.h"

#if __has_include(<torch/csrc/autograd/profiler_legacy.h>)
#include <torch/csrc/autograd/profiler_legacy.h>
#define NETSPATIAL_BENCH_FLOPS 1
#endif

#ifdef NETSPATIAL_BENCH_CONTEXTS
#include "core/context/sitecontext.h"
#include "core/sim/citysimulator.h"
#include "mappaintbench.h"
#include "projectiobench.h"
#include "scalebench.h"
#include "sleepbench.h"
#endif

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#ifndef NETSPATIAL_DEFAULT_WEIGHTS
#define NETSPATIAL_DEFAULT_WEIGHTS ""
#endif

namespace {

using netspatial::models::DeviceKind;
using Clock = std::chrono::steady_clock;

//! The AOI of DESIGN.md §13: 3 km × 3 km at 100 m.
constexpr int kAoiSites = 900;

struct Options {
  std::vector<int> sizes{256, 512, 1024, 2048};
  std::vector<DeviceKind> devices;
  double minSeconds = 0.5;
  std::vector<int> threads;  //!< intra-op thread counts, one table row each; empty = 1 and every core
  std::string json;
  bool matmul = true, netspatial = true, contexts = true;
  bool sleep = false;      //!< minutes at the larger sizes: only when asked for (by name or "all")
  bool projectIo = false;  //!< writes ~200 MB: only when asked for (by name or "all")
  bool mapPaint = false;   //!< GUI layers: only when asked for (by name or "all")
  bool scale = false;      //!< minutes and gigabytes: only when asked for (by name or "all")
  std::vector<int> scaleSizes{1000, 10000, 100000};
  int ioSites = 2006;  //!< the 3 km AOI at 50 m, feasible cells
  int ioSamples = 32;
  int ioHours = 672;
  std::string ioDir;
  std::vector<int> sleepSizes{6, 10, 15, 20, 30, 40, 60};
  int sleepHours = 12;
  double sleepTimeLimit = 0.5;
  bool netspatialExplicit = false;                   //!< asked for by name: a missing checkpoint is then an error
  bool weightsGiven = false;                         //!< --netspatial FILE: that checkpoint alone
  std::string weights = NETSPATIAL_DEFAULT_WEIGHTS;  //!< with its siblings of resources/models unless --netspatial
  int sites = 0;                                     //!< throughput batch; 0 = 900 on the CPU, 16384 on CUDA
  int samples = 8;
  std::string contextPreset = "town";
  int contextPoints = 3000;
};

void usage() {
  std::puts(
      "usage: netspatial-bench [--device cpu|cuda|all] [--benchmarks matmul,netspatial,contexts|all]\n"
      "                        [--sizes 256,512,1024,2048] [--min-seconds S] [--threads 1,2] [--json FILE]\n"
      "                        [--netspatial FILE] [--sites N] [--samples K]\n"
      "                        [--context-preset town|city|metropolis] [--context-points N]\n"
      "                        [--sleep-sizes 6,10,20,40,60] [--sleep-hours H] [--sleep-time-limit S]\n"
      "                        [--io-sites N] [--io-samples K] [--io-hours H] [--io-dir DIR]\n"
      "                        [--scale-sizes 1000,10000,100000]\n"
      "--threads   the intra-op thread counts to measure matmul and NetSpatial with, one row each (default: 1 and\n"
      "            every core this process may use).\n"
      "matmul      float32 matmul throughput (GFLOP/s): the machine's peak that later reports quote ratios to.\n"
      "netspatial  every NetSpatial generator (default: the committed resources/models/netspatial.nsm and\n"
      "            netspatial_milan.nsm; --netspatial FILE for one other) at every --threads count on\n"
      "            synthetic sites: latency of 1 site x K samples (median after warm-up), seconds for 900 sites x K\n"
      "            (the 3 km AOI at 100 m), sequences/s for --sites x K (default 900 on the CPU, 16384 on CUDA), and\n"
      "            the share of the measured matmul peak it reaches (FLOPs counted by LibTorch's profiler).\n"
      "contexts    sites/s of core::extractContexts for --context-points points on a simulated city (full builds).\n"
      "sleep       one hour's sleep-scheduling integer program (GLPK) against the greedy on connected groups of\n"
      "            --sleep-sizes stations, --sleep-hours hours each: where the greedy should take over (full builds).\n"
      "projectio   saves and reopens a project: a simulated town + --io-sites candidates (default 2006, the 3 km AOI at\n"
      "            50 m) x --io-samples (32) generated series of --io-hours (672) h, in --io-dir (the temporary folder):\n"
      "            seconds, file size, peak resident memory (full builds).\n"
      "scale       netspatial generate's streaming path (candidate grid, contexts, model, project file in chunks) on\n"
      "            the simulated metropolis for --scale-sizes sites x K samples, one process per size: seconds, peak\n"
      "            resident memory, file size (full builds; minutes and gigabytes, in --io-dir).\n"
      "mappaint    GUI-thread paint of 10,000 ranked candidate cells and their heat map at 40, 12 and 5 m/px, and\n"
      "            200 hover lookups (full builds).\n"
      "Default: every benchmark this build has except sleep, projectio, mappaint and scale (run them by name or with 'all').");
}

bool parseInt(const char* v, int& out, int min) {
  if (!v) return false;
  char* end = nullptr;
  const long n = std::strtol(v, &end, 10);
  if (*v == '\0' || *end != '\0' || n < min || n > 100000000) return false;
  out = int(n);
  return true;
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
      o.threads.clear();
      std::stringstream ss(v);
      std::string item;
      while (std::getline(ss, item, ',')) {
        int n = 0;
        if (!parseInt(item.c_str(), n, 1) || n > 256) return false;
        o.threads.push_back(n);
      }
      if (o.threads.empty()) return false;
    } else if (a == "--json") {
      const char* v = next();
      if (!v) return false;
      o.json = v;
    } else if (a == "--benchmarks") {
      const char* v = next();
      if (!v) return false;
      const std::string list = v;
      if (list == "all") o.sleep = o.projectIo = o.mapPaint = o.scale = true;
      if (list != "all") {
        o.matmul = o.netspatial = o.contexts = false;
        std::stringstream ss(list);
        std::string item;
        while (std::getline(ss, item, ',')) {
          if (item == "matmul") {
            o.matmul = true;
          } else if (item == "netspatial") {
            o.netspatial = o.netspatialExplicit = true;
          } else if (item == "contexts") {
            o.contexts = true;
          } else if (item == "sleep") {
            o.sleep = true;
          } else if (item == "projectio") {
            o.projectIo = true;
          } else if (item == "mappaint") {
            o.mapPaint = true;
          } else if (item == "scale") {
            o.scale = true;
          } else {
            std::fprintf(stderr, "netspatial-bench: unknown benchmark '%s'\n", item.c_str());
            return false;
          }
        }
      }
    } else if (a == "--netspatial") {
      const char* v = next();
      if (!v) return false;
      o.weights = v;
      o.netspatialExplicit = o.weightsGiven = true;
    } else if (a == "--sites") {
      if (!parseInt(next(), o.sites, 1)) return false;
    } else if (a == "--samples") {
      if (!parseInt(next(), o.samples, 1)) return false;
    } else if (a == "--context-preset") {
      const char* v = next();
      if (!v) return false;
      o.contextPreset = v;
    } else if (a == "--context-points") {
      if (!parseInt(next(), o.contextPoints, 1)) return false;
    } else if (a == "--io-sites") {
      if (!parseInt(next(), o.ioSites, 1)) return false;
    } else if (a == "--io-samples") {
      if (!parseInt(next(), o.ioSamples, 1)) return false;
    } else if (a == "--io-hours") {
      if (!parseInt(next(), o.ioHours, 1)) return false;
    } else if (a == "--io-dir") {
      const char* v = next();
      if (!v) return false;
      o.ioDir = v;
    } else if (a == "--sleep-sizes") {
      const char* v = next();
      if (!v) return false;
      o.sleepSizes.clear();
      std::stringstream ss(v);
      std::string item;
      while (std::getline(ss, item, ',')) {
        int n = 0;
        if (!parseInt(item.c_str(), n, 2) || n > 500) return false;
        o.sleepSizes.push_back(n);
      }
      if (o.sleepSizes.empty()) return false;
    } else if (a == "--scale-sizes") {
      const char* v = next();
      if (!v) return false;
      o.scaleSizes.clear();
      std::stringstream ss(v);
      std::string item;
      while (std::getline(ss, item, ',')) {
        int n = 0;
        if (!parseInt(item.c_str(), n, 1) || n > 1000000) return false;
        o.scaleSizes.push_back(n);
      }
      if (o.scaleSizes.empty()) return false;
    } else if (a == "--sleep-hours") {
      if (!parseInt(next(), o.sleepHours, 1)) return false;
    } else if (a == "--sleep-time-limit") {
      const char* v = next();
      if (!v) return false;
      o.sleepTimeLimit = std::atof(v);
      if (!(o.sleepTimeLimit > 0.0)) return false;
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

double secondsSince(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n == 0 ? 0.0 : (n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]));
}

std::string joinInts(const std::vector<int>& values) {
  std::string out;
  for (int v : values) out += (out.empty() ? "" : ",") + std::to_string(v);
  return out;
}

std::string jsonString(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

// --- NetSpatial -----------------------------------------------------------------------------------

// Sites that exercise every encoder as a real city does: a textured 64×64 patch, ~20 named POIs
// within 500 m, a population. Seeded, so every run times the same work.
std::vector<netspatial::models::ModelContext> syntheticSites(int count, unsigned seed) {
  static const char* kWords[] = {"Central", "Park", "Station", "Market", "Cafe", "School", "Clinic", "Hotel", "Tower", "Plaza"};
  std::mt19937 rng(seed);
  std::vector<netspatial::models::ModelContext> sites(static_cast<std::size_t>(count));
  for (auto& c : sites) {
    c.imagePixels = 64;
    c.image.resize(3 * 64 * 64);
    const int base = int(rng() % 160);
    for (auto& v : c.image) v = std::uint8_t(base + int(rng() % 96));
    c.poisKnown = true;
    const int pois = 14 + int(rng() % 13);
    for (int k = 0; k < pois; ++k) {
      netspatial::models::ModelPoi p;
      p.category = int(rng() % netspatial::models::kPoiCategories);
      p.name = std::string(kWords[rng() % 10]) + " " + kWords[rng() % 10];
      p.distance = float(rng() % 500);
      p.bearing = float(rng() % 6283) / 1000.0f;
      c.pois.push_back(std::move(p));
    }
    std::sort(c.pois.begin(), c.pois.end(), [](const auto& a, const auto& b) { return a.distance < b.distance; });
    c.population = float(500 + rng() % 20000);
    c.zoneClass = int(rng() % netspatial::models::kZoneClasses);
    c.stationsNearby = int(rng() % 6);
  }
  return sites;
}

struct FlopCount {
  double perSequence = 0.0;
  std::string method;
};

// FLOPs of one generation, counted by LibTorch's profiler (with_flops): the ops it knows how to
// count — matrix products (mm, addmm, bmm, baddbmm), conv2d, elementwise add and mul — from their
// actual shapes. Activations, softmax, norms and exp are not counted, so the count (and the share of
// the matmul peak quoted from it) is a slight under-estimate of the work done.
FlopCount countFlops(const netspatial::models::NetSpatialGenerator& g, const std::vector<netspatial::models::ModelContext>& sites,
                     const netspatial::models::GenerateOptions& options) {
  FlopCount f;
#ifdef NETSPATIAL_BENCH_FLOPS
  namespace prof = torch::autograd::profiler;
  // with_flops needs the input shapes: FLOPs are computed from them.
  const torch::profiler::impl::ProfilerConfig config(torch::profiler::impl::ProfilerState::CPU, /*report_input_shapes=*/true,
                                                     /*profile_memory=*/false, /*with_stack=*/false, /*with_flops=*/true);
  std::uint64_t flops = 0;
  {
    prof::enableProfilerLegacy(config);
    const auto batch = g.generate(sites, options);
    prof::thread_event_lists events = prof::disableProfilerLegacy();
    if (!batch) return f;
    for (auto& list : events)
      for (auto& e : list) flops += e.flops();
  }
  f.perSequence = double(flops) / double(sites.size() * std::size_t(options.samples));
  f.method = "LibTorch profiler (mm/addmm/bmm/conv2d/add/mul from their shapes; activations, norms, softmax not counted)";
#else
  (void)g, (void)sites, (void)options;
  f.method = "not counted: this LibTorch has no legacy profiler";
#endif
  return f;
}

std::vector<std::uint8_t> readBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

struct NetSpatialResult {
  std::string model;  //!< the checkpoint's file name without extension ("netspatial_milan")
  std::string device;
  int threads = 0;
  std::string steps;  //!< the checkpoint's Euler step counts, level 1/2/3
  double latencyMedianMs = 0.0;
  int latencyRepeats = 0;
  double aoiSeconds = 0.0;
  int throughputSites = 0;
  double sequencesPerSecond = 0.0;
  FlopCount flops;
  double gflops = 0.0;
  double peakGflops = 0.0;
  double peakFraction = 0.0;
  std::string error;
};

// Repeats `f` (after one untimed call) until both `minRepeats` calls and `minSeconds` have passed;
// returns the median seconds per call.
template <typename F>
double medianSeconds(F&& f, int minRepeats, double minSeconds, int* repeats, std::string* error) {
  if (!f(error)) return 0.0;  // warm-up: allocator pools, OpenMP threads, CUDA kernels
  std::vector<double> times;
  const auto start = Clock::now();
  while (int(times.size()) < minRepeats || secondsSince(start) < minSeconds) {
    const auto t = Clock::now();
    if (!f(error)) return 0.0;
    times.push_back(secondsSince(t));
    if (times.size() >= 10000) break;
  }
  if (repeats) *repeats = int(times.size());
  return median(times);
}

NetSpatialResult benchNetSpatial(const std::vector<std::uint8_t>& weights, DeviceKind device, int threads, const Options& o,
                                 double peakGflops) {
  namespace m = netspatial::models;
  NetSpatialResult r;
  r.device = device == DeviceKind::Cuda ? "cuda" : "cpu";
  m::EngineOptions engine;
  engine.device = device == DeviceKind::Cuda ? m::DevicePreference::Cuda : m::DevicePreference::Cpu;
  engine.threads = threads;
  auto loaded = m::NetSpatialGenerator::load(weights, engine);
  if (!loaded) {
    r.error = loaded.error().message;
    return r;
  }
  const m::NetSpatialGenerator& g = **loaded;
  r.steps = std::to_string(g.config().steps1) + "/" + std::to_string(g.config().steps2) + "/" + std::to_string(g.config().steps3);
  m::GenerateOptions options;
  options.samples = o.samples;
  const auto run = [&](const std::vector<m::ModelContext>& sites) {
    return [&g, &sites, &options](std::string* error) {
      auto batch = g.generate(sites, options);
      if (!batch) *error = batch.error().message;
      return batch.ok();
    };
  };
  // (b) one clicked site: the median of many calls after warm-up.
  const auto one = syntheticSites(1, 1);
  r.latencyMedianMs = 1e3 * medianSeconds(run(one), 30, o.minSeconds, &r.latencyRepeats, &r.error);
  if (!r.error.empty()) return r;
  // (c) the 3 km AOI: 900 sites.
  const auto aoi = syntheticSites(kAoiSites, 2);
  r.aoiSeconds = medianSeconds(run(aoi), 3, o.minSeconds, nullptr, &r.error);
  if (!r.error.empty()) return r;
  // (a) throughput for a large batch (the AOI again on the CPU; a GPU needs more to fill).
  r.throughputSites = o.sites > 0 ? o.sites : (device == DeviceKind::Cuda ? 16384 : kAoiSites);
  double batchSeconds = r.aoiSeconds;
  if (r.throughputSites != kAoiSites) {
    const auto big = syntheticSites(r.throughputSites, 3);
    batchSeconds = medianSeconds(run(big), 3, o.minSeconds, nullptr, &r.error);
    if (!r.error.empty()) return r;
  }
  r.sequencesPerSecond = double(r.throughputSites) * double(o.samples) / batchSeconds;
  // (d) the share of the matmul peak: counted FLOPs per sequence × sequences/s.
  r.flops = countFlops(g, syntheticSites(64, 4), options);
  r.peakGflops = peakGflops;
  if (r.flops.perSequence > 0.0) {
    r.gflops = r.flops.perSequence * r.sequencesPerSecond / 1e9;
    if (peakGflops > 0.0) r.peakFraction = r.gflops / peakGflops;
  }
  return r;
}

// --- site contexts (full builds) -------------------------------------------------------------------

struct ContextResult {
  std::string preset;
  unsigned seed = 1;
  int points = 0;
  double simulateSeconds = 0.0;
  double seconds = 0.0;
  double sitesPerSecond = 0.0;
  std::string error;
};

#ifdef NETSPATIAL_BENCH_CONTEXTS
// Points on a regular grid over the whole city (edges included: patches that leave the imagery are
// part of the real work), added as traffic sites so extractContexts times exactly what evaluation
// and generation call.
ContextResult benchContexts(const Options& o) {
  namespace core = netspatial::core;
  ContextResult r;
  r.preset = o.contextPreset;
  r.points = o.contextPoints;
  auto preset = core::cityPreset(QString::fromStdString(o.contextPreset));
  if (!preset) {
    r.error = preset.error().message().toStdString();
    return r;
  }
  auto start = Clock::now();
  auto city = core::simulateCity(*preset, r.seed);
  if (!city) {
    r.error = city.error().message().toStdString();
    return r;
  }
  r.simulateSeconds = secondsSince(start);
  core::Scenario& s = *city;
  const core::Extent e = s.extent();
  const int side = int(std::ceil(std::sqrt(double(o.contextPoints))));
  std::vector<QString> ids;
  for (int k = 0; k < o.contextPoints; ++k) {
    core::TrafficSite t;
    t.id = QStringLiteral("bench-%1").arg(k);
    t.position = {e.xMin + (k % side + 0.5) * e.width() / side, e.yMin + (k / side + 0.5) * e.height() / side};
    s.trafficSites.push_back(t);
    ids.push_back(t.id);
  }
  start = Clock::now();
  auto contexts = core::extractContexts(s, ids);
  r.seconds = secondsSince(start);
  if (!contexts) {
    r.error = contexts.error().message().toStdString();
    return r;
  }
  r.sitesPerSecond = double(contexts->size()) / r.seconds;
  return r;
}
#endif

}  // namespace

int main(int argc, char** argv) {
  netspatial::models::tuneRuntime(argc, argv);
#ifdef NETSPATIAL_BENCH_CONTEXTS
  // One size of the scale benchmark, in a process of its own (its peak memory is the row's).
  if (argc == 6 && std::string(argv[1]) == "--scale-child")
    return netspatial::bench::runScaleChild(argv[2], std::atoi(argv[3]), std::atoi(argv[4]), argv[5]);
#endif
  Options o;
  if (!parse(argc, argv, o)) {
    usage();
    return 2;
  }
#ifndef NETSPATIAL_BENCH_CONTEXTS
  o.contexts = false;  // core is not part of a models-only build
  o.sleep = false;
  o.projectIo = false;
  o.mapPaint = false;
  o.scale = false;
#endif
  if (o.threads.empty()) {
    o.threads = {1};
    if (netspatial::models::availableCores() > 1) o.threads.push_back(netspatial::models::availableCores());
  }
  netspatial::models::setIntraOpThreads(o.threads.back());
  const auto info = netspatial::models::runtimeInfo();
  std::printf(
      "LibTorch  %s, intra-op threads measured: %s\nBLAS      %s\n          kernels %s\n          %s\nAllocator %s\nCUDA      %s\n\n",
      info.torchVersion.c_str(), joinInts(o.threads).c_str(), info.blasDescription.c_str(),
      info.blasCore.empty() ? "n/a" : info.blasCore.c_str(), info.blasLibrary.c_str(), info.allocator.c_str(),
      info.cudaAvailable ? (std::to_string(info.cudaDeviceCount) + " device(s) " + info.cudaDeviceName).c_str() : "not available");

  std::ostringstream json;
  json << "{\"torch\":\"" << info.torchVersion << "\",\"allocator\":" << jsonString(info.allocator) << ",\"results\":[";
  bool first = true;
  int failures = 0;
  // The thread counts a device is measured with: the list on the CPU, LibTorch's setting on CUDA.
  const auto threadsFor = [&](DeviceKind d) { return d == DeviceKind::Cuda ? std::vector<int>{o.threads.back()} : o.threads; };
  std::map<std::pair<int, int>, double> peaks;  // (device, threads) → GFLOP/s
  const int largest = o.sizes.empty() ? 2048 : *std::max_element(o.sizes.begin(), o.sizes.end());
  if (o.matmul) {
    std::printf("%-10s %-6s %7s %8s %12s %12s\n", "benchmark", "device", "threads", "n", "median_ms", "GFLOP/s");
    for (const DeviceKind d : o.devices) {
      const char* dname = d == DeviceKind::Cuda ? "cuda" : "cpu";
      for (int t : threadsFor(d)) {
        netspatial::models::setIntraOpThreads(t);
        double peak = 0.0;
        for (int n : o.sizes) {
          const auto m = netspatial::models::measureMatmul(n, d, o.minSeconds);
          if (!m.error.empty()) {
            std::printf("%-10s %-6s %7d %8d   error: %s\n", "matmul_f32", dname, t, n, m.error.c_str());
            ++failures;
            continue;
          }
          peak = std::max(peak, m.gflops);
          std::printf("%-10s %-6s %7d %8d %12.3f %12.1f\n", "matmul_f32", dname, t, n, m.medianSeconds * 1e3, m.gflops);
          json << (first ? "" : ",") << "{\"benchmark\":\"matmul_f32\",\"device\":\"" << dname << "\",\"threads\":" << t << ",\"n\":" << n
               << ",\"median_seconds\":" << m.medianSeconds << ",\"gflops\":" << m.gflops << ",\"repetitions\":" << m.repetitions << "}";
          first = false;
        }
        if (peak > 0.0) std::printf("peak %s float32 matmul, %d thread%s: %.1f GFLOP/s\n", dname, t, t == 1 ? "" : "s", peak);
        peaks[{int(d), t}] = peak;
      }
    }
  }
  json << "]";

  if (o.netspatial) {
    // Every NetSpatial checkpoint beside the default one (the embedded models), or the one asked for.
    std::vector<std::string> checkpoints{o.weights};
    if (!o.weightsGiven) {
      const auto slash = o.weights.find_last_of('/');
      const std::string folder = slash == std::string::npos ? std::string() : o.weights.substr(0, slash + 1);
      for (const char* sibling : {"netspatial_milan.nsm"})
        if (!readBytes(folder + sibling).empty()) checkpoints.push_back(folder + sibling);
    }
    std::vector<NetSpatialResult> results;
    json << ",\"netspatial\":[";
    bool firstResult = true;
    for (const std::string& path : checkpoints) {
      const std::vector<std::uint8_t> weights = readBytes(path);
      if (weights.empty()) {
        // Skipped quietly only when nobody asked: a models-only copy may lack the resources folder.
        std::printf("\nnetspatial: no checkpoint at '%s'%s\n", path.c_str(), o.netspatialExplicit ? "" : " (skipped)");
        if (o.netspatialExplicit) ++failures;
        continue;
      }
      std::printf("\nNetSpatial %s (%.2f MB, SHA-256 %.16s…), %d samples per site\n", path.c_str(), double(weights.size()) / 1e6,
                  netspatial::models::sha256Hex(weights.data(), weights.size()).c_str(), o.samples);
      const auto slash = path.find_last_of('/');
      std::string model = slash == std::string::npos ? path : path.substr(slash + 1);
      if (model.size() > 4 && model.compare(model.size() - 4, 4, ".nsm") == 0) model.resize(model.size() - 4);
      for (const DeviceKind d : o.devices) {
        for (int t : threadsFor(d)) {
          netspatial::models::setIntraOpThreads(t);
          double& peak = peaks[{int(d), t}];
          if (peak <= 0.0) {  // the share of the peak needs the peak: measure it at the largest size
            const auto m = netspatial::models::measureMatmul(largest, d, o.minSeconds);
            peak = m.error.empty() ? m.gflops : 0.0;
          }
          NetSpatialResult r = benchNetSpatial(weights, d, t, o, peak);
          r.model = model;
          r.threads = t;
          const char* dn = r.device.c_str();
          if (!r.error.empty()) {
            std::printf("netspatial %-5s error: %s\n", dn, r.error.c_str());
            ++failures;
            continue;
          }
          std::printf("%s %s, %d thread%s: Euler steps %s; FLOPs %s\n", model.c_str(), dn, t, t == 1 ? "" : "s", r.steps.c_str(),
                      r.flops.method.c_str());
          json << (firstResult ? "" : ",") << "{\"model\":" << jsonString(model) << ",\"device\":\"" << dn << "\",\"threads\":" << t
               << ",\"steps\":\"" << r.steps << "\",\"samples\":" << o.samples << ",\"latency_median_ms\":" << r.latencyMedianMs
               << ",\"latency_repeats\":" << r.latencyRepeats << ",\"aoi_sites\":" << kAoiSites << ",\"aoi_seconds\":" << r.aoiSeconds
               << ",\"throughput_sites\":" << r.throughputSites << ",\"sequences_per_second\":" << r.sequencesPerSecond
               << ",\"flops_per_sequence\":" << r.flops.perSequence << ",\"flops_method\":" << jsonString(r.flops.method)
               << ",\"gflops\":" << r.gflops << ",\"peak_gflops\":" << r.peakGflops << ",\"peak_fraction\":" << r.peakFraction << "}";
          firstResult = false;
          results.push_back(std::move(r));
        }
      }
    }
    json << "]";
    // CUDA against the CPU: the same weights and the same noise (drawn on the CPU from each site's
    // own stream, then moved), so the outputs differ only by the devices' arithmetic.
    if (o.devices.size() > 1) {
      namespace m = netspatial::models;
      const std::vector<std::uint8_t> weights = readBytes(checkpoints.front());
      m::EngineOptions cpuEngine, cudaEngine;
      cpuEngine.device = m::DevicePreference::Cpu;
      cudaEngine.device = m::DevicePreference::Cuda;
      auto onCpu = m::NetSpatialGenerator::load(weights, cpuEngine);
      auto onCuda = m::NetSpatialGenerator::load(weights, cudaEngine);
      const auto sites = syntheticSites(64, 5);
      m::GenerateOptions options;
      options.samples = o.samples;
      if (onCpu && onCuda) {
        auto a = (*onCpu)->generate(sites, options);
        auto b = (*onCuda)->generate(sites, options);
        if (a && b) {
          double maxAbs = 0.0, maxValue = 0.0;
          for (std::size_t i = 0; i < a->values.size(); ++i) {
            maxAbs = std::max(maxAbs, double(std::abs(a->values[i] - b->values[i])));
            maxValue = std::max(maxValue, double(std::abs(a->values[i])));
          }
          std::printf("\ncuda vs cpu: 64 sites x %d samples, same weights and noise: max |difference| %.3g (largest value %.3g)\n",
                      o.samples, maxAbs, maxValue);
          json << ",\"cuda_vs_cpu_max_abs_difference\":" << maxAbs;
        } else {
          std::printf("\ncuda vs cpu: error: %s\n", (a ? b.error() : a.error()).message.c_str());
          ++failures;
        }
      }
    }
    if (!results.empty()) {
      // One table: every generator, device and thread count; the share is of the matmul peak
      // measured in this run with the same device and thread count.
      std::printf("\n%-18s %-6s %7s %13s %13s %13s %11s %9s %8s %7s\n", "generator", "device", "threads", "latency_ms", "aoi_900_s",
                  "sequences/s", "batch_sites", "MFLOP/seq", "GFLOP/s", "%peak");
      std::printf("%-18s %-6s %7s %13s %13s %13s %11s %9s %8s %7s\n", "", "", "", ("(1 site×" + std::to_string(o.samples) + ")").c_str(),
                  ("(900×" + std::to_string(o.samples) + ")").c_str(), "", "", "", "", "");
      for (const auto& r : results)
        std::printf("%-18s %-6s %7d %13.2f %13.3f %13.0f %11d %9.2f %8.1f %7.1f\n", r.model.c_str(), r.device.c_str(), r.threads,
                    r.latencyMedianMs, r.aoiSeconds, r.sequencesPerSecond, r.throughputSites, r.flops.perSequence / 1e6, r.gflops,
                    100.0 * r.peakFraction);
    }
  }

  if (o.netspatial && !o.weightsGiven) {
    // ADAPTIVE beside the NetSpatial checkpoints (resources/models/adaptive.nsm): adapt to a city
    // of 300 stations, then generate for them and for one site outside.
    const auto slash = o.weights.find_last_of('/');
    const std::string path = (slash == std::string::npos ? std::string() : o.weights.substr(0, slash + 1)) + "adaptive.nsm";
    const std::vector<std::uint8_t> weights = readBytes(path);
    if (weights.empty()) {
      std::printf("\nadaptive: no checkpoint at '%s' (skipped)\n", path.c_str());
    } else {
      std::printf("\nADAPTIVE %s (%.2f MB, SHA-256 %.16s…), %d samples per site\n", path.c_str(), double(weights.size()) / 1e6,
                  netspatial::models::sha256Hex(weights.data(), weights.size()).c_str(), o.samples);
      json << ",\"adaptive\":[";
      bool firstRow = true;
      std::printf("%-10s %7s %8s %10s %12s %13s %14s\n", "generator", "threads", "stations", "adapt_s", "generate_s", "sequences/s",
                  "candidate_ms");
      // Adapting runs on one thread whatever the setting (once); generating runs fixed chunks on
      // one single-threaded worker per intra-op thread: a row per --threads count.
      for (const auto& r : netspatial::bench::benchAdaptive(weights, 300, o.samples, o.minSeconds, o.threads)) {
        if (!r.error.empty()) {
          std::printf("adaptive   error: %s\n", r.error.c_str());
          ++failures;
          continue;
        }
        std::printf("%-10s %7d %8d %10.2f %12.3f %13.0f %14.1f\n", "adaptive", r.threads, r.stations, r.adaptSeconds, r.generateSeconds,
                    r.sequencesPerSecond, r.candidateMilliseconds);
        json << (firstRow ? "" : ",") << "{\"threads\":" << r.threads << ",\"stations\":" << r.stations << ",\"samples\":" << r.samples
             << ",\"adapt_seconds\":" << r.adaptSeconds << ",\"generate_seconds\":" << r.generateSeconds
             << ",\"sequences_per_second\":" << r.sequencesPerSecond << ",\"candidate_ms\":" << r.candidateMilliseconds << "}";
        firstRow = false;
      }
      json << "]";
    }
  }

#ifdef NETSPATIAL_BENCH_CONTEXTS
  if (o.contexts) {
    const ContextResult r = benchContexts(o);
    if (!r.error.empty()) {
      std::printf("\ncontexts   error: %s\n", r.error.c_str());
      ++failures;
    } else {
      std::printf("\ncontexts   %d points on a simulated %s (seed %u, simulated in %.2f s): %.3f s, %.0f sites/s\n", r.points,
                  r.preset.c_str(), r.seed, r.simulateSeconds, r.seconds, r.sitesPerSecond);
      json << ",\"contexts\":{\"preset\":" << jsonString(r.preset) << ",\"seed\":" << r.seed << ",\"points\":" << r.points
           << ",\"seconds\":" << r.seconds << ",\"sites_per_second\":" << r.sitesPerSecond << "}";
    }
  }
  if (o.sleep) {
    std::printf("\nsleep      one hour's program per group (GLPK, %.2f s time limit) vs the greedy, %d hours per size\n", o.sleepTimeLimit,
                o.sleepHours);
    std::printf("%-10s %8s %14s %12s %12s %15s %16s\n", "benchmark", "stations", "exact_med_ms", "exact_max_ms", "time_limited",
                "greedy_med_ms", "greedy_excess_%");
    json << ",\"sleep\":[";
    bool firstRow = true;
    for (const auto& r : netspatial::bench::benchSleep(o.sleepSizes, o.sleepHours, o.sleepTimeLimit, 1u)) {
      std::printf("%-10s %8d %14.2f %12.2f %12d %15.3f %16.2f\n", "sleep", r.stations, r.exactMedianMs, r.exactMaxMs, r.timeLimited,
                  r.greedyMedianMs, r.greedyExcessPct);
      json << (firstRow ? "" : ",") << "{\"stations\":" << r.stations << ",\"hours\":" << r.hours
           << ",\"exact_median_ms\":" << r.exactMedianMs << ",\"exact_max_ms\":" << r.exactMaxMs << ",\"time_limited\":" << r.timeLimited
           << ",\"greedy_median_ms\":" << r.greedyMedianMs << ",\"greedy_excess_pct\":" << r.greedyExcessPct << "}";
      firstRow = false;
    }
    json << "]";
  }
  if (o.projectIo) {
    const auto r = netspatial::bench::benchProjectIo(o.ioSites, o.ioSamples, o.ioHours, o.ioDir, 1u);
    if (!r.error.empty()) {
      std::printf("\nprojectio  error: %s\n", r.error.c_str());
      ++failures;
    } else {
      std::printf("\nprojectio  simulated town + %d candidates × %d samples × %d h (built in %.1f s), %s\n", r.sites, r.samples, r.hours,
                  r.buildSeconds, r.path.c_str());
      std::printf("projectio  save %8.2f s   file %8.1f MB   load %8.2f s\n", r.saveSeconds, r.fileMegabytes, r.loadSeconds);
      std::printf("projectio  peak RSS %.0f MB before saving, %.0f MB after saving, %.0f MB after loading\n", r.peakRssMegabytesBeforeSave,
                  r.peakRssMegabytesAfterSave, r.peakRssMegabytesAfterLoad);
      json << ",\"projectio\":{\"sites\":" << r.sites << ",\"samples\":" << r.samples << ",\"hours\":" << r.hours
           << ",\"save_seconds\":" << r.saveSeconds << ",\"file_megabytes\":" << r.fileMegabytes << ",\"load_seconds\":" << r.loadSeconds
           << ",\"peak_rss_megabytes_after_load\":" << r.peakRssMegabytesAfterLoad << "}";
    }
  }
  if (o.scale) {
    std::printf(
        "\nscale      netspatial generate's streaming path on the simulated metropolis (20 km), %d samples, cells of 60 m,\n"
        "           one process per size (its peak resident memory is the row's)\n",
        o.samples);
    std::printf("%-10s %8s %8s %12s %12s %14s %12s %10s\n", "benchmark", "sites", "AOI_km", "generate_s", "total_s", "sites/s (gen)",
                "peak_RSS_MB", "file_MB");
    json << ",\"scale\":[";
    bool firstRow = true;
    char self[4096] = {};
    const ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
    for (const auto& r : netspatial::bench::benchScale(o.scaleSizes, o.samples, o.weights, o.ioDir, n > 0 ? self : argv[0], 1u)) {
      if (!r.error.empty()) {
        std::printf("scale      %8d error: %s\n", r.sites, r.error.c_str());
        ++failures;
        continue;
      }
      std::printf("%-10s %8d %8.2f %12.2f %12.2f %14.0f %12.0f %10.0f\n", "scale", r.sites, r.aoiKilometres, r.generateSeconds,
                  r.totalSeconds, double(r.sites) / r.generateSeconds, r.peakRssMegabytes, r.fileMegabytes);
      json << (firstRow ? "" : ",") << "{\"sites\":" << r.sites << ",\"samples\":" << r.samples << ",\"aoi_km\":" << r.aoiKilometres
           << ",\"generate_seconds\":" << r.generateSeconds << ",\"total_seconds\":" << r.totalSeconds
           << ",\"peak_rss_megabytes\":" << r.peakRssMegabytes << ",\"file_megabytes\":" << r.fileMegabytes << "}";
      firstRow = false;
    }
    json << "]";
  }
  if (o.mapPaint) {
    const auto r = netspatial::bench::benchMapPaint(5);
    if (!r.error.empty()) {
      std::printf("\nmappaint   error: %s\n", r.error.c_str());
      ++failures;
    } else {
      std::printf("\nmappaint   %d candidate cells, 900 x 900 px, median of 5 paints on the GUI thread\n", r.cells);
      json << ",\"mappaint\":{\"cells\":" << r.cells << ",\"rows\":[";
      for (std::size_t i = 0; i < r.rows.size(); ++i) {
        std::printf("mappaint   %5.1f m/px  both layers %8.2f ms   candidates alone %8.2f ms\n", r.rows[i].metresPerPixel,
                    r.rows[i].medianMs, r.rows[i].candidatesMedianMs);
        json << (i ? "," : "") << "{\"metres_per_pixel\":" << r.rows[i].metresPerPixel << ",\"median_ms\":" << r.rows[i].medianMs
             << ",\"candidates_median_ms\":" << r.rows[i].candidatesMedianMs << "}";
      }
      std::printf("mappaint   200 hover lookups %.2f ms\n", r.lookupMs);
      json << "],\"lookups_ms\":" << r.lookupMs << "}";
    }
  }
#endif
  json << "}\n";
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
