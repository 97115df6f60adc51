#include "ui/scenario/zoneslayer.h"

#include "ui/map/screengeometry.h"

#include <QPainter>

namespace netspatial::ui {

namespace {

core::Extent extentOf(const std::vector<core::Zone>& zones) {
  core::Extent e;
  for (const auto& z : zones) e.include(z.polygon.extent());
  return e;
}

}  // namespace

QColor ZonesLayer::colorFor(core::ZoneClass zoneClass) {
  using Z = core::ZoneClass;
  switch (zoneClass) {
    case Z::Cbd:
      return QColor(0xCC, 0x79, 0xA7);  // reddish purple
    case Z::Commercial:
      return QColor(0xE6, 0x9F, 0x00);  // orange
    case Z::ResidentialHigh:
      return QColor(0xD5, 0x5E, 0x00);  // vermillion
    case Z::ResidentialLow:
      return QColor(0xF0, 0xE4, 0x42);  // yellow
    case Z::University:
      return QColor(0x56, 0xB4, 0xE9);  // sky blue
    case Z::Industrial:
      return QColor(0x80, 0x80, 0x80);  // grey
    case Z::TransportHub:
      return QColor(0x6A, 0x3D, 0x9A);  // dark purple
    case Z::Park:
      return QColor(0x00, 0x9E, 0x73);  // bluish green
    case Z::Water:
      return QColor(0x00, 0x72, 0xB2);  // blue
    case Z::Mixed:
      return QColor(0xA6, 0x76, 0x1D);  // brown
  }
  return Qt::gray;
}

ZonesLayer::ZonesLayer(const std::vector<core::Zone>& zones, const core::Crs& crs, QString file)
    : ScenarioLayer(QStringLiteral("Zones"), std::move(file), crs, extentOf(zones)) {
  auto items = std::make_shared<std::vector<Item>>();
  items->reserve(zones.size());
  for (const auto& z : zones) {
    if (!z.polygon.isPolygonal() || z.polygon.isEmpty()) continue;
    items->push_back({z.zoneClass, z.polygon, z.polygon.extent()});
    ++m_counts[std::size_t(z.zoneClass)];
  }
  m_zones = std::move(items);
  setColor(QColor(60, 60, 60));
  setOpacity(0.75);
}

QString ZonesLayer::description() const { return QStringLiteral("%1 functional zone(s), %2").arg(m_zones->size()).arg(m_crs.label()); }

std::vector<LegendEntry> ZonesLayer::legend() const {
  std::vector<LegendEntry> entries;
  for (int i = 0; i < core::kZoneClassCount; ++i) {
    if (m_counts[std::size_t(i)] == 0) continue;
    const auto c = core::ZoneClass(i);
    entries.push_back({core::zoneClassLabel(c), colorFor(c), LegendEntry::Symbol::Fill, false, true});
  }
  return entries;
}

MapLayer::ImageRenderFunction ZonesLayer::imageRenderer() const {
  return [zones = m_zones](const core::Extent& extent, QSize pixels, double resolution, core::Feedback* feedback) -> core::Result<QImage> {
    if (pixels.isEmpty()) return core::Error(core::ErrorCode::InvalidArgument, QStringLiteral("empty render request"));
    QImage image(pixels, QImage::Format_ARGB32_Premultiplied);
    if (image.isNull()) return core::Error(core::ErrorCode::Internal, QStringLiteral("cannot allocate the map image"));
    image.fill(Qt::transparent);
    if (feedback && feedback->isCancelled()) return core::Error(core::ErrorCode::Cancelled, QStringLiteral("cancelled"));
    QPainter painter(&image);
    paintZones(*zones, painter, MapView(extent.centre(), resolution, QSizeF(pixels)));
    painter.end();
    return image;
  };
}

void ZonesLayer::paintZones(const std::vector<Item>& zones, QPainter& painter, const MapView& view) {
  if (!view.isValid()) return;
  const core::Extent visible = cullExtent(view, 2.0);
  painter.save();
  // Fills without antialiasing and one-pixel cosmetic outlines: the fast paths of the raster
  // engine (see VectorLayer::paint), so that a whole city of parcels repaints while dragging.
  QPen outline(QColor(40, 40, 40, 150), 1.0);
  outline.setCosmetic(true);
  for (const Item& z : zones) {
    if (!z.extent.intersects(visible)) continue;
    // A parcel smaller than a pixel cannot be seen at this zoom; skipping it keeps zoomed-out repaints cheap.
    if (z.extent.width() < view.resolution() && z.extent.height() < view.resolution()) continue;
    const QPainterPath path = polygonToScreenPath(z.polygon, view);
    QColor fill = colorFor(z.zoneClass);
    fill.setAlpha(150);
    painter.setRenderHint(QPainter::Antialiasing, false);
    painter.fillPath(path, fill);
    painter.setRenderHint(QPainter::Antialiasing, true);
    painter.setPen(outline);
    painter.setBrush(Qt::NoBrush);
    for (const auto& part : z.polygon.parts)
      for (const auto& ring : part) painter.drawPolyline(ringToScreen(ring, view));
  }
  painter.restore();
}

}  // namespace netspatial::ui
