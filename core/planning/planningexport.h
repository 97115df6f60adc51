#pragma once

// Exports of the planning workflow (DESIGN.md §3, §8): the ranking table as CSV, generated series
// in long format, ranked candidates as GeoPackage/GeoJSON. All atomic: a failed export leaves any
// earlier file as it was.

#include "core/planning/ranking.h"
#include "core/scenario/scenario.h"
#include "core/util/result.h"

#include <QHash>
#include <QString>

namespace netspatial::core {

//! rank, site_id, lon, lat, x, y, lsi, sigma, mean, p95, mean_over_sigma, p_topk, utility, value,
//! selected, note, rationale. lon/lat are WGS 84 (PROJ from the scenario CRS); x, y the scenario
//! CRS. Unranked sites (below the floor) come last with an empty rank.
Status writeRankingCsv(const Ranking& ranking, const Crs& crs, const QString& path, const QHash<QString, QString>& rationales = {});

enum class SeriesUnits { Physical, Normalised };

//! Long format: site_id, sample, t (ISO-8601 UTC), value. Normalised values are physical ÷
//! `normalisationScale`. `siteIds` empty = every site of the generation, else those (an unknown id
//! is an error naming it).
Status writeSeriesCsv(const GeneratedTraffic& traffic, const QString& path, SeriesUnits units, double normalisationScale,
                      const QStringList& siteIds = {});

//! Ranked candidate cells (or points for other sites) with their utilities, as .gpkg or .geojson.
Status writeRankedSites(const Scenario& scenario, const Ranking& ranking, const QString& path);

}  // namespace netspatial::core
