#pragma once

// A short paragraph for each ranked site, built from its features (DESIGN.md §8): where it is
// (zone, POI mix, residents), how its traffic behaves (peak hour, weekday/weekend ratio, σ), where
// it stands among the candidates, and how robust its place is across samples. Plain facts, so an
// engineer can check each clause against the inspector.

#include "core/context/sitecontext.h"
#include "core/planning/ranking.h"

#include <QString>

#include <optional>
#include <vector>

namespace netspatial::core {

//! Features of a site's mean generated week: what the rationale and the inspector both show.
struct TrafficFeatures {
  int peakHourWeekday = -1;          //!< local hour of the weekday template's maximum
  double weekdayWeekendRatio = 0.0;  //!< mean weekday / mean weekend hour; 0 when undefined
};

//! From the samples (each starting Monday 00:00 local), averaged over samples.
TrafficFeatures trafficFeatures(const std::vector<std::vector<float>>& samples);

//! "23 POIs within 500 m, mostly food (9), shopping (6), office (3)", or why there are none.
QString poiMixText(const SiteContext& context);

//! The paragraph for `site` (a row of `ranking`). `context` may be null (no context known);
//! `unit` is the traffic unit ("MB/h").
QString siteRationale(const RankedSite& site, const Ranking& ranking, const SiteContext* context, const TrafficFeatures& traffic,
                      const QString& unit);

}  // namespace netspatial::core
