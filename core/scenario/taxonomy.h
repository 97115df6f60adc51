#pragma once

#include <QString>

#include <array>
#include <optional>

namespace netspatial::core {

//! Land-use / functional zone classes of a city (DESIGN.md §4).
enum class ZoneClass {
  Cbd,  //!< central business district, offices
  Commercial,
  ResidentialHigh,
  ResidentialLow,
  University,
  Industrial,
  TransportHub,
  Park,
  Water,
  Mixed,
};
inline constexpr int kZoneClassCount = 10;

//! The 14 POI categories (DESIGN.md §3).
enum class PoiCategory {
  Food,
  Shopping,
  Office,
  Residential,
  Education,
  Medical,
  Transport,
  Entertainment,
  Hotel,
  SportsLeisure,
  Finance,
  PublicService,
  Industrial,
  Other,
};
inline constexpr int kPoiCategoryCount = 14;

enum class StationType { Macro, Micro };

//! Stable snake_case names used in files and on the command line ("residential_high", "sports_leisure").
QString zoneClassName(ZoneClass c);
QString poiCategoryName(PoiCategory c);
QString stationTypeName(StationType t);
std::optional<ZoneClass> zoneClassFromName(const QString& name);
std::optional<PoiCategory> poiCategoryFromName(const QString& name);
std::optional<StationType> stationTypeFromName(const QString& name);
//! Human labels for legends ("Residential (high density)").
QString zoneClassLabel(ZoneClass c);
QString poiCategoryLabel(PoiCategory c);

}  // namespace netspatial::core
