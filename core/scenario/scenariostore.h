#pragma once

// The scenario file: one GeoPackage, openable in QGIS (DESIGN.md §3).
//   vector layers: base_stations, traffic_sites, pois, zones, aoi, candidates
//                  traffic_sites (optional; older files lack it): id, name, x, y — the representative
//                  point — and as geometry the footprint polygon, or that point where there is none
//   rasters:       imagery (RGB, GPKG tiles, with overviews), population (Float32 gridded coverage)
//                  — or, for either, a reference to an external GDAL raster (any driver, any CRS)
//   tables:        traffic_observed (site_id, t, value), traffic_generated (run_id, site_id, sample,
//                  start_utc, hours, layout, series: float32 little-endian BLOB, hour 0 first, NaN =
//                  missing), generated_summary (run_id, site_id, samples, hours, mean, p95, sigma,
//                  sigma_normalised, lsi, units: derived, for QGIS), rankings, runs, metadata (key, value)
//                  Files of schema version 1 (traffic_generated one row per hour) are migrated on load.
// Saving is atomic: everything is written to a temporary file beside the target, which replaces
// the target only once complete — a crash, a full disk or a cancel never leaves a broken project.

#include "core/scenario/scenario.h"
#include "core/util/feedback.h"
#include "core/util/result.h"

#include <QDateTime>
#include <QString>

#include <utility>
#include <vector>

namespace netspatial::core {

//! A generation produced while it is saved (issue 21: `netspatial generate` on any AOI size): the
//! writer pulls its series chunk by chunk into traffic_generated and generated_summary, so memory
//! stays flat whatever the number of sites, and adds its run record to `runs`. It is not part of
//! the Scenario; generated after the scenario's own generations.
class GenerationStream {
 public:
  //! One chunk: site id → samples → hourly values, in the physical unit.
  using Chunk = std::vector<std::pair<QString, std::vector<std::vector<float>>>>;
  virtual ~GenerationStream() = default;
  virtual QString runId() const = 0;
  //! Where the series start on the calendar (UTC).
  virtual QDateTime start() const = 0;
  //! The next chunk; an empty one when all sites are done. An error (Cancelled too) abandons the
  //! save, leaving the file as it was.
  virtual Result<Chunk> next() = 0;
  //! The run record, asked for once the last chunk is written (it may record the generation's time).
  virtual RunRecord runRecord() const = 0;
};

struct ScenarioSaveOptions {
  //! Streamed into the file after the scenario's own generations; null = none.
  GenerationStream* generation = nullptr;
  //! Testing only: fail as if the disk filled up after this many layers/tables were written (-1 = never).
  int failAfterSteps = -1;
};

//! Writes `scenario` to `path` atomically. Refuses (before writing anything) a scenario without a
//! CRS, with empty or duplicate station/traffic-site ids, or with observed traffic on an unknown site. On any failure or cancel the file at
//! `path` (if any) is unchanged and no temporary file is left behind.
Status saveScenario(const Scenario& scenario, const QString& path, Feedback* feedback = nullptr, const ScenarioSaveOptions& options = {});

//! Reads a scenario. Fails with a clear Error (file, layer/row/field) and returns nothing on: a
//! non-GeoPackage file, missing required layers, layers in a CRS other than the scenario's,
//! empty or duplicate ids (stations and traffic sites share one id space), observed traffic on an
//! id that is neither a station nor a traffic site, malformed traffic rows.
Result<Scenario> loadScenario(const QString& path, Feedback* feedback = nullptr);

}  // namespace netspatial::core
