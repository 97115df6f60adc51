#include "ui/scenario/aoilayer.h"

#include "ui/map/screengeometry.h"

#include <QPainter>

namespace netspatial::ui {

AoiLayer::AoiLayer(core::Geometry aoi, const core::Crs& crs, QString file)
    : ScenarioLayer(QStringLiteral("Area of interest"), std::move(file), crs, aoi.extent()), m_aoi(std::move(aoi)) {
  setColor(QColor(0, 229, 255));
}

QString AoiLayer::description() const {
  return QStringLiteral("Area of interest, %1 km², %2").arg(m_aoi.area() / 1e6, 0, 'f', 2).arg(m_crs.label());
}

std::vector<LegendEntry> AoiLayer::legend() const {
  return {{QStringLiteral("AOI boundary"), color(), LegendEntry::Symbol::Line, false, true}};
}

void AoiLayer::paint(QPainter& painter, const MapView& view) const {
  if (!view.isValid() || m_aoi.isEmpty() || !m_extent.intersects(cullExtent(view, 4.0))) return;
  painter.save();
  painter.setRenderHint(QPainter::Antialiasing, true);
  painter.setBrush(Qt::NoBrush);
  // A dark halo under the bright line keeps it visible on light and dark imagery alike.
  QPen halo(QColor(0, 0, 0, 160), 4.0);
  halo.setCosmetic(true);
  QPen line(color(), 2.0);
  line.setCosmetic(true);
  for (const QPen& pen : {halo, line}) {
    painter.setPen(pen);
    for (const auto& part : m_aoi.parts)
      for (const auto& ring : part) painter.drawPolyline(ringToScreen(ring, view));
  }
  painter.restore();
}

}  // namespace netspatial::ui
