#pragma once

// Weekly traffic profiles per zone class, anchored to the published per-area-type daily profiles
// of Xu et al. 2017 (residential, office, transport, entertainment). DESIGN.md §4.

#include "core/scenario/taxonomy.h"

#include <array>

namespace netspatial::core::sim {

enum class PublishedAreaType { Residential, Office, Transport, Entertainment };
inline constexpr int kPublishedAreaTypeCount = 4;

//! 168 hourly values, Monday 00:00 local first.
using WeeklyProfile = std::array<double, 168>;

//! The published shape: mean of the six 10-minute values of `hour` on `dayOfWeek` (0 = Monday),
//! each day normalised to a maximum of 1 as published.
double publishedHourlyProfile(PublishedAreaType type, int dayOfWeek, int hour);
//! Relative volume of a day for the area type (the published days carry no volume; see .cpp).
double publishedDayVolume(PublishedAreaType type, int dayOfWeek);
//! Published shape × day volume, as one week.
WeeklyProfile areaTypeWeeklyProfile(PublishedAreaType type);
//! Weights of the four published types that make up a zone class (sum 1).
std::array<double, kPublishedAreaTypeCount> zoneBlend(ZoneClass zoneClass);
//! The blended weekly profile of a zone class (relative units, typical weekday peak ≈ 1).
WeeklyProfile zoneWeeklyProfile(ZoneClass zoneClass);

}  // namespace netspatial::core::sim
