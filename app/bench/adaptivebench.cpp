#include "adaptivebench.h"

#include "netspatial/models/adaptive.h"
#include "netspatial/models/runtimeinfo.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numbers>
#include <random>

namespace netspatial::bench {

namespace {

using Clock = std::chrono::steady_clock;
double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

struct Poi {
  double x, y;
  int category;
  std::string name;
};

std::vector<models::ModelContext> syntheticCity(int stations, unsigned seed) {
  static const char* kWords[] = {"Central", "Park", "Station", "Market", "Cafe", "School", "Clinic", "Hotel", "Tower", "Plaza"};
  std::mt19937 rng(seed);
  const int side = int(std::ceil(std::sqrt(double(stations))));
  const double extent = side * 350.0;
  std::vector<Poi> pois;
  for (int k = 0; k < stations * 12; ++k)
    pois.push_back({double(rng() % int(extent)), double(rng() % int(extent)), int(rng() % models::kPoiCategories),
                    std::string(kWords[rng() % 10]) + " " + kWords[rng() % 10]});
  std::vector<models::ModelContext> out;
  for (int i = 0; i < stations; ++i) {
    models::ModelContext c;
    const double x = (i % side) * 350.0 + double(rng() % 100), y = (i / side) * 350.0 + double(rng() % 100);
    c.position = models::ModelPosition{x, y, "EPSG:32632"};
    c.poisKnown = true;
    for (const Poi& p : pois) {
      const double d = std::hypot(p.x - x, p.y - y);
      if (d > 500.0) continue;
      double bearing = std::atan2(p.x - x, p.y - y);
      if (bearing < 0) bearing += 2.0 * std::numbers::pi;
      c.pois.push_back({p.category, p.name, float(d), float(bearing)});
    }
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace

std::vector<AdaptiveBenchResult> benchAdaptive(const std::vector<std::uint8_t>& weights, int stations, int samples, double minSeconds,
                                               const std::vector<int>& threads) {
  AdaptiveBenchResult base;
  base.stations = stations;
  base.samples = samples;
  const auto failed = [&](const std::string& message) {
    base.error = message;
    return std::vector<AdaptiveBenchResult>{base};
  };
  auto loaded = models::AdaptiveGenerator::load(weights);
  if (!loaded) return failed(loaded.error().message);
  const models::AdaptiveGenerator& g = **loaded;
  const auto city = syntheticCity(stations, 7);
  auto t = Clock::now();
  if (auto adapted = g.adapt(city); !adapted) return failed(adapted.error().message);
  base.adaptSeconds = since(t);
  std::vector<AdaptiveBenchResult> rows;
  for (int count : threads) {
    models::setIntraOpThreads(count);
    AdaptiveBenchResult r = base;
    r.threads = count;
    // Throughput: every station of the adapted city, repeated until minSeconds have passed.
    int repeats = 0;
    t = Clock::now();
    do {
      auto batch = g.generate(city, samples, 1 + std::uint64_t(repeats));
      if (!batch) return failed(batch.error().message);
      ++repeats;
    } while (since(t) < minSeconds);
    r.generateSeconds = since(t) / double(repeats);
    r.sequencesPerSecond = double(stations) * double(samples) / r.generateSeconds;
    // A clicked candidate: a site between stations, outside the adapted city.
    std::vector<double> ms;
    for (int k = 0; k < 5; ++k) {
      models::ModelContext candidate = city[std::size_t(k)];
      candidate.position->x += 175.0;
      t = Clock::now();
      auto one = g.generate({candidate}, samples, 1);
      if (!one) return failed(one.error().message);
      ms.push_back(since(t) * 1e3);
    }
    std::sort(ms.begin(), ms.end());
    r.candidateMilliseconds = ms[ms.size() / 2];
    rows.push_back(r);
  }
  return rows;
}

}  // namespace netspatial::bench
