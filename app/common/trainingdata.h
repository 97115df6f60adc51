#pragma once

// Training data for the neural generators (issue 5, DESIGN.md §4/§6; issue 19): the synthetic
// cities a recipe names are simulated here and its scenario files (real observed traffic) are read
// with their held-out blocks left out; each site's observed series becomes one training site with
// its context, and every series is divided by one training-wide scale so the model learns in
// [0, 1] and physical units come back through the checkpoint's Normalisation.

#include "app/common/heldoutsplit.h"
#include "core/util/feedback.h"
#include "core/util/result.h"
#include "netspatial/models/netspatial.h"

#include <QString>
#include <QStringList>

#include <functional>
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

//! A scenario file with observed traffic (a recipe's [data] scenarios entry). Its sites are split
//! exactly as `netspatial evaluate --train FILE --holdout H --group-size G --split-seed S` (with
//! --window and --complete-only as `eligibility`) splits them (heldoutsplit.h); the held-out sites
//! are never trained on.
struct ScenarioSpec {
  QString path;  //!< absolute
  QString unit;  //!< the traffic unit the recipe states: must equal the scenario's metadata.trafficUnit
  double holdout = 0.3;
  double groupSize = 1000.0;  //!< metres
  quint64 splitSeed = 1;
  SiteEligibility eligibility;
  //! Where the recipe states it, for errors: the recipe file and the entry's line (0 = unknown).
  QString recipePath;
  int line = 0;
  //! "scenario 1 (milan.gpkg)".
  QString label(int index) const;
};

//! What one scenario contributed.
struct TrainingScenarioSummary {
  ScenarioSpec spec;
  QString sha256;  //!< of the file's bytes
  QString unit;    //!< the scenario's traffic unit (= spec.unit)
  int sitesWithTraffic = 0;
  int eligibleSites = 0;                 //!< sites the split is drawn from (spec.eligibility)
  int blocks = 0;                        //!< blocks holding an eligible site
  std::vector<QString> trainingSiteIds;  //!< trained on, sorted
  std::vector<QString> heldOutSiteIds;   //!< the split's test sites: never trained on, sorted
  //! Eligible, outside the held-out blocks, but without 4 complete whole weeks: not trained on.
  std::vector<QString> droppedSiteIds;
  //! Outside the held-out blocks but left out by the caller (TrainingSources::keepScenarioSite):
  //! not trained on. Empty for a plain recipe.
  std::vector<QString> unselectedSiteIds;
  int shortenedSites = 0;          //!< trained on their longest complete run of whole weeks only
  int minHours = 0, maxHours = 0;  //!< hours per kept series
  QString seriesStart;             //!< the first local Monday 00:00 of the scenario's series
  double maxValue = 0.0;           //!< largest hourly value of the kept series, physical units
};

//! The training sources of a recipe: simulated cities and scenario files, in that order.
struct TrainingSources {
  std::vector<CitySpec> cities;
  std::vector<ScenarioSpec> scenarios;
  //! When set, a scenario site outside the held-out blocks is trained on only if this returns true
  //! for it (`netspatial evaluate --sweep-fractions` trains on subsets of the training sites); the
  //! split itself does not change, so the held-out sites stay the same. Unset: every such site.
  std::function<bool(const ScenarioSpec& scenario, const QString& siteId)> keepScenarioSite;
};

struct TrainingData {
  std::vector<models::NetSpatialTrainingSite> sites;  //!< cities in order (station id order), then scenarios (site id order)
  models::Normalisation normalisation;                //!< physical = normalised × scale
  std::vector<TrainingCitySummary> cities;
  std::vector<TrainingScenarioSummary> scenarios;
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

//! The same for cities and scenario files together. Each scenario is loaded and checked: the
//! recipe's unit must be its traffic unit (else an error naming the recipe line and key), and a
//! file whose bytes (SHA-256) repeat another entry's is refused, since a second split of the same
//! sites would train on the first one's held-out sites. Its eligible sites are split by blocks
//! (ScenarioSpec); every other site is a training site. A truncated series (NaN hours) is cut to
//! its longest run of complete whole weeks from a local Monday 00:00 (hours read as for the
//! cities), and dropped when that run is under 4 weeks. All sources must share one traffic unit;
//! the scale is the largest value of the series actually trained on (held-out sites never set it).
core::Result<TrainingData> buildTrainingData(const TrainingSources& sources, core::Feedback* feedback = nullptr,
                                             bool wallClockHours = false);

}  // namespace netspatial::app
