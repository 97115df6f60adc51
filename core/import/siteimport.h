#pragma once

// Point-like layers of a scenario from the user's own files (issue 19, `netspatial import scenario`):
// base stations, and the sites that carry observed traffic. Any OGR vector (GeoPackage, GeoJSON,
// Shapefile, …) or a CSV with coordinate columns.

#include "core/import/importtarget.h"
#include "core/scenario/scenario.h"
#include "core/scenario/taxonomy.h"
#include "core/util/feedback.h"
#include "core/util/result.h"

#include <QMap>
#include <QString>

#include <vector>

namespace netspatial::core {

//! Where a point layer is and how to read its coordinates.
struct PointSource {
  QString path;
  //! CSV only: the coordinate columns (empty = detect lon/lng/longitude/x and lat/latitude/y) and
  //! their CRS (default WGS 84 lon/lat).
  QString xField;
  QString yField;
  Crs csvCrs;
};

struct StationImportOptions {
  PointSource source;
  QString idField;  //!< empty = "id" when the layer has it, else the 1-based row ("S<row>")
  //! Put before every id ("ocid-"): stations and traffic sites share one id namespace.
  QString idPrefix;
  QString nameField;  //!< optional
  //! The station class. Values map through `typeMapping` (value → type, case-insensitive), then as
  //! the names "macro"/"micro". Empty field: every station gets `defaultType`, with a report line.
  QString typeField;
  QMap<QString, StationType> typeMapping;
  StationType defaultType = StationType::Macro;
  //! Peak traffic a station serves, in the scenario's traffic unit per hour. Empty field: every
  //! station gets `defaultCapacity` (0 = unknown), with a report line. Empty or missing values in
  //! the field get it too, counted in the report; a negative or non-numeric one is an Error.
  QString capacityField;
  double defaultCapacity = 0.0;
  //! Station lists exported per covered cell repeat a station on several rows (OpenCellID's
  //! Milan extract does): KeepFirst keeps each id's first row and counts the repeats in the
  //! report; Error (the default) refuses a repeated id, naming its row.
  enum class DuplicateIds { Error, KeepFirst };
  DuplicateIds duplicateIds = DuplicateIds::Error;
};

//! Reads base stations into `target` (those outside its extent are dropped and counted in the
//! report). Errors name the file, the row and the field: a missing id/type/capacity field (with
//! the fields there are), a type value neither mapped nor macro/micro, a duplicate or empty id,
//! a non-point geometry, a bad coordinate, more features than target.limits.maxFeatures.
Result<std::vector<BaseStation>> importStations(const StationImportOptions& options, const ImportTarget& target,
                                                ImportReport* report = nullptr, Feedback* feedback = nullptr);

struct TrafficSiteImportOptions {
  PointSource source;
  QString idField;  //!< required: the ids the traffic file uses
  //! Put before every id ("cell-"); the traffic file keeps using the ids without it.
  QString idPrefix;
  QString nameField;  //!< optional
};

//! Reads the sites of observed traffic: points (a measurement point, a station's position) or
//! polygons (area-aggregated traffic such as the Milan grid: the footprint is kept and the site's
//! position is a representative point inside it). Sites outside the extent are dropped and counted.
//! Errors as importStations, plus lines (neither a point nor an area).
Result<std::vector<TrafficSite>> importTrafficSites(const TrafficSiteImportOptions& options, const ImportTarget& target,
                                                    ImportReport* report = nullptr, Feedback* feedback = nullptr);

}  // namespace netspatial::core
