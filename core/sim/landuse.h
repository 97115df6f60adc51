#pragma once

// Land use of the synthetic city: a jittered, rotated street grid with arterials, blocks
// subdivided into parcels with a zone class and a density, a river and sometimes a lake.
// Everything later (imagery, population, POIs, stations, traffic) reads this layout.

#include "core/geo/geometry.h"
#include "core/scenario/taxonomy.h"
#include "core/sim/simparams.h"

#include <cstdint>
#include <vector>

namespace netspatial::core::sim {

struct Parcel {
  ZoneClass zoneClass = ZoneClass::Mixed;
  double density = 1.0;                   //!< relative intensity (falls outwards from the centres)
  double u0 = 0, v0 = 0, u1 = 0, v1 = 0;  //!< rectangle in the grid frame, metres
  bool alive = true;                      //!< false when swallowed by water
  double area() const { return (u1 - u0) * (v1 - v0); }
};

//! What lies at a point.
struct LandCover {
  //! Bank: land of a parcel swallowed by water (grass along the river, no zone of its own).
  enum Kind { Outside, Road, Arterial, Water, Bank, ParcelKind } kind = Outside;
  int parcel = -1;
};

class CityLayout {
 public:
  //! Builds the layout; deterministic in (params, seed).
  static CityLayout generate(const SimParams& params, std::uint64_t seed, PointXY centre);

  const Extent& extent() const { return m_extent; }
  PointXY centre() const { return m_centre; }
  double orientationDegrees() const { return m_angle * 57.29577951308232; }
  const std::vector<Parcel>& parcels() const { return m_parcels; }

  PointXY toWorld(double u, double v) const;
  void toFrame(PointXY p, double& u, double& v) const;
  LandCover coverAt(PointXY p) const;
  bool inWater(PointXY p) const;
  //! Parcel rectangle as a closed world ring, clipped to the city extent (empty when outside).
  Geometry parcelPolygon(int index) const;
  //! River (and lake) polygons, clipped to the extent.
  std::vector<Geometry> waterPolygons() const;
  //! Normalised distance to the nearest business centre (0 at a centre, ~1 at the edge).
  double centrality(PointXY p) const;

 private:
  struct Block {
    int first = 0;
    int count = 0;
  };
  int lineIndex(const std::vector<double>& lines, double x) const;
  double riverOffset(double s) const;
  double riverSlope(double s) const;

  Extent m_extent;
  PointXY m_centre;
  double m_angle = 0.0, m_cos = 1.0, m_sin = 0.0;
  std::vector<double> m_uLines, m_vLines, m_uWidth, m_vWidth;
  std::vector<bool> m_uArterial, m_vArterial;
  std::vector<Block> m_blocks;  //!< (nu - 1) × (nv - 1), u-major
  std::vector<Parcel> m_parcels;
  std::vector<PointXY> m_centres;
  std::vector<double> m_centreWeights;
  // River: in a frame rotated by m_riverAngle, t = offset + a1 sin(s/l1 + p1) + a2 sin(s/l2 + p2).
  double m_riverAngle = 0, m_riverOffset = 0, m_riverA1 = 0, m_riverL1 = 1, m_riverP1 = 0, m_riverA2 = 0, m_riverL2 = 1, m_riverP2 = 0,
         m_riverHalfWidth = 0;
  bool m_hasLake = false;
  PointXY m_lakeCentre;
  double m_lakeRx = 0, m_lakeRy = 0;
};

}  // namespace netspatial::core::sim
