#pragma once

// What the full-build benchmarks share: timing, the process's peak memory, square polygons.

#include "core/geo/geometry.h"

#include <chrono>

namespace netspatial::bench {

using Clock = std::chrono::steady_clock;

inline double secondsSince(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

//! Peak resident set of this process so far, 10⁶ bytes.
double peakRssMegabytes();

//! An axis-aligned square of `side` metres from its south-west corner (x0, y0).
core::Geometry square(double x0, double y0, double side);

}  // namespace netspatial::bench
