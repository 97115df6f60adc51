#pragma once

// Base stations placed by demand: a jittered hexagonal macro layer over the land, and micro cells
// where people and activity concentrate (denser in the centre).

#include "core/scenario/scenario.h"
#include "core/sim/landuse.h"
#include "core/sim/population.h"

#include <cstdint>
#include <vector>

namespace netspatial::core::sim {

//! Demand of a cell: residents plus POI activity in resident-equivalents.
double cellDemand(const DemandGrid& grid, std::size_t index);

//! Stations with ids "S0001"…; capacities are set later from the simulated load.
std::vector<BaseStation> placeStations(const CityLayout& layout, const SimParams& params, std::uint64_t seed, const DemandGrid& grid);

}  // namespace netspatial::core::sim
