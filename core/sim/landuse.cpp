#include "core/sim/landuse.h"

#include "core/sim/rng.h"

#include <algorithm>
#include <cmath>

namespace netspatial::core::sim {

namespace {

constexpr double kPi = 3.141592653589793;
constexpr double kStreetWidth = 12.0;
constexpr double kArterialWidth = 26.0;

// Street positions from -reach to +reach with spacings drawn in [min, max]: the jitter that keeps
// the grid from looking machine-made. Arterials are wider, every n-th line.
void makeLines(Rng& rng, double reach, double minGap, double maxGap, int arterialEvery, std::vector<double>& lines,
               std::vector<double>& widths, std::vector<bool>& arterial) {
  double x = -reach - rng.uniform(0.0, maxGap);
  const int phase = rng.uniformInt(std::max(1, arterialEvery));
  int k = 0;
  while (x <= reach + maxGap) {
    const bool art = arterialEvery > 0 && (k % arterialEvery) == phase;
    lines.push_back(x);
    widths.push_back(art ? kArterialWidth : kStreetWidth);
    arterial.push_back(art);
    x += rng.uniform(minGap, maxGap);
    ++k;
  }
}

// Sutherland–Hodgman against one axis-aligned half-plane; enough for convex parcels and banks.
Geometry::Ring clipAgainst(const Geometry::Ring& in, int axis, double bound, bool keepBelow) {
  Geometry::Ring out;
  if (in.empty()) return out;
  auto inside = [&](const PointXY& p) {
    const double c = axis == 0 ? p.x : p.y;
    return keepBelow ? c <= bound : c >= bound;
  };
  auto cross = [&](const PointXY& a, const PointXY& b) {
    const double ca = axis == 0 ? a.x : a.y, cb = axis == 0 ? b.x : b.y;
    const double t = (bound - ca) / (cb - ca);
    return PointXY{a.x + t * (b.x - a.x), a.y + t * (b.y - a.y)};
  };
  for (std::size_t i = 0; i < in.size(); ++i) {
    const PointXY& cur = in[i];
    const PointXY& prev = in[(i + in.size() - 1) % in.size()];
    const bool ci = inside(cur), pi = inside(prev);
    if (ci) {
      if (!pi) out.push_back(cross(prev, cur));
      out.push_back(cur);
    } else if (pi) {
      out.push_back(cross(prev, cur));
    }
  }
  return out;
}

Geometry polygonClipped(Geometry::Ring ring, const Extent& e) {
  ring = clipAgainst(ring, 0, e.xMin, false);
  ring = clipAgainst(ring, 0, e.xMax, true);
  ring = clipAgainst(ring, 1, e.yMin, false);
  ring = clipAgainst(ring, 1, e.yMax, true);
  Geometry g;
  g.type = GeometryType::Polygon;
  if (ring.size() < 3) return g;
  ring.push_back(ring.front());  // closed rings, as GIS files expect
  g.parts.push_back({ring});
  return g;
}

}  // namespace

SimParams simParamsFrom(const CityPreset& preset) {
  SimParams p;
  const QVariantMap& m = preset.parameters;
  auto d = [&](const char* key, double def) { return m.value(QLatin1String(key), def).toDouble(); };
  auto i = [&](const char* key, int def) { return m.value(QLatin1String(key), def).toInt(); };
  p.size = preset.sizeMetres;
  p.pixel = preset.imageryPixelMetres;
  p.popCell = preset.populationCellMetres;
  p.weeks = preset.weeks;
  p.blockMin = d("blockMin", p.blockMin);
  p.blockMax = d("blockMax", p.blockMax);
  p.arterialEvery = i("arterialEvery", p.arterialEvery);
  p.orientationMaxDeg = d("orientationMaxDeg", p.orientationMaxDeg);
  p.cbdFraction = d("cbdFraction", p.cbdFraction);
  p.subCentres = i("subCentres", p.subCentres);
  p.parkShare = d("parkShare", p.parkShare);
  p.industrialShare = d("industrialShare", p.industrialShare);
  p.universities = i("universities", p.universities);
  p.hubs = i("hubs", p.hubs);
  p.riverWidth = d("riverWidth", p.riverWidth);
  p.lakeProbability = d("lakeProbability", p.lakeProbability);
  p.densityScale = d("densityScale", p.densityScale);
  p.macroSpacing = d("macroSpacing", p.macroSpacing);
  p.microPerKm2 = d("microPerKm2", p.microPerKm2);
  p.trafficPerPerson = d("trafficPerPerson", p.trafficPerPerson);
  p.trafficPerPoi = d("trafficPerPoi", p.trafficPerPoi);
  return p;
}

PointXY CityLayout::toWorld(double u, double v) const { return {m_centre.x + u * m_cos - v * m_sin, m_centre.y + u * m_sin + v * m_cos}; }

void CityLayout::toFrame(PointXY p, double& u, double& v) const {
  const double dx = p.x - m_centre.x, dy = p.y - m_centre.y;
  u = dx * m_cos + dy * m_sin;
  v = -dx * m_sin + dy * m_cos;
}

int CityLayout::lineIndex(const std::vector<double>& lines, double x) const {
  auto it = std::upper_bound(lines.begin(), lines.end(), x);
  return int(it - lines.begin()) - 1;  // lines[i] <= x < lines[i + 1]
}

double CityLayout::riverOffset(double s) const {
  return m_riverOffset + m_riverA1 * std::sin(s / m_riverL1 + m_riverP1) + m_riverA2 * std::sin(s / m_riverL2 + m_riverP2);
}

double CityLayout::riverSlope(double s) const {
  return m_riverA1 / m_riverL1 * std::cos(s / m_riverL1 + m_riverP1) + m_riverA2 / m_riverL2 * std::cos(s / m_riverL2 + m_riverP2);
}

bool CityLayout::inWater(PointXY p) const {
  const double dx = p.x - m_centre.x, dy = p.y - m_centre.y;
  const double c = std::cos(m_riverAngle), sn = std::sin(m_riverAngle);
  const double s = dx * c + dy * sn, t = -dx * sn + dy * c;
  const double slope = riverSlope(s);
  // Perpendicular distance to the centreline, to first order in its slope.
  if (std::abs(t - riverOffset(s)) / std::sqrt(1.0 + slope * slope) < m_riverHalfWidth) return true;
  if (m_hasLake) {
    const double ex = (p.x - m_lakeCentre.x) / m_lakeRx, ey = (p.y - m_lakeCentre.y) / m_lakeRy;
    if (ex * ex + ey * ey < 1.0) return true;
  }
  return false;
}

LandCover CityLayout::coverAt(PointXY p) const {
  LandCover lc;
  if (!m_extent.contains(p)) return lc;
  double u, v;
  toFrame(p, u, v);
  const int i = lineIndex(m_uLines, u), j = lineIndex(m_vLines, v);
  const int nu = int(m_uLines.size()), nv = int(m_vLines.size());
  if (i < 0 || j < 0 || i >= nu - 1 || j >= nv - 1) return lc;
  bool road = false, arterial = false;
  auto checkLine = [&](const std::vector<double>& lines, const std::vector<double>& widths, const std::vector<bool>& art, int k, double x) {
    if (std::abs(x - lines[std::size_t(k)]) < widths[std::size_t(k)] * 0.5) {
      road = true;
      arterial = arterial || art[std::size_t(k)];
    }
  };
  checkLine(m_uLines, m_uWidth, m_uArterial, i, u);
  checkLine(m_uLines, m_uWidth, m_uArterial, i + 1, u);
  checkLine(m_vLines, m_vWidth, m_vArterial, j, v);
  checkLine(m_vLines, m_vWidth, m_vArterial, j + 1, v);
  const bool water = inWater(p);
  if (water && !arterial) {  // arterials cross the water on bridges
    lc.kind = LandCover::Water;
    return lc;
  }
  if (road) {
    lc.kind = arterial ? LandCover::Arterial : LandCover::Road;
    return lc;
  }
  const Block& b = m_blocks[std::size_t(i) * std::size_t(nv - 1) + std::size_t(j)];
  for (int k = b.first; k < b.first + b.count; ++k) {
    const Parcel& pc = m_parcels[std::size_t(k)];
    if (u >= pc.u0 && u < pc.u1 && v >= pc.v0 && v < pc.v1) {
      if (!pc.alive) {
        lc.kind = LandCover::Bank;
        return lc;
      }
      lc.kind = LandCover::ParcelKind;
      lc.parcel = k;
      return lc;
    }
  }
  lc.kind = LandCover::Road;  // the narrow gaps between parcels read as lanes / paving
  return lc;
}

double CityLayout::centrality(PointXY p) const {
  double best = 1e9;
  const double half = m_extent.width() * 0.5;
  for (std::size_t c = 0; c < m_centres.size(); ++c) {
    const double d = std::hypot(p.x - m_centres[c].x, p.y - m_centres[c].y) / half / m_centreWeights[c];
    best = std::min(best, d);
  }
  return best;
}

Geometry CityLayout::parcelPolygon(int index) const {
  const Parcel& pc = m_parcels[std::size_t(index)];
  Geometry::Ring ring{toWorld(pc.u0, pc.v0), toWorld(pc.u1, pc.v0), toWorld(pc.u1, pc.v1), toWorld(pc.u0, pc.v1)};
  return polygonClipped(ring, m_extent);
}

std::vector<Geometry> CityLayout::waterPolygons() const {
  std::vector<Geometry> out;
  const double reach = m_extent.width();
  const double c = std::cos(m_riverAngle), sn = std::sin(m_riverAngle);
  auto riverPoint = [&](double s, double t) { return PointXY{m_centre.x + s * c - t * sn, m_centre.y + s * sn + t * c}; };
  Geometry::Ring left, right;
  for (double s = -reach; s <= reach; s += 20.0) {
    const double slope = riverSlope(s);
    const double hw = m_riverHalfWidth * std::sqrt(1.0 + slope * slope);
    left.push_back(riverPoint(s, riverOffset(s) - hw));
    right.push_back(riverPoint(s, riverOffset(s) + hw));
  }
  Geometry::Ring ring = left;
  ring.insert(ring.end(), right.rbegin(), right.rend());
  // The bank ring is not convex; clip it as a whole only where the river leaves the extent, which
  // Sutherland–Hodgman handles for a band crossing a rectangle.
  Geometry river = polygonClipped(ring, m_extent);
  if (!river.isEmpty()) out.push_back(river);
  if (m_hasLake) {
    Geometry::Ring lake;
    for (int k = 0; k < 64; ++k) {
      const double a = 2.0 * kPi * k / 64.0;
      lake.push_back({m_lakeCentre.x + m_lakeRx * std::cos(a), m_lakeCentre.y + m_lakeRy * std::sin(a)});
    }
    Geometry g = polygonClipped(lake, m_extent);
    if (!g.isEmpty()) out.push_back(g);
  }
  return out;
}

CityLayout CityLayout::generate(const SimParams& params, std::uint64_t seed, PointXY centre) {
  CityLayout L;
  Rng rng(seed, 101);
  const double half = params.size * 0.5;
  const PointXY o = centre;
  L.m_centre = o;
  L.m_extent = Extent::fromCorners(o.x - half, o.y - half, o.x + half, o.y + half);
  L.m_angle = rng.uniform(-params.orientationMaxDeg, params.orientationMaxDeg) * kPi / 180.0;
  L.m_cos = std::cos(L.m_angle);
  L.m_sin = std::sin(L.m_angle);
  const double reach = half * 1.4143;
  makeLines(rng, reach, params.blockMin, params.blockMax, params.arterialEvery, L.m_uLines, L.m_uWidth, L.m_uArterial);
  makeLines(rng, reach, params.blockMin, params.blockMax, params.arterialEvery, L.m_vLines, L.m_vWidth, L.m_vArterial);

  // Business centres: the main one near the middle, secondary ones further out (polycentric).
  L.m_centres.push_back({o.x + rng.normal(0.0, half * 0.05), o.y + rng.normal(0.0, half * 0.05)});
  L.m_centreWeights.push_back(1.0);
  for (int k = 0; k < params.subCentres; ++k) {
    const double a = rng.uniform(0.0, 2.0 * kPi), r = half * rng.uniform(0.45, 0.7);
    L.m_centres.push_back({o.x + r * std::cos(a), o.y + r * std::sin(a)});
    L.m_centreWeights.push_back(0.55);
  }

  // River across the city (through the centre third, so it matters), sometimes a lake.
  L.m_riverAngle = rng.uniform(0.0, kPi);
  L.m_riverOffset = rng.uniform(-0.35, 0.35) * half;
  L.m_riverA1 = rng.uniform(0.03, 0.08) * params.size;
  L.m_riverL1 = rng.uniform(0.12, 0.25) * params.size;
  L.m_riverP1 = rng.uniform(0.0, 2.0 * kPi);
  L.m_riverA2 = rng.uniform(0.005, 0.02) * params.size;
  L.m_riverL2 = rng.uniform(0.03, 0.06) * params.size;
  L.m_riverP2 = rng.uniform(0.0, 2.0 * kPi);
  L.m_riverHalfWidth = params.riverWidth * 0.5;
  L.m_hasLake = rng.chance(params.lakeProbability);
  if (L.m_hasLake) {
    const double a = rng.uniform(0.0, 2.0 * kPi), r = half * rng.uniform(0.5, 0.8);
    L.m_lakeCentre = {o.x + r * std::cos(a), o.y + r * std::sin(a)};
    L.m_lakeRx = half * rng.uniform(0.06, 0.12);
    L.m_lakeRy = L.m_lakeRx * rng.uniform(0.6, 1.4);
  }

  // Special districts.
  std::vector<PointXY> hubs, campuses, industry;
  for (int k = 0; k < params.hubs; ++k) {
    const PointXY& c = L.m_centres[std::size_t(k) % L.m_centres.size()];
    const double a = rng.uniform(0.0, 2.0 * kPi), r = half * rng.uniform(0.08, 0.2);
    hubs.push_back({c.x + r * std::cos(a), c.y + r * std::sin(a)});
  }
  for (int k = 0; k < params.universities; ++k) {
    const double a = rng.uniform(0.0, 2.0 * kPi), r = half * rng.uniform(0.3, 0.6);
    campuses.push_back({o.x + r * std::cos(a), o.y + r * std::sin(a)});
  }
  const double campusRadius = std::clamp(params.size * 0.06, 180.0, 450.0);
  const int industrialSites = std::max(1, int(std::round(params.size / 6000.0)) + 1);
  const double industryRadius = half * std::sqrt(params.industrialShare * 4.0 / (kPi * industrialSites));
  for (int k = 0; k < industrialSites; ++k) {
    const double a = rng.uniform(0.0, 2.0 * kPi), r = half * rng.uniform(0.65, 0.9);
    industry.push_back({o.x + r * std::cos(a), o.y + r * std::sin(a)});
  }

  const int nu = int(L.m_uLines.size()), nv = int(L.m_vLines.size());
  L.m_blocks.resize(std::size_t(std::max(0, nu - 1)) * std::size_t(std::max(0, nv - 1)));
  // Nearest block to each hub becomes the transport hub.
  std::vector<std::pair<int, int>> hubBlocks;
  for (const PointXY& h : hubs) {
    double u, v;
    L.toFrame(h, u, v);
    hubBlocks.push_back({L.lineIndex(L.m_uLines, u), L.lineIndex(L.m_vLines, v)});
  }

  for (int i = 0; i + 1 < nu; ++i) {
    for (int j = 0; j + 1 < nv; ++j) {
      Block& block = L.m_blocks[std::size_t(i) * std::size_t(nv - 1) + std::size_t(j)];
      block.first = int(L.m_parcels.size());
      const double u0 = L.m_uLines[std::size_t(i)] + L.m_uWidth[std::size_t(i)] * 0.5;
      const double u1 = L.m_uLines[std::size_t(i) + 1] - L.m_uWidth[std::size_t(i) + 1] * 0.5;
      const double v0 = L.m_vLines[std::size_t(j)] + L.m_vWidth[std::size_t(j)] * 0.5;
      const double v1 = L.m_vLines[std::size_t(j) + 1] - L.m_vWidth[std::size_t(j) + 1] * 0.5;
      const PointXY bc = L.toWorld((u0 + u1) * 0.5, (v0 + v1) * 0.5);
      // Blocks wholly outside the extent get no parcels.
      const double bh = std::max(u1 - u0, v1 - v0);
      if (bc.x < o.x - half - bh || bc.x > o.x + half + bh || bc.y < o.y - half - bh || bc.y > o.y + half + bh) continue;
      Rng brng(seed, 102, std::uint64_t(i) * 100003ULL + std::uint64_t(j));
      const double cen = L.centrality(bc);
      const bool onArterial = L.m_uArterial[std::size_t(i)] || L.m_uArterial[std::size_t(i) + 1] || L.m_vArterial[std::size_t(j)] ||
                              L.m_vArterial[std::size_t(j) + 1];
      ZoneClass cls;
      bool decided = false;
      for (auto hb : hubBlocks)
        if (hb.first == i && hb.second == j) {
          cls = ZoneClass::TransportHub;
          decided = true;
        }
      if (!decided)
        for (const PointXY& c : campuses)
          if (std::hypot(bc.x - c.x, bc.y - c.y) < campusRadius) {
            cls = ZoneClass::University;
            decided = true;
          }
      if (!decided)
        for (const PointXY& c : industry)
          if (std::hypot(bc.x - c.x, bc.y - c.y) < industryRadius * brng.uniform(0.8, 1.2)) {
            cls = ZoneClass::Industrial;
            decided = true;
          }
      if (!decided && cen < params.cbdFraction) {
        cls = brng.chance(0.75) ? ZoneClass::Cbd : ZoneClass::Commercial;
        decided = true;
      }
      if (!decided && brng.chance(params.parkShare)) {
        cls = ZoneClass::Park;
        decided = true;
      }
      if (!decided) {
        // Density falls outwards: shops and mixed use near the centres and along arterials,
        // flats in the inner ring, houses at the edge.
        const double w[4] = {
            0.45 * std::exp(-cen / 0.25) + (onArterial ? 0.12 : 0.02),  // commercial
            0.30 * std::exp(-cen / 0.5),                                // mixed
            std::clamp(1.3 - 1.4 * cen, 0.03, 1.0),                     // residential high
            std::clamp(1.8 * cen - 0.75, 0.03, 1.2),                    // residential low
        };
        static constexpr ZoneClass kChoice[4] = {ZoneClass::Commercial, ZoneClass::Mixed, ZoneClass::ResidentialHigh,
                                                 ZoneClass::ResidentialLow};
        cls = kChoice[brng.weightedIndex(w)];
      }
      // Parcels: the block split along its longer side, two rows for small-lot housing.
      int n = 1, rows = 1;
      switch (cls) {
        case ZoneClass::Cbd:
          n = 1 + brng.uniformInt(2);
          break;
        case ZoneClass::Commercial:
          n = 2 + brng.uniformInt(2);
          break;
        case ZoneClass::ResidentialHigh:
          n = 2 + brng.uniformInt(2);
          break;
        case ZoneClass::ResidentialLow:
          n = 3 + brng.uniformInt(3);
          rows = 2;
          break;
        case ZoneClass::Mixed:
          n = 2 + brng.uniformInt(2);
          rows = 2;
          break;
        case ZoneClass::Industrial:
          n = 1 + brng.uniformInt(2);
          break;
        default:
          n = 1;
          break;
      }
      const bool alongU = (u1 - u0) >= (v1 - v0);
      const double baseDensity = params.densityScale * std::exp(-cen / 0.55) * brng.uniform(0.8, 1.2);
      for (int a = 0; a < n; ++a) {
        for (int r = 0; r < rows; ++r) {
          Parcel p;
          const double fa0 = double(a) / n, fa1 = double(a + 1) / n;
          const double fr0 = double(r) / rows, fr1 = double(r + 1) / rows;
          const double gap = 2.0;  // a thin strip between parcels: fences, lanes
          if (alongU) {
            p.u0 = u0 + fa0 * (u1 - u0) + (a ? gap : 0);
            p.u1 = u0 + fa1 * (u1 - u0);
            p.v0 = v0 + fr0 * (v1 - v0) + (r ? gap : 0);
            p.v1 = v0 + fr1 * (v1 - v0);
          } else {
            p.v0 = v0 + fa0 * (v1 - v0) + (a ? gap : 0);
            p.v1 = v0 + fa1 * (v1 - v0);
            p.u0 = u0 + fr0 * (u1 - u0) + (r ? gap : 0);
            p.u1 = u0 + fr1 * (u1 - u0);
          }
          p.zoneClass = cls;
          // Some variety inside a block: a shop on a housing corner, an office in the CBD's edge.
          if ((cls == ZoneClass::ResidentialHigh || cls == ZoneClass::ResidentialLow) && onArterial && brng.chance(0.12))
            p.zoneClass = brng.chance(0.5) ? ZoneClass::Commercial : ZoneClass::Mixed;
          p.density = baseDensity * brng.uniform(0.9, 1.1);
          // Water: parcels mostly in the river disappear; those touching it become banks (parks).
          int wet = 0;
          for (int sx = 0; sx < 3; ++sx)
            for (int sy = 0; sy < 3; ++sy)
              wet += L.inWater(L.toWorld(p.u0 + (sx + 0.5) / 3.0 * (p.u1 - p.u0), p.v0 + (sy + 0.5) / 3.0 * (p.v1 - p.v0)));
          if (wet >= 5)
            p.alive = false;
          else if (wet > 0 && p.zoneClass != ZoneClass::TransportHub)
            p.zoneClass = ZoneClass::Park;
          L.m_parcels.push_back(p);
        }
      }
      block.count = int(L.m_parcels.size()) - block.first;
    }
  }
  return L;
}

}  // namespace netspatial::core::sim
