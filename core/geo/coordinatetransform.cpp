#include "core/geo/coordinatetransform.h"

#include "core/geo/projcontext.h"

#include <algorithm>
#include <cmath>

namespace netspatial::core {

Result<CoordinateTransform> CoordinateTransform::create(const Crs& source, const Crs& target) {
  if (!source.isValid() || !target.isValid()) return Error(ErrorCode::InvalidArgument, QStringLiteral("transform needs two valid CRSs"));
  CoordinateTransform t;
  t.m_source = source;
  t.m_target = target;
  t.m_identity = source == target;
  if (!t.m_identity) {
    QString why;
    if (!detail::cachedOperation(source.definition(), target.definition(), &why))
      return Error(ErrorCode::TransformFailed,
                   QStringLiteral("no transformation from %1 to %2: %3").arg(source.label(), target.label(), why));
  }
  return t;
}

Status CoordinateTransform::run(std::span<PointXY> points, bool forward) const {
  if (m_identity || points.empty()) return {};
  QString why;
  PJ* op = detail::cachedOperation(m_source.definition(), m_target.definition(), &why);
  if (!op) return Error(ErrorCode::TransformFailed, why);
  PJ_CONTEXT* ctx = detail::projContext();
  proj_errno_reset(op);
  proj_trans_generic(op, forward ? PJ_FWD : PJ_INV, &points[0].x, sizeof(PointXY), points.size(), &points[0].y, sizeof(PointXY),
                     points.size(), nullptr, 0, 0, nullptr, 0, 0);
  (void)ctx;
  for (std::size_t i = 0; i < points.size(); ++i) {
    if (!std::isfinite(points[i].x) || !std::isfinite(points[i].y)) {
      return Error(ErrorCode::TransformFailed,
                   QStringLiteral("point %1 cannot be transformed from %2 to %3")
                       .arg(i)
                       .arg(forward ? m_source.label() : m_target.label(), forward ? m_target.label() : m_source.label()));
    }
  }
  return {};
}

Status CoordinateTransform::transform(std::span<PointXY> points) const { return run(points, true); }
Status CoordinateTransform::inverse(std::span<PointXY> points) const { return run(points, false); }

Result<PointXY> CoordinateTransform::transform(PointXY p) const {
  Status s = run(std::span<PointXY>(&p, 1), true);
  if (!s) return s.error();
  return p;
}

Result<PointXY> CoordinateTransform::inverse(PointXY p) const {
  Status s = run(std::span<PointXY>(&p, 1), false);
  if (!s) return s.error();
  return p;
}

Result<Geometry> CoordinateTransform::transform(const Geometry& geometry) const {
  Geometry out = geometry;
  for (auto& part : out.parts)
    for (auto& ring : part) {
      Status s = run(ring, true);
      if (!s) return s.error();
    }
  return out;
}

Result<Extent> CoordinateTransform::runExtent(const Extent& extent, int pointsPerEdge, bool forward) const {
  if (extent.isEmpty()) return Error(ErrorCode::InvalidArgument, QStringLiteral("empty extent"));
  if (m_identity) return extent;
  pointsPerEdge = std::max(pointsPerEdge, 2);
  std::vector<PointXY> ring;
  ring.reserve(std::size_t(pointsPerEdge) * 4);
  for (int i = 0; i < pointsPerEdge; ++i) {
    const double f = double(i) / double(pointsPerEdge - 1);
    const double x = extent.xMin + f * extent.width();
    const double y = extent.yMin + f * extent.height();
    ring.push_back({x, extent.yMin});
    ring.push_back({x, extent.yMax});
    ring.push_back({extent.xMin, y});
    ring.push_back({extent.xMax, y});
  }
  Status s = run(ring, forward);
  if (!s) return s.error();
  Extent out;
  for (const auto& p : ring) out.include(p);
  return out;
}

Result<Extent> CoordinateTransform::transformExtent(const Extent& extent, int pointsPerEdge) const {
  return runExtent(extent, pointsPerEdge, true);
}

Result<Extent> CoordinateTransform::inverseExtent(const Extent& extent, int pointsPerEdge) const {
  return runExtent(extent, pointsPerEdge, false);
}

}  // namespace netspatial::core
