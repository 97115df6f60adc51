#include "core/scenario/scenario.h"

namespace netspatial::core {

namespace {

Extent gridExtent(const GeoTransform& gt, int width, int height) {
  Extent e;
  if (width <= 0 || height <= 0) return e;
  e.include(pixelToWorld(gt, 0, 0));
  e.include(pixelToWorld(gt, width, height));
  e.include(pixelToWorld(gt, width, 0));
  e.include(pixelToWorld(gt, 0, height));
  return e;
}

}  // namespace

Extent ImageRaster::extent() const { return gridExtent(geoTransform, width, height); }
Extent ValueRaster::extent() const { return gridExtent(geoTransform, width, height); }

std::size_t HourlyTraffic::hours() const {
  std::size_t n = 0;
  for (const auto& [site, values] : valuesBySite) n = std::max(n, values.size());
  return n;
}

Extent Scenario::extent() const {
  Extent e;
  for (const auto& z : zones) e.include(z.polygon.extent());
  for (const auto& s : stations) e.include(s.position);
  for (const auto& t : trafficSites) {
    e.include(t.position);
    e.include(t.footprint.extent());
  }
  for (const auto& p : pois) e.include(p.position);
  e.include(aoi.extent());
  e.include(imagery.grid.extent());
  e.include(population.grid.extent());
  return e;
}

}  // namespace netspatial::core
