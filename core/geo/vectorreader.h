#pragma once

#include "core/geo/crs.h"
#include "core/geo/geometry.h"
#include "core/util/feedback.h"
#include "core/util/result.h"

#include <QString>
#include <QStringList>
#include <QVariantMap>

#include <vector>

namespace netspatial::core {

struct Feature {
  qint64 fid = -1;
  QVariantMap attributes;
  Geometry geometry;
};

//! A vector layer read into memory, coordinates in its own (source) CRS.
struct VectorLayer {
  QString name;
  QString file;
  Crs crs;
  QStringList fieldNames;
  std::vector<Feature> features;

  Extent extent() const;
  GeometryType dominantType() const;
};

struct VectorReadOptions {
  QString layerName;  //!< empty = the first layer
  //! CSV only: coordinate columns. Empty = detect lon/lng/longitude/x and lat/latitude/y.
  QString xField;
  QString yField;
  //! CSV only: CRS of the coordinate columns (default WGS 84 lon/lat).
  Crs csvCrs;
  //! Reject features whose geometry is not OGC-valid (self-intersections, too few points).
  bool validateGeometries = true;
  //! Stop with an Error naming the file and the bound once the layer has more features than this
  //! (0 = no bound): a huge or wrong input fails before it fills memory (ImportLimits).
  qint64 maxFeatures = 0;
};

//! Layer names of a vector source (GeoJSON, GeoPackage, Shapefile, CSV, OSM, …).
Result<QStringList> listVectorLayers(const QString& path);

//! Reads a whole layer through OGR. Errors name the file, and the row (1-based feature or CSV data
//! row) and field where one is at fault; nothing is returned half-read.
Result<VectorLayer> readVectorLayer(const QString& path, const VectorReadOptions& options = {}, Feedback* feedback = nullptr);

}  // namespace netspatial::core
