#include "core/sim/imagery.h"

#include "core/sim/rng.h"

#include <QStringLiteral>

#include <algorithm>
#include <cmath>

namespace netspatial::core::sim {

namespace {

struct Rgb {
  double r, g, b;
};

// Building look per class: footprint side range (m), share of the parcel built, height range (m,
// drives the shadow) and a palette of roof colours.
struct RoofStyle {
  double minSide, maxSide, coverage, minHeight, maxHeight;
  std::vector<Rgb> palette;
};

const RoofStyle& roofStyle(ZoneClass c) {
  static const RoofStyle kCbd{28, 60, 0.60, 30, 110, {{100, 110, 128}, {160, 166, 178}, {80, 88, 104}, {128, 136, 150}}};
  static const RoofStyle kCommercial{16, 34, 0.55, 8, 22, {{205, 198, 186}, {168, 160, 150}, {220, 220, 215}, {150, 140, 130}}};
  static const RoofStyle kResHigh{12, 24, 0.45, 15, 35, {{172, 96, 74}, {150, 150, 150}, {186, 120, 92}, {128, 120, 115}}};
  static const RoofStyle kResLow{8, 13, 0.22, 5, 9, {{182, 82, 60}, {142, 72, 56}, {104, 100, 106}, {196, 110, 80}}};
  static const RoofStyle kUniversity{22, 48, 0.25, 10, 25, {{192, 172, 150}, {170, 150, 130}, {200, 190, 175}}};
  static const RoofStyle kIndustrial{30, 80, 0.50, 8, 14, {{205, 210, 214}, {172, 178, 184}, {150, 160, 170}, {190, 175, 150}}};
  static const RoofStyle kHub{40, 95, 0.45, 10, 20, {{150, 152, 162}, {120, 124, 132}, {182, 184, 190}}};
  static const RoofStyle kMixed{12, 28, 0.45, 10, 28, {{180, 150, 130}, {160, 160, 160}, {176, 100, 80}, {200, 195, 185}}};
  static const RoofStyle kNone{0, 0, 0.0, 0, 0, {}};
  switch (c) {
    case ZoneClass::Cbd:
      return kCbd;
    case ZoneClass::Commercial:
      return kCommercial;
    case ZoneClass::ResidentialHigh:
      return kResHigh;
    case ZoneClass::ResidentialLow:
      return kResLow;
    case ZoneClass::University:
      return kUniversity;
    case ZoneClass::Industrial:
      return kIndustrial;
    case ZoneClass::TransportHub:
      return kHub;
    case ZoneClass::Mixed:
      return kMixed;
    default:
      return kNone;
  }
}

// Ground between buildings.
Rgb groundColour(ZoneClass c) {
  switch (c) {
    case ZoneClass::Cbd:
      return {140, 136, 136};
    case ZoneClass::Commercial:
      return {142, 138, 132};
    case ZoneClass::ResidentialHigh:
      return {128, 128, 112};
    case ZoneClass::ResidentialLow:
      return {98, 132, 72};
    case ZoneClass::University:
      return {102, 142, 82};
    case ZoneClass::Industrial:
      return {160, 154, 140};
    case ZoneClass::TransportHub:
      return {118, 116, 114};
    case ZoneClass::Park:
      return {96, 156, 70};
    case ZoneClass::Water:
      return {32, 62, 78};
    case ZoneClass::Mixed:
      return {132, 130, 118};
  }
  return {128, 128, 128};
}

bool isVegetated(ZoneClass c) { return c == ZoneClass::Park || c == ZoneClass::ResidentialLow || c == ZoneClass::University; }

// Trees per square metre, for the texture that separates green classes from paved ones.
double treeDensity(ZoneClass c) {
  switch (c) {
    case ZoneClass::Park:
      return 1.0 / 220.0;
    case ZoneClass::ResidentialLow:
      return 1.0 / 450.0;
    case ZoneClass::University:
      return 1.0 / 500.0;
    case ZoneClass::ResidentialHigh:
      return 1.0 / 2500.0;
    default:
      return 0.0;
  }
}

// Smooth value noise on a lattice (bilinear), for grass and water texture.
double valueNoise(std::uint64_t seed, double x, double y) {
  const double fx = std::floor(x), fy = std::floor(y);
  const double tx = x - fx, ty = y - fy;
  const auto ix = std::int64_t(fx), iy = std::int64_t(fy);
  auto h = [&](std::int64_t a, std::int64_t b) {
    return hashToUnit(mix64(seed ^ mix64(std::uint64_t(a) * 0x9E3779B1ULL + std::uint64_t(b) * 0x85EBCA77ULL)));
  };
  const double sx = tx * tx * (3 - 2 * tx), sy = ty * ty * (3 - 2 * ty);
  const double a = h(ix, iy), b = h(ix + 1, iy), c = h(ix, iy + 1), d = h(ix + 1, iy + 1);
  return (a + (b - a) * sx) * (1 - sy) + (c + (d - c) * sx) * sy;
}

std::uint8_t clampByte(double v) { return std::uint8_t(std::clamp(std::lround(v), 0L, 255L)); }

class Canvas {
 public:
  Canvas(ImageRaster& img) : m_img(img), m_plane(std::size_t(img.width) * std::size_t(img.height)) {}
  bool inside(int c, int r) const { return c >= 0 && r >= 0 && c < m_img.width && r < m_img.height; }
  std::size_t index(int c, int r) const { return std::size_t(r) * std::size_t(m_img.width) + std::size_t(c); }
  void set(int c, int r, const Rgb& v) {
    const std::size_t i = index(c, r);
    m_img.rgb[i] = clampByte(v.r);
    m_img.rgb[m_plane + i] = clampByte(v.g);
    m_img.rgb[2 * m_plane + i] = clampByte(v.b);
  }
  void darken(int c, int r, double f) {
    const std::size_t i = index(c, r);
    for (int b = 0; b < 3; ++b) m_img.rgb[std::size_t(b) * m_plane + i] = clampByte(m_img.rgb[std::size_t(b) * m_plane + i] * f);
  }

 private:
  ImageRaster& m_img;
  std::size_t m_plane;
};

}  // namespace

ImageRaster renderImagery(const CityLayout& layout, const SimParams& params, std::uint64_t seed, Feedback* feedback) {
  ImageRaster img;
  const Extent& e = layout.extent();
  const double px = params.pixel;
  img.width = int(std::ceil(e.width() / px));
  img.height = int(std::ceil(e.height() / px));
  img.geoTransform = {e.xMin, px, 0.0, e.yMax, 0.0, -px};
  img.rgb.assign(std::size_t(img.width) * std::size_t(img.height) * 3, 0);
  Canvas canvas(img);
  const std::uint64_t texSeed = deriveSeed(seed, 201);
  const auto& parcels = layout.parcels();
  auto progress = [&](double f, const char* step) {
    if (feedback) feedback->setProgress(f, QString::fromLatin1(step));
  };

  // 1. Ground: what covers each pixel centre.
  for (int r = 0; r < img.height; ++r) {
    if ((r & 63) == 0) {
      if (feedback && feedback->isCancelled()) return {};
      progress(0.5 * r / img.height, "imagery: ground");
    }
    for (int c = 0; c < img.width; ++c) {
      const PointXY p{e.xMin + (c + 0.5) * px, e.yMax - (r + 0.5) * px};
      const LandCover lc = layout.coverAt(p);
      const double fine = valueNoise(texSeed, p.x / 6.0, p.y / 6.0) - 0.5;
      const double coarse = valueNoise(texSeed + 1, p.x / 40.0, p.y / 40.0) - 0.5;
      Rgb col;
      switch (lc.kind) {
        case LandCover::Road:
          col = {78, 78, 80};
          break;
        case LandCover::Arterial:
          col = {62, 62, 65};
          break;
        case LandCover::Water:
          col = {30 + 6 * coarse, 60 + 10 * coarse + 4 * fine, 76 + 8 * coarse};
          break;
        case LandCover::Outside:
          col = {90, 110, 70};
          break;
        case LandCover::Bank:
          col = {92 + 20 * fine, 140 + 30 * fine + 15 * coarse, 70 + 10 * fine};
          break;
        case LandCover::ParcelKind: {
          const ZoneClass zc = parcels[std::size_t(lc.parcel)].zoneClass;
          col = groundColour(zc);
          const double amp = isVegetated(zc) ? 36.0 : 12.0;  // grass is mottled, paving is flat
          col.r += amp * 0.6 * fine + amp * 0.4 * coarse;
          col.g += amp * fine + amp * 0.6 * coarse;
          col.b += amp * 0.4 * fine;
          break;
        }
      }
      canvas.set(c, r, col);
    }
  }

  // 2. Buildings and trees, parcel by parcel, each from its own stream (order-independent).
  // Sun in the south-east: shadows fall to the north-west.
  const double shadowDx = -0.55, shadowDy = 0.55;
  const double cosA = std::cos(layout.orientationDegrees() / 57.29577951308232);
  const double sinA = std::sin(layout.orientationDegrees() / 57.29577951308232);
  auto fillRect = [&](double cu, double cv, double hu, double hv, double offX, double offY, auto&& paint) {
    // Rotated rectangle centred at frame (cu, cv), half sides hu, hv, shifted by (offX, offY) world.
    PointXY centre = layout.toWorld(cu, cv);
    centre.x += offX;
    centre.y += offY;
    const double ext = std::abs(hu * cosA) + std::abs(hv * sinA) + px;
    const double exty = std::abs(hu * sinA) + std::abs(hv * cosA) + px;
    const int c0 = std::max(0, int((centre.x - ext - e.xMin) / px));
    const int c1 = std::min(img.width - 1, int((centre.x + ext - e.xMin) / px));
    const int r0 = std::max(0, int((e.yMax - (centre.y + exty)) / px));
    const int r1 = std::min(img.height - 1, int((e.yMax - (centre.y - exty)) / px));
    for (int r = r0; r <= r1; ++r) {
      for (int c = c0; c <= c1; ++c) {
        const double dx = e.xMin + (c + 0.5) * px - centre.x, dy = e.yMax - (r + 0.5) * px - centre.y;
        const double u = dx * cosA + dy * sinA, v = -dx * sinA + dy * cosA;
        if (std::abs(u) <= hu && std::abs(v) <= hv) paint(c, r, u, v);
      }
    }
  };
  for (std::size_t k = 0; k < parcels.size(); ++k) {
    if ((k & 255) == 0) {
      if (feedback && feedback->isCancelled()) return {};
      progress(0.5 + 0.45 * double(k) / double(parcels.size()), "imagery: buildings");
    }
    const Parcel& pc = parcels[k];
    if (!pc.alive) continue;
    const PointXY mid = layout.toWorld((pc.u0 + pc.u1) * 0.5, (pc.v0 + pc.v1) * 0.5);
    if (!e.intersects(Extent::aroundCentre(mid, pc.u1 - pc.u0 + pc.v1 - pc.v0, pc.u1 - pc.u0 + pc.v1 - pc.v0))) continue;
    Rng rng(seed, 202, k);
    const RoofStyle& style = roofStyle(pc.zoneClass);
    if (!style.palette.empty()) {
      const double lenU = pc.u1 - pc.u0, lenV = pc.v1 - pc.v0;
      const double side = rng.uniform(style.minSide, style.maxSide);
      const double coverage = std::clamp(style.coverage * (0.7 + 0.3 * std::min(pc.density, 1.5)), 0.08, 0.8);
      const double pitch = side / std::sqrt(coverage);  // grid cell so that built share ≈ coverage
      const int nu = std::max(1, int(lenU / pitch)), nv = std::max(1, int(lenV / pitch));
      const double cellU = lenU / nu, cellV = lenV / nv;
      struct Building {
        double cu, cv, hu, hv, height;
        Rgb colour;
      };
      std::vector<Building> buildings;
      for (int a = 0; a < nu; ++a) {
        for (int b = 0; b < nv; ++b) {
          if (rng.chance(0.12)) continue;  // an empty lot now and then
          Building bd;
          bd.hu = std::min(cellU * 0.45, side * rng.uniform(0.35, 0.6));
          bd.hv = std::min(cellV * 0.45, side * rng.uniform(0.35, 0.6));
          bd.cu = pc.u0 + (a + 0.5) * cellU + rng.uniform(-1.0, 1.0) * (cellU * 0.5 - bd.hu) * 0.6;
          bd.cv = pc.v0 + (b + 0.5) * cellV + rng.uniform(-1.0, 1.0) * (cellV * 0.5 - bd.hv) * 0.6;
          bd.height =
              rng.uniform(style.minHeight, style.maxHeight) * (pc.zoneClass == ZoneClass::Cbd ? std::min(1.5, 0.6 + pc.density) : 1.0);
          const Rgb& base = style.palette[std::size_t(rng.uniformInt(int(style.palette.size())))];
          const double shade = rng.uniform(0.88, 1.1);
          bd.colour = {base.r * shade, base.g * shade, base.b * shade};
          buildings.push_back(bd);
        }
      }
      for (const Building& bd : buildings) {
        const double len = std::min(bd.height * 0.5, 40.0);
        fillRect(bd.cu, bd.cv, bd.hu, bd.hv, shadowDx * len, shadowDy * len,
                 [&](int c, int r, double, double) { canvas.darken(c, r, 0.5); });
      }
      for (const Building& bd : buildings) {
        fillRect(bd.cu, bd.cv, bd.hu, bd.hv, 0.0, 0.0, [&](int c, int r, double u, double v) {
          // A ridge or roof-edge line gives roofs their own texture.
          const bool edge = std::abs(u) > bd.hu - px || std::abs(v) > bd.hv - px;
          const double f = edge ? 0.85 : 1.0;
          canvas.set(c, r, {bd.colour.r * f, bd.colour.g * f, bd.colour.b * f});
        });
      }
    }
    const double trees = treeDensity(pc.zoneClass) * pc.area();
    const int nTrees = int(trees) + (rng.chance(trees - std::floor(trees)) ? 1 : 0);
    for (int t = 0; t < nTrees; ++t) {
      const double cu = rng.uniform(pc.u0, pc.u1), cv = rng.uniform(pc.v0, pc.v1);
      const double rad = rng.uniform(2.5, 6.0);
      const Rgb leaf{rng.uniform(34, 58), rng.uniform(92, 124), rng.uniform(30, 48)};
      fillRect(cu, cv, rad, rad, shadowDx * 4.0, shadowDy * 4.0, [&](int c, int r, double u, double v) {
        if (u * u + v * v <= rad * rad) canvas.darken(c, r, 0.65);
      });
      fillRect(cu, cv, rad, rad, 0.0, 0.0, [&](int c, int r, double u, double v) {
        const double d2 = (u * u + v * v) / (rad * rad);
        if (d2 <= 1.0) canvas.set(c, r, {leaf.r * (1.15 - 0.3 * d2), leaf.g * (1.15 - 0.3 * d2), leaf.b * (1.15 - 0.3 * d2)});
      });
    }
  }

  // 3. Sensor noise: independent per pixel and band, stateless so it does not depend on order.
  const std::uint64_t noiseSeed = deriveSeed(seed, 203);
  for (std::size_t i = 0; i < img.rgb.size(); ++i) {
    const double n = (hashToUnit(mix64(noiseSeed + i)) + hashToUnit(mix64(noiseSeed ^ (i * 0x9E37ULL))) - 1.0) * 7.0;
    img.rgb[i] = clampByte(img.rgb[i] + n);
  }
  progress(1.0, "imagery");
  return img;
}

}  // namespace netspatial::core::sim
