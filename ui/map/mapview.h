#pragma once

#include "core/geo/geometry.h"

#include <QPointF>
#include <QRectF>
#include <QSizeF>

#include <algorithm>

namespace netspatial::ui {

//! The view transform between the map CRS and widget pixels: a centre in map units, a resolution
//! in map units per logical pixel, and the widget's logical size. North is up, so map y grows
//! upwards while pixel y grows downwards.
//!
//! A plain value so that the canvas, the renderers and the tests can all reason about the same
//! arithmetic, and so that a render job can carry the exact view it was made for.
class MapView {
 public:
  MapView() = default;
  MapView(core::PointXY centre, double resolution, QSizeF size) : m_centre(centre), m_resolution(resolution), m_size(size) {}

  core::PointXY centre() const { return m_centre; }
  double resolution() const { return m_resolution; }
  QSizeF size() const { return m_size; }
  bool isValid() const { return m_resolution > 0.0 && m_size.width() > 0.0 && m_size.height() > 0.0; }

  void setCentre(core::PointXY centre) { m_centre = centre; }
  void setResolution(double resolution) { m_resolution = resolution; }
  void setSize(QSizeF size) { m_size = size; }

  //! Map coordinate of a widget position (logical pixels, origin top-left).
  core::PointXY toMap(QPointF pixel) const {
    return {m_centre.x + (pixel.x() - m_size.width() / 2.0) * m_resolution,
            m_centre.y - (pixel.y() - m_size.height() / 2.0) * m_resolution};
  }
  //! Widget position of a map coordinate.
  QPointF toPixel(core::PointXY map) const {
    return {(map.x - m_centre.x) / m_resolution + m_size.width() / 2.0, m_size.height() / 2.0 - (map.y - m_centre.y) / m_resolution};
  }
  //! Widget rectangle covered by a map extent (top-left = (xMin, yMax)).
  QRectF toPixelRect(const core::Extent& extent) const {
    const QPointF topLeft = toPixel({extent.xMin, extent.yMax});
    const QPointF bottomRight = toPixel({extent.xMax, extent.yMin});
    return QRectF(topLeft, bottomRight);
  }
  //! The map extent the widget shows.
  core::Extent visibleExtent() const {
    return core::Extent::aroundCentre(m_centre, m_size.width() * m_resolution, m_size.height() * m_resolution);
  }

  //! Multiplies the resolution by `factor` (< 1 zooms in) keeping the map point under `pixel` fixed,
  //! which is what makes wheel zoom feel anchored to the cursor.
  void zoomAround(QPointF pixel, double factor) {
    const core::PointXY anchor = toMap(pixel);
    m_resolution *= factor;
    m_centre = {anchor.x - (pixel.x() - m_size.width() / 2.0) * m_resolution,
                anchor.y + (pixel.y() - m_size.height() / 2.0) * m_resolution};
  }
  //! Moves the content by `delta` pixels (as a drag does): the map follows the mouse.
  void panByPixels(QPointF delta) { m_centre = {m_centre.x - delta.x() * m_resolution, m_centre.y + delta.y() * m_resolution}; }
  //! Centres on `extent` with the resolution that shows all of it, leaving `marginFraction` of
  //! the widget free on each side. Leaves the view unchanged for an empty extent or size.
  void fitExtent(const core::Extent& extent, double marginFraction = 0.02) {
    if (extent.isEmpty() || m_size.isEmpty()) return;
    const double usableW = m_size.width() * (1.0 - 2.0 * marginFraction);
    const double usableH = m_size.height() * (1.0 - 2.0 * marginFraction);
    double res = std::max(extent.width() / usableW, extent.height() / usableH);
    // A single point (or a degenerate line) has no size to fit: show it at a sensible scale.
    if (!(res > 0.0)) res = m_resolution > 0.0 ? m_resolution : 1.0;
    m_centre = extent.centre();
    m_resolution = res;
  }

  friend bool operator==(const MapView&, const MapView&) = default;

 private:
  core::PointXY m_centre;
  double m_resolution = 1.0;
  QSizeF m_size;
};

}  // namespace netspatial::ui
