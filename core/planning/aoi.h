#pragma once

// Reading an area of interest (or exclusion areas) from any vector file GDAL opens, into the
// scenario CRS.

#include "core/geo/crs.h"
#include "core/geo/geometry.h"
#include "core/util/result.h"

#include <QString>

#include <vector>

namespace netspatial::core {

//! Every polygon of the file's first layer, transformed to `target`. Fails (naming the file) when
//! the file has no polygon.
Result<std::vector<Geometry>> readPolygons(const QString& path, const Crs& target);

//! The polygon of a rectangle (a dragged area, a square around a point), closed, counter-clockwise.
Geometry rectangleAoi(const Extent& extent);

//! The polygons of the file as one area (a MultiPolygon when there are several). With a
//! `scenarioExtent`, an area that does not overlap it is refused, naming the file and the distance:
//! an AOI of another city (or in another CRS than its file says) would grid a place without data.
Result<Geometry> readAoi(const QString& path, const Crs& target, const Extent& scenarioExtent = {});

}  // namespace netspatial::core
