#pragma once

// Where the sleep scheduler's integer program stops paying (issue 7: "a greedy fallback past a size
// you measure"): one hour's program on a connected group of n stations, solved by GLPK and by the
// greedy, on the same loads. Needs core (full builds only).

#include <string>
#include <vector>

namespace netspatial::bench {

struct SleepBenchRow {
  int stations = 0;
  int hours = 0;  //!< hours (programs) measured at this size
  double exactMedianMs = 0.0;
  double exactMaxMs = 0.0;
  int timeLimited = 0;  //!< hours where GLPK hit the time limit (its best solution is used)
  double greedyMedianMs = 0.0;
  double greedyExcessPct = 0.0;  //!< mean network power of the greedy above the program's, %
};

//! `hours` random hours per size: stations on a jittered 300 m grid (every one has neighbours within
//! 500 m), EARTH macro parameters, capacity 100, loads from night to busy hour. Same seed, same loads.
std::vector<SleepBenchRow> benchSleep(const std::vector<int>& sizes, int hours, double timeLimitSeconds, unsigned seed);

}  // namespace netspatial::bench
