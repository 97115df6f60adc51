#pragma once

#include "core/geo/vectorreader.h"
#include "ui/map/maplayer.h"
#include "ui/map/mapview.h"

#include <QPainter>

#include <memory>
#include <vector>

namespace netspatial::ui {

//! OGR features drawn with QPainter: polygons with an outline and a semi-transparent fill, lines,
//! and points as small discs. Features are projected into the map CRS once (on setMapCrs), so
//! painting only scales and offsets, and is culled against the visible extent.
class VectorLayer : public MapLayer {
 public:
  static core::Result<std::unique_ptr<VectorLayer>> open(const QString& path);
  //! Wraps an in-memory layer (e.g. one a job produced). Fails without a valid CRS.
  static core::Result<std::unique_ptr<VectorLayer>> fromLayer(core::VectorLayer layer);

  Kind kind() const override { return Kind::Vector; }
  const core::VectorLayer& source() const { return m_source; }

  const core::Crs& sourceCrs() const override { return m_source.crs; }
  core::Extent sourceExtent() const override { return m_source.extent(); }
  QString description() const override;
  core::Status setMapCrs(const core::Crs& mapCrs) override;

  //! Fill = outline colour at a low alpha, so the layers underneath stay readable.
  void setColor(const QColor& color) override;
  QColor fillColor() const { return m_fill; }

  //! Features in the map CRS, parallel to source().features; features PROJ could not transform
  //! have empty geometries (and are counted in skippedFeatureCount()).
  const std::vector<core::Geometry>& mapGeometries() const { return m_mapGeometries; }
  int skippedFeatureCount() const { return m_skipped; }

  //! Draws the features whose bounds meet the view; returns how many were drawn.
  int paintFeatures(QPainter& painter, const MapView& view) const;
  void paint(QPainter& painter, const MapView& view) const override { paintFeatures(painter, view); }

 private:
  VectorLayer(QString name, QString file, core::VectorLayer source)
      : MapLayer(std::move(name), std::move(file)), m_source(std::move(source)) {}

  core::VectorLayer m_source;
  std::vector<core::Geometry> m_mapGeometries;
  std::vector<core::Extent> m_mapExtents;
  int m_skipped = 0;
  QColor m_fill;
};

}  // namespace netspatial::ui
