#include "core/context/sitecontext.h"

#include "core/geo/rasterdataset.h"

#include <QCoreApplication>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <unordered_map>

namespace netspatial::core {

namespace {

//! Points bucketed in square cells, so each site looks at a few cells instead of every POI.
class PointIndex {
 public:
  explicit PointIndex(double cellSize) : m_cell(cellSize) {}
  void add(PointXY p, std::size_t item) { m_buckets[key(cellOf(p.x), cellOf(p.y))].push_back({p, item}); }
  //! Items within `radius` of `p` (inclusive), with their distances.
  template <typename Fn>
  void forEachWithin(PointXY p, double radius, Fn&& fn) const {
    const long long c0 = cellOf(p.x - radius), c1 = cellOf(p.x + radius);
    const long long r0 = cellOf(p.y - radius), r1 = cellOf(p.y + radius);
    for (long long c = c0; c <= c1; ++c)
      for (long long r = r0; r <= r1; ++r) {
        const auto it = m_buckets.find(key(c, r));
        if (it == m_buckets.end()) continue;
        for (const auto& [q, item] : it->second) {
          const double d = std::hypot(q.x - p.x, q.y - p.y);
          if (d <= radius) fn(item, q, d);
        }
      }
  }

 private:
  long long cellOf(double v) const { return static_cast<long long>(std::floor(v / m_cell)); }
  static long long key(long long c, long long r) { return c * 2000003LL + r; }
  double m_cell;
  std::unordered_map<long long, std::vector<std::pair<PointXY, std::size_t>>> m_buckets;
};

bool ringContains(const Geometry::Ring& ring, PointXY p) {
  bool inside = false;
  const std::size_t n = ring.size();
  for (std::size_t i = 0, j = n - 1; i < n; j = i++) {
    const PointXY& a = ring[i];
    const PointXY& b = ring[j];
    if ((a.y > p.y) != (b.y > p.y) && p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x) inside = !inside;
  }
  return inside;
}

double bearingOf(PointXY from, PointXY to) {
  double b = std::atan2(to.x - from.x, to.y - from.y);
  if (b < 0.0) b += 2.0 * std::numbers::pi;
  return b;
}

class ContextExtractor {
 public:
  ContextExtractor(const Scenario& s, const ContextOptions& o)
      : m_s(s), m_o(o), m_pois(std::max(o.poiRadius, 50.0)), m_stations(std::max(o.stationRadius, 50.0)) {
    for (std::size_t i = 0; i < s.pois.size(); ++i) m_pois.add(s.pois[i].position, i);
    for (std::size_t i = 0; i < s.stations.size(); ++i) m_stations.add(s.stations[i].position, i);
    m_zoneExtents.reserve(s.zones.size());
    for (const Zone& z : s.zones) m_zoneExtents.push_back(z.polygon.extent());
  }

  Result<SiteContext> extract(const QString& siteId, PointXY p) {
    SiteContext c;
    c.siteId = siteId;
    c.position = p;
    c.crs = m_s.metadata.crs.authId().isEmpty() ? m_s.metadata.crs.definition() : m_s.metadata.crs.authId();
    if (Status st = readPatch(p, c); !st) return st.error();
    c.poisKnown = !m_s.pois.empty();
    m_pois.forEachWithin(p, m_o.poiRadius, [&](std::size_t i, PointXY q, double d) {
      c.pois.push_back({m_s.pois[i].category, m_s.pois[i].name, d, bearingOf(p, q)});
    });
    std::sort(c.pois.begin(), c.pois.end(), [](const NearbyPoi& a, const NearbyPoi& b) { return a.distance < b.distance; });
    if (Status st = readPopulation(p, c); !st) return st.error();
    for (std::size_t i = 0; i < m_s.zones.size(); ++i) {
      if (!m_zoneExtents[i].contains(p) || !polygonContains(m_s.zones[i].polygon, p)) continue;
      c.zoneClass = m_s.zones[i].zoneClass;
      c.zoneKey = QStringLiteral("%1/%2").arg(m_s.metadata.name).arg(m_s.zones[i].id);
      break;
    }
    m_stations.forEachWithin(p, m_o.stationRadius, [&](std::size_t i, PointXY, double) {
      if (m_s.stations[i].id != siteId) ++c.stationsNearby;
    });
    return c;
  }

 private:
  // The patch is either wholly inside the imagery or missing: a half-filled patch would show the
  // model an edge that is not on the ground.
  Status readPatch(PointXY p, SiteContext& c) {
    const int n = m_o.patchPixels;
    const double half = m_o.patchGroundSize / 2.0;
    const double step = m_o.patchGroundSize / n;
    if (!m_s.imagery.externalPath.isEmpty()) return readExternalPatch(p, c);
    const ImageRaster& img = m_s.imagery.grid;
    if (img.isEmpty()) return {};
    const GeoTransform& gt = img.geoTransform;
    if (gt[2] != 0.0 || gt[4] != 0.0) return {};  // only north-up images are held in memory
    // Each output pixel averages a 2×2 set of samples: the source (~4 m) is finer than the patch (8 m).
    std::vector<std::uint8_t> out(std::size_t(3) * n * n);
    const double offsets[2] = {-step / 4.0, step / 4.0};
    for (int row = 0; row < n; ++row) {
      for (int col = 0; col < n; ++col) {
        const double x = p.x - half + (col + 0.5) * step;
        const double y = p.y + half - (row + 0.5) * step;
        double sum[3] = {0, 0, 0};
        for (double dx : offsets)
          for (double dy : offsets) {
            const int sc = int(std::floor((x + dx - gt[0]) / gt[1]));
            const int sr = int(std::floor((y + dy - gt[3]) / gt[5]));
            if (sc < 0 || sr < 0 || sc >= img.width || sr >= img.height) return {};
            for (int b = 0; b < 3; ++b) sum[b] += img.value(b, sc, sr);
          }
        for (int b = 0; b < 3; ++b) out[(std::size_t(b) * n + row) * n + col] = std::uint8_t(std::lround(sum[b] / 4.0));
      }
    }
    c.imagePatch = std::move(out);
    c.patchPixels = n;
    return {};
  }

  Status readExternalPatch(PointXY p, SiteContext& c) {
    if (!m_imagery) {
      auto ds = RasterDataset::open(m_s.imagery.externalPath);
      if (!ds) return ds.error();
      m_imagery = std::make_unique<RasterDataset>(std::move(*ds));
    }
    if (m_imagery->info().bandCount() < 3) return {};
    const int n = m_o.patchPixels;
    const double half = m_o.patchGroundSize / 2.0;
    RasterWindowSpec spec;
    spec.crs = m_s.metadata.crs;
    spec.extent = Extent{p.x - half, p.y - half, p.x + half, p.y + half};
    spec.width = spec.height = n;
    spec.bands = {1, 2, 3};
    spec.resampling = Resampling::Average;
    auto w = m_imagery->readWindow(spec);
    if (!w || w->validFraction() < 1.0) return {};  // outside the raster: the modality is missing
    // External rasters (e.g. Landsat reflectance) are not 8-bit: stretch each band 2–98 % to bytes.
    std::vector<std::uint8_t> out(std::size_t(3) * n * n);
    for (int b = 0; b < 3; ++b) {
      std::vector<float> v(w->data.begin() + std::ptrdiff_t(b) * n * n, w->data.begin() + std::ptrdiff_t(b + 1) * n * n);
      std::vector<float> sorted = v;
      std::sort(sorted.begin(), sorted.end());
      const float lo = sorted[std::size_t(0.02 * (sorted.size() - 1))];
      const float hi = sorted[std::size_t(0.98 * (sorted.size() - 1))];
      const float span = hi > lo ? hi - lo : 1.0f;
      for (std::size_t i = 0; i < v.size(); ++i)
        out[std::size_t(b) * n * n + i] = std::uint8_t(std::clamp(std::lround((v[i] - lo) / span * 255.0f), 0L, 255L));
    }
    c.imagePatch = std::move(out);
    c.patchPixels = n;
    return {};
  }

  Status readPopulation(PointXY p, SiteContext& c) {
    const double r = m_o.populationRadius;
    if (!m_s.population.externalPath.isEmpty()) {
      if (!m_population) {
        auto ds = RasterDataset::open(m_s.population.externalPath);
        if (!ds) return ds.error();
        m_population = std::make_unique<RasterDataset>(std::move(*ds));
      }
      // Read at ~50 m and sum densities: the window is warped, so counts become people per window pixel.
      const int n = std::max(4, int(std::ceil(2.0 * r / 50.0)));
      RasterWindowSpec spec;
      spec.crs = m_s.metadata.crs;
      spec.extent = Extent{p.x - r, p.y - r, p.x + r, p.y + r};
      spec.width = spec.height = n;
      spec.bands = {1};
      spec.resampling = Resampling::Average;
      auto w = m_population->readWindow(spec);
      if (!w) return {};
      const double srcArea = m_population->info().pixelSizeX() * m_population->info().pixelSizeY();
      const double cell = 2.0 * r / n;
      double sum = 0.0;
      bool any = false;
      for (int row = 0; row < n; ++row)
        for (int col = 0; col < n; ++col) {
          const double x = p.x - r + (col + 0.5) * cell, y = p.y + r - (row + 0.5) * cell;
          if (std::hypot(x - p.x, y - p.y) > r || !w->isValid(0, col, row)) continue;
          sum += w->value(0, col, row) * cell * cell / srcArea;
          any = true;
        }
      if (any) c.population = sum;
      return {};
    }
    const ValueRaster& pop = m_s.population.grid;
    if (pop.isEmpty()) return {};
    const GeoTransform& gt = pop.geoTransform;
    if (gt[2] != 0.0 || gt[4] != 0.0) return {};
    // Cells whose centre lies within the radius count whole (100 m cells against a 500 m radius).
    const int c0 = std::max(0, int(std::floor((p.x - r - gt[0]) / gt[1])));
    const int c1 = std::min(pop.width - 1, int(std::floor((p.x + r - gt[0]) / gt[1])));
    const int r0 = std::max(0, int(std::floor((p.y + r - gt[3]) / gt[5])));
    const int r1 = std::min(pop.height - 1, int(std::floor((p.y - r - gt[3]) / gt[5])));
    double sum = 0.0;
    bool any = false;
    for (int row = r0; row <= r1; ++row)
      for (int col = c0; col <= c1; ++col) {
        const double x = gt[0] + (col + 0.5) * gt[1], y = gt[3] + (row + 0.5) * gt[5];
        if (std::hypot(x - p.x, y - p.y) > r) continue;
        const float v = pop.value(col, row);
        if (std::isnan(v)) continue;
        sum += v;
        any = true;
      }
    if (any) c.population = sum;
    return {};
  }

  const Scenario& m_s;
  ContextOptions m_o;
  PointIndex m_pois;
  PointIndex m_stations;
  std::vector<Extent> m_zoneExtents;
  std::unique_ptr<RasterDataset> m_imagery;
  std::unique_ptr<RasterDataset> m_population;
};

}  // namespace

bool polygonContains(const Geometry& polygon, PointXY p) {
  if (!polygon.isPolygonal()) return false;
  for (const Geometry::Part& part : polygon.parts) {
    if (part.empty() || !ringContains(part.front(), p)) continue;
    bool inHole = false;
    for (std::size_t h = 1; h < part.size() && !inHole; ++h) inHole = ringContains(part[h], p);
    if (!inHole) return true;
  }
  return false;
}

std::optional<PointXY> sitePosition(const Scenario& scenario, const QString& siteId) {
  for (const BaseStation& s : scenario.stations)
    if (s.id == siteId) return s.position;
  for (const TrafficSite& t : scenario.trafficSites)
    if (t.id == siteId) return t.position;
  return std::nullopt;
}

Result<std::vector<SiteContext>> extractContexts(const Scenario& scenario, const std::vector<QString>& siteIds,
                                                 const ContextOptions& options, Feedback* feedback) {
  std::unordered_map<QString, PointXY> positions;
  std::unordered_map<QString, StationType> types;
  for (const BaseStation& s : scenario.stations) {
    positions.emplace(s.id, s.position);
    types.emplace(s.id, s.type);
  }
  for (const TrafficSite& t : scenario.trafficSites) positions.emplace(t.id, t.position);
  ContextExtractor extractor(scenario, options);
  std::vector<SiteContext> out;
  out.reserve(siteIds.size());
  for (std::size_t i = 0; i < siteIds.size(); ++i) {
    if (feedback && feedback->isCancelled()) return Error(ErrorCode::Cancelled, QStringLiteral("context extraction cancelled"));
    const auto it = positions.find(siteIds[i]);
    if (it == positions.end())
      return Error(ErrorCode::InvalidArgument,
                   QStringLiteral("unknown site id '%1' (neither a base station nor a traffic site)").arg(siteIds[i]));
    auto c = extractor.extract(siteIds[i], it->second);
    if (!c) return c.error();
    if (const auto type = types.find(siteIds[i]); type != types.end()) c->stationType = type->second;
    out.push_back(std::move(*c));
    if (feedback) feedback->setProgress(double(i + 1) / double(siteIds.size()), QStringLiteral("Site contexts"));
  }
  return out;
}

Result<std::vector<SiteContext>> extractContextsAt(const Scenario& scenario, const std::vector<SitePoint>& sites,
                                                   const ContextOptions& options, Feedback* feedback) {
  ContextExtractor extractor(scenario, options);
  std::vector<SiteContext> out;
  out.reserve(sites.size());
  for (std::size_t i = 0; i < sites.size(); ++i) {
    if (feedback && feedback->isCancelled()) return Error(ErrorCode::Cancelled, QStringLiteral("context extraction cancelled"));
    auto c = extractor.extract(sites[i].siteId, sites[i].position);
    if (!c) return c.error();
    c->stationType = sites[i].stationType;
    out.push_back(std::move(*c));
    if (feedback && (i % 16 == 15 || i + 1 == sites.size()))
      feedback->setProgress(double(i + 1) / double(sites.size()), QStringLiteral("Site contexts"));
  }
  return out;
}

Result<SiteContext> extractContext(const Scenario& scenario, const QString& siteId, PointXY position, const ContextOptions& options) {
  ContextExtractor extractor(scenario, options);
  return extractor.extract(siteId, position);
}

}  // namespace netspatial::core
