#include "core/planning/candidategrid.h"

#include "core/context/sitecontext.h"

#include <map>

#include <algorithm>
#include <cmath>

namespace netspatial::core {

QString candidateSiteId(qint64 id) { return QStringLiteral("C%1").arg(id); }
QString candidateSiteId(const Candidate& candidate) { return candidateSiteId(candidate.id); }

PointXY candidateCentre(const Candidate& candidate) { return candidate.cell.extent().centre(); }

const Candidate* findCandidate(const Scenario& scenario, const QString& siteId) {
  if (!siteId.startsWith(QLatin1Char('C'))) return nullptr;
  bool ok = false;
  const qint64 id = siteId.mid(1).toLongLong(&ok);
  if (!ok) return nullptr;
  for (const Candidate& c : scenario.candidates)
    if (c.id == id) return &c;
  return nullptr;
}

namespace {

Geometry squareCell(double x0, double y0, double size) {
  Geometry g;
  g.type = GeometryType::Polygon;
  g.parts = {{{{x0, y0}, {x0 + size, y0}, {x0 + size, y0 + size}, {x0, y0 + size}, {x0, y0}}}};
  return g;
}

// Stations bucketed on a coarse grid so each cell checks only its neighbourhood.
class StationIndex {
 public:
  StationIndex(const std::vector<BaseStation>& stations, double radius) : m_stations(stations), m_bucket(std::max(radius, 1.0)) {
    for (std::size_t i = 0; i < stations.size(); ++i) m_cells[key(stations[i].position)].push_back(i);
  }
  //! The nearest station within the radius, or nullptr.
  const BaseStation* nearestWithin(PointXY p, double radius, double* distance) const {
    const BaseStation* best = nullptr;
    double bestD = radius;
    const qint64 cx = qint64(std::floor(p.x / m_bucket)), cy = qint64(std::floor(p.y / m_bucket));
    for (qint64 dx = -1; dx <= 1; ++dx)
      for (qint64 dy = -1; dy <= 1; ++dy) {
        auto it = m_cells.find({cx + dx, cy + dy});
        if (it == m_cells.end()) continue;
        for (std::size_t i : it->second) {
          const double d = std::hypot(m_stations[i].position.x - p.x, m_stations[i].position.y - p.y);
          if (d < bestD) {
            bestD = d;
            best = &m_stations[i];
          }
        }
      }
    *distance = bestD;
    return best;
  }

 private:
  std::pair<qint64, qint64> key(PointXY p) const { return {qint64(std::floor(p.x / m_bucket)), qint64(std::floor(p.y / m_bucket))}; }
  const std::vector<BaseStation>& m_stations;
  double m_bucket;
  std::map<std::pair<qint64, qint64>, std::vector<std::size_t>> m_cells;
};

}  // namespace

Result<std::vector<Candidate>> buildCandidateGrid(const Scenario& scenario, const Geometry& aoi, const CandidateGridOptions& o,
                                                  Feedback* feedback) {
  if (!(o.cellSize > 0.0) || !std::isfinite(o.cellSize))
    return Error(ErrorCode::InvalidArgument, QStringLiteral("the cell size must be a positive number of metres, not %1").arg(o.cellSize));
  if (!(o.minStationDistance >= 0.0) || !std::isfinite(o.minStationDistance))
    return Error(ErrorCode::InvalidArgument,
                 QStringLiteral("the minimum distance to stations must be ≥ 0 m, not %1").arg(o.minStationDistance));
  if (aoi.isEmpty() || !aoi.isPolygonal())
    return Error(ErrorCode::InvalidGeometry, QStringLiteral("the area of interest must be a polygon; draw or import one first"));
  if (!(aoi.area() > 0.0)) return Error(ErrorCode::InvalidGeometry, QStringLiteral("the area of interest has no area"));
  for (std::size_t i = 0; i < o.exclusions.size(); ++i)
    if (!o.exclusions[i].isPolygonal())
      return Error(ErrorCode::InvalidGeometry, QStringLiteral("exclusion %1 is not a polygon").arg(i + 1));

  const Extent e = aoi.extent();
  const double x0 = std::floor(e.xMin / o.cellSize) * o.cellSize, y1 = std::ceil(e.yMax / o.cellSize) * o.cellSize;
  const qint64 cols = std::max<qint64>(1, qint64(std::ceil((e.xMax - x0) / o.cellSize - 1e-9)));
  const qint64 rows = std::max<qint64>(1, qint64(std::ceil((y1 - e.yMin) / o.cellSize - 1e-9)));
  if (cols * rows > o.maxCells)
    return Error(ErrorCode::InvalidArgument,
                 QStringLiteral("%1 × %2 = %3 cells of %4 m exceed the limit of %5; use larger cells or a smaller area")
                     .arg(cols)
                     .arg(rows)
                     .arg(cols * rows)
                     .arg(o.cellSize)
                     .arg(o.maxCells));

  const StationIndex stations(scenario.stations, o.minStationDistance);
  std::vector<Candidate> out;
  out.reserve(std::size_t(cols * rows));
  for (qint64 r = 0; r < rows; ++r) {
    if (feedback) {
      if (feedback->isCancelled()) return Error(ErrorCode::Cancelled, QStringLiteral("candidate grid cancelled"));
      feedback->setProgress(double(r) / double(rows));
    }
    for (qint64 c = 0; c < cols; ++c) {
      Candidate cand;
      cand.id = r * cols + c + 1;
      const double cx0 = x0 + double(c) * o.cellSize, cy0 = y1 - double(r + 1) * o.cellSize;
      cand.cell = squareCell(cx0, cy0, o.cellSize);
      const PointXY centre{cx0 + o.cellSize / 2.0, cy0 + o.cellSize / 2.0};
      auto infeasible = [&cand](QString reason) {
        cand.feasible = false;
        cand.reason = std::move(reason);
      };
      if (!polygonContains(aoi, centre)) {
        infeasible(QStringLiteral("outside the AOI"));
      } else {
        for (const Zone& z : scenario.zones) {
          if (std::find(o.excludedZoneClasses.begin(), o.excludedZoneClasses.end(), z.zoneClass) == o.excludedZoneClasses.end()) continue;
          if (!z.polygon.extent().contains(centre) || !polygonContains(z.polygon, centre)) continue;
          infeasible(z.name.isEmpty() ? zoneClassLabel(z.zoneClass).toLower()
                                      : QStringLiteral("%1 (%2)").arg(zoneClassLabel(z.zoneClass).toLower(), z.name));
          break;
        }
      }
      if (cand.feasible) {
        double d = 0.0;
        if (const BaseStation* s = stations.nearestWithin(centre, o.minStationDistance, &d))
          infeasible(QStringLiteral("within %1 m of station %2 (%3 m)").arg(o.minStationDistance, 0, 'f', 0).arg(s->id).arg(d, 0, 'f', 0));
      }
      if (cand.feasible)
        for (std::size_t i = 0; i < o.exclusions.size(); ++i)
          if (polygonContains(o.exclusions[i], centre)) {
            infeasible(QStringLiteral("inside exclusion area %1").arg(i + 1));
            break;
          }
      out.push_back(std::move(cand));
    }
  }
  if (feedback) feedback->setProgress(1.0);
  return out;
}

}  // namespace netspatial::core
