#pragma once

// Points of interest consistent with the land use: offices and banks in the CBD, food, shops and
// entertainment on commercial streets, education on campus, industry in industrial estates,
// transport at the hub — each with a plausible generated name.

#include "core/scenario/scenario.h"
#include "core/sim/landuse.h"
#include "core/sim/population.h"

#include <cstdint>
#include <vector>

namespace netspatial::core::sim {

//! POIs per hectare of a class at density 1.
double poiRatePerHectare(ZoneClass c);
//! How much traffic-generating activity one POI of a category brings (relative).
double poiActivityWeight(PoiCategory c);

//! Generates the POIs and adds their activity to `grid.poiActivity`.
std::vector<Poi> generatePois(const CityLayout& layout, const SimParams& params, std::uint64_t seed, DemandGrid& grid);

}  // namespace netspatial::core::sim
