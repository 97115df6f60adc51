#include "core/sim/population.h"

#include "core/sim/rng.h"

#include <cmath>

namespace netspatial::core::sim {

bool DemandGrid::cellOf(PointXY p, int& c, int& r) const {
  c = int(std::floor((p.x - extent.xMin) / cell));
  r = int(std::floor((extent.yMax - p.y) / cell));
  return c >= 0 && r >= 0 && c < width && r < height;
}

double residentsPerHectare(ZoneClass c) {
  // Typical European net residential densities; offices and shops house few people.
  switch (c) {
    case ZoneClass::Cbd:
      return 40;
    case ZoneClass::Commercial:
      return 60;
    case ZoneClass::ResidentialHigh:
      return 260;
    case ZoneClass::ResidentialLow:
      return 55;
    case ZoneClass::University:
      return 45;  // dormitories
    case ZoneClass::Industrial:
      return 3;
    case ZoneClass::TransportHub:
      return 5;
    case ZoneClass::Park:
      return 0;
    case ZoneClass::Water:
      return 0;
    case ZoneClass::Mixed:
      return 160;
  }
  return 0;
}

DemandGrid buildDemandGrid(const CityLayout& layout, const SimParams& params, std::uint64_t seed) {
  DemandGrid g;
  g.extent = layout.extent();
  g.cell = params.popCell;
  g.width = int(std::ceil(g.extent.width() / g.cell));
  g.height = int(std::ceil(g.extent.height() / g.cell));
  const std::size_t n = std::size_t(g.width) * std::size_t(g.height);
  g.population.assign(n, 0.0f);
  g.poiActivity.assign(n, 0.0f);
  g.classArea.assign(n, {});
  constexpr int kSub = 5;
  const double subArea = g.cell * g.cell / (kSub * kSub);
  const auto& parcels = layout.parcels();
  for (int r = 0; r < g.height; ++r) {
    for (int c = 0; c < g.width; ++c) {
      double people = 0.0;
      auto& areas = g.classArea[g.index(c, r)];
      for (int a = 0; a < kSub; ++a) {
        for (int b = 0; b < kSub; ++b) {
          const PointXY p{g.extent.xMin + (c + (a + 0.5) / kSub) * g.cell, g.extent.yMax - (r + (b + 0.5) / kSub) * g.cell};
          const LandCover lc = layout.coverAt(p);
          if (lc.kind == LandCover::Water) {
            areas[int(ZoneClass::Water)] += float(subArea);
          } else if (lc.kind == LandCover::ParcelKind) {
            const Parcel& pc = parcels[std::size_t(lc.parcel)];
            areas[int(pc.zoneClass)] += float(subArea);
            people += residentsPerHectare(pc.zoneClass) * pc.density * subArea / 10000.0;
          }
        }
      }
      // Small per-cell variation: no two blocks hold exactly the predicted number of people.
      Rng rng(seed, 301, g.index(c, r));
      g.population[g.index(c, r)] = float(std::round(people * rng.uniform(0.85, 1.15)));
    }
  }
  return g;
}

ValueRaster populationRaster(const DemandGrid& grid) {
  ValueRaster v;
  v.width = grid.width;
  v.height = grid.height;
  v.geoTransform = {grid.extent.xMin, grid.cell, 0.0, grid.extent.yMax, 0.0, -grid.cell};
  v.values = grid.population;
  return v;
}

}  // namespace netspatial::core::sim
