#pragma once

// Hourly observed traffic per station: a coverage-weighted mix of the zone-class weekly profiles
// (core/sim/zoneprofiles.h) × a volume driven by the residents and POI activity around the station,
// with AR(1) noise, city events (concerts near entertainment venues), outages and one holiday.

#include "core/scenario/scenario.h"
#include "core/sim/landuse.h"
#include "core/sim/population.h"
#include "core/util/feedback.h"

#include <QTimeZone>

#include <cstdint>
#include <vector>

namespace netspatial::core::sim {

struct TrafficResult {
  HourlyTraffic traffic;
  std::vector<ZoneClass> dominantClass;  //!< per station, by coverage weight
  std::vector<double> dominantShare;
  QDate holiday;  //!< local date that behaves like a Sunday
  int events = 0;
  int outages = 0;
  bool cancelled = false;
};

//! Also sets each station's capacity (carriers of a fixed size, enough for ~the 99th percentile).
TrafficResult simulateTraffic(const CityLayout& layout, const SimParams& params, std::uint64_t seed, const DemandGrid& grid,
                              const std::vector<Poi>& pois, std::vector<BaseStation>& stations, const QDateTime& startUtc,
                              const QTimeZone& zone, Feedback* feedback);

}  // namespace netspatial::core::sim
