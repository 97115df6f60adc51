#pragma once

// Training data for the neural generators (issue 5, DESIGN.md §4/§6): the synthetic cities a recipe
// names are simulated here, each station's whole observed series becomes one training site with its
// context, and every series is divided by one training-wide scale so the model learns in [0, 1]
// and physical units come back through the checkpoint's Normalisation.

#include "core/util/feedback.h"
#include "core/util/result.h"
#include "netspatial/models/netspatial.h"

#include <QString>
#include <QStringList>

#include <vector>

namespace netspatial::app {

//! One simulated city: a core/sim preset and a seed (same pair → the same city, DESIGN.md §4).
struct CitySpec {
  QString preset;
  quint64 seed = 0;
  bool operator==(const CitySpec& other) const { return preset == other.preset && seed == other.seed; }
  //! "town 101".
  QString label() const { return QStringLiteral("%1 %2").arg(preset).arg(seed); }
};

//! What one city contributed.
struct TrainingCitySummary {
  CitySpec city;
  int stations = 0;         //!< stations kept as training sites
  int droppedStations = 0;  //!< stations left out (a missing hour, or no whole 28-day span)
  int hours = 0;            //!< hours per kept series (whole weeks from the first local Monday 00:00)
  QString seriesStart;      //!< first hour kept, local time, "2025-03-03 00:00 Europe/Rome"
  double maxValue = 0.0;    //!< largest hourly value of the kept series, physical units
  //! The simulator's SHA-256 of the city's whole observed traffic: proves a later rerun of the
  //! recipe trains on the same data (same preset + seed → same hash, DESIGN.md §4).
  QString trafficSha256;
};

struct TrainingData {
  std::vector<models::NetSpatialTrainingSite> sites;  //!< in city order, then station id order
  models::Normalisation normalisation;                //!< physical = normalised × scale
  std::vector<TrainingCitySummary> cities;
  //! Human-readable provenance: one line per city, then the totals and the normalisation.
  QStringList provenance;
};

//! Simulates every city (in the given order), keeps each station whose whole observed series has
//! no missing hour, cuts it to whole weeks from its first local Monday 00:00 (at least 672 h),
//! divides all series by the largest training value and pairs them with their site contexts.
//! With `wallClockHours` each series is read on the local wall clock (localWallClockIndices), so a
//! daylight-saving change inside it does not shift the daily rhythm of the weeks after it by an
//! hour; without, as consecutive stored hours (the rule of the committed weights, which mixes
//! shifted and unshifted training windows when the series spans a change).
//! Fails on an unknown preset, a duplicate city, cities whose traffic units differ, or a city
//! without a usable station. Progress and cancel through `feedback` (cancel → ErrorCode::Cancelled).
core::Result<TrainingData> buildTrainingData(const std::vector<CitySpec>& cities, core::Feedback* feedback = nullptr,
                                             bool wallClockHours = false);

}  // namespace netspatial::app
