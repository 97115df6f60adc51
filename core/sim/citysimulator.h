#pragma once

// The embedded default: a complete, realistic synthetic city from a preset and a seed,
// deterministically (DESIGN.md §4). Same preset + seed → identical scenario, on any machine.

#include "core/scenario/scenario.h"
#include "core/util/feedback.h"
#include "core/util/result.h"

#include <QString>
#include <QStringList>

namespace netspatial::core {

//! What distinguishes one kind of city from another.
struct CityPreset {
  QString name;  //!< "town", "city", "metropolis"
  QString description;
  double sizeMetres = 3000.0;       //!< side of the square city extent
  double imageryPixelMetres = 4.0;  //!< pseudo-satellite resolution
  double populationCellMetres = 100.0;
  double centreLon = 9.19;  //!< real-world centre: fixes the UTM zone and the time zone
  double centreLat = 45.46;
  QString timeZone = QStringLiteral("Europe/Rome");
  int weeks = 8;                                                     //!< hourly traffic starting on a Monday 00:00 local time
  QString seriesStartLocal = QStringLiteral("2025-03-03T00:00:00");  //!< a Monday, local time
  //! Further tuning knobs (zone mix, density, orientation range, station counts, …) are the
  //! simulator's own; they live in core/sim and are documented there.
  QVariantMap parameters;
};

//! The built-in presets, at least "town" (3 km test town), "city" (12 km) and "metropolis".
QStringList cityPresetNames();
Result<CityPreset> cityPreset(const QString& name);

//! Builds the whole scenario: land-use parcels on a road network (zones), the pseudo-satellite
//! imagery, the population raster, POIs, base stations and 8 weeks of hourly observed traffic per
//! station; metadata records preset, seed, CRS (UTM zone of the centre), time zone, unit and series
//! start; `runs` gets one "simulate" record. Progress and cancel through `feedback`.
Result<Scenario> simulateCity(const CityPreset& preset, quint64 seed, Feedback* feedback = nullptr);

}  // namespace netspatial::core

namespace netspatial::core {

//! SHA-256 (hex) of each simulated layer's content — "zones", "stations", "pois", "imagery",
//! "population", "traffic_observed" — for provenance (RunRecord::dataHashes) and reproducibility
//! checks: two scenarios with equal hashes hold identical data.
QVariantMap scenarioDataHashes(const Scenario& scenario);

}  // namespace netspatial::core
