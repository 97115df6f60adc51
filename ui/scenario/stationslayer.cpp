#include "ui/scenario/stationslayer.h"

#include "ui/map/screengeometry.h"

#include <QPainter>

#include <algorithm>

#include <cmath>

namespace netspatial::ui {

namespace {

constexpr double kMacroSize = 9.0;  // half-height of the triangle, logical pixels
constexpr double kMicroRadius = 4.0;
constexpr long kMaxLabels = 400;  // above this many stations in view, none is labelled (they would overlap)

core::Extent extentOf(const std::vector<core::BaseStation>& stations) {
  core::Extent e;
  for (const auto& s : stations) e.include(s.position);
  return e;
}

QPolygonF triangle(QPointF c, double r) {
  return QPolygonF({QPointF(c.x(), c.y() - r), QPointF(c.x() + r * 0.9, c.y() + r * 0.7), QPointF(c.x() - r * 0.9, c.y() + r * 0.7)});
}

}  // namespace

QColor StationsLayer::colorFor(core::StationType type) {
  return type == core::StationType::Macro ? QColor(220, 20, 60) : QColor(30, 110, 255);
}

StationsLayer::StationsLayer(const std::vector<core::BaseStation>& stations, const core::Crs& crs, QString file)
    : ScenarioLayer(QStringLiteral("Base stations"), std::move(file), crs, extentOf(stations)) {
  m_stations.reserve(stations.size());
  for (const auto& s : stations) {
    m_stations.push_back({s.type, s.name.isEmpty() ? s.id : s.name, s.position});
    (s.type == core::StationType::Macro ? m_macro : m_micro) += 1;
  }
  setColor(colorFor(core::StationType::Macro));
}

QString StationsLayer::description() const {
  return QStringLiteral("%1 macro and %2 micro base station(s), %3").arg(m_macro).arg(m_micro).arg(m_crs.label());
}

std::vector<LegendEntry> StationsLayer::legend() const {
  std::vector<LegendEntry> entries;
  if (m_macro > 0)
    entries.push_back(
        {QStringLiteral("Macro (%1)").arg(m_macro), colorFor(core::StationType::Macro), LegendEntry::Symbol::Triangle, false, true});
  if (m_micro > 0)
    entries.push_back(
        {QStringLiteral("Micro (%1)").arg(m_micro), colorFor(core::StationType::Micro), LegendEntry::Symbol::Circle, false, true});
  return entries;
}

void StationsLayer::paint(QPainter& painter, const MapView& view) const {
  if (!view.isValid()) return;
  const core::Extent visible = cullExtent(view, kMacroSize + 2.0);
  const bool labels = view.resolution() <= kLabelResolution;
  // Smaller symbols when a whole city is in view, where full-size ones would cover the map.
  const double scale = view.resolution() > 8.0 ? 0.7 : 1.0;
  painter.save();
  // Symbols are stamped from sprites drawn once per paint: antialiased outlined polygons go
  // through QPainter's general stroker (~20 µs each), a sprite blit costs a fraction of that.
  const qreal dpr = painter.device() ? painter.device()->devicePixelRatioF() : 1.0;
  // Micro first, so the fewer, more important macro sites are never hidden under them.
  for (const auto type : {core::StationType::Micro, core::StationType::Macro}) {
    const double r = (type == core::StationType::Macro ? kMacroSize : kMicroRadius) * scale;
    const int side = int(std::ceil((2.0 * r + 3.0) * dpr));
    QImage sprite(side, side, QImage::Format_ARGB32_Premultiplied);
    sprite.fill(Qt::transparent);
    sprite.setDevicePixelRatio(dpr);
    {
      QPainter p(&sprite);
      p.setRenderHint(QPainter::Antialiasing, true);
      p.setPen(QPen(Qt::white, 1.5));
      p.setBrush(colorFor(type));
      const QPointF c(side / dpr / 2.0, side / dpr / 2.0);
      if (type == core::StationType::Macro) {
        p.drawPolygon(triangle(c, r));
      } else {
        p.drawEllipse(c, r, r);
      }
    }
    const double half = side / dpr / 2.0;
    for (const Item& s : m_stations) {
      if (s.type != type || !visible.contains(s.position)) continue;
      const QPointF p = view.toPixel(s.position);
      painter.drawImage(QPointF(p.x() - half, p.y() - half), sprite);
    }
  }
  // Labels only where they can be read: a dense real network (Milan: 9,291 OpenCellID sites) puts
  // thousands in view, whose overlapping text nobody reads and whose five drawText calls each
  // (text and halo) hold the event loop.
  const auto inView = std::count_if(m_stations.begin(), m_stations.end(), [&](const Item& s) { return visible.contains(s.position); });
  if (labels && inView <= kMaxLabels) {
    QFont font = painter.font();
    font.setPointSizeF(8.0);
    painter.setFont(font);
    for (const Item& s : m_stations) {
      if (!visible.contains(s.position)) continue;
      const QPointF p = view.toPixel(s.position) + QPointF(kMacroSize + 2.0, 4.0);
      // A light halo keeps the dark text readable on imagery.
      painter.setPen(QColor(255, 255, 255, 220));
      for (const QPointF d : {QPointF(-1, 0), QPointF(1, 0), QPointF(0, -1), QPointF(0, 1)}) painter.drawText(p + d, s.label);
      painter.setPen(QColor(20, 20, 20));
      painter.drawText(p, s.label);
    }
  }
  painter.restore();
}

}  // namespace netspatial::ui
