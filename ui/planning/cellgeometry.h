#pragma once

// Helpers shared by the planning layers for grid cells: most cells are axis-aligned squares, which
// can be drawn with QPainter::drawRects and hit-tested by their extent; anything else (an imported
// grid reprojected into the scenario CRS) falls back to paths and a point-in-polygon test. Their
// outlines are drawn as merged lines, the one thing that keeps 10,000 outlined cells cheap.

#include "core/context/sitecontext.h"
#include "core/geo/geometry.h"

#include <QLine>
#include <QRect>
#include <QRectF>
#include <QVector>

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

namespace netspatial::ui::planning_detail {

//! True for a one-ring polygon of 4 corners (closed or not) whose edges are all horizontal or vertical.
inline bool isAxisAlignedRect(const core::Geometry& g) {
  if (g.type != core::GeometryType::Polygon || g.parts.size() != 1 || g.parts.front().size() != 1) return false;
  const core::Geometry::Ring& ring = g.parts.front().front();
  std::size_t n = ring.size();
  if (n == 5 && ring.front() == ring.back()) n = 4;
  if (n != 4) return false;
  const core::Extent e = g.extent();
  if (!(e.width() > 0.0) || !(e.height() > 0.0)) return false;
  const double eps = 1e-9 * std::max(e.width(), e.height());
  for (std::size_t i = 0; i < n; ++i) {
    const core::PointXY a = ring[i], b = ring[(i + 1) % n];
    if (std::abs(a.x - b.x) > eps && std::abs(a.y - b.y) > eps) return false;
  }
  return true;
}

//! Whether `p` lies in a cell: the extent decides for rectangles, the polygon otherwise.
inline bool cellContains(const core::Extent& extent, bool rect, const core::Geometry& polygon, core::PointXY p) {
  if (!extent.contains(p)) return false;
  return rect || core::polygonContains(polygon, p);
}

// The outlines of many rectangles as few lines: every edge is snapped to the pixel grid, clipped
// to `clip` (the viewport: edges off screen are dropped), and collinear edges that touch or
// overlap are merged, so a grid of n × n cells becomes 2(n + 1) lines. Stroking each rectangle
// instead costs ~1.5 µs a cell in the raster engine (15 ms for 10,000 cells). Edges are bucketed
// by their pixel row (column) with a counting sort, so the merge stays linear in the cell count.
inline QVector<QLine> mergedOutlines(const QVector<QRectF>& rects, const QRect& clip) {
  struct Span {
    int a, b;  // along the edge, in pixels
  };
  QVector<QLine> lines;
  if (rects.isEmpty() || clip.isEmpty()) return lines;
  // One direction at a time: keys are rows (horizontal edges) or columns (vertical edges).
  auto pass = [&](bool horizontal) {
    const int keyMin = horizontal ? clip.top() : clip.left();
    const int keyMax = horizontal ? clip.bottom() : clip.right();
    const int spanMin = horizontal ? clip.left() : clip.top();
    const int spanMax = horizontal ? clip.right() : clip.bottom();
    const std::size_t keys = std::size_t(keyMax - keyMin + 1);
    std::vector<int> count(keys + 1, 0);
    std::vector<std::pair<int, Span>> edges;
    edges.reserve(std::size_t(rects.size()) * 2);
    for (const QRectF& r : rects) {
      const int x0 = int(std::lround(r.left())), x1 = int(std::lround(r.right()));
      const int y0 = int(std::lround(r.top())), y1 = int(std::lround(r.bottom()));
      const int k0 = horizontal ? y0 : x0, k1 = horizontal ? y1 : x1;
      Span s = horizontal ? Span{x0, x1} : Span{y0, y1};
      s.a = std::max(s.a, spanMin);
      s.b = std::min(s.b, spanMax);
      if (s.a > s.b) continue;
      for (const int k : {k0, k1}) {
        if (k < keyMin || k > keyMax) continue;
        edges.emplace_back(k, s);
        ++count[std::size_t(k - keyMin) + 1];
      }
    }
    for (std::size_t i = 1; i <= keys; ++i) count[i] += count[i - 1];
    std::vector<Span> sorted(edges.size());
    std::vector<int> next(count.begin(), count.end() - 1);
    for (const auto& [k, s] : edges) sorted[std::size_t(next[std::size_t(k - keyMin)]++)] = s;
    for (std::size_t key = 0; key < keys; ++key) {
      const auto first = sorted.begin() + count[key], last = sorted.begin() + count[key + 1];
      if (first == last) continue;
      std::sort(first, last, [](const Span& l, const Span& r) { return l.a < r.a; });
      const int k = keyMin + int(key);
      for (auto it = first; it != last;) {
        Span s = *it++;
        while (it != last && it->a <= s.b) s.b = std::max(s.b, (it++)->b);
        lines.push_back(horizontal ? QLine(s.a, k, s.b, k) : QLine(k, s.a, k, s.b));
      }
    }
  };
  pass(true);
  pass(false);
  return lines;
}

}  // namespace netspatial::ui::planning_detail
