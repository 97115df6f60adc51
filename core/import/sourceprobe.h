#pragma once

// A light look at a file the user picks for a scenario import (the studio's File › New scenario
// from data…): what kind of source it is, its fields or bands, without reading the features or
// the pixels. The wizard fills its field and band choices from it; GDAL stays in core.

#include "core/geo/crs.h"
#include "core/geo/geometry.h"
#include "core/util/result.h"

#include <QString>
#include <QStringList>

namespace netspatial::core {

struct SourceProbe {
  QString file;
  QString driver;  //!< GDAL's short name ("GTiff", "ESRI Shapefile", "CSV", "OSM")
  bool osm = false;
  // Vector side (the first layer; an OSM extract's layers are fixed by the driver).
  bool hasVector = false;
  QStringList fieldNames;
  qint64 featureCount = -1;  //!< -1 when the driver cannot tell without reading everything (OSM)
  QString geometryType;      //!< "Point", "Polygon", "Multi Polygon", "None" (a CSV table), …
  bool polygons = false;
  // Raster side.
  bool hasRaster = false;
  int width = 0;
  int height = 0;
  int bandCount = 0;
  double pixelSize = 0.0;  //!< in the raster CRS's units
  Crs crs;                 //!< of the raster, or of the first vector layer
  Extent extent;           //!< in `crs`; empty when unknown (OSM, CSV without geometry)
};

//! Opens `path` with GDAL as raster and vector and reports what it holds. Errors name the file:
//! no such file, or neither a raster nor a vector GDAL can read.
Result<SourceProbe> probeSource(const QString& path);

//! The field names of the first vector layer of `path` (empty for OSM extracts, whose tags the
//! importers map themselves).
Result<QStringList> vectorFieldNames(const QString& path);

//! The first of `fields` whose name matches one of `candidates` (case-insensitive, candidates in
//! order of preference), or an empty string: a wizard's default choice ("id", "lon", …).
QString guessField(const QStringList& fields, const QStringList& candidates);

}  // namespace netspatial::core
