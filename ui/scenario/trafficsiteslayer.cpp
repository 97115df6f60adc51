#include "ui/scenario/trafficsiteslayer.h"

#include "ui/map/screengeometry.h"
#include "ui/scenario/populationlayer.h"

#include <QPainter>

#include <cmath>

namespace netspatial::ui {

namespace {

core::Extent extentOf(const std::vector<core::TrafficSite>& sites) {
  core::Extent e;
  for (const auto& s : sites) {
    e.include(s.position);
    e.include(s.footprint.extent());
  }
  return e;
}

}  // namespace

TrafficSitesLayer::TrafficSitesLayer(const std::vector<core::TrafficSite>& sites, const core::HourlyTraffic& traffic, QString unit,
                                     const core::Crs& crs, QString file)
    : ScenarioLayer(QStringLiteral("Traffic sites"), std::move(file), crs, extentOf(sites)), m_unit(std::move(unit)) {
  setColor(QColor(20, 20, 20));
  for (const auto& s : sites) {
    Site site{s.footprint, s.position, std::nan("")};
    const auto it = traffic.valuesBySite.find(s.id);
    if (it != traffic.valuesBySite.end()) {
      double sum = 0.0;
      int n = 0;
      for (float v : it->second)
        if (std::isfinite(v)) {
          sum += v;
          ++n;
        }
      if (n > 0) site.mean = sum / n;
    }
    if (std::isfinite(site.mean)) m_maximum = std::max(m_maximum, site.mean);
    m_sites.push_back(std::move(site));
  }
}

QString TrafficSitesLayer::description() const {
  return QStringLiteral("%1 traffic sites, fill = mean observed traffic (max %2 %3), %4")
      .arg(m_sites.size())
      .arg(m_maximum, 0, 'f', 1)
      .arg(m_unit, m_crs.label());
}

std::vector<LegendEntry> TrafficSitesLayer::legend() const {
  std::vector<LegendEntry> entries;
  for (double f : {0.25, 0.5, 0.75, 1.0}) {
    LegendEntry e;
    e.symbol = LegendEntry::Symbol::Ramp;
    QColor c = PopulationLayer::rampColor(f);
    c.setAlpha(255);
    e.color = c;
    e.label = QStringLiteral("%1 %2 mean").arg(QString::number(f * m_maximum, 'f', m_maximum * f >= 10.0 ? 0 : 1), m_unit);
    entries.push_back(e);
  }
  entries.push_back({QStringLiteral("no traffic"), QColor(150, 150, 150), LegendEntry::Symbol::Fill, false, true});
  return entries;
}

void TrafficSitesLayer::paint(QPainter& painter, const MapView& view) const {
  if (!view.isValid() || !m_extent.intersects(cullExtent(view, 4.0))) return;
  painter.save();
  painter.setRenderHint(QPainter::Antialiasing, false);  // grid cells tile: no seams from AA
  QPen outline(QColor(40, 40, 40, 140), 1.0);
  outline.setCosmetic(true);
  painter.setPen(outline);
  const core::Extent visible = cullExtent(view, 1.0);
  for (const Site& s : m_sites) {
    const QColor fill =
        std::isfinite(s.mean) ? PopulationLayer::rampColor(0.15 + 0.85 * s.mean / std::max(m_maximum, 1e-12)) : QColor(150, 150, 150, 120);
    painter.setBrush(fill);
    if (s.footprint.isPolygonal()) {
      if (!s.footprint.extent().intersects(visible)) continue;
      painter.drawPath(polygonToScreenPath(s.footprint, view));
    } else {
      if (!visible.contains(s.position)) continue;
      const QPointF p = view.toPixel(s.position);
      painter.drawRect(QRectF(p.x() - 4, p.y() - 4, 8, 8));
    }
  }
  painter.restore();
}

}  // namespace netspatial::ui
