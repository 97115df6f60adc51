#pragma once

// A square polygon around a point: the area of interest most tests draw.

#include "core/planning/aoi.h"

namespace netspatial::tests {

inline core::Geometry square(core::PointXY centre, double half) {
  return core::rectangleAoi(core::Extent::aroundCentre(centre, 2.0 * half, 2.0 * half));
}

}  // namespace netspatial::tests
