#pragma once

// The stations an operations study works on: where they are, what they can carry, what they draw,
// and which neighbours may take over their load (DESIGN.md §9).

#include "core/geo/geometry.h"
#include "core/operations/earthpowermodel.h"

#include <QString>

#include <vector>

namespace netspatial::core {

struct OperationsStation {
  QString id;
  PointXY position;       //!< scenario CRS, metres
  double capacity = 0.0;  //!< traffic per hour it can serve at utilisation 1 (the scenario's unit)
  EarthPowerModel power;
};

//! For each station, the indices of the others whose positions lie within `maxDistance` metres,
//! nearest first (ties by index). O(n log n) through a bucket grid.
std::vector<std::vector<int>> neighboursWithin(const std::vector<OperationsStation>& stations, double maxDistance);

//! Connected components of a neighbour graph, each sorted, ordered by their smallest index.
std::vector<std::vector<int>> connectedComponents(const std::vector<std::vector<int>>& neighbours);

}  // namespace netspatial::core
