#pragma once

// ADAPTIVE's row of netspatial-bench (issue 22): adapting to a city of N stations (knowledge graph,
// TuckER fold-in, target GCN), then generating for its stations (sequences/s of 672 h: four weekly
// forward passes each) and for one site outside it (a clicked candidate: its own fold-in and one
// GCN pass). Models only, so the GPU build of scripts/gpu-bench.sh has it too.

#include <cstdint>
#include <string>
#include <vector>

namespace netspatial::bench {

struct AdaptiveBenchResult {
  std::string error;
  int threads = 1;  //!< intra-op threads while generating (adapting runs on one whatever the setting)
  int stations = 0;
  int samples = 0;
  double adaptSeconds = 0.0;
  double generateSeconds = 0.0;  //!< every station, `samples` each
  double sequencesPerSecond = 0.0;
  double candidateMilliseconds = 0.0;  //!< one site outside the city, median
};

//! `weights`: an ADAPTIVE checkpoint. A seeded synthetic city of `stations` on a 350 m grid with
//! ~40 POIs each (shared between neighbours, as in a real city). Adapts once, then measures the
//! generation at each of `threads` (a row each, all with the one adaptation's seconds); an error
//! is one row with `error` set.
std::vector<AdaptiveBenchResult> benchAdaptive(const std::vector<std::uint8_t>& weights, int stations, int samples, double minSeconds,
                                               const std::vector<int>& threads);

}  // namespace netspatial::bench
