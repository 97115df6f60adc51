#pragma once

// Pseudo-satellite RGB rendering of a city layout (~4 m/px): roofs whose size, density and colour
// depend on the zone class, with shadows; asphalt roads; textured vegetation and trees; water;
// sensor noise. Meant to let a vision model tell land-use classes apart.

#include "core/scenario/scenario.h"
#include "core/sim/landuse.h"
#include "core/util/feedback.h"

#include <cstdint>

namespace netspatial::core::sim {

//! Empty raster when cancelled (the caller checks the Feedback).
ImageRaster renderImagery(const CityLayout& layout, const SimParams& params, std::uint64_t seed, Feedback* feedback);

}  // namespace netspatial::core::sim
