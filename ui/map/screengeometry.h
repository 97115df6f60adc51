#pragma once

#include "core/geo/geometry.h"
#include "ui/map/mapview.h"

#include <QPainterPath>
#include <QPolygonF>

#include <cmath>

namespace netspatial::ui {

//! Screen polygon of a ring, dropping vertices closer than half a pixel to the previous one:
//! at city scale most parcel vertices collapse, which keeps zoomed-out repaints cheap. Polygon
//! rings are closed (`close`); lines are left open.
inline QPolygonF ringToScreen(const core::Geometry::Ring& ring, const MapView& view, bool close = true) {
  QPolygonF polygon;
  if (ring.empty()) return polygon;
  polygon.reserve(qsizetype(ring.size()) + 1);
  QPointF last = view.toPixel(ring.front());
  polygon << last;
  for (std::size_t i = 1; i < ring.size(); ++i) {
    const QPointF p = view.toPixel(ring[i]);
    if (i + 1 != ring.size() && std::abs(p.x() - last.x()) < 0.5 && std::abs(p.y() - last.y()) < 0.5) continue;
    polygon << p;
    last = p;
  }
  if (close && polygon.size() > 1 && polygon.front() != polygon.back()) polygon << polygon.front();
  return polygon;
}

//! A polygonal geometry as one odd-even path (holes stay holes whatever their winding).
inline QPainterPath polygonToScreenPath(const core::Geometry& g, const MapView& view) {
  QPainterPath path;
  path.setFillRule(Qt::OddEvenFill);
  for (const auto& part : g.parts)
    for (const auto& ring : part) path.addPolygon(ringToScreen(ring, view));
  return path;
}

//! The view's extent grown by `pixels` on each side, for culling symbols that overhang the edge.
inline core::Extent cullExtent(const MapView& view, double pixels) {
  const core::Extent v = view.visibleExtent();
  const double m = pixels * view.resolution();
  return core::Extent::fromCorners(v.xMin - m, v.yMin - m, v.xMax + m, v.yMax + m);
}

}  // namespace netspatial::ui
