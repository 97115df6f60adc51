#pragma once

// The simulator's tuning knobs, read from CityPreset::parameters with defaults (DESIGN.md §4).
// Kept in one struct so every stage sees the same values.

#include "core/sim/citysimulator.h"

namespace netspatial::core::sim {

struct SimParams {
  double size = 3000.0;
  double pixel = 4.0;
  double popCell = 100.0;
  double blockMin = 90.0;  //!< street-grid spacing range, metres
  double blockMax = 150.0;
  int arterialEvery = 5;            //!< every n-th street is an arterial
  double orientationMaxDeg = 25.0;  //!< grid rotation drawn in [-max, max]
  double cbdFraction = 0.15;        //!< CBD radius / half size
  int subCentres = 0;               //!< secondary business centres (polycentric cities)
  double parkShare = 0.08;
  double industrialShare = 0.10;
  int universities = 1;
  int hubs = 1;
  double riverWidth = 35.0;
  double lakeProbability = 0.3;
  double densityScale = 1.0;    //!< multiplies population and POI density
  double macroSpacing = 650.0;  //!< metres between macro sites
  double microPerKm2 = 1.5;
  double trafficPerPerson = 0.02;  //!< MB/h at the profile peak per covered resident
  double trafficPerPoi = 1.5;      //!< MB/h at the profile peak per covered POI activity unit
  int weeks = 8;
};

SimParams simParamsFrom(const CityPreset& preset);

}  // namespace netspatial::core::sim
