#include "core/geo/geometry.h"

#include <algorithm>
#include <cmath>

namespace netspatial::core {

Extent Extent::fromCorners(double x0, double y0, double x1, double y1) {
  return Extent{std::min(x0, x1), std::min(y0, y1), std::max(x0, x1), std::max(y0, y1)};
}

Extent Extent::aroundCentre(PointXY centre, double width, double height) {
  return Extent{centre.x - width / 2.0, centre.y - height / 2.0, centre.x + width / 2.0, centre.y + height / 2.0};
}

void Extent::include(PointXY p) {
  xMin = std::min(xMin, p.x);
  yMin = std::min(yMin, p.y);
  xMax = std::max(xMax, p.x);
  yMax = std::max(yMax, p.y);
}

void Extent::include(const Extent& other) {
  if (other.isEmpty()) return;
  include(PointXY{other.xMin, other.yMin});
  include(PointXY{other.xMax, other.yMax});
}

bool Extent::contains(PointXY p) const { return p.x >= xMin && p.x <= xMax && p.y >= yMin && p.y <= yMax; }

bool Extent::contains(const Extent& other) const {
  return !other.isEmpty() && other.xMin >= xMin && other.xMax <= xMax && other.yMin >= yMin && other.yMax <= yMax;
}

bool Extent::intersects(const Extent& other) const {
  return !isEmpty() && !other.isEmpty() && other.xMin < xMax && other.xMax > xMin && other.yMin < yMax && other.yMax > yMin;
}

Extent Extent::intersected(const Extent& other) const {
  if (!intersects(other)) return Extent{};
  return Extent{std::max(xMin, other.xMin), std::max(yMin, other.yMin), std::min(xMax, other.xMax), std::min(yMax, other.yMax)};
}

Geometry Geometry::point(PointXY p) { return Geometry{GeometryType::Point, {{{p}}}}; }

bool Geometry::isEmpty() const { return pointCount() == 0; }

Extent Geometry::extent() const {
  Extent e;
  for (const auto& part : parts)
    for (const auto& ring : part)
      for (const auto& p : ring) e.include(p);
  return e;
}

std::size_t Geometry::pointCount() const {
  std::size_t n = 0;
  for (const auto& part : parts)
    for (const auto& ring : part) n += ring.size();
  return n;
}

namespace {

// Shoelace terms of a closed or open ring: signed area and first moments.
void ringMoments(const Geometry::Ring& ring, double& area, double& mx, double& my) {
  const std::size_t n = ring.size();
  if (n < 3) return;
  // Shift to the first vertex to keep the products well conditioned for UTM-sized numbers.
  const PointXY o = ring.front();
  for (std::size_t i = 0; i < n; ++i) {
    const PointXY a{ring[i].x - o.x, ring[i].y - o.y};
    const PointXY b{ring[(i + 1) % n].x - o.x, ring[(i + 1) % n].y - o.y};
    const double cross = a.x * b.y - b.x * a.y;
    area += cross / 2.0;
    mx += (a.x + b.x) * cross / 6.0 + o.x * cross / 2.0;
    my += (a.y + b.y) * cross / 6.0 + o.y * cross / 2.0;
  }
}

double ringSignedArea(const Geometry::Ring& ring) {
  double a = 0, mx = 0, my = 0;
  ringMoments(ring, a, mx, my);
  return a;
}

}  // namespace

double Geometry::area() const {
  if (!isPolygonal()) return 0.0;
  double total = 0.0;
  for (const auto& part : parts) {
    for (std::size_t r = 0; r < part.size(); ++r) {
      const double a = std::abs(ringSignedArea(part[r]));
      total += r == 0 ? a : -a;
    }
  }
  return total;
}

PointXY Geometry::centroid() const {
  if (isPolygonal()) {
    double area = 0, mx = 0, my = 0;
    for (const auto& part : parts) {
      for (std::size_t r = 0; r < part.size(); ++r) {
        double a = 0, x = 0, y = 0;
        ringMoments(part[r], a, x, y);
        // Exterior counts positive, holes negative, whatever the ring orientation in the file.
        const double sign = ((r == 0) == (a >= 0)) ? 1.0 : -1.0;
        area += sign * a;
        mx += sign * x;
        my += sign * y;
      }
    }
    if (area != 0.0) return {mx / area, my / area};
  }
  if (isLinear()) {
    double length = 0, sx = 0, sy = 0;
    for (const auto& part : parts)
      for (const auto& ring : part)
        for (std::size_t i = 1; i < ring.size(); ++i) {
          const double l = std::hypot(ring[i].x - ring[i - 1].x, ring[i].y - ring[i - 1].y);
          length += l;
          sx += l * (ring[i].x + ring[i - 1].x) / 2.0;
          sy += l * (ring[i].y + ring[i - 1].y) / 2.0;
        }
    if (length > 0.0) return {sx / length, sy / length};
  }
  double sx = 0, sy = 0;
  std::size_t n = 0;
  for (const auto& part : parts)
    for (const auto& ring : part)
      for (const auto& p : ring) {
        sx += p.x;
        sy += p.y;
        ++n;
      }
  return n ? PointXY{sx / double(n), sy / double(n)} : PointXY{};
}

}  // namespace netspatial::core
