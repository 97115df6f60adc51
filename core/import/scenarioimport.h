#pragma once

// A scenario from the user's own files (issue 19): `netspatial import scenario` and the studio's
// File › New scenario from data… run this one function. Every layer is optional; the extent is
// the AOI, an explicit lon/lat box, or the union of the given layers. A modality not given stays
// empty and is reported as missing (core/scenario/modalities.h), never filled with zeros; each one
// given records its source in the metadata (`modality.<name>` = "towers.csv", or the imagery's
// bands, resolution and stretch).

#include "core/import/importtarget.h"
#include "core/import/poiimport.h"
#include "core/import/rasterimport.h"
#include "core/import/siteimport.h"
#include "core/import/zoneimport.h"
#include "core/scenario/scenario.h"
#include "core/util/feedback.h"
#include "core/util/result.h"

#include <QString>

#include <optional>

namespace netspatial::core {

struct ScenarioImportOptions {
  QString name;  //!< the scenario's name (the command line uses the output file's base name)
  //! The scenario CRS: any projected CRS in metres ("EPSG:32633"); empty = the UTM zone of the
  //! extent's centre. A geographic CRS is refused (distances and cells are in metres).
  QString crs;
  //! Polygons (any OGR vector): the area of interest, and the extent (its bounds).
  QString aoiPath;
  //! Else an explicit extent in WGS 84 degrees.
  std::optional<Extent> extentLonLat;

  std::optional<StationImportOptions> stations;
  std::optional<PoiImportOptions> pois;
  std::optional<ZoneImportOptions> zones;
  std::optional<ImageryImportOptions> imagery;
  std::optional<PopulationImportOptions> population;
  std::optional<TrafficSiteImportOptions> trafficSites;
  //! Observed traffic, long CSV (site_id,timestamp,value; core/traffic/longcsvimport.h) for the
  //! traffic sites; needs trafficSites and a unit.
  QString trafficPath;
  QString trafficUnit;
  //! IANA time zone of timestamps without an offset, and the series' local time; empty = UTC.
  QString timeZone;

  ImportLimits limits;
};

struct ScenarioImport {
  Scenario scenario;
  ImportReport report;
};

//! `extent` (in `crs`, the CRS of `file`) in WGS 84 degrees; a file without a CRS is an Error naming it.
Result<Extent> fileExtentLonLat(const Extent& extent, const Crs& crs, const QString& file);

//! The union, in WGS 84 degrees, of every layer `options` gives (its AOI and extent aside): the
//! extent the import uses when neither is given. Layers that do not overlap are an Error naming
//! both. The wizard's preview calls this very function.
Result<Extent> layersLonLatExtent(const ScenarioImportOptions& options);

//! Builds the scenario in memory (nothing is written: the caller saves it atomically). Any error
//! in any given layer fails the whole import, naming the file, row and field.
Result<ScenarioImport> importScenario(const ScenarioImportOptions& options, Feedback* feedback = nullptr);

}  // namespace netspatial::core
