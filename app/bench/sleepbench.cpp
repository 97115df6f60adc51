#include "sleepbench.h"

#include "core/operations/sleepscheduler.h"
#include "core/operations/stationnetwork.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <random>

namespace netspatial::bench {

namespace {

double medianOf(std::vector<double> v) {
  if (v.empty()) return 0.0;
  std::sort(v.begin(), v.end());
  const std::size_t m = v.size() / 2;
  return v.size() % 2 ? v[m] : 0.5 * (v[m - 1] + v[m]);
}

double msSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

std::vector<SleepBenchRow> benchSleep(const std::vector<int>& sizes, int hours, double timeLimitSeconds, unsigned seed) {
  using namespace netspatial::core;
  std::vector<SleepBenchRow> rows;
  SleepOptions options;
  options.timeLimitSeconds = timeLimitSeconds;
  for (int n : sizes) {
    std::mt19937 rng(seed + unsigned(n));
    std::uniform_real_distribution<double> jitter(-40.0, 40.0);
    std::lognormal_distribution<double> spread(0.0, 0.5);
    const int side = int(std::ceil(std::sqrt(double(n))));
    std::vector<OperationsStation> stations;
    for (int i = 0; i < n; ++i) {
      OperationsStation s;
      s.id = QStringLiteral("S%1").arg(i);
      s.position = {300.0 * (i % side) + jitter(rng), 300.0 * (i / side) + jitter(rng)};
      s.capacity = 100.0;
      s.power = EarthPowerModel::macro();
      stations.push_back(s);
    }
    const auto neighbours = neighboursWithin(stations, options.neighbourDistance);
    SleepBenchRow row;
    row.stations = n;
    row.hours = hours;
    std::vector<double> exactMs, greedyMs, excess;
    for (int h = 0; h < hours; ++h) {
      // Night, shoulder and busy hours in turn: mean utilisation 8 %, 25 %, 45 %, spread per station.
      const double level = h % 3 == 0 ? 0.08 : h % 3 == 1 ? 0.25 : 0.45;
      std::vector<double> load(static_cast<std::size_t>(n));
      for (double& l : load) l = std::min(100.0, 100.0 * level * spread(rng));
      SolveMethod method = SolveMethod::Exact;
      auto start = std::chrono::steady_clock::now();
      const HourDecision exact = planHourExact(stations, neighbours, load, options, &method);
      exactMs.push_back(msSince(start));
      if (method == SolveMethod::TimeLimited) ++row.timeLimited;
      start = std::chrono::steady_clock::now();
      const HourDecision greedy = planHourGreedy(stations, neighbours, load, options);
      greedyMs.push_back(msSince(start));
      const double pe = networkPowerW(stations, exact, load), pg = networkPowerW(stations, greedy, load);
      if (pe > 0.0) excess.push_back(100.0 * (pg - pe) / pe);
    }
    row.exactMedianMs = medianOf(exactMs);
    row.exactMaxMs = exactMs.empty() ? 0.0 : *std::max_element(exactMs.begin(), exactMs.end());
    row.greedyMedianMs = medianOf(greedyMs);
    double sum = 0.0;
    for (double e : excess) sum += e;
    row.greedyExcessPct = excess.empty() ? 0.0 : sum / double(excess.size());
    rows.push_back(row);
  }
  return rows;
}

}  // namespace netspatial::bench
