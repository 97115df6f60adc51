#pragma once

// Writes one vector layer with GDAL: GeoPackage (.gpkg, in the layer's CRS) or GeoJSON (.geojson /
// .json, transformed to WGS 84 lon/lat as RFC 7946 requires). The file is built beside the target
// and renamed over it, so a failed or interrupted export never leaves half a file.

#include "core/geo/crs.h"
#include "core/geo/geometry.h"
#include "core/util/result.h"

#include <QString>
#include <QVariant>

#include <vector>

namespace netspatial::core {

struct VectorField {
  enum class Type { Integer, Real, String };
  QString name;
  Type type = Type::String;
};

struct VectorFeature {
  Geometry geometry;
  QVariantList values;  //!< one per field, in field order; an invalid QVariant is written as null
};

struct VectorLayerData {
  QString name;  //!< layer name (GeoPackage table)
  Crs crs;       //!< of the geometries
  std::vector<VectorField> fields;
  std::vector<VectorFeature> features;
};

//! The format follows the extension; anything else is an error naming the file.
Status writeVectorFile(const VectorLayerData& layer, const QString& path);

}  // namespace netspatial::core
