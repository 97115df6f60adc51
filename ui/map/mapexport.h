#pragma once

// The map view as a georeferenced PNG (DESIGN.md §3 exports): the image plus an ESRI world file
// (.pgw) so QGIS or any GDAL tool places it exactly. With a device pixel ratio of 2 the image has
// twice the pixels over the same ground, and the world file says so.

#include "core/util/result.h"
#include "ui/map/mapview.h"

#include <QSize>
#include <QString>

namespace netspatial::ui {

class MapCanvas;

//! The six world-file numbers: pixel size in x, rotations (0), pixel size in y (negative: rows go
//! south), and the map coordinate of the centre of the top-left pixel.
struct WorldFile {
  double pixelSizeX = 0.0;
  double rotationY = 0.0;
  double rotationX = 0.0;
  double pixelSizeY = 0.0;
  double originX = 0.0;
  double originY = 0.0;
  QString text() const;  //!< six lines, full double precision
};

//! The world file of an image rendered from `view` (logical size) at `devicePixelRatio`.
WorldFile worldFileFor(const MapView& view, double devicePixelRatio);

//! "map.png" → "map.pgw" (and .jpg → .jgw, .tif → .tfw).
QString worldFilePath(const QString& imagePath);

//! Renders the canvas's current view at `logicalSize` × `devicePixelRatio` pixels and writes it as
//! PNG with its world file (both atomically). The CRS is the canvas's map CRS; its WKT goes in
//! GDAL's sidecar (.png.aux.xml) so GIS tools need not ask.
core::Status saveMapImage(const MapCanvas& canvas, const QString& path, QSize logicalSize, double devicePixelRatio = 1.0,
                          bool withScaleBar = true);

}  // namespace netspatial::ui
