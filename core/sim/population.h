#pragma once

// The 100 m demand grid: residents per cell (the population raster), plus what the traffic model
// needs per cell — area of each zone class and the POI activity.

#include "core/scenario/scenario.h"
#include "core/sim/landuse.h"

#include <array>
#include <cstdint>
#include <vector>

namespace netspatial::core::sim {

struct DemandGrid {
  Extent extent;
  double cell = 100.0;
  int width = 0, height = 0;
  std::vector<float> population;                              //!< residents per cell
  std::vector<float> poiActivity;                             //!< weighted POI count per cell
  std::vector<std::array<float, kZoneClassCount>> classArea;  //!< m² of each class per cell
  std::size_t index(int c, int r) const { return std::size_t(r) * std::size_t(width) + std::size_t(c); }
  PointXY cellCentre(int c, int r) const { return {extent.xMin + (c + 0.5) * cell, extent.yMax - (r + 0.5) * cell}; }
  bool cellOf(PointXY p, int& c, int& r) const;
};

//! Residents per hectare of a class at density 1.
double residentsPerHectare(ZoneClass c);

//! Fills population and class areas by sampling the layout (5 × 5 points per cell).
DemandGrid buildDemandGrid(const CityLayout& layout, const SimParams& params, std::uint64_t seed);

ValueRaster populationRaster(const DemandGrid& grid);

}  // namespace netspatial::core::sim
