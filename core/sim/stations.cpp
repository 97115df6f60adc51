#include "core/sim/stations.h"

#include "core/sim/rng.h"

#include <algorithm>
#include <cmath>

namespace netspatial::core::sim {

namespace {
constexpr double kMinSpacing = 150.0;  // no two sites closer than this (DESIGN.md §8 uses the same)
constexpr double kPoiResidentEquivalent = 25.0;
}  // namespace

double cellDemand(const DemandGrid& grid, std::size_t index) {
  return double(grid.population[index]) + kPoiResidentEquivalent * double(grid.poiActivity[index]);
}

std::vector<BaseStation> placeStations(const CityLayout& layout, const SimParams& params, std::uint64_t seed, const DemandGrid& grid) {
  std::vector<BaseStation> out;
  const Extent& e = layout.extent();
  Rng rng(seed, 501);
  auto farEnough = [&](PointXY p) {
    for (const BaseStation& s : out)
      if (std::hypot(s.position.x - p.x, s.position.y - p.y) < kMinSpacing) return false;
    return true;
  };
  // Macro layer: a hexagonal grid (rows offset by half a spacing), jittered, on land only; cells
  // with almost no demand (empty fields) get none.
  const double s = params.macroSpacing;
  const double rowStep = s * 0.8660254037844386;
  const double ox = rng.uniform(0.0, s), oy = rng.uniform(0.0, rowStep);
  int row = 0;
  for (double y = e.yMin + oy * 0.5; y < e.yMax; y += rowStep, ++row) {
    for (double x = e.xMin + ox * 0.5 + (row % 2 ? s * 0.5 : 0.0); x < e.xMax; x += s) {
      PointXY p{x + rng.uniform(-0.15, 0.15) * s, y + rng.uniform(-0.15, 0.15) * s};
      p.x = std::clamp(p.x, e.xMin + 1.0, e.xMax - 1.0);
      p.y = std::clamp(p.y, e.yMin + 1.0, e.yMax - 1.0);
      // Off the water: nudge towards the bank a few times, else drop the site.
      for (int t = 0; t < 8 && layout.inWater(p); ++t)
        p = {std::clamp(p.x + rng.uniform(-0.3, 0.3) * s, e.xMin + 1.0, e.xMax - 1.0),
             std::clamp(p.y + rng.uniform(-0.3, 0.3) * s, e.yMin + 1.0, e.yMax - 1.0)};
      if (layout.inWater(p) || !farEnough(p)) continue;
      BaseStation st;
      st.type = StationType::Macro;
      st.position = p;
      out.push_back(st);
    }
  }
  // Micro layer: cells drawn with probability ∝ demand², so they crowd where demand is high.
  const double areaKm2 = e.width() * e.height() / 1e6;
  const int microCount = int(std::round(params.microPerKm2 * areaKm2));
  std::vector<double> weights(grid.population.size());
  double total = 0.0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    const double d = cellDemand(grid, i);
    weights[i] = d * d;
    total += weights[i];
  }
  // Cumulative table for fast draws.
  std::vector<double> cumulative(weights.size());
  double acc = 0.0;
  for (std::size_t i = 0; i < weights.size(); ++i) cumulative[i] = (acc += weights[i]);
  int placed = 0;
  for (int attempt = 0; placed < microCount && attempt < microCount * 30 && total > 0.0; ++attempt) {
    const double r = rng.uniform() * total;
    const std::size_t idx = std::size_t(std::upper_bound(cumulative.begin(), cumulative.end(), r) - cumulative.begin());
    if (idx >= weights.size()) continue;
    const int c = int(idx % std::size_t(grid.width)), rr = int(idx / std::size_t(grid.width));
    const PointXY centre = grid.cellCentre(c, rr);
    PointXY p{centre.x + rng.uniform(-0.5, 0.5) * grid.cell, centre.y + rng.uniform(-0.5, 0.5) * grid.cell};
    if (!e.contains(p) || layout.inWater(p) || !farEnough(p)) continue;
    BaseStation st;
    st.type = StationType::Micro;
    st.position = p;
    out.push_back(st);
    ++placed;
  }
  for (std::size_t i = 0; i < out.size(); ++i) {
    out[i].id = QStringLiteral("S%1").arg(int(i) + 1, 4, 10, QLatin1Char('0'));
    out[i].name =
        QStringLiteral("%1 %2").arg(out[i].type == StationType::Macro ? QStringLiteral("Macro") : QStringLiteral("Micro"), out[i].id);
  }
  return out;
}

}  // namespace netspatial::core::sim
