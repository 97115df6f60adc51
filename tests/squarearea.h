#pragma once

// A square polygon around a point: the area of interest most tests draw.

#include "core/geo/geometry.h"

namespace netspatial::tests {

inline core::Geometry square(core::PointXY centre, double half) {
  core::Geometry g;
  g.type = core::GeometryType::Polygon;
  const double x0 = centre.x - half, x1 = centre.x + half, y0 = centre.y - half, y1 = centre.y + half;
  g.parts = {{{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}}};
  return g;
}

}  // namespace netspatial::tests
