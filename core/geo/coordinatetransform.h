#pragma once

#include "core/geo/crs.h"
#include "core/geo/geometry.h"
#include "core/util/result.h"

#include <span>

namespace netspatial::core {

//! Transforms coordinates between two CRSs with PROJ, in traditional GIS axis order.
//! A cheap value, usable from any thread: each thread builds (and caches) its own PROJ pipeline
//! in its own PJ_CONTEXT, because PROJ objects must not be shared between threads.
class CoordinateTransform {
 public:
  CoordinateTransform() = default;
  //! Fails if PROJ finds no operation between the two CRSs.
  static Result<CoordinateTransform> create(const Crs& source, const Crs& target);

  const Crs& source() const { return m_source; }
  const Crs& target() const { return m_target; }
  bool isIdentity() const { return m_identity; }

  Result<PointXY> transform(PointXY p) const;
  Result<PointXY> inverse(PointXY p) const;
  //! In place; fails on the first point PROJ cannot transform (naming its index).
  Status transform(std::span<PointXY> points) const;
  Status inverse(std::span<PointXY> points) const;
  Result<Geometry> transform(const Geometry& geometry) const;
  //! Bounds of `extent` after transformation, densified along each edge so curved edges are covered.
  Result<Extent> transformExtent(const Extent& extent, int pointsPerEdge = 21) const;
  Result<Extent> inverseExtent(const Extent& extent, int pointsPerEdge = 21) const;

 private:
  Status run(std::span<PointXY> points, bool forward) const;
  Result<Extent> runExtent(const Extent& extent, int pointsPerEdge, bool forward) const;

  Crs m_source;
  Crs m_target;
  bool m_identity = false;
};

}  // namespace netspatial::core
