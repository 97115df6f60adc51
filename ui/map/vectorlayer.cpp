#include "ui/map/vectorlayer.h"

#include "ui/map/screengeometry.h"

#include "core/geo/coordinatetransform.h"

#include <QFileInfo>
#include <QPainterPath>

namespace netspatial::ui {

namespace {

constexpr double kPointRadius = 3.5;  // logical pixels

}  // namespace

core::Result<std::unique_ptr<VectorLayer>> VectorLayer::open(const QString& path) {
  auto layer = core::readVectorLayer(path);
  if (!layer) return layer.error();
  return fromLayer(std::move(layer).value());
}

core::Result<std::unique_ptr<VectorLayer>> VectorLayer::fromLayer(core::VectorLayer layer) {
  if (!layer.crs.isValid())
    return core::Error(core::ErrorCode::UnknownCrs,
                       QStringLiteral("the vector layer has no coordinate reference system (e.g. a shapefile without "
                                      ".prj), so it cannot be placed on the map"),
                       {layer.file});
  QString name = layer.name;
  if (name.isEmpty()) name = QFileInfo(layer.file).completeBaseName();
  QString file = layer.file;
  std::unique_ptr<VectorLayer> result(new VectorLayer(std::move(name), std::move(file), std::move(layer)));
  return result;
}

QString VectorLayer::description() const {
  static const char* const kTypeNames[] = {"point", "line", "polygon", "multipoint", "multiline", "multipolygon"};
  const QString type = m_source.features.empty() ? QStringLiteral("empty") : QString::fromLatin1(kTypeNames[int(m_source.dominantType())]);
  QString text = QStringLiteral("%1 %2 feature(s), %3").arg(m_source.features.size()).arg(type, m_source.crs.label());
  if (m_skipped > 0) text += QStringLiteral(" (%1 outside the map CRS, not drawn)").arg(m_skipped);
  return text;
}

core::Status VectorLayer::setMapCrs(const core::Crs& mapCrs) {
  auto transform = core::CoordinateTransform::create(m_source.crs, mapCrs);
  if (!transform) return transform.error().withFile(file());
  std::vector<core::Geometry> geometries;
  std::vector<core::Extent> extents;
  geometries.reserve(m_source.features.size());
  extents.reserve(m_source.features.size());
  core::Extent total;
  int skipped = 0;
  for (const core::Feature& feature : m_source.features) {
    auto projected = transform->transform(feature.geometry);
    if (!projected) {
      // One feature beyond the projection's domain should not hide the rest of the layer.
      ++skipped;
      geometries.emplace_back();
      extents.emplace_back();
      continue;
    }
    extents.push_back(projected->extent());
    total.include(extents.back());
    geometries.push_back(std::move(projected).value());
  }
  if (skipped > 0 && skipped == int(m_source.features.size()))
    return core::Error(core::ErrorCode::TransformFailed,
                       QStringLiteral("none of the %1 features can be transformed into %2").arg(skipped).arg(mapCrs.label()), {file()});
  m_mapCrs = mapCrs;
  m_mapGeometries = std::move(geometries);
  m_mapExtents = std::move(extents);
  m_mapExtent = total;
  m_skipped = skipped;
  return {};
}

void VectorLayer::setColor(const QColor& color) {
  MapLayer::setColor(color);
  m_fill = color;
  m_fill.setAlpha(56);
}

int VectorLayer::paintFeatures(QPainter& painter, const MapView& view) const {
  if (!view.isValid()) return 0;
  // Grow the culling extent by a symbol's size so that points and outlines at the edge are kept.
  core::Extent visible = view.visibleExtent();
  const double margin = (kPointRadius + 2.0) * view.resolution();
  visible = core::Extent::fromCorners(visible.xMin - margin, visible.yMin - margin, visible.xMax + margin, visible.yMax + margin);

  // Why these pens and hints: with the raster paint engine, one-pixel cosmetic antialiased
  // polylines take a fast path (~2 ms for Olinda's 470 tracts) while wider pens or stroking a
  // QPainterPath go through the general stroker (~25–50 ms), too slow to repaint while dragging.
  // Fills are drawn without antialiasing (the antialiased outline covers their edges): 2 ms
  // instead of 11.
  QPen outline(color(), 1.0);
  outline.setCosmetic(true);
  QPen pointPen(color().darker(160), 1.0);
  pointPen.setCosmetic(true);

  painter.save();
  int drawn = 0;
  std::vector<QPolygonF> rings;
  for (std::size_t i = 0; i < m_mapGeometries.size(); ++i) {
    const core::Geometry& g = m_mapGeometries[i];
    if (g.parts.empty() || !m_mapExtents[i].intersects(visible)) continue;
    ++drawn;
    if (g.isPuntal()) {
      painter.setRenderHint(QPainter::Antialiasing, true);
      painter.setPen(pointPen);
      painter.setBrush(color());
      for (const auto& part : g.parts)
        for (const auto& ring : part)
          for (const auto& p : ring) painter.drawEllipse(view.toPixel(p), kPointRadius, kPointRadius);
      continue;
    }
    const bool polygonal = g.isPolygonal();
    rings.clear();
    for (const auto& part : g.parts)
      for (const auto& ring : part) rings.push_back(ringToScreen(ring, view, polygonal));
    if (polygonal) {
      QPainterPath path;
      path.setFillRule(Qt::OddEvenFill);  // holes stay holes whatever their winding
      for (const auto& ring : rings) path.addPolygon(ring);
      painter.setRenderHint(QPainter::Antialiasing, false);
      painter.fillPath(path, m_fill);
    }
    painter.setRenderHint(QPainter::Antialiasing, true);
    painter.setPen(outline);
    painter.setBrush(Qt::NoBrush);
    for (const auto& ring : rings) painter.drawPolyline(ring);
  }
  painter.restore();
  return drawn;
}

}  // namespace netspatial::ui
