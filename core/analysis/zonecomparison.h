#pragma once

// Zone comparison (DESIGN.md §10, issue 6 part 5): the mean weekly traffic profile of the sites
// inside each of a few zones — an existing zone, every zone of a class, or a polygon the user drew —
// with the statistics an analyst compares them by. Plain data in, plain data out; the widget that
// shows it (ui/zones/zonecomparisonview.h) computes nothing.

#include "core/geo/geometry.h"
#include "core/planning/calibration.h"
#include "core/scenario/scenario.h"
#include "core/scenario/taxonomy.h"
#include "core/util/result.h"

#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace netspatial::core {

enum class ZoneSelectionKind {
  ZoneId,     //!< one zone of the scenario's zones layer (a Milan NIL district when imported)
  ZoneClass,  //!< every zone of one class, as one area
  Polygon,    //!< an arbitrary polygon drawn by the user, in the scenario CRS
};

//! One area to compare. Build it with the named constructors.
struct ZoneSelection {
  ZoneSelectionKind kind = ZoneSelectionKind::ZoneId;
  qint64 zoneId = 0;                       //!< ZoneId
  ZoneClass zoneClass = ZoneClass::Mixed;  //!< ZoneClass
  Geometry polygon;                        //!< Polygon: Polygon or MultiPolygon, scenario CRS
  //! Shown in legends and tables. Empty: the zone's name (else "Zone <id>"), the class label, or
  //! "Drawn area <n>" for the n-th polygon of the list.
  QString label;

  static ZoneSelection ofZone(qint64 zoneId, QString label = {});
  static ZoneSelection ofClass(ZoneClass zoneClass, QString label = {});
  static ZoneSelection ofPolygon(Geometry polygon, QString label = {});
};

//! Which traffic the profiles are made of.
enum class ZoneTrafficSource {
  Observed,   //!< scenario.trafficObserved
  Generated,  //!< one GeneratedTraffic (samples averaged per site)
  Both,       //!< both, side by side
};

//! How each zone's mean weekly profile is scaled for display.
enum class ProfileNormalisation {
  None,      //!< the physical unit (scenario.metadata.trafficUnit)
  ZoneMean,  //!< divided by the zone's own mean: mean 1, shapes comparable across busy and quiet zones
  ZScore,    //!< (x − zone mean) / zone's temporal σ: mean 0, σ 1
  //! Each site's weekly profile divided by that site's own mean, then averaged over the zone's
  //! sites, so that one big site does not dictate the zone's shape. Mean 1.
  PerSite,
};

QString zoneTrafficSourceName(ZoneTrafficSource source);   //!< "observed", "generated", "both"
QString profileNormalisationName(ProfileNormalisation n);  //!< "none", "zone_mean", "z_score", "per_site"

//! Statistics of one zone and one traffic source.
//!
//! `mean`, `temporalSigma` and `siteSigma` are always in the physical unit, whatever the display
//! normalisation: normalised means are 1 or 0 by construction and would say nothing. The peak hours
//! and the weekday/weekend ratio describe the *shape* that is displayed: they are the same for
//! None, ZoneMean and ZScore (which only rescale or shift the zone's profile, so the ratio is taken
//! on the physical profile), and are taken on the site-normalised profile for PerSite.
struct ZoneProfileStats {
  int siteCount = 0;         //!< sites inside with at least one valid hour of this source
  int peakHourWeekday = -1;  //!< 0–23, local time: argmax of the weekday template (Mon–Fri); -1 if none
  int peakHourWeekend = -1;  //!< 0–23, local time: argmax of the weekend template (Sat–Sun)
  //! Mean weekday hour ÷ mean weekend hour (office ≈ 3, residential ≈ 0.9); NaN when the weekend
  //! mean is not positive or either half has no data.
  double weekdayWeekendRatio = 0.0;
  //! Mean over the 168 hours of the zone's mean weekly profile (unit/h); equals the mean of the
  //! site means when no hour is missing.
  double mean = 0.0;
  //! Temporal σ: population standard deviation over the 168 hours of the zone's mean weekly
  //! profile (unit/h) — how much the zone's traffic swings through the week.
  double temporalSigma = 0.0;
  //! temporalSigma ÷ mean: the temporal swing without the unit (NaN when the mean is not positive).
  double variationCoefficient = 0.0;
  //! Across-site σ: population standard deviation of the sites' own weekly means (unit/h) — how
  //! different the sites of the zone are in volume. 0 for one site.
  double siteSigma = 0.0;
};

//! The mean weekly profile of one zone from one traffic source.
struct ZoneProfile {
  ZoneTrafficSource source = ZoneTrafficSource::Observed;  //!< Observed or Generated, never Both
  QStringList siteIds;                                     //!< the sites that contributed, sorted
  //! 168 hours from Monday 00:00 local time, normalised as requested; NaN where no site has a value.
  std::vector<float> weekly;
  std::vector<float> weeklyPhysical;  //!< the same before normalisation, in the traffic unit
  ZoneProfileStats stats;
};

//! "64 traffic sites", "120 candidate cells and 3 stations": what `siteIds` are in `scenario`.
QString describeSiteSet(const Scenario& scenario, const QStringList& siteIds);

struct ZoneComparisonEntry {
  QString label;
  ZoneSelection selection;
  int polygonCount = 0;                  //!< zones (or drawn polygons) the selection covers
  std::optional<ZoneProfile> observed;   //!< set when observed traffic was asked for and found inside
  std::optional<ZoneProfile> generated;  //!< set when generated traffic was asked for and found inside
};

struct ZoneComparison {
  ZoneTrafficSource source = ZoneTrafficSource::Observed;
  ProfileNormalisation normalisation = ProfileNormalisation::None;
  QString unit;  //!< the physical traffic unit of the observed profiles ("MB/h")
  //! The unit of the generated profiles: the generation's run record's "unit" (a generator trained
  //! in another unit, issue 19 item 4); empty when it is `unit` or nothing generated is compared.
  QString generatedUnit;
  //! Which site sets are compared, for the header: "observed: 64 traffic sites; generated: 120
  //! candidate cells — in “Residential”".
  QString siteSets;
  //! Who generated the compared traffic and whether it is calibrated to this scenario; set by the
  //! caller (the app knows the generators), shown as a warning unless Matches.
  std::optional<Calibration> calibration;
  QString generatedBy;                     //!< "NetSpatial (embedded), seed 1", set by the caller with calibration
  QString timeZone;                        //!< IANA id of the local time of the profiles
  std::vector<ZoneComparisonEntry> zones;  //!< in the order of the selections
  //! Things the user should know that did not stop the comparison ("Zone 3: no generated site
  //! inside", "site S4 has a zero mean and is left out of the per-site normalisation").
  QStringList warnings;
};

struct ZoneComparisonOptions {
  ZoneTrafficSource source = ZoneTrafficSource::Observed;
  ProfileNormalisation normalisation = ProfileNormalisation::None;
};

//! The comparison of `selections` in `scenario`.
//!
//! Sites: stations and traffic sites by their position; for generated traffic also candidates,
//! whose site id is "C<id>" and whose position is the cell centre. A site is inside a selection
//! when its position is inside any of its polygons (holes respected); it counts once.
//!
//! Alignment: profiles run from Monday 00:00 in scenario.metadata.timeZone. Observed traffic is cut
//! to start at its first local Monday 00:00; generated traffic the same (it normally starts there,
//! and then nothing is cut; one without a valid start is taken as starting there). As in core/traffic/decomposition, hour t of the cut
//! series is hour t mod 168 of the week, so across a DST change the local hours shift by one for the rest of the series.
//!
//! Fails, saying which selection, on: no selection; an unknown zone id, a class without zones or an
//! empty/non-polygonal drawn polygon; a requested source without traffic (no observed traffic, no
//! or empty `generated`); observed traffic holding no local Monday 00:00; a selection with no site
//! of the requested source inside (with Both, one with neither — one missing source is a warning).
Result<ZoneComparison> compareZones(const Scenario& scenario, const std::vector<ZoneSelection>& selections,
                                    const ZoneComparisonOptions& options = {}, const GeneratedTraffic* generated = nullptr);

}  // namespace netspatial::core
